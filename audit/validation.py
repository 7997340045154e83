"""Turn pydantic's validation errors into located problems a person can act on."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from audit.errors import Problem
from audit.i18n import _
from audit.yamlio import Document


def validate(doc: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """The model built from the document, or None and every problem found."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem(doc, model, err) for err in exc.errors()]


def _problem(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    loc = tuple(err["loc"])
    where = _dotted(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        field = str(loc[-1])
        known = _fields_at(model, loc[:-1])
        hint = difflib.get_close_matches(field, known, n=1)
        suggestion = " " + _("(did you mean '{name}'?)").format(name=hint[0]) if hint else ""
        parent = _dotted(loc[:-1])
        prefix = f"{parent}: " if parent else ""
        return doc.problem(
            loc, prefix + _("unknown field '{name}'").format(name=field) + suggestion, key=True
        )
    if kind == "missing":
        field = str(loc[-1])
        parent = _dotted(loc[:-1])
        prefix = f"{parent}: " if parent else ""
        return doc.problem(
            loc[:-1], prefix + _("missing required field '{name}'").format(name=field)
        )
    if "[key]" in loc:  # a mapping key is wrong, not its value: point at the key
        at = loc.index("[key]")
        loc, where = loc[:at], _dotted(loc[: at - 1])
        message = f"key {err.get('input')!r}: {_message(err)}"
        return doc.problem(loc, f"{where}: {message}", key=True)
    message = _message(err)
    return doc.problem(loc, f"{where}: {message}" if where else message)


def _message(err: Any) -> str:
    """pydantic's message, reworded where a YAML user needs more than it says."""
    kind, got = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "string_type" and isinstance(got, int | float) and not isinstance(got, bool):
        return _("must be text; YAML read {value!r} as a number: put it in quotes").format(
            value=got
        )
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        text = (
            _("needs at least {n} entries (got {got})")
            if kind == "too_short"
            else _("needs at most {n} entries (got {got})")
        )
        return text.format(n=bound, got=ctx.get("actual_length", len(got or [])))
    if kind == "model_type" and isinstance(got, list | str | int | float):
        return _("must be a mapping of fields (got {type})").format(type=type(got).__name__)
    message = err["msg"].removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        message = f"{message} (got {got!r})"
    return message


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model reached by following `loc` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
