"""Terminal tables for `score` and `checklist list|show`. Presentation only: the CLI calls it."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit import evidence
from audit.checklists import Loaded, weight_text
from audit.compare import Comparison
from audit.i18n import _, ngettext
from audit.model import Audit, localize
from audit.portfolio import Portfolio
from audit.scoring import GroupScore, Result, band
from audit.words import action_label, band_label, effort_label, status_label

BAND_STYLE = {
    "exceeds": "bold green",
    "meets": "green",
    "partly meets": "yellow",
    "falls short": "bold red",
    None: "dim",
}


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
    header.append(f"{audit.store.name}", style="bold")
    header.append(
        f"  ·  {audit.store.segment.upper()}  ·  {t(cl.title)} {cl.version}\n", style="dim"
    )
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
                _("Incomplete audit: {n} items unanswered.").format(n=comp.unanswered),
                style="yellow",
            )
        )
    for heading, groups, scores in (
        (_("Expectation type"), cl.categories, res.categories),
        (_("Strategy"), cl.strategies, res.strategies),
    ):
        table = Table(title=None, show_edge=False, header_style="bold")
        table.add_column(heading, no_wrap=True)
        table.add_column(_("Score"), justify="right")
        table.add_column(_("Band"))
        table.add_column(_("Answered"), justify="right")
        table.add_column(_("N/A"), justify="right")
        table.add_column(_("Open"), justify="right")
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
        flags.add_column(ratio=1)
        for item_id in res.red_flags:
            item = cl.item(item_id)
            flags.add_row(f"  {item_id}", t(item.question) if item else "")
        console.print(flags)
    if res.gaps:
        table = Table(show_edge=False, header_style="bold", title_justify="left")
        # The short columns never wrap, so a narrow terminal shortens the question instead.
        table.add_column(_("Gap"), no_wrap=True)
        table.add_column(_("Question"), ratio=1, overflow="fold")
        table.add_column(_("Level"), justify="right", no_wrap=True)
        table.add_column(_("Impact"), justify="right", no_wrap=True)
        table.add_column(_("Effort"), no_wrap=True)
        for gap in res.gaps[:top]:
            item = cl.item(gap.id)
            flag = " [red]![/red]" if gap.critical else ""
            table.add_row(
                f"{gap.id}{flag}",
                t(item.question) if item else "",
                str(gap.level),
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
        console.print(
            Text.assemble(("\n" + _("Quick wins:") + " ", "bold"), ", ".join(res.quick_wins))
        )
    _evidence_line(console, audit, [item.id for item in cl.items_for(audit.store.segment)])
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


def _evidence_line(console: Console, audit: Audit, item_ids: list[str]) -> None:
    """How the answers are evidenced, one line: kinds as typed after `e` in the walkthrough."""
    counts = evidence.counts(audit, only=item_ids)
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
            localize(cl.title, cl.default_language, cl.default_language),
        )
    console.print(table)


def checklist_detail(console: Console, entry: Loaded, lang: str | None = None) -> None:
    cl = entry.checklist
    lang = lang if lang in cl.languages else cl.default_language

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    console.print(Text(f"{t(cl.title)}", style="bold"))
    console.print(
        Text(
            _("{id} {version} · {n} items · languages {languages} · {path}").format(
                id=cl.id,
                version=cl.version,
                n=len(cl.items),
                languages=", ".join(cl.languages),
                path=entry.path,
            ),
            style="dim",
        )
    )
    if cl.description:
        console.print(t(cl.description))
    for category in cl.categories:
        items = [i for i in cl.items if i.category == category.id]
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
    if c.added or c.removed:
        console.print(
            Text(
                _("Compared on the {n} items the checklists share.").format(n=len(c.shared)),
                style="yellow",
            )
        )
        if c.added:
            console.print(
                Text(
                    "  " + _("Added since the first audit: {ids}").format(ids=", ".join(c.added)),
                    style="dim",
                )
            )
        if c.removed:
            console.print(
                Text(
                    "  "
                    + _("Removed since the first audit: {ids}").format(ids=", ".join(c.removed)),
                    style="dim",
                )
            )
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

    for heading, changes, style in (
        (_("Improved"), c.improved, "green"),
        (_("Regressed"), c.regressed, "red"),
    ):
        if not changes:
            continue
        console.print()
        console.print(Text(f"{heading} ({len(changes)})", style=f"bold {style}"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style=style)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(ratio=1)
        for change in changes:
            grid.add_row(f"  {change.id}", f"{change.before} → {change.after}", question(change.id))
        console.print(grid)
    console.print()
    for label, ids, style in (
        (_("Red flags resolved"), c.flags_resolved, "green"),
        (_("New red flags"), c.flags_new, "red"),
        (_("Red flags still open"), c.flags_open, "red"),
        (_("Red flags not re-assessed"), c.flags_not_reassessed, "yellow"),
        (_("Quick wins taken"), c.quick_wins_taken, "green"),
    ):
        console.print(
            Text.assemble(
                (f"{label}: ", "bold"),
                (", ".join(ids) if ids else _("none"), style if ids else "dim"),
            )
        )
    _comparison_footer(console, c)


def _comparison_header(console: Console, c: Comparison) -> None:
    """Each audit's own score and completion, then the warnings of the comparison."""
    for snap in c.snapshots:
        comp, own = snap.completion, snap.own.overall
        line = Text(f"  {snap.date}  ")
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
            _("{stores} stores, {audits} audits read in {folder}").format(
                stores=len(p.stores), audits=p.audits_read, folder=p.folder
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
    table.add_column(_("Overall"), justify="right")
    table.add_column(_("Band"), no_wrap=True)
    table.add_column(_("Change"), justify="right")
    for store in p.stores:
        s = store.latest
        table.add_row(
            s.store,
            s.date,
            str(len(store.history)),
            Text("–" if s.overall is None else f"{s.overall:.1f}", style=BAND_STYLE[s.band]),
            Text(band_label(s.band) if s.band else "", style=BAND_STYLE[s.band]),
            _change_cell(store.change),
        )
    if p.stores:
        console.print()
        console.print(table)
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
    if p.skipped:
        console.print()
        console.print(
            Text(
                _("Skipped {n} files that are not readable audits:").format(n=len(p.skipped)),
                style="yellow",
            )
        )
        for path, reason in p.skipped:
            console.print(
                Text(
                    f"  {reason}" if str(path) in reason else f"  {path}: {reason}", style="yellow"
                )
            )
