"""What a PDF really draws: missing glyphs and embedded fonts, read with pypdf alone."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream


def _shown_strings(operands, operator) -> list:
    if operator in (b"Tj", b"'"):
        return [operands[0]]
    if operator == b'"':
        return [operands[2]]
    if operator == b"TJ":
        return [part for part in operands[0] if not isinstance(part, int | float)]
    return []


def notdef_glyphs(pdf: Path) -> int:
    """How many times glyph 0 (.notdef, the empty box) is drawn.

    WeasyPrint embeds every font as Type0 with Identity-H: each glyph is two bytes, its
    glyph id, so a missing character shows up as the id 0 in a text-showing operator.
    """
    reader = PdfReader(pdf)
    count = 0
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        for operands, operator in content.operations:
            for shown in _shown_strings(operands, operator):
                raw = (
                    shown.get_original_bytes()
                    if hasattr(shown, "get_original_bytes")
                    else bytes(shown)
                )
                if raw.startswith(b"\xfe\xff"):  # pypdf took two-byte glyph ids for UTF-16
                    raw = raw[2:]
                count += sum(1 for i in range(0, len(raw) - 1, 2) if raw[i : i + 2] == b"\0\0")
    return count


def font_names(pdf: Path) -> set[str]:
    """Embedded font names without the subset prefix, e.g. 'Noto-Sans-CJK-TC-Bold'."""
    names = set()
    for page in PdfReader(pdf).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
    return names


def fonts_by_character(pdf: Path) -> dict[str, set[str]]:
    """Each character drawn, with the embedded fonts it was drawn in."""
    drawn: dict[str, set[str]] = {}

    def visit(text, _cm, _tm, font, _size) -> None:
        if not font or not text:
            return
        name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
        for char in text:
            drawn.setdefault(char, set()).add(name)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return drawn
