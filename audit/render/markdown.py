"""The report as Markdown, for pasting into documents and for GitHub-style renderers.

User and checklist text is escaped so that CommonMark and GFM (GitHub's cmark-gfm) both show it
as written: never a link, raw HTML, a heading or a list made from user text. Web addresses in
notes become autolinks (`<https://...>`), which work in both. Right-to-left reports are wrapped in
`<div dir="rtl">`. The plan is a plain list (no `- [ ]` task boxes: those show literally outside
GFM).
"""

from __future__ import annotations

import re

from audit.i18n import _
from audit.render.document import Report
from audit.words import action_label, band_label, effort_label, status_label

# Always escaped inside a line: code, emphasis, links and images, raw HTML, tables, GFM
# strikethrough, and the backslash itself. ( ) stay: without an unescaped ] they start nothing.
_INLINE = re.compile(r"([\\`*_\[\]<|~])")
# Escaped at the start of a line: headings, quotes, bullets, setext underlines.
_LINE_START = re.compile(r"^([#>+=-])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
# `&name;` or `&#123;` would be read as a character reference: keep it literal.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# A web address, optionally in the user's own <...>; trailing punctuation stays outside.
_URL = re.compile(r"<?(https?://[^\s<>\"`\\]+)>?")
_TRAILING = ".,;:!?'*_~"


def _url_end(url: str) -> int:
    """Where the address ends: without trailing punctuation or an unbalanced closing bracket."""
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and url[:end].count("(") < url[:end].count(")"):
            end -= 1
        else:
            break
    return end


def _plain(text: str) -> str:
    return _ENTITY.sub("\\\\&", _INLINE.sub(r"\\\1", text))


def _phrase(text: str) -> str:
    """One line of user text: Markdown characters escaped, web addresses as autolinks."""
    out, pos = [], 0
    for match in _URL.finditer(text):
        url = match.group(1)
        end = _url_end(url)
        if end < len("https://x"):
            continue
        bracketed = match.group(0).startswith("<") and match.group(0).endswith(">")
        start = match.start() if bracketed and end == len(url) else match.start(1)
        stop = match.end() if bracketed and end == len(url) else match.start(1) + end
        out.append(_plain(text[pos:start]))
        out.append(f"<{url[:end]}>")
        pos = stop
    out.append(_plain(text[pos:]))
    return "".join(out)


def _line(text: str) -> str:
    text = _phrase(text.strip())
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)


def ident(text: str, in_table: bool = False) -> str:
    """An item id: plain when it has the id pattern, else a code span (never a link or HTML).

    In a GFM table cell a | ends the cell even inside a code span, so there it is escaped.
    """
    text = " ".join(text.split())
    if _ID.match(text):
        return _WWW.sub(r"\1\\.", text)  # GFM links `www.` in text; `www\.` stays text
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def esc(text: str) -> str:
    """User text on one line (a list item, a heading, a table cell): line breaks become spaces."""
    return _line(" ".join(text.split()))


def cell(text: str) -> str:
    """User text in a table cell: line breaks kept as <br>."""
    lines = [_line(line) for line in text.splitlines() if line.strip()]
    return "<br>".join(lines)


