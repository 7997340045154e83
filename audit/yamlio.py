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
from audit.i18n import _

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Document:
    """A parsed YAML file: its data and the node tree that says where each value is."""

    def __init__(self, file: str, data: Any, root: yaml.Node | None) -> None:
        self.file = file
        self.data = data
        self.root = root

    def problem(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> Problem:
        """A problem at `loc` (a pydantic-style path); `key` points at the key, not its value."""
        node = self.root
        found_key: yaml.Node | None = None
        for part in loc:
            child, found_key = _child(node, part)
            if child is None:
                break
            node = child
        target = found_key if key and found_key is not None else node
        if target is None:
            return Problem(self.file, 0, 0, message)
        mark = target.start_mark
        return Problem(self.file, mark.line + 1, mark.column + 1, message)


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
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


def parse(text: str, file: str) -> tuple[Document, list[Problem]]:
    """Parse YAML text. Syntax errors and duplicate keys come back as problems."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Document(file, None, None), []
        problems = list(_duplicate_keys(root, file))
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = _syntax_words(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return Document(file, None, None), [
            Problem(file, line, column, _("YAML syntax: {what}").format(what=what))
        ]
    except yaml.YAMLError as exc:
        return Document(file, None, None), [Problem(file, 0, 0, f"YAML: {exc}")]
    finally:
        loader.dispose()
    return Document(file, data, root), problems


def _duplicate_keys(root: yaml.Node, file: str):
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    first = seen.get(key_node.value)
                    if first is not None:
                        mark = key_node.start_mark
                        yield Problem(
                            file,
                            mark.line + 1,
                            mark.column + 1,
                            _("duplicate key '{key}' (first at line {line})").format(
                                key=key_node.value, line=first.start_mark.line + 1
                            ),
                        )
                    else:
                        seen[key_node.value] = key_node
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


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
