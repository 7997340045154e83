"""Terminal tables for `score` and `checklist list|show`. Presentation only: the CLI calls it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit.checklists import Loaded, units, weight_text
from audit.i18n import _, current, ngettext
from audit.judgement.compare import Comparison
from audit.judgement.portfolio import Portfolio
from audit.judgement.scoring import GroupScore, Result, band
from audit.model import Answer, Audit, Item, localize
from audit.terminal import isolate
from audit.words import action_label, band_label, effort_label, status_label

BAND_STYLE = {
    "exceeds": "bold green",
    "meets": "green",
    "partly meets": "yellow",
    "falls short": "bold red",
    None: "dim",
}


MAX_WIDTH = 100  # tables stop widening past this: long lines are hard to read


@contextmanager
def terminal(language: str | None = None) -> Iterator[Console]:
    """A console for tables, at most 100 columns wide.

    Right to left (ar, he) on a terminal that does not lay out bidirectional text itself,
    the tables are drawn in reading order and each line is then mirrored (bidi.visual_block):
    the first column lands at the right, and Hebrew and Arabic read the right way round.
    """
    from audit import i18n, terminal
    from audit.terminal import bidi

    real = terminal.console()  # cleans control characters out of every text it prints
    width = min(real.width, MAX_WIDTH)
    mirror = (
        i18n.direction(language or i18n.current()) == "rtl"
        and real.is_terminal
        and not bidi.terminal_reorders()
    )
    if not mirror:
        yield terminal.console(width=width) if real.is_terminal else real
        return
    buffer = io.StringIO()
    yield terminal.console(file=buffer, width=width, color_system=None)
    for line in bidi.visual_block(buffer.getvalue(), width - 1):
        real.print(line, markup=False, highlight=False, soft_wrap=True)


def _unit(text: str) -> str:
    """A unit without its explanation: "NPS points (-100 to 100)" -> "NPS points"."""
    return re.split(r"[,(（，]", text)[0].strip()


def answer_text(item: Item | None, answer: Answer | None, t, short: bool = False) -> str:
    """An answer as a person reads it: yes/no, the measure with its unit, the level, N/A."""
    if answer is None:
        return "–"
    if answer.na:
        return _("N/A")
    if answer.answer is not None:
        return _("yes") if answer.answer == "yes" else _("no")
    if answer.value is not None:
        if answer.given:
            return answer.given
        unit = _unit(units.label(item.unit, t(item.unit))) if item is not None and item.unit else ""
        return f"{answer.value:g} {unit}".strip()
    if answer.score is not None:
        return str(answer.score) if short else _("level {n}").format(n=answer.score)
    return "–"


def _short(text: str) -> Text:
    """A question cut to one line with an ellipsis, for tables read at 80 columns."""
    return Text(text, no_wrap=True, overflow="ellipsis")


def _score_cell(group: GroupScore) -> Text:
    if group.score is None:
        return Text(_("not assessed"), style="dim")
    return Text(f"{group.score:5.1f}", style=BAND_STYLE[group.band])


def _band_cell(group: GroupScore) -> Text:
    return Text(band_label(group.band) if group.band else "", style=BAND_STYLE[group.band])


def result(
    console: Console,
    loaded: Loaded,
    audit: Audit,
    res: Result,
    lang: str | None = None,
    top: int = 10,
) -> None:
    cl = loaded.checklist
    lang = lang if lang in cl.languages else (audit.store.language or cl.default_language)

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    o, comp = res.overall, res.completion
    header = Text()
    header.append(isolate(audit.store.name), style="bold")
    header.append(f" · {audit.store.segment.upper()} · {t(cl.title)} {cl.version}\n", style="dim")
    header.append(_("Overall") + " ")
    header.append(f"{o.score:.1f} " if o.score is not None else "", style=BAND_STYLE[o.band])
    header.append(band_label(o.band), style=BAND_STYLE[o.band])
    header.append(
        "   "
        + _("answered {answered}/{items}, N/A {na}, unanswered {open}").format(
            answered=comp.answered, items=comp.items, na=comp.na, open=comp.unanswered
        ),
        style="dim",
    )
    console.print(header)
    if not comp.complete:
        console.print(
            Text(
                ngettext(
                    "Incomplete audit: {n} item unanswered.",
                    "Incomplete audit: {n} items unanswered.",
                    comp.unanswered,
                ).format(n=comp.unanswered),
                style="yellow",
            )
        )
    for heading, groups, scores in (
        (_("Expectation type"), cl.categories, res.categories),
        (_("Strategy"), cl.strategies, res.strategies),
    ):
        table = Table(title=None, show_edge=False, header_style="bold")
        table.add_column(heading)  # the title wraps before a number or a band does
        table.add_column(_("Score"), justify="right", no_wrap=True)
        table.add_column(_("Band"), no_wrap=True)
        table.add_column(_("Answered"), justify="right", no_wrap=True)
        table.add_column(_("N/A"), justify="right", no_wrap=True)
        table.add_column(_("Open"), justify="right", no_wrap=True)
        for group in groups:
            g = scores[group.id]
            table.add_row(
                t(group.title),
                _score_cell(g),
                _band_cell(g),
                str(g.answered),
                str(g.na),
                str(g.unanswered),
            )
        console.print()
        console.print(table)
    if res.red_flags:
        console.print()
        console.print(Text(_("Red flags (must-haves at level 0 or 1)"), style="bold red"))
        flags = Table.grid(padding=(0, 2))
        flags.add_column(no_wrap=True, style="red")
        flags.add_column(no_wrap=True)
        flags.add_column(overflow="ellipsis")
        for item_id in res.red_flags:
            item = cl.item(item_id)
            flags.add_row(
                f"  {item_id}",
                answer_text(item, audit.answers.get(item_id), t),
                _short(t(item.question) if item else ""),
            )
        console.print(flags)
    measures = [
        (item, audit.answers[item.id])
        for item in cl.items_for(audit.store.segment)
        if item.type == "metric"
        and item.id in audit.answers
        and audit.answers[item.id].value is not None
    ]
    if measures:
        table = Table(show_edge=False, header_style="bold")
        table.add_column(_("Measure"), no_wrap=True)
        table.add_column(_("Question"), overflow="ellipsis")
        table.add_column(_("Value"), justify="right", no_wrap=True)
        table.add_column(_("Level"), justify="right", no_wrap=True)
        for item, answer in measures:
            level = item.level_of(answer)
            table.add_row(
                item.id,
                _short(t(item.question)),
                answer_text(item, answer, t),
                "–" if level is None else str(level),
            )
        console.print()
        console.print(Text(_("Measures"), style="bold"))
        console.print(table)
    if res.gaps:
        table = Table(show_edge=False, header_style="bold", title_justify="left")
        # The short columns never wrap, so a narrow terminal shortens the question instead.
        table.add_column(_("Gap"), no_wrap=True)
        table.add_column(_("Question"), overflow="ellipsis")
        table.add_column(_("Answer"), no_wrap=True)
        table.add_column(_("Impact"), justify="right", no_wrap=True)
        table.add_column(_("Effort"), no_wrap=True)
        for gap in res.gaps[:top]:
            item = cl.item(gap.id)
            flag = " [red]![/red]" if gap.critical else ""
            table.add_row(
                f"{gap.id}{flag}",
                _short(t(item.question) if item else ""),
                answer_text(item, audit.answers.get(gap.id), t),
                f"{gap.impact:.2f}",
                effort_label(gap.effort),
            )
        console.print()
        console.print(
            Text(
                _("Top gaps ({shown} of {total})").format(
                    shown=min(top, len(res.gaps)), total=len(res.gaps)
                ),
                style="bold",
            )
        )
        console.print(table)
    if res.quick_wins:
        console.print()
        console.print(Text(_("Quick wins:"), style="bold"))
        console.print(_id_list(cl, res.quick_wins, t, audit))
    if res.orphans:
        console.print(
            Text(
                "\n"
                + _("Answers to items no longer in the checklist (kept): {ids}").format(
                    ids=", ".join(res.orphans)
                ),
                style="yellow",
            )
        )
    _evidence_line(console, res.evidence)


def _id_list(cl, ids: list[str], t, audit: Audit | None = None, style: str = "") -> Table:
    """Items one per line: id, the answer when there is one, the question cut to fit."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style=style)
    if audit is not None:
        grid.add_column(no_wrap=True)
    grid.add_column(overflow="ellipsis")
    for item_id in ids:
        item = cl.item(item_id)
        row: list[str | Text] = [f"  {item_id}"]
        if audit is not None:
            row.append(answer_text(item, audit.answers.get(item_id), t))
        row.append(_short(t(item.question) if item else ""))
        grid.add_row(*row)
    return grid


