"""The tool's own words in the user's language: gettext catalogues in audit/locale.

Checklist texts carry their translations inline (see model.localize); everything the
tool itself prints goes through `_` here. The catalogues are Babel-made .po files,
compiled to .mo (`make translations`), read with the standard library at run time.

Typer and its Click copy translate their own words ("Options", "Usage:") with
`gettext.gettext`, the process-wide domain. We make our catalogue that domain, so a
single set of files covers both; our catalogue carries those strings too.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "cxaudit"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "ar", "he", "zh-Hant")
RIGHT_TO_LEFT = frozenset({"ar", "he"})
# gettext and Babel spell the script subtag with an underscore.
_GETTEXT_NAME = {"en": "en", "ar": "ar", "he": "he", "zh-Hant": "zh_Hant"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def normalize(code: str | None) -> str | None:
    """A language code or POSIX locale ('he_IL.UTF-8', 'zh_TW', 'zh-hant') -> one of LANGUAGES."""
    if not code:
        return None
    tag = code.split(".")[0].split("@")[0].replace("_", "-").lower()
    if tag in ("c", "posix", ""):
        return None
    primary, _sep, rest = tag.partition("-")
    if primary == "zh":
        # Taiwan, Hong Kong and Macau write Traditional; mainland Simplified is not shipped.
        return "zh-Hant" if rest.split("-")[0] in ("hant", "tw", "hk", "mo") else None
    if primary == "iw":  # the old code for Hebrew, still seen in some systems
        primary = "he"
    return primary if primary in LANGUAGES else None


def from_environment(env: Mapping[str, str]) -> str | None:
    """The language gettext would pick: LANGUAGE (a colon list), then LC_ALL, LC_MESSAGES, LANG."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        for code in value.split(":"):
            if found := normalize(code):
                return found
        if var != "LANGUAGE":  # the first locale variable set decides, as in gettext
            return None
    return None


# Taken before `use` sets LANGUAGE for Typer, so a later choice still sees the user's locale.
_USER_LOCALE = from_environment(os.environ)


def choose(
    flag: str | None = None, audit_language: str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """--lang, then the audit's store.language, then the locale; English when none is shipped."""
    locale = _USER_LOCALE if env is None else from_environment(env)
    return normalize(flag) or normalize(audit_language) or locale or "en"


def use(language: str) -> str:
    """Make `language` the one every later message is printed in. Returns it."""
    global _translation, _language
    _language = normalize(language) or "en"
    _translation = gettext.translation(
        DOMAIN, LOCALE_DIR, [_GETTEXT_NAME[_language]], fallback=True
    )
    # Typer/Click look their words up in the process-wide domain, by the environment.
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = _GETTEXT_NAME[_language]
    return _language


def current() -> str:
    return _language


def direction(language: str | None = None) -> str:
    return "rtl" if (language or _language) in RIGHT_TO_LEFT else "ltr"


def join_sentences(parts: list[str]) -> str:
    """Sentences one after another: Chinese puts no space between them (nor before a bracket)."""
    return ("" if _language == "zh-Hant" else " ").join(parts)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def scan_argv(argv: list[str]) -> str | None:
    """`--lang X` or `--lang=X` anywhere on the command line, before Typer parses it."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None
