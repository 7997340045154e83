"""YAML in with locations: every value keeps the line and column it came from.

PyYAML keeps the last of duplicate keys silently and pydantic knows nothing of
lines, so we compose the node tree ourselves, report duplicates from it, and
map each validation error's `loc` back to a node's mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from audit.errors import Problem
from audit.gc_pause import collections_paused
from audit.i18n import _

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Document:
    """A parsed YAML file: its data and the node tree that says where each value is."""

    def __init__(self, file: str, data: Any, root: yaml.Node | None) -> None:
        self.file = file
        self.data = data
        self.root = root

    def node_at(self, loc: Sequence[str | int], *, key: bool = False) -> yaml.Node | None:
        """The node at `loc` (a pydantic-style path), or its nearest parent; `key` gives the
        key's node rather than its value's."""
        node = self.root
        found_key: yaml.Node | None = None
        for part in loc:
            found, found_key = child(node, part)
            if found is None:
                break
            node = found
        return found_key if key and found_key is not None else node

    def problem(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> Problem:
        """A problem at `loc` (a pydantic-style path); `key` points at the key, not its value."""
        target = self.node_at(loc, key=key)
        if target is None:
            return Problem(self.file, 0, 0, message)
        mark = target.start_mark
        return Problem(self.file, mark.line + 1, mark.column + 1, message)


def child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if _key_matches(key_node, part):
                return value_node, key_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return node.value[part], None
    return None, None


def _key_matches(key_node: yaml.Node, part: str | int) -> bool:
    if not isinstance(key_node, yaml.ScalarNode):
        return False
    return key_node.value == str(part)


MAX_ALIASES = 100  # an audit or checklist has none; a few are fine, thousands are an attack
MAX_NODES = 200_000  # values after alias expansion; the shipped ecommerce checklist has ~5,000


@collections_paused()  # a node per value, all alive until the end: nothing to collect
def parse(text: str, file: str) -> tuple[Document, list[Problem]]:
    """Parse YAML text. Syntax errors, duplicate keys and bad values come back as problems.

    Every exception the loader can raise (an impossible date, `!!int abc`, a 5,000-digit
    number, deep nesting) is a located problem; so is a document that uses aliases to expand
    into more values than any audit or checklist has (the "billion laughs").
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Document(file, None, None), []
        shape = _walk(root, file)
        if shape.refused:
            return Document(file, None, None), [_alias_problem(text, file, shape.refused)]
        problems = shape.duplicates
        try:
            data = loader.construct_document(root)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
            return Document(file, None, None), [_value_problem(root, file, exc)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = _syntax_words(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return Document(file, None, None), [
            Problem(file, line, column, _("YAML syntax: {what}").format(what=what))
        ]
    except yaml.YAMLError as exc:
        return Document(file, None, None), [Problem(file, 0, 0, f"YAML: {exc}")]
    except RecursionError:
        return Document(file, None, None), [Problem(file, 0, 0, _("YAML: nested too deeply"))]
    finally:
        loader.dispose()
    return Document(file, data, root), problems


class _Shape:
    """What one pass over the node tree found: duplicate keys, and why it is refused, if it is."""

    def __init__(self) -> None:
        self.duplicates: list[Problem] = []
        self.refused: str | None = None


def _walk(root: yaml.Node, file: str) -> _Shape:
    """Visit each node once (an alias is the same node object met again), counting as we go.

    The size after expansion is computed bottom-up from each node's children, so 30 levels of
    `x1: &x1 [*x0, *x0]` cost 30 steps, not 2**30.
    """
    shape = _Shape()
    seen: set[int] = set()
    size: dict[int, int] = {}
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size.get(id(child), 1) for child in _children(node))
            if size[key] > MAX_NODES:
                shape.refused = "expansion"
                return shape
            continue
        if key in seen:
            aliases += 1
            if key in open_nodes:
                shape.refused = "cycle"
                return shape
            if aliases > MAX_ALIASES:
                shape.refused = "aliases"
                return shape
            continue
        seen.add(key)
        open_nodes.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            shape.duplicates.extend(_duplicates_in(node, file))
        for child in reversed(_children(node)):
            stack.append((child, False))
    return shape


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicates_in(node: yaml.MappingNode, file: str) -> list[Problem]:
    out = []
    seen: dict[str, yaml.Node] = {}
    for key_node, _value in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            first = seen.get(key_node.value)
            if first is not None:
                mark = key_node.start_mark
                out.append(
                    Problem(
                        file,
                        mark.line + 1,
                        mark.column + 1,
                        _("duplicate key '{key}' (first at line {line})").format(
                            key=key_node.value, line=first.start_mark.line + 1
                        ),
                    )
                )
            else:
                seen[key_node.value] = key_node
    return out


def _alias_problem(text: str, file: str, why: str) -> Problem:
    """Located at the alias where the limit was passed (found from the parser's events)."""
    messages = {
        "aliases": _(
            "more than {n} aliases (*name): refused, as audits and checklists need none"
        ).format(n=MAX_ALIASES),
        "expansion": _("aliases (*name) expand to more than {n} values: refused").format(
            n=f"{MAX_NODES:,}"
        ),
        "cycle": _("an alias (*name) refers to a value that contains it: refused"),
    }
    line = column = 0
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            mark = event.start_mark
            if mark is not None:
                line, column = mark.line + 1, mark.column + 1
            if why == "cycle" or count > MAX_ALIASES:
                break
    return Problem(file, line, column, messages[why])


def _value_problem(root: yaml.Node, file: str, exc: BaseException) -> Problem:
    """The scalar the constructor could not build (`!!int abc`, 2026-11-31), with its mark."""
    constructor = yaml.constructor.SafeConstructor()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except Exception as inner:  # any failure here is the one we look for
                mark = node.start_mark
                return Problem(
                    file,
                    mark.line + 1,
                    mark.column + 1,
                    _("cannot read the value {value!r} ({why})").format(
                        value=_short(node.value), why=_reason(node, inner)
                    ),
                )
        stack.extend(reversed(_children(node)))
    return Problem(file, 0, 0, _("cannot read a value ({why})").format(why=exc))


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:20] + "..." + value[-10:]


