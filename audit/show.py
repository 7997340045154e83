"""Terminal tables for `score` and `checklist list|show`. Presentation only: the CLI calls it."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit.checklists import Loaded, weight_text
from audit.model import Audit, localize
from audit.scoring import GroupScore, Result
from audit.i18n import _
from audit.words import band_label, effort_label

BAND_STYLE = {"exceeds": "bold green", "meets": "green", "partly meets": "yellow",
              "falls short": "bold red", None: "dim"}


def _score_cell(group: GroupScore) -> Text:
    if group.score is None:
        return Text(_("not assessed"), style="dim")
    return Text(f"{group.score:5.1f}", style=BAND_STYLE[group.band])


def _band_cell(group: GroupScore) -> Text:
    return Text(band_label(group.band) if group.band else "", style=BAND_STYLE[group.band])


def result(console: Console, loaded: Loaded, audit: Audit, res: Result, lang: str | None = None,
           top: int = 10) -> None:
    cl = loaded.checklist
    lang = lang if lang in cl.languages else (audit.store.language or cl.default_language)

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    o, comp = res.overall, res.completion
    header = Text()
    header.append(f"{audit.store.name}", style="bold")
    header.append(f"  ·  {audit.store.segment.upper()}  ·  {t(cl.title)} {cl.version}\n", style="dim")
    header.append(_("Overall") + " ")
    header.append(f"{o.score:.1f} " if o.score is not None else "", style=BAND_STYLE[o.band])
    header.append(band_label(o.band), style=BAND_STYLE[o.band])
    header.append("   " + _("answered {answered}/{items}, N/A {na}, unanswered {open}").format(
        answered=comp.answered, items=comp.items, na=comp.na, open=comp.unanswered), style="dim")
    console.print(header)
    if not comp.complete:
        console.print(Text(_("Incomplete audit: {n} items unanswered.").format(n=comp.unanswered),
                           style="yellow"))
    for heading, groups, scores in ((_("Expectation type"), cl.categories, res.categories),
                                    (_("Strategy"), cl.strategies, res.strategies)):
        table = Table(title=None, show_edge=False, header_style="bold")
        table.add_column(heading, no_wrap=True)
        table.add_column(_("Score"), justify="right")
        table.add_column(_("Band"))
        table.add_column(_("Answered"), justify="right")
        table.add_column(_("N/A"), justify="right")
        table.add_column(_("Open"), justify="right")
        for group in groups:
            g = scores[group.id]
            table.add_row(t(group.title), _score_cell(g), _band_cell(g), str(g.answered),
                          str(g.na), str(g.unanswered))
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
            table.add_row(f"{gap.id}{flag}", t(item.question) if item else "", str(gap.level),
                          f"{gap.impact:.2f}", effort_label(gap.effort))
        console.print()
        console.print(Text(_("Top gaps ({shown} of {total})").format(
            shown=min(top, len(res.gaps)), total=len(res.gaps)), style="bold"))
        console.print(table)
    if res.quick_wins:
        console.print(Text.assemble(("\n" + _("Quick wins:") + " ", "bold"),
                                    ", ".join(res.quick_wins)))
    if res.orphans:
        console.print(Text("\n" + _("Answers to items no longer in the checklist (kept): {ids}")
                           .format(ids=", ".join(res.orphans)), style="yellow"))


def checklist_list(console: Console, loaded: list[Loaded]) -> None:
    table = Table(show_edge=False, header_style="bold")
    for col in (_("Id"), _("Version"), _("Items"), _("Languages"), _("Title")):
        table.add_column(col)
    for entry in loaded:
        cl = entry.checklist
        table.add_row(cl.id, cl.version, str(len(cl.items)), ", ".join(cl.languages),
                      localize(cl.title, cl.default_language, cl.default_language))
    console.print(table)


def checklist_detail(console: Console, entry: Loaded, lang: str | None = None) -> None:
    cl = entry.checklist
    lang = lang if lang in cl.languages else cl.default_language

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    console.print(Text(f"{t(cl.title)}", style="bold"))
    console.print(Text(_("{id} {version} · {n} items · languages {languages} · {path}").format(
        id=cl.id, version=cl.version, n=len(cl.items), languages=", ".join(cl.languages),
        path=entry.path), style="dim"))
    if cl.description:
        console.print(t(cl.description))
    for category in cl.categories:
        items = [i for i in cl.items if i.category == category.id]
        table = Table(show_edge=False, header_style="bold", title_justify="left",
                      title=f"{t(category.title)} ({len(items)})", title_style="bold cyan")
        table.add_column(_("Id"), no_wrap=True)
        table.add_column(_("Question"), ratio=1)
        table.add_column(_("Strategies"))
        table.add_column(_("Type"))
        table.add_column(_("Weight"), justify="right")
        table.add_column(_("Effort"))
        for item in items:
            kind = item.type + (" " + _("(inverted)") if item.inverted else "")
            segs = f" [{'/'.join(item.segments)}]" if item.segments else ""
            table.add_row(item.id + (" !" if item.critical else ""), t(item.question) + segs,
                          ", ".join(item.strategy), kind, weight_text(item), effort_label(item.effort))
        console.print()
        console.print(table)
    console.print(Text("\n" + _("! = critical (a must-have: level 0 or 1 is a red flag)"),
                       style="dim"))
