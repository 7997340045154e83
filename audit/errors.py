"""Errors whose text is ready for a person. Only the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass

from audit.i18n import _, ngettext


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file, located at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class CxAuditError(Exception):
    """Base of every error a user may see. `exit_code` follows the spec's table."""

    exit_code = 2

    def __init__(self, message: str, tip: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tip = tip

    def lines(self) -> list[str]:
        out = [self.message]
        if self.tip:
            out.append(_("Tip: {tip}").format(tip=self.tip))
        return out


class InvalidFileError(CxAuditError):
    """A YAML file (checklist or audit) with one or more located problems."""

    def __init__(self, problems: list[Problem], advice: str | None = None) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        summary = ngettext("{n} problem.", "{n} problems.", count).format(n=count)
        if advice:
            summary += f" {advice}"
        super().__init__("\n".join([*map(str, self.problems), summary]))


class ChecklistError(InvalidFileError):
    """A checklist that cannot be used."""


class AuditFileError(InvalidFileError):
    """An audit file that cannot be read."""


class NotFoundError(CxAuditError):
    """A checklist or audit that does not exist."""


class UsageError(CxAuditError):
    """Options that do not fit together."""


class IncompleteAuditError(CxAuditError):
    """An audit whose completeness is required but which has unanswered items."""

    exit_code = 1