def _reason(node: yaml.ScalarNode, exc: Exception) -> str:
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "timestamp":
        return _("not a real date and time")
    if tag == "int" and "digits" in str(exc):
        return _("a number with too many digits")
    if tag in ("int", "float"):
        return _("not a number")
    return str(exc)[:80]


def dump(data: Any) -> str:
    """YAML for people: keys in the given order, unicode as is, block style."""
    options: dict[str, Any] = {
        "sort_keys": False,
        "allow_unicode": True,
        "default_flow_style": False,
        "width": 100,
    }
    text = yaml.dump(data, Dumper=_Dumper, **options)
    if "\\U" in text:  # libyaml escapes letters past U+FFFF (emoji): the Python dumper does not
        text = yaml.dump(data, Dumper=yaml.SafeDumper, **options)
    return text


def N_(message: str) -> str:  # marks a message for the catalogue; translated where used
    return message


# PyYAML's own words for the mistakes people make most, said as what to do about them.
_SYNTAX = (
    (
        "mapping values are not allowed",
        N_(
            "a `key: value` where none can be: check this line's"
            " indentation, or put a value that holds ': ' in quotes"
        ),
    ),
    (
        "could not find expected ':'",
        N_("a line with no `key:` among keys: check the indentation, or add the missing colon"),
    ),
    ("did not find expected key", N_("this line is not indented like the keys above it")),
    (
        "did not find expected '-' indicator",
        N_("this line is not indented like the lines above it (list items or their keys)"),
    ),
    (
        "cannot start any token",
        N_(
            "a character YAML cannot start a value with (a tab?"
            " YAML indents with spaces): put the value in quotes"
        ),
    ),
    (
        "did not find expected node content",
        N_("a value is missing, or a [ or { is not closed"),
    ),
    ("expected ',' or ']'", N_("a [ is not closed: add the ] or a missing comma")),
    ("expected ',' or '}'", N_("a { is not closed: add the } or a missing comma")),
    (
        "found unexpected end of stream",
        N_("the file ends inside a quoted text: close the quote"),
    ),
)


def _syntax_words(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or str(exc)
    for words, said in _SYNTAX:
        if words in problem:
            return _(said)
    return f"{exc.context}: {problem}" if exc.context else problem
