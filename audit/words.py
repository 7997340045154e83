"""Names of the tool's own values (bands, effort) in the current language."""

from __future__ import annotations

from audit.i18n import _


def band_label(band: str | None) -> str:
    """The data keeps the spec's English band names; people read them translated."""
    return {
        "exceeds": _("exceeds"),
        "meets": _("meets"),
        "partly meets": _("partly meets"),
        "falls short": _("falls short"),
    }.get(band or "", _("not assessed"))


def effort_label(effort: str) -> str:
    return {"low": _("low effort"), "medium": _("medium effort"), "high": _("high effort")}.get(
        effort, effort
    )


def status_label(status: str) -> str:
    """Where an item of the last action plan stands now."""
    return {
        "closed": _("closed"),
        "improved": _("improved"),
        "unchanged": _("unchanged"),
        "worse": _("worse"),
        "not answered": _("not answered"),
        "not re-assessed": _("not re-assessed"),
        "new": _("new"),
    }.get(status, status)


def action_label(status: str) -> str:
    """The stored status of an action of the plan."""
    return {
        "open": _("open"),
        "doing": _("doing"),
        "done": _("done"),
        "dropped": _("dropped"),
    }.get(status, status)
