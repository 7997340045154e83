"""Checklists that build on another: `extends`, `include`/`exclude`, and overrides by id.

An extending file names its base (`extends: ecommerce`, a shipped id, or a path relative to
the extending file), chooses the base's items with `include: [ids]` or `exclude: [ids]`, and
lists `items:` that either add new items or, with an id the base has, replace only the fields
they give. Top-level fields it gives (title, description, version, ...) replace the base's.

The result is built as a YAML node tree out of the nodes of every file in the chain, so a
problem found later (by the model or the cross-reference checks) is reported at the file and
line where the offending field was written: the extending file for its own fields, the base
for inherited ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from audit.errors import Problem
from audit.i18n import _
from audit.yamlio import Document, child, parse

# Keys of an extending file that steer the merge and are not part of the result.
STEER = ("extends", "include", "exclude")

# Finds a base: (reference as written, folder of the extending file) -> file, or None.
Finder = Callable[[str, Path], Path | None]


class MergedDocument(Document):
    """A document assembled from several files: each node knows the file it was written in."""

    def __init__(self, file: str, data: Any, root: yaml.Node, sources: list[Document]) -> None:
        super().__init__(file, data, root)
        self.sources = sources  # the extending file first, then its bases
        self._made: dict[int, str] = {}  # nodes built here -> the file they stand for
        self._files: dict[int, str] | None = None
        # items[n] of the result -> its index in the extending file's own `items:` list
        self.own_index: dict[int, int] = {}

    def made(self, node: yaml.Node, file: str) -> yaml.Node:
        self._made[id(node)] = file
        return node

    def file_of(self, node: yaml.Node) -> str:
        if self._files is None:  # built on the first problem only: loading stays cheap
            self._files = {}
            for source in reversed(self.sources):
                for each in _walk(source.root):
                    self._files[id(each)] = source.file
            self._files.update(self._made)
        return self._files.get(id(node), self.file)

    def problem(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> Problem:
        target = self.node_at(loc, key=key)
        if target is None:
            return Problem(self.file, 0, 0, message)
        mark, file = target.start_mark, self.file_of(target)
        if file == self.file and len(loc) > 1 and loc[0] == "items" and loc[1] in self.own_index:
            # say items[n] as the extending file counts them, not as the merged list does
            merged, own = f"items[{loc[1]}]", f"items[{self.own_index[loc[1]]}]"
            message = message.replace(merged, own, 1)
        return Problem(file, mark.line + 1, mark.column + 1, message)


def extends(doc: Document) -> bool:
    return isinstance(doc.root, yaml.MappingNode) and _get(doc.root, "extends") is not None


def resolve(
    doc: Document, path: Path, find: Finder, chain: tuple[Path, ...] = ()
) -> tuple[Document | None, list[Problem], list[Path]]:
    """The checklist `doc` (read from `path`) with its bases merged in.

    Returns (merged document or None, problems, the files of the chain, extending file first).
    A document that does not extend anything comes back as it is.
    """
    if not extends(doc):
        return doc, [], [path]
    assert isinstance(doc.root, yaml.MappingNode)
    here = path.resolve()
    chain = (*chain, here)
    ref_node = _get(doc.root, "extends")
    assert ref_node is not None
    ref = ref_node.value if isinstance(ref_node, yaml.ScalarNode) else None
    if not ref:
        return None, [_at(doc, ref_node, _("extends: give a shipped checklist id or a path"))], []
    base_path = find(ref, path.parent)
    if base_path is None:
        return None, [_at(doc, ref_node, _("extends: no checklist '{ref}'").format(ref=ref))], []
    if base_path.resolve() in chain:
        names = " -> ".join(p.name for p in (*chain, base_path.resolve()))
        return None, [_at(doc, ref_node, _("extends: a cycle ({chain})").format(chain=names))], []
    try:
        text = base_path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or getattr(exc, "reason", str(exc))
        message = _("extends: cannot read {path} ({why})").format(path=base_path, why=why)
        return None, [_at(doc, ref_node, message)], []
    base_doc, problems = parse(text, str(base_path))
    if problems or not isinstance(base_doc.root, yaml.MappingNode):
        if not problems:
            problems = [Problem(str(base_path), 1, 1, _("a checklist must be a mapping"))]
        return None, problems, []
    base, problems, files = resolve(base_doc, base_path, find, chain)
    if base is None:
        return None, problems, []
    merged, more = _merge(doc, base)
    return merged, problems + more, [path, *files]


def _merge(ext: Document, base: Document) -> tuple[Document | None, list[Problem]]:
    assert isinstance(ext.root, yaml.MappingNode) and isinstance(base.root, yaml.MappingNode)
    sources = [ext, *(base.sources if isinstance(base, MergedDocument) else [base])]
    problems: list[Problem] = []
    pairs = [(k, v) for k, v in base.root.value if _name(k) not in STEER]
    own = {_name(k): (k, v) for k, v in ext.root.value}
    items_key, items_node = next(((k, v) for k, v in pairs if _name(k) == "items"), (None, None))
    base_items = list(items_node.value) if isinstance(items_node, yaml.SequenceNode) else []
    by_id = {_item_id(n): n for n in base_items if _item_id(n) is not None}

    chosen, problems_choice = _choose(ext, own, base_items, by_id)
    problems += problems_choice
    merged_doc = MergedDocument(ext.file, None, yaml.MappingNode("", [], None, None), sources)
    if isinstance(base, MergedDocument):
        merged_doc._made.update(base._made)
    kept = {_item_id(n) for n in chosen}
    items = list(chosen)
    own_items = own.get("items", (None, None))[1]
    if own_items is not None and not isinstance(own_items, yaml.SequenceNode):
        problems.append(_at(ext, own_items, _("items: must be a list of items")))
        own_items = None
    for n, entry in enumerate(own_items.value if own_items is not None else []):
        entry_id = _item_id(entry)
        if entry_id is not None and entry_id in kept:
            at = next(k for k, node in enumerate(items) if _item_id(node) == entry_id)
            items[at] = merged_doc.made(_override(items[at], entry), ext.file)
            merged_doc.own_index[at] = n
        elif entry_id is not None and entry_id in by_id:
            problems.append(
                _at(
                    ext,
                    _get(entry, "id") or entry,
                    f"items[{n}].id: "
                    + _(
                        "'{id}' is in the base but left out by include/exclude:"
                        " choose it there, or give the new item its own id"
                    ).format(id=entry_id),
                )
            )
        else:
            merged_doc.own_index[len(items)] = n
            items.append(entry)  # a new item: the model checks it is complete

    top: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in pairs:
        name = _name(key)
        if name == "items":
            continue
        top.append(own.pop(name) if name in own else (key, value))
    for name, (key, value) in own.items():
        if name not in STEER and name != "items":
            top.append((key, value))
    seq_key = own["items"][0] if "items" in own else items_key
    seq_mark = (own_items or items_node or ext.root).start_mark
    sequence = yaml.SequenceNode("tag:yaml.org,2002:seq", items, seq_mark, seq_mark)
    merged_doc.made(sequence, ext.file if own_items is not None else base.file)
    if seq_key is None:
        seq_key = yaml.ScalarNode("tag:yaml.org,2002:str", "items", seq_mark, seq_mark)
    top.append((seq_key, sequence))
    root = yaml.MappingNode("tag:yaml.org,2002:map", top, ext.root.start_mark, ext.root.end_mark)
    merged_doc.root = merged_doc.made(root, ext.file)
    merged_doc.data = _construct(root)
    return merged_doc, problems


def _choose(
    ext: Document,
    own: dict[str, tuple[yaml.Node, yaml.Node]],
    base_items: list[yaml.Node],
    by_id: dict[str | None, yaml.Node],
) -> tuple[list[yaml.Node], list[Problem]]:
    """The base's items that `include` or `exclude` keeps, with located problems."""
    problems: list[Problem] = []
    include, exclude = own.get("include"), own.get("exclude")
    if include and exclude:
        message = _("give include or exclude, not both")
        return base_items, [_at(ext, exclude[0], message)]
    steer = include or exclude
    if steer is None:
        return base_items, []
    name = _name(steer[0])
    node = steer[1]
    if not isinstance(node, yaml.SequenceNode):
        message = _("{name}: must be a list of item ids").format(name=name)
        return base_items, [_at(ext, node, message)]
    wanted: list[str] = []
    for n, entry in enumerate(node.value):
        value = entry.value if isinstance(entry, yaml.ScalarNode) else None
        if not isinstance(value, str) or value not in by_id:
            known = _("the base has {ids}").format(ids=_sample(list(by_id)))
            problems.append(
                _at(
                    ext,
                    entry,
                    f"{name}[{n}]: "
                    + _("no item '{id}' in the base ({known})").format(id=value, known=known),
                )
            )
        elif value in wanted:
            problems.append(
                _at(ext, entry, f"{name}[{n}]: " + _("'{id}' is listed twice").format(id=value))
            )
        else:
            wanted.append(value)
    if name == "include":
        return [n for n in base_items if _item_id(n) in wanted], problems
    return [n for n in base_items if _item_id(n) not in wanted], problems


