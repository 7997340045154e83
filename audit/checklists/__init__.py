"""Find, load and validate checklists; every problem comes back located."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit import resources
from audit.checklists import cache, inheritance, units
from audit.checklists.loaded import Loaded
from audit.errors import ChecklistError, NotFoundError, Problem
from audit.files import FileReadError, decode, read_capped
from audit.i18n import _, ngettext
from audit.model import ONE_OR_MANY, Checklist, Item, SegmentWeights, localize
from audit.validation import validate
from audit.yamlio import Document, parse


def find(ref: str) -> Path:
    """A shipped checklist's id, or a path to a YAML file."""
    shipped = resources.shipped_checklists()
    if ref in shipped:
        return shipped[ref]
    path = Path(ref)
    if path.is_file():
        return path
    if path.suffix in (".yaml", ".yml") or "/" in ref:
        raise NotFoundError(_("{ref}: no such checklist file").format(ref=ref))
    raise NotFoundError(
        _("no checklist '{ref}'").format(ref=ref),
        tip=_("shipped checklists are {ids}; or give a path to a YAML file").format(
            ids=", ".join(shipped) or "-"
        ),
    )


def load(ref: str | Path) -> Loaded:
    """Load and validate a checklist by id or path; raise ChecklistError with every problem."""
    path = find(str(ref)) if not isinstance(ref, Path) else ref
    read_at = time.time_ns()
    try:
        raw = read_capped(path)
        text = decode(raw, path)
    except OSError as exc:
        raise NotFoundError(
            _("{path}: cannot read ({why})").format(path=path, why=exc.strerror)
        ) from None
    except FileReadError as exc:
        raise ChecklistError([Problem(str(path), exc.line, min(exc.line, 1), exc.why)]) from None
    kept = cache.get(path, raw)
    if kept is not None:
        return kept
    checklist, problems, warnings, doc, sources = _check(text, str(path), path)
    if problems:
        advice = ngettext(
            "Fix it and run `cxaudit checklist validate {path}`.",
            "Fix them and run `cxaudit checklist validate {path}`.",
            len(problems),
        )
        raise ChecklistError(problems, advice.format(path=path))
    assert checklist is not None and doc is not None
    shipped = path.resolve().parent == resources.checklists_dir().resolve()
    if len(sources) > 1:  # built on another: the hash covers the resolved content
        canonical = json.dumps(doc.data, sort_keys=True, ensure_ascii=False, default=str)
        sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    else:
        sha = hashlib.sha256(raw).hexdigest()
    loaded = Loaded(checklist, path, sha, shipped, warnings, sources)
    cache.put(path, raw, loaded, read_at)
    return loaded


def _find_base(ref: str, folder: Path) -> Path | None:
    """The checklist an `extends:` names: a shipped id, else a path relative to `folder`."""
    shipped = resources.shipped_checklists()
    if ref in shipped:
        return shipped[ref]
    candidate = Path(ref) if Path(ref).is_absolute() else folder / ref
    return candidate if candidate.is_file() else None


def check_text(text: str, file: str) -> tuple[Checklist | None, list[Problem], list[Problem]]:
    """Validate checklist YAML: (checklist or None, problems, warnings)."""
    checklist, problems, warnings, _doc, _sources = _check(text, file, Path(file))
    return checklist, problems, warnings


def _check(
    text: str, file: str, path: Path
) -> tuple[Checklist | None, list[Problem], list[Problem], Document | None, list[Path]]:
    doc, problems = parse(text, file)
    if doc.root is None and not problems:
        problems.append(
            Problem(
                file,
                1,
                1,
                _(
                    "the file is empty: a checklist needs id, version, "
                    "title, categories, strategies and items"
                ),
            )
        )
    if doc.root is None:
        return None, problems, [], None, []
    sources = [path]
    if inheritance.extends(doc):
        merged, more, sources = inheritance.resolve(doc, path, _find_base)
        problems += more
        if merged is None:
            return None, problems, [], None, []
        doc = merged
    checklist, invalid = validate(doc, Checklist)
    problems += invalid
    problems += _cross_references(doc)
    warnings = _missing_languages(doc, checklist) if checklist else []
    warnings += [
        doc.problem(
            ("items", n), _("{id}: a metric without `range` accepts any number").format(id=item.id)
        )
        for n, item in enumerate(checklist.items if checklist else [])
        if item.type == "metric" and item.range is None
    ]
    return (checklist if not problems else None), problems, warnings, doc, sources