def checklist_list(console: Console, loaded: list[Loaded]) -> None:
    table = Table(show_edge=False, header_style="bold")
    for col in (_("Id"), _("Version"), _("Items"), _("Languages"), _("Title")):
        table.add_column(col)
    for entry in loaded:
        cl = entry.checklist
        table.add_row(
            cl.id,
            cl.version,
            str(len(cl.items)),
            ", ".join(cl.languages),
            localize(cl.title, current(), cl.default_language),
        )
    console.print(table)


def _weight_short(item: Item) -> str:
    """`4`, or `4/3` for a weight per segment (b2c/b2b)."""
    weight = item.weight
    if isinstance(weight, int | float):
        return f"{weight:g}"
    return f"{weight.b2c:g}/{weight.b2b:g}"


def _flags(item: Item) -> str:
    flags = []
    if item.type == "yesno":
        flags.append(_("y/n") + (" " + _("(inverted)") if item.inverted else ""))
    elif item.type == "metric":
        flags.append(_("measure"))
    if item.segments:
        flags.append("/".join(item.segments))
    return " ".join(flags)


def checklist_detail(
    console: Console, entry: Loaded, lang: str | None = None, full: bool = False
) -> None:
    cl = entry.checklist
    lang = lang if lang in cl.languages else cl.default_language

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    console.print(Text(f"{t(cl.title)}", style="bold"))
    console.print(
        Text(
            ngettext(
                "{id} {version} · {n} item · languages {languages} · {path}",
                "{id} {version} · {n} items · languages {languages} · {path}",
                len(cl.items),
            ).format(
                id=cl.id,
                version=cl.version,
                n=len(cl.items),
                languages=", ".join(cl.languages),
                path=entry.path,
            ),
            style="dim",
        )
    )
    if cl.description and full:
        console.print(t(cl.description))
    for category in cl.categories:
        items = [i for i in cl.items if i.category == category.id]
        if not full:
            console.print()
            console.print(Text(f"{t(category.title)} ({len(items)})", style="bold cyan"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="ellipsis")
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column(no_wrap=True, style="dim")
            for item in items:
                grid.add_row(
                    f"  {item.id}" + (" !" if item.critical else "  "),
                    _short(t(item.question)),
                    _weight_short(item),
                    _flags(item),
                )
            console.print(grid)
            continue
        table = Table(
            show_edge=False,
            header_style="bold",
            title_justify="left",
            title=f"{t(category.title)} ({len(items)})",
            title_style="bold cyan",
        )
        table.add_column(_("Id"), no_wrap=True)
        table.add_column(_("Question"), ratio=1)
        table.add_column(_("Strategies"))
        table.add_column(_("Type"))
        table.add_column(_("Weight"), justify="right")
        table.add_column(_("Effort"))
        for item in items:
            kind = item.type + (" " + _("(inverted)") if item.inverted else "")
            segs = f" [{'/'.join(item.segments)}]" if item.segments else ""
            table.add_row(
                item.id + (" !" if item.critical else ""),
                t(item.question) + segs,
                ", ".join(item.strategy),
                kind,
                weight_text(item),
                effort_label(item.effort),
            )
        console.print()
        console.print(table)
    console.print(
        Text("\n" + _("! = critical (a must-have: level 0 or 1 is a red flag)"), style="dim")
    )
    if not full:
        console.print(
            Text(
                _("Columns: id, question, weight (b2c/b2b where they differ), type and segment.")
                + " "
                + _("--full shows everything."),
                style="dim",
            )
        )


def _change_cell(change: float | None) -> Text:
    if change is None:
        return Text("–", style="dim")
    style = "green" if change > 0 else ("red" if change < 0 else "dim")
    return Text(f"{change:+.1f}", style=style)


def comparison(console: Console, c: Comparison, lang: str | None = None) -> None:
    """Scores side by side with their change, then what moved between the first and last audit."""
    cl = c.last.loaded.checklist
    lang = lang if lang in cl.languages else (c.last.audit.store.language or cl.default_language)

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    def score_text(score: float | None) -> Text:
        return Text("–" if score is None else f"{score:.1f}", style=BAND_STYLE[band(score)])

    console.print(Text(c.last.audit.store.name, style="bold"))
    _comparison_header(console, c)
    table = Table(show_edge=False, header_style="bold")
    table.add_column("", no_wrap=True)
    for snap in c.snapshots:
        table.add_column(snap.date, justify="right")
    table.add_column(_("Change"), justify="right")

    def row(title: str, pick, style: str = "") -> None:
        table.add_row(
            Text(title, style=style),
            *(score_text(pick(s.result)) for s in c.snapshots),
            _change_cell(c.change(pick)),
        )

    row(_("Overall"), lambda r: r.overall.score, "bold")
    table.add_section()
    for category in cl.categories:
        row(t(category.title), lambda r, k=category.id: r.categories[k].score)
    table.add_section()
    for strategy in cl.strategies:
        row(t(strategy.title), lambda r, k=strategy.id: r.strategies[k].score)
    console.print()
    console.print(
        Text(
            ngettext(
                "Like for like: the {n} item answered in both audits",
                "Like for like: the {n} items answered in both audits",
                len(c.common),
            ).format(n=len(c.common)),
            style="bold",
        )
    )
    console.print(table)

    def question(item_id: str) -> str:
        item = cl.item(item_id)
        return t(item.question) if item else ""

    def moved(item_id: str) -> str:
        """The answers given in the first and the last audit: `no → yes`, `3 days → 1 day`."""
        item = cl.item(item_id) or c.first.loaded.checklist.item(item_id)
        before = answer_text(item, c.first.audit.answers.get(item_id), t, short=True)
        after = answer_text(item, c.last.audit.answers.get(item_id), t, short=True)
        return f"{before} → {after}"

    def items(heading: str, ids: list[str], style: str) -> None:
        """A heading with its count, then a line per item: id, answers before → after, question."""
        console.print(Text(f"{heading} ({len(ids)})", style=f"bold {style}"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style=style)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="ellipsis")
        for item_id in ids:
            grid.add_row(f"  {item_id}", moved(item_id), _short(question(item_id)))
        console.print(grid)

    for heading, changes, style in (
        (_("Improved"), c.improved, "green"),
        (_("Regressed"), c.regressed, "red"),
    ):
        if changes:
            console.print()
            items(heading, [change.id for change in changes], style)
    for label, ids, style in (
        (_("Red flags resolved"), c.flags_resolved, "green"),
        (_("New red flags"), c.flags_new, "red"),
        (_("Red flags still open"), c.flags_open, "red"),
        (_("Red flags not re-assessed"), c.flags_not_reassessed, "yellow"),
        (_("Quick wins taken"), c.quick_wins_taken, "green"),
    ):
        console.print()
        if ids:
            items(label, ids, style)
        else:
            console.print(Text.assemble((f"{label}: ", "bold"), (_("none"), "dim")))
    _comparison_footer(console, c)


def _comparison_header(console: Console, c: Comparison) -> None:
    """Each audit's own score and completion, then the warnings of the comparison."""
    for snap in c.snapshots:
        comp, own = snap.completion, snap.own.overall
        line = Text(f"  {snap.date}  " + _("own score") + " ")
        line.append("–" if own.score is None else f"{own.score:.1f}", style=BAND_STYLE[own.band])
        line.append(
            "  "
            + _("{done} of {items} items answered or N/A ({percent}%)").format(
                done=comp.answered + comp.na, items=comp.items, percent=f"{snap.share * 100:.0f}"
            )
            + (("  " + _("provisional")) if snap.provisional else ""),
            style="yellow" if snap.provisional else "dim",
        )
        console.print(line)
    for warning in c.warnings:
        console.print(Text(_("warning: {text}").format(text=warning.text), style="yellow"))


def _comparison_footer(console: Console, c: Comparison) -> None:
    """Items by status, then the earlier action plan: each action's stored status and change."""
    counts = "  ·  ".join(
        f"{status_label(status)} {len([i for i in c.items if i.status == status])}"
        for status in ("improved", "worse", "unchanged", "not re-assessed", "new")
    )
    console.print(Text.assemble((_("Items:") + " ", "bold"), counts))
    planned = [p for p in c.plan if p.horizon != "backlog"]
    if planned:
        console.print()
        console.print(Text(_("The earlier action plan"), style="bold"))
        grid = Table.grid(padding=(0, 2))
        for _n in range(5):
            grid.add_column(no_wrap=True)
        for p in planned:
            after = "–" if p.after is None else str(p.after)
            grid.add_row(
                f"  {p.id}",
                _("{n} days").format(n=p.horizon),
                f"{p.before} → {after}",
                status_label(p.status),
                _("action {status}").format(status=action_label(p.action))
                + (f" · {p.owner}" if p.owner else ""),
            )
        console.print(grid)
    backlog = len(c.plan) - len(planned)
    if backlog:
        console.print(
            Text(
                "  " + _("and {n} actions in the backlog").format(n=backlog),
                style="dim",
            )
        )


def portfolio(console: Console, p: Portfolio, top: int = 10) -> None:
    """Stores best first, the gaps most stores share, and each store against the median."""
    console.print(
        Text(
            _("{stores}, {audits} read in {folder}").format(
                stores=ngettext("{n} store", "{n} stores", len(p.stores)).format(n=len(p.stores)),
                audits=ngettext("{n} audit", "{n} audits", p.audits_read).format(n=p.audits_read),
                folder=p.folder,
            ),
            style="bold",
        )
    )
    if not p.stores:
        console.print(Text(_("No audit files found."), style="yellow"))
    table = Table(show_edge=False, header_style="bold")
    table.add_column(_("Store"), ratio=1)
    table.add_column(_("Date"), no_wrap=True)
    table.add_column(_("Audits"), justify="right")
    table.add_column(_("Segment"), no_wrap=True)
    table.add_column(_("Complete"), justify="right", no_wrap=True)
    table.add_column(_("Overall"), justify="right")
    table.add_column(_("Band"), no_wrap=True)
    table.add_column(_("Change"), justify="right")
    for store in p.stores:
        s = store.latest
        change, items = store.like_for_like
        table.add_row(
            s.store,
            s.date,
            str(len(store.history)),
            s.segment.upper(),
            Text(f"{s.share * 100:.0f}%", style="yellow" if s.provisional else ""),
            Text("–" if s.overall is None else f"{s.overall:.1f}", style=BAND_STYLE[s.band]),
            Text(_("provisional"), style="yellow")
            if s.provisional
            else Text(band_label(s.band) if s.band else "", style=BAND_STYLE[s.band]),
            Text.assemble(
                _change_cell(change), (f" ({items})" if change is not None else "", "dim")
            ),
        )
    if p.stores:
        console.print()
        console.print(table)
        console.print(
            Text(
                _(
                    "Provisional: under {share} of items answered or N/A, ranked after the complete"
                    " audits. Change: since the previous audit, on the (n) items answered in both."
                ).format(share="80%"),
                style="dim",
            )
        )
    if p.common_gaps:
        console.print()
        console.print(
            Text(_("Common gaps: items at level 0 or 1 in the most stores"), style="bold")
        )
        gaps = Table(show_edge=False, header_style="bold")
        gaps.add_column(_("Item"), no_wrap=True)
        gaps.add_column(_("Stores"), justify="right", no_wrap=True)
        gaps.add_column(_("Question"), ratio=1)
        for gap in p.common_gaps[:top]:
            gaps.add_row(gap.id, f"{gap.failing}/{gap.assessed}", gap.question)
        console.print(gaps)
    categories = list(p.category_titles)
    if categories and p.stores:
        console.print()
        console.print(Text(_("Against the portfolio median, by expectation type"), style="bold"))
        grid = Table(show_edge=False, header_style="bold")
        grid.add_column(_("Store"), ratio=1)
        for n, _category in enumerate(categories, 1):
            grid.add_column(str(n), justify="right", no_wrap=True)
        for store in p.stores:
            grid.add_row(
                store.latest.store, *(_change_cell(p.position(store, c)) for c in categories)
            )
        grid.add_section()
        grid.add_row(
            Text(_("Median"), style="dim"),
            *(
                Text("–" if p.medians[c] is None else f"{p.medians[c]:.1f}", style="dim")
                for c in categories
            ),
        )
        console.print(grid)
        console.print(
            Text(
                "  ".join(f"{n} {p.category_titles[c]}" for n, c in enumerate(categories, 1)),
                style="dim",
            )
        )
    if p.checklists:
        console.print()
        console.print(
            Text(
                _("Checklists in the folder (not audits): {files}").format(
                    files=", ".join(str(path) for path in p.checklists)
                ),
                style="dim",
            )
        )
    if p.skipped:
        console.print()
        skipped(console, p.skipped)


def skipped(console: Console, files: list[tuple[Path, str]]) -> None:
    """The files a portfolio passed over, each with its located reason."""
    console.print(
        Text(
            ngettext(
                "Skipped {n} file that is not a readable audit:",
                "Skipped {n} files that are not readable audits:",
                len(files),
            ).format(n=len(files)),
            style="yellow",
        )
    )
    for path, reason in files:
        console.print(
            Text(f"  {reason}" if str(path) in reason else f"  {path}: {reason}", style="yellow")
        )


def _evidence_line(console: Console, counts: dict[str, int]) -> None:
    """How the answers are evidenced, one line: kinds as typed after `e` in the walkthrough."""
    total = sum(counts.values())
    if total:
        kinds = ", ".join(f"{n} {k}" for k, n in counts.items() if n and k != "reported")
        line = _("Evidence behind {n} of {total} answers{kinds}; {reported} reported").format(
            n=total - counts["reported"],
            total=total,
            kinds=f" ({kinds})" if kinds else "",
            reported=counts["reported"],
        )
        console.print(Text("\n" + line, style="dim"))