def block(text: str) -> str:
    """User text as paragraphs: blank lines separate paragraphs, single breaks are kept."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(
        "\\\n".join(_line(line) for line in p.splitlines() if line.strip()) for p in paragraphs
    )


def _score(value: float | None) -> str:
    return _("not assessed") if value is None else f"{value:.1f}"


def render(r: Report) -> str:
    out: list[str] = []
    add = out.append
    if r.direction == "rtl":  # an HTML block: the Markdown inside it still renders
        add(f'<div dir="rtl" lang="{esc(r.lang)}">\n')
    add("# " + _("Customer expectations audit") + f": {esc(r.store)}\n")
    add("- " + _("Segment") + f": {esc(r.segment)}")
    if r.auditor:
        add("- " + _("Auditor") + f": {esc(r.auditor)}")
    add("- " + _("Date") + f": {esc(r.date)}")
    add(
        "- "
        + _("Checklist")
        + ": "
        + _("%(title)s, version %(version)s")
        % {"title": esc(r.checklist_title), "version": esc(r.checklist_version)}
    )
    add("- **" + _("Overall score") + f": {_score(r.overall)} ({band_label(r.overall_band)})**")
    if not r.complete:
        add(
            "\n> "
            + _("Incomplete audit: {open} of {total} items are unanswered.").format(
                open=r.completion["unanswered"], total=r.completion["items"]
            )
        )
    add("\n## " + _("Executive summary") + "\n")
    c = r.completion
    add(
        _(
            "{answered} of {items} items answered, {na} N/A, {open} unanswered. {flags} red flags, "
            "{gaps} gaps."
        ).format(
            answered=c["answered"],
            items=c["items"],
            na=c["na"],
            open=c["unanswered"],
            flags=len(r.red_flags),
            gaps=len(r.gaps),
        )
        + "\n"
    )
    add(block(r.reading) + "\n")
    if r.strengths:
        add("**" + _("Top strengths") + "**\n")
        out.extend(f"- {ident(i.id)}: {esc(i.question)}" for i in r.strengths)
        add("")
    if r.top_gaps:
        add("**" + _("Top gaps") + "**\n")
        out.extend(
            f"{n}. {ident(i.id)}: {esc(i.question)} ("
            + _("impact %(n)s") % {"n": f"{i.impact:.2f}"}
            + ")"
            for n, i in enumerate(r.top_gaps, 1)
        )
        add("")
    if r.progress:
        _progress(r, add)
    add("## " + _("Scores") + "\n")
    add(
        "| "
        + " | ".join(
            (_("Expectation type"), _("Score"), _("Band"), _("Answered"), _("N/A"), _("Open"))
        )
        + " |"
    )
    add("|---|---:|---|---:|---:|---:|")
    for g in r.categories:
        add(
            f"| {esc(g.title)} | {_score(g.score)} | {band_label(g.band) if g.band else ''} | "
            f"{g.answered} | {g.na} | "
            f"{g.unanswered} |"
        )
    add("\n| " + _("Strategy") + " | " + _("Score") + " | " + _("Band") + " |")
    add("|---|---:|---|")
    for g in r.strategies:
        add(f"| {esc(g.title)} | {_score(g.score)} | {band_label(g.band) if g.band else ''} |")
    add("\n## " + _("Red flags") + "\n")
    _list(add, [f"**{ident(i.id)}** {esc(i.question)}" for i in r.red_flags])
    add("\n## " + _("Quick wins") + "\n")
    _list(add, [f"**{ident(i.id)}** {esc(i.question)}" for i in r.quick_wins])
    add("\n## " + _("Gaps and recommendations") + "\n")
    for i in r.gaps:
        add(f"### {ident(i.id)}: {esc(i.question)}\n")
        add(
            " · ".join(
                [
                    _("level %(n)s/4") % {"n": i.level},
                    _("impact %(n)s") % {"n": f"{i.impact:.2f}"},
                    effort_label(i.effort),
                    *([_("must-have")] if i.critical else []),
                ]
            )
            + "\n"
        )
        if i.note:
            add("*" + _("Auditor's note:") + f"* {block(i.note)}\n")
        add("*" + _("Recommendation:") + f"* {block(i.recommendation)}\n")
    polish = [i for i in r.items if i.level == 3]
    if polish:
        add("### " + _("To polish") + "\n")
        _list(
            add,
            [
                f"**{ident(i.id)}** {esc(i.question)}" + (f": {esc(i.note)}" if i.note else "")
                for i in polish
            ],
        )
        add("")
    add("## " + _("Action plan") + "\n")
    actions = r.result.get("actions") or {}
    for key, title in (
        ("30", _("Next 30 days")),
        ("60", _("Within 60 days")),
        ("90", _("Within 90 days")),
    ):
        add(f"### {title}\n")
        _list(
            add, [_action(i, actions.get(i.id)) for i in r.plan[key]], _("Nothing for this period.")
        )
        add("")
    if r.plan.get("backlog"):
        add("### " + _("Backlog") + "\n")
        _list(add, [_action(i, actions.get(i.id)) for i in r.plan["backlog"]])
        add("")
    add("## " + _("Customer experience measures") + "\n")
    add(
        "| "
        + _("Measure")
        + " | "
        + _("Value")
        + " | "
        + _("Level")
        + " | "
        + _("Thresholds used")
        + " |"
    )
    add("|---|---:|---|---|")
    for m in r.measures:
        value = (
            f"{m.value:g} {esc(m.unit)}"
            if m.value is not None
            else (_("N/A") if m.status == "na" else _("not measured"))
        )
        sign = "≤" if m.better == "lower" else "≥"
        thresholds = ", ".join(f"{n}: {sign} {t:g}" for n, t in enumerate(m.thresholds, 1))
        add(
            f"| {ident(m.id, True)} {esc(m.question)} | {value} | "
            f"{'' if m.level is None else m.level} | {thresholds} |"
        )
    add("\n## " + _("Benchmarks") + "\n")
    if r.benchmarks:
        out.extend(f"- {esc(b.text)} ({esc(b.source)}; {ident(i.id)})" for i, b in r.benchmarks)
    else:
        add(_("No benchmark bears on the gaps found."))
    add("\n## " + _("Findings by expectation type") + "\n")
    for g in r.categories:
        add(f"### {esc(g.title)}: {_score(g.score)}\n")
        if g.description:
            add(f"*{esc(g.description)}*\n")
        add(
            "| "
            + _("Item")
            + " | "
            + _("Question")
            + " | "
            + _("Answer")
            + " | "
            + _("Note")
            + " |"
        )
        add("|---|---|---|---|")
        for i in g.items:
            answer = {"na": _("N/A"), "unanswered": _("unanswered")}.get(i.status, i.answer)
            add(f"| {ident(i.id, True)} | {esc(i.question)} | {esc(answer)} | {cell(i.note)} |")
        add("")
    _appendix(r, add)
    if r.direction == "rtl":
        add("\n</div>")
    return "\n".join(out) + "\n"


def _list(add, lines: list[str], empty: str | None = None) -> None:
    for line in lines:
        add(f"- {line}")
    if not lines:
        add(empty or _("None."))


def _action(i, action: dict | None) -> str:
    """One action of the plan: the item, then its bookkeeping where the audit records it."""
    text = f"**{ident(i.id)}** {esc(i.question)}"
    if not action:
        return text
    facts = [
        f"{label}: {esc(str(action[key]))}"
        for key, label in (
            ("owner", _("Owner")),
            ("due", _("Due")),
            ("target", _("Target level")),
            ("kpi", _("KPI")),
        )
        if action.get(key) not in (None, "")
    ]
    if action.get("status"):
        facts.append(action_label(action["status"]))
    return text + (" (" + "; ".join(facts) + ")" if facts else "")


def _appendix(r: Report, add) -> None:
    add("## " + _("Appendix") + "\n")
    add("### " + _("Method") + "\n")
    for line in (
        _(
            "Every answered item has a level from 0 to 4: the score given; 4 or 0 for yes/no "
            "(swapped for practices to avoid); the threshold level for measures. Its score is "
            "level / 4 × 100."
        ),
        _(
            "Category, strategy and overall scores are weighted means over the answered, "
            "applicable items: Σ(weight × score) / Σ(weight). The overall score is over all "
            "items, not the mean of the categories. An item with several strategies counts "
            "fully in each. N/A and unanswered items are left out of every average. Weights use "
            "the store's segment (%(segment)s)."
        )
        % {"segment": esc(r.segment)},
        _("Bands: 85–100 exceeds, 70–84.99 meets, 50–69.99 partly meets, below 50 falls short."),
        _(
            "Gaps are answered items at level 2 or below; impact = weight × (4 − level) / 4. "
            "Items at level 3 are to polish, level 4 are strengths. Red flags are must-have "
            "items at level 0 or 1. Quick wins are low-effort gaps."
        ),
    ):
        add("- " + _plain(line).replace("\n", " "))
    add("\n### " + _("Answer scale") + "\n")
    add("| | " + _("Level") + " | " + _("Description") + " |")
    add("|---:|---|---|")
    for value, label, description in r.scale:
        add(f"| {value} | {esc(label)} | {esc(description)} |")
    add("\n### " + _("Unanswered and N/A items") + "\n")
    _list(
        add,
        [f"{ident(i.id)}: {esc(i.question)} ({_('unanswered')})" for i in r.unanswered]
        + [
            f"{ident(i.id)}: {esc(i.question)} ({_('N/A')})"
            + (f": {esc(i.note)}" if i.note else "")
            for i in r.not_applicable
        ],
        _("Every item was answered."),
    )
    add("\n### " + _("Answers to items no longer in the checklist") + "\n")
    _list(
        add,
        [
            f"{ident(o.id)}: {esc(o.answer)}" + (f" · {esc(o.note)}" if o.note else "")
            for o in r.orphans
        ],
    )
    add("\n### " + _("Checklist") + "\n")
    add(
        _("Checklist")
        + f" {esc(r.checklist_id)} {esc(r.checklist_version)}, sha256 `{r.checklist_sha256}`."
    )


def _progress(r: Report, add) -> None:
    p = r.progress
    assert p is not None

    def num(value: float | None, sign: bool = False) -> str:
        return "–" if value is None else (f"{value:+.1f}" if sign else f"{value:.1f}")

    add("## " + _("Progress since %(date)s") % {"date": esc(p.baseline_date)} + "\n")
    add(block(p.trend) + "\n")
    add("| | " + esc(p.baseline_date) + " | " + _("Now") + " | " + _("Change") + " |")
    add("|---|---:|---:|---:|")
    add(
        "| **" + _("Overall") + f"** | {num(p.overall.before)} | {num(p.overall.after)} | "
        f"{num(p.overall.change, True)} |"
    )
    for row in [*p.categories, *p.strategies]:
        add(
            f"| {esc(row.title)} | {num(row.before)} | {num(row.after)} | {num(row.change, True)} |"
        )
    add("\n### " + _("The last action plan") + "\n")
    for plan_row in p.plan:
        after = "–" if plan_row.after is None else plan_row.after
        status = status_label(plan_row.status)
        question = esc(plan_row.question)
        add(f"- {ident(plan_row.id)} {question}: {plan_row.before} → {after} ({status})")
    add("")
