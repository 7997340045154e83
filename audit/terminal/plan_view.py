"""The action plan in the terminal: `cxaudit plan AUDIT`. Presentation only: the CLI calls it."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit.i18n import _
from audit.judgement.plan import BACKLOG
from audit.judgement.scoring import Result
from audit.model import Audit, Checklist
from audit.terminal import isolate
from audit.words import action_label, effort_label


def period_title(period: str) -> str:
    if period == BACKLOG:
        return _("Backlog")
    return _("Within {n} days").format(n=period)


def show(console: Console, checklist: Checklist, audit: Audit, res: Result) -> None:
    console.print(
        Text.assemble(
            (isolate(audit.store.name), "bold"),
            ("  ·  " + _("action plan") + "  ·  ", "dim"),
            (
                _("capacity {a}/{b}/{c} actions per period").format(
                    a=res.capacity[0], b=res.capacity[1], c=res.capacity[2]
                ),
                "dim",
            ),
        )
    )
    if not res.gaps:
        console.print(_("No gaps: every answered item is consistently in place or better."))
        return
    for period, ids in res.plan.items():
        console.print()
        title = Text(f"{period_title(period)} ({len(ids)})", style="bold")
        if period == "30" and res.over_capacity:
            title.append(
                "  "
                + _("over capacity by {n}: every red flag is planned first").format(
                    n=res.over_capacity
                ),
                style="bold red",
            )
        console.print(title)
        if not ids:
            console.print(Text("  " + _("nothing planned"), style="dim"))
            continue
        table = Table(show_edge=False, header_style="bold", pad_edge=False)
        table.add_column(_("Id"), no_wrap=True)
        table.add_column(_("Action"), ratio=1, overflow="fold")
        table.add_column(_("Owner"), no_wrap=True)
        table.add_column(_("Due"), no_wrap=True)
        table.add_column(_("Level"), no_wrap=True, justify="right")
        table.add_column(_("Status"), no_wrap=True)
        flags = set(res.red_flags)
        efforts = {g.id: g.effort for g in res.gaps}
        for item_id in ids:
            action = res.actions[item_id]
            marker = " [red]![/red]" if item_id in flags else ""
            table.add_row(
                f"{item_id}{marker}",
                Text(action.text + "  ", style="") + Text(effort_label(efforts[item_id]), "dim"),
                action.owner or "—",
                action.due or "—",
                f"{action.level}→{action.target}",
                action_label(action.status),
            )
        console.print(table)
