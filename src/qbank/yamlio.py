"""Reading YAML safely, keeping where every value came from.

PyYAML's loader silently keeps the last of two equal keys and forgets line numbers. Here a
document is *composed* (the C parser where available), then turned into plain Python values by
:func:`to_python`, which refuses duplicate keys; the composed node tree is kept in a
:class:`LineMap` so that a problem found later (by Pydantic, or by executing a snippet) can be
reported at the line of the YAML node it concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_CONSTRUCTOR = SafeConstructor()
BOM = "\ufeff"


@dataclass(frozen=True)
class YamlIssue:
    """A problem found while reading a YAML file."""

    line: int
    message: str
    code: str
    severity: str = "error"


class DuplicateKey(Exception):
    """A mapping has the same key twice."""

    def __init__(self, key: object, line: int, first_line: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first_line = key, line, first_line


class LineMap:
    """Answers "which line is the node at this path on?" for a composed document.

    Made from a node tree, or (for a bank loaded from the cache) from the text alone plus the
    questions' first lines: the text is then composed again only if another line is asked for.
    """

    def __init__(
        self, root: Node | None, text: str | None = None, question_lines: list[int] | None = None
    ) -> None:
        self._root = root
        self._text = text
        self._question_lines = question_lines

    @property
    def root(self) -> Node | None:
        if self._root is None and self._text is not None:
            self._root, _ = compose(self._text)
            self._text = None
        return self._root

    def question_lines(self) -> list[int]:
        """The 1-based first line of each question."""
        if self._question_lines is None:
            root = self.root
            found = _child(root, "questions") if root is not None else None
            items = found[1].value if found and isinstance(found[1], SequenceNode) else []
            self._question_lines = [item.start_mark.line + 1 for item in items]
        return self._question_lines

    def line(self, loc: Sequence[str | int]) -> int:
        """The 1-based line of the node at `loc`, or of its deepest existing ancestor.

        For a mapping key, the line of the key itself (where a typo is).
        """
        if len(loc) == 2 and loc[0] == "questions" and self._question_lines is not None:
            index = loc[1]
            if isinstance(index, int) and 0 <= index < len(self._question_lines):
                return self._question_lines[index]
        node = self.root
        if node is None:
            return 1
        line = node.start_mark.line
        for part in loc:
            found = _child(node, part)
            if found is None:
                break
            key_line, node = found
            line = key_line
        return line + 1

    def value_line(self, loc: Sequence[str | int]) -> int:
        """The 1-based line where the *value* at `loc` starts (first content line of a `|`)."""
        node = self.root
        for part in loc:
            found = _child(node, part) if node is not None else None
            if found is None:
                return self.line(loc)
            node = found[1]
        if node is None:
            return 1
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            return node.start_mark.line + 2
        return node.start_mark.line + 1


def _child(node: Node, part: str | int) -> tuple[int, Node] | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return key.start_mark.line, value
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child = node.value[part]
        return child.start_mark.line, child
    return None


def to_python(node: Node) -> object:
    """Convert a composed node to Python values, refusing duplicate keys."""
    if isinstance(node, MappingNode):
        result: dict[object, object] = {}
        first: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = to_python(key_node)
            if key == "<<":
                raise ValueError("YAML merge keys (`<<`) are not supported in banks")
            try:
                hash(key)
            except TypeError:
                raise ValueError("a mapping key must be a plain value") from None
            if key in result:
                raise DuplicateKey(key, key_node.start_mark.line + 1, first[key])
            first[key] = key_node.start_mark.line + 1
            result[key] = to_python(value_node)
        return result
    if isinstance(node, SequenceNode):
        return [to_python(child) for child in node.value]
    return _CONSTRUCTOR.construct_object(node, deep=True)


def decode(data: bytes) -> tuple[str | None, list[YamlIssue]]:
    """Decode a bank file's bytes as UTF-8, reporting a BOM or bad bytes."""
    issues: list[YamlIssue] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            YamlIssue(
                line,
                f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
                "save it as UTF-8",
                "not-utf8",
            )
        )
        return None, issues
    if text.startswith(BOM):
        issues.append(
            YamlIssue(
                1, "the file starts with a byte-order mark (BOM): remove it", "bom", "warning"
            )
        )
        text = text[1:]
    return text, issues


def compose(text: str) -> tuple[Node | None, YamlIssue | None]:
    """Compose one YAML document; a syntax error becomes an issue with a hint."""
    try:
        return yaml.compose(text, Loader=_Loader), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        return None, YamlIssue(line, _syntax_message(exc, source), "yaml-syntax")
    except yaml.YAMLError as exc:
        return None, YamlIssue(1, f"invalid YAML: {exc}", "yaml-syntax")


def _syntax_message(exc: yaml.MarkedYAMLError, source: str) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    text = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    if "\t" in source[: len(source) - len(source.lstrip())] or "'\\t'" in problem:
        return text + "; YAML does not allow tabs for indentation: indent with spaces"
    if "mapping values are not allowed" in problem:
        return (
            text + '; a value containing ": " must be quoted ("...") or written as a block with `|`'
        )
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return text + "; check the indentation, or quote a value that contains `:`, `#` or `-`"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return text + "; in double quotes a backslash starts an escape: use single quotes or `|`"
    return text + "; if a value contains special characters, quote it or use a block with `|`"