def _cross_references(doc: Document) -> Iterator[Problem]:
    """Checks across fields that the model alone cannot make: ids and references."""
    data = doc.data if isinstance(doc.data, dict) else {}
    defined: dict[str, set[str]] = {}
    for group in ("categories", "strategies"):
        defined[group] = set()
        for n, entry in enumerate(_list(data.get(group))):
            gid = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(gid, str):
                if gid in defined[group]:
                    yield doc.problem(
                        (group, n, "id"),
                        f"{group}[{n}].id: " + _("duplicate id '{id}'").format(id=gid),
                    )
                defined[group].add(gid)
    seen: dict[str, int] = {}
    for n, item in enumerate(_list(data.get("items"))):
        if not isinstance(item, dict):
            continue
        item_id = item.get("id")
        if isinstance(item_id, str):
            if item_id in seen:
                yield doc.problem(
                    ("items", n, "id"),
                    f"items[{n}].id: "
                    + _("duplicate item id '{id}' (also items[{other}])").format(
                        id=item_id, other=seen[item_id]
                    ),
                )
            else:
                seen[item_id] = n
        category = item.get("category")
        if (
            isinstance(category, str)
            and defined["categories"]
            and category not in defined["categories"]
        ):
            yield doc.problem(
                ("items", n, "category"),
                f"items[{n}].category: "
                + _("'{id}' is not a category of this checklist ({known})").format(
                    id=category, known=", ".join(sorted(defined["categories"]))
                ),
            )
        strategies = item.get("strategy")
        names = [strategies] if isinstance(strategies, str) else _list(strategies)
        for k, name in enumerate(names):
            if (
                isinstance(name, str)
                and defined["strategies"]
                and name not in defined["strategies"]
            ):
                loc = (
                    ("items", n, "strategy")
                    if isinstance(strategies, str)
                    else ("items", n, "strategy", k)
                )
                yield doc.problem(
                    loc,
                    f"items[{n}].strategy: "
                    + _("'{id}' is not a strategy of this checklist ({known})").format(
                        id=name, known=", ".join(sorted(defined["strategies"]))
                    ),
                )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _missing_languages(doc: Document, checklist: Checklist) -> list[Problem]:
    """Multilingual texts that lack a language the checklist declares (warnings)."""
    if len(checklist.languages) < 2:
        return []
    declared = checklist.languages
    out = []

    def walk(value: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            if value and all(isinstance(v, str) for v in value.values()) and _is_text(loc):
                missing = [lang for lang in declared if lang not in value]
                if missing:
                    out.append(
                        doc.problem(
                            loc, _("text lacks {languages}").format(languages=", ".join(missing))
                        )
                    )
                return
            for key, sub in value.items():
                walk(sub, (*loc, key))
        elif isinstance(value, list):
            for n, sub in enumerate(value):
                walk(sub, (*loc, n))
        elif isinstance(value, str) and _is_text(loc) and not _known_unit(loc, value):
            out.append(
                doc.problem(
                    loc,
                    _("text has no language mapping ({languages})").format(
                        languages=", ".join(declared)
                    ),
                )
            )

    walk(doc.data, ())
    return out


_TEXT_KEYS = {
    "title",
    "description",
    "label",
    "question",
    "guidance",
    "recommendation",
    "text",
    "source",
    "unit",
}


# Units the tool converts and names itself in every language (SPEC, Checklist files): as plain
# words they are codes, not texts a checklist must translate.


def _known_unit(loc: tuple[Any, ...], value: str) -> bool:
    return bool(loc) and loc[-1] == "unit" and value in units.KNOWN


def _is_text(loc: tuple[Any, ...]) -> bool:
    """A text field: a named one, or a level of `recommendation_by_level` (not a list index)."""
    if not loc:
        return False
    if isinstance(loc[-1], int):
        return len(loc) >= 2 and loc[-2] == "recommendation_by_level"
    return loc[-1] in _TEXT_KEYS


def shipped() -> list[Loaded]:
    return [load(path) for path in resources.shipped_checklists().values()]


# What JSON Schema can say about an item's type (`checklist validate` checks the rest: ids that
# exist, no duplicates, thresholds in order): a metric needs a unit and four thresholds, and the
# metric fields and `inverted` belong to their types only.
_METRIC_FIELDS = ("unit", "thresholds", "range", "measure")
ITEM_TYPE_RULES: dict[str, Any] = {
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "metric"}}, "required": ["type"]},
            "then": {"required": ["unit", "thresholds"]},
            "else": {"not": {"anyOf": [{"required": [name]} for name in _METRIC_FIELDS]}},
        },
        {
            "if": {"properties": {"inverted": {"const": True}}, "required": ["inverted"]},
            "then": {"properties": {"type": {"const": "yesno"}}, "required": ["type"]},
        },
    ]
}


def schema() -> dict[str, Any]:
    """JSON Schema (draft-07, which yaml-language-server understands) for checklist files."""
    generated = Checklist.model_json_schema(ref_template="#/definitions/{model}", by_alias=True)
    definitions = generated.pop("$defs", {})
    item_fields = definitions["Item"]["properties"]
    for name in ONE_OR_MANY:
        as_list = item_fields[name]
        item_fields[name] = {
            "anyOf": [as_list["items"], as_list],
            **{k: v for k, v in as_list.items() if k in ("default", "title")},
        }
    # A file that `extends` another needs none of the required fields, and its items may be
    # overrides that give only an id and the fields they change.
    definitions["ItemOverride"] = {
        **definitions["Item"],
        "title": "ItemOverride",
        "description": "A new item, or with the id of a base item the fields that replace its own.",
        "required": ["id"],
    }
    definitions["Item"].update(ITEM_TYPE_RULES)  # full items only: an override may omit `type`
    required = generated.pop("required", [])
    properties = generated["properties"]
    properties["extends"] = {
        "type": "string",
        "description": "A shipped checklist id, or a path relative to this file, to build on.",
    }
    for name, what in (("include", "keep only"), ("exclude", "leave out")):
        properties[name] = {
            "type": "array",
            "items": {"type": "string"},
            "uniqueItems": True,
            "description": f"Ids of the base's items to {what} (with extends).",
        }
    full_items = properties["items"]
    properties["items"] = {"type": "array", "items": {"$ref": "#/definitions/ItemOverride"}}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://cxaudit.example/checklist.schema.json",
        **generated,
        "if": {"required": ["extends"]},
        "then": {"not": {"required": ["include", "exclude"]}},
        "else": {
            "required": required,
            "properties": {"items": full_items},
            "not": {"anyOf": [{"required": ["include"]}, {"required": ["exclude"]}]},
        },
        "definitions": definitions,
    }


def schema_json() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def weight_text(item: Item) -> str:
    if isinstance(item.weight, SegmentWeights):
        return f"b2c {item.weight.b2c:g} / b2b {item.weight.b2b:g}"
    return f"{item.weight:g}"


def title(loaded: Loaded, lang: str | None = None) -> str:
    cl = loaded.checklist
    return localize(cl.title, lang or cl.default_language, cl.default_language)
