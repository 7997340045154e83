"""Typer's own words, listed so that Babel puts them in our catalogue.

Typer translates these with `gettext.gettext`, which `i18n.use` points at our domain.
Nothing calls this function; it only marks the strings for extraction.
"""

from audit.i18n import _


def _marked() -> tuple[str, ...]:  # pragma: no cover - extraction only
    return (
        _("Options"),
        _("Arguments"),
        _("Commands"),
        _("Error"),
        _("[default: {}]"),
        _("[required]"),
        _("Try [blue]'{command_path} {help_option}'[/] for help."),
        _("Aborted."),
        _("Missing command."),
        _("No such command {name!r}."),
    )