def _override(base_item: yaml.Node, entry: yaml.Node) -> yaml.Node:
    """The base item with the fields `entry` gives replaced (or added)."""
    if not isinstance(base_item, yaml.MappingNode) or not isinstance(entry, yaml.MappingNode):
        return entry
    given = {_name(k): (k, v) for k, v in entry.value}
    pairs = [given.pop(_name(k)) if _name(k) in given else (k, v) for k, v in base_item.value]
    pairs += list(given.values())
    return yaml.MappingNode(base_item.tag, pairs, entry.start_mark, entry.end_mark)


def _construct(root: yaml.Node) -> Any:
    """Python data from a node tree (the nodes were already checked when each file was parsed)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _walk(root: yaml.Node | None):
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases: visit each node once
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


def _get(node: yaml.Node, name: str) -> yaml.Node | None:
    return child(node, name)[0]


def _name(key: yaml.Node) -> str:
    return key.value if isinstance(key, yaml.ScalarNode) else ""


def _item_id(node: yaml.Node) -> str | None:
    value = _get(node, "id") if isinstance(node, yaml.MappingNode) else None
    return value.value if isinstance(value, yaml.ScalarNode) else None


def _at(doc: Document, node: yaml.Node, message: str) -> Problem:
    mark = node.start_mark
    return Problem(doc.file, mark.line + 1, mark.column + 1, message)


def _sample(ids: list[Any], n: int = 6) -> str:
    shown = ", ".join(str(i) for i in ids[:n])
    return shown + (", ..." if len(ids) > n else "")
