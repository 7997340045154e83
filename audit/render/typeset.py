"""User text in the HTML report: isolated, escaped, and set in the right direction.

- Every user text (store name, notes, checklist text) sits in its own <bdi>, so a store name
  carrying U+202E cannot reverse the tool's sentence around it.
- The tool's sentences mark the user text inside them with U+2068 .. U+2069 (reading.iso);
  these become <bdi> elements.
- In a right-to-left report, each run of Latin script ("3-D Secure", "HubSpot, State of
  Service") is set left to right in its own span: WeasyPrint does not resolve neutral
  characters between Latin and Arabic as a browser would ("D Secure-3"), and the span also
  lets the stylesheet match the Latin size to the Arabic body.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

FSI, PDI = "\u2068", "\u2069"
_WORD = r"[A-Za-z0-9][A-Za-z0-9'’&/+.@_-]*"
_LATIN = re.compile(rf"(?:\d+[-./])?[A-Za-z][A-Za-z0-9'’&/+.@_-]*(?:[ ,:-]+{_WORD})*")
_TRAILING = ".,:;'’-/&+@_ "


# Text that can reorder what is around it: right-to-left letters and the bidi controls.
_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def needs_isolation(text: str, rtl: bool) -> bool:
    """Left-to-right text in a left-to-right report cannot move anything: no element needed
    (each one costs layout time). Everything else is isolated."""
    return rtl or bool(_BIDI.search(text.replace(FSI, "").replace(PDI, "")))


def typeset(text: object, rtl: bool = False, isolate: bool = False, lang: str = "") -> Markup:
    raw = "" if text is None else str(text)
    if not needs_isolation(raw, rtl):
        return Markup(escape(raw.replace(FSI, "").replace(PDI, "")))
    if lang == "ar":  # Arabic quotes with guillemets, in the tool's sentences as in the checklist
        raw = raw.replace("“", "«").replace("”", "»")
    out: list[str] = []
    depth = 0
    pos = 0
    pattern = _LATIN if rtl else None
    for match in _tokens(raw, pattern):
        start, end, kind = match
        if start > pos:
            out.append(str(escape(raw[pos:start])))
        piece = raw[start:end]
        if kind == "open":
            out.append("<bdi>")
            depth += 1
        elif kind == "close":
            if depth:
                out.append("</bdi>")
                depth -= 1
        else:
            out.append(f'<span dir="ltr" class="latin">{escape(piece)}</span>')
        pos = end
    out.append(str(escape(raw[pos:])))
    out.append("</bdi>" * depth)
    body = "".join(out)
    if isolate:
        body = f"<bdi>{body}</bdi>"
    return Markup(body)


def _tokens(raw: str, pattern: re.Pattern[str] | None):
    """(start, end, kind) of isolates and Latin runs, in order."""
    marks = [
        (m.start(), m.end(), "open" if m.group() == FSI else "close")
        for m in re.finditer(f"[{FSI}{PDI}]", raw)
    ]
    runs = []
    if pattern is not None:
        for m in pattern.finditer(raw):
            text = m.group().rstrip(_TRAILING)
            if text:
                runs.append((m.start(), m.start() + len(text), "latin"))
    # A Latin run never spans an isolate mark: cut it at the mark.
    cut = []
    for start, end, kind in runs:
        inner = [p for p, _e, _k in marks if start < p < end]
        edges = [start, *inner, end]
        for a, b in zip(edges, edges[1:], strict=False):
            if raw[a] in (FSI, PDI):
                a += 1
            if b > a and raw[a:b].strip(_TRAILING):
                cut.append((a, a + len(raw[a:b].rstrip(_TRAILING)), kind))
    return sorted(marks + cut)
