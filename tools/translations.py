"""Check and merge checklist translations kept as overlay files.

A translator works on one overlay per language: a YAML file that holds only
the translated texts, keyed by the ids of the checklist (see `fields`). This
script lists what an overlay lacks or has too much of, and merges overlays
into the checklist's multilingual text fields.

    python tools/translations.py check checklists/ecommerce.yaml ar.yaml
    python tools/translations.py skeleton checklists/ecommerce.yaml > ar.yaml
    python tools/translations.py merge checklists/ecommerce.yaml ar.yaml he.yaml ...
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[Any, ...]

ITEM_TEXTS = ("question", "guidance", "recommendation", "unit")


def english(text: Any, default: str = "en") -> str:
    return text.get(default, next(iter(text.values()))) if isinstance(text, dict) else text


def fields(checklist: dict) -> Iterator[tuple[Path_, Any]]:
    """Every translatable text of a checklist, as (overlay path, text)."""
    for key in ("title", "description"):
        if key in checklist:
            yield (key,), checklist[key]
    for level in checklist.get("scale", []):
        for key in ("label", "description"):
            if level.get(key):
                yield ("scale", level["value"], key), level[key]
    for group in ("categories", "strategies"):
        for entry in checklist.get(group, []):
            for key in ("title", "description"):
                if entry.get(key):
                    yield (group, entry["id"], key), entry[key]
    for item in checklist.get("items", []):
        for key in ITEM_TEXTS:
            if item.get(key):
                yield ("items", item["id"], key), item[key]
        for level, text in (item.get("recommendation_by_level") or {}).items():
            yield ("items", item["id"], "recommendation_by_level", level), text
        benchmarks = item.get("benchmark") or []
        for n, mark in enumerate(benchmarks if isinstance(benchmarks, list) else [benchmarks]):
            for key in ("text", "source"):
                yield ("items", item["id"], "benchmark", n, key), mark[key]


def lookup(overlay: dict, path: Path_) -> Any:
    node: Any = overlay
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def overlay_paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from overlay_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from overlay_paths(value, (*prefix, n))
    else:
        yield prefix


def check(checklist: dict, overlay: dict) -> list[str]:
    wanted = {path for path, _ in fields(checklist)}
    problems = [
        f"missing: {'.'.join(map(str, path))}"
        for path in sorted(wanted, key=str)
        if not isinstance(lookup(overlay, path), str) or not lookup(overlay, path).strip()
    ]
    problems += [
        f"not in the checklist: {'.'.join(map(str, path))}"
        for path in overlay_paths({k: v for k, v in overlay.items() if k != "language"})
        if path not in wanted
    ]
    return problems


def skeleton(checklist: dict) -> dict:
    """An overlay holding the English texts, for a translator to overwrite."""
    out: dict = {"language": "LANG"}
    for path, text in fields(checklist):
        node: Any = out
        for key in path[:-1]:
            empty: Any = [] if key == "benchmark" else {}
            if isinstance(node, list):
                while len(node) <= key:
                    node.append({})
                node = node[key]
            else:
                node = node.setdefault(key, empty)
        node[path[-1]] = english(text)
    return out


def merge(checklist: dict, overlays: list[dict]) -> dict:
    languages = list(checklist.get("languages") or ["en"])
    default = languages[0]
    for overlay in overlays:
        if overlay["language"] not in languages:
            languages.append(overlay["language"])
    languages = [default, *sorted(languages[1:], key=str.lower)]
    checklist["languages"] = languages

    def put(path: Path_, value: dict) -> None:
        head, *rest = path
        if not rest:
            checklist[head] = value
            return
        key = "value" if head == "scale" else "id"
        node = next(entry for entry in checklist[head] if entry[key] == rest[0])
        if rest[1] == "benchmark":
            if not isinstance(node["benchmark"], list):
                node["benchmark"] = [node["benchmark"]]
            node["benchmark"][rest[2]][rest[3]] = value
        elif rest[1] == "recommendation_by_level":
            node["recommendation_by_level"][rest[2]] = value
        else:
            node[rest[1]] = value

    for path, text in list(fields(checklist)):
        texts = dict(text) if isinstance(text, dict) else {default: text}
        for overlay in overlays:
            translated = lookup(overlay, path)
            if isinstance(translated, str) and translated.strip():
                texts[overlay["language"]] = tidy(translated.strip(), overlay["language"])
        put(path, {lang: texts[lang] for lang in languages if lang in texts})
    return checklist


_HAN = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_FOLDED_SPACE = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")


def tidy(text: str, language: str) -> str:
    """YAML folding turns a line break into a space; Chinese puts none between characters."""
    return _FOLDED_SPACE.sub("", text) if language.startswith("zh") else text


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else (">" if len(value) > 60 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(checklist: dict, header: str) -> str:
    body = yaml.dump(checklist, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=78)
    return header + "\n" + re.sub(r"\n(- id: )", r"\n\n\1", body)  # a blank line between entries


def _load(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    command, source, *overlays = argv
    checklist = _load(source)
    if command == "skeleton":
        sys.stdout.write(
            yaml.dump(
                skeleton(checklist), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=78
            )
        )
        return 0
    if command == "check":
        status = 0
        for name in overlays:
            problems = check(checklist, _load(name))
            for problem in problems:
                print(f"{name}: {problem}")
            print(f"{name}: {len(problems)} problem(s)")
            status |= bool(problems)
        return status
    if command == "merge":
        header = "".join(
            line
            for line in Path(source).read_text(encoding="utf-8").splitlines(keepends=True)[:3]
            if line.startswith("#")
        )
        merged = merge(checklist, [_load(name) for name in overlays])
        Path(source).write_text(dump(merged, header), encoding="utf-8")
        return 0
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
