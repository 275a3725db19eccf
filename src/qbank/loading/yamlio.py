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

    def snippet_line(self, loc: Sequence[str | int], line: int) -> int:
        """The 1-based file line of 1-based `line` of the snippet (a text value) at `loc`.

        Exact for literal blocks (`|`, `|-`, `|+`), whose lines are the snippet's lines; for
        other styles (plain, quoted, folded `>`) the lines of the text and of the file do not
        correspond, so the value's first line is given.
        """
        node = self.root
        for part in loc:
            found = _child(node, part) if node is not None else None
            if found is None:
                return self.line(loc)
            node = found[1]
        if node is None:
            return 1
        if isinstance(node, ScalarNode) and node.style == "|":
            last = max(node.end_mark.line, node.start_mark.line + 1)
            return min(node.start_mark.line + 1 + line, last)
        return node.start_mark.line + 1


class Reindexed:
    """A :class:`LineMap` seen through a list of places: question `i` of the bank (its
    `questions` after templates were taken out, or its variants put in) is item
    `places[i]` of the YAML `questions:` list, so every problem lands on the authored lines."""

    def __init__(self, base: LineMap, places: Sequence[int]) -> None:
        self.base, self.places = base, tuple(places)

    @property
    def root(self) -> Node | None:
        return self.base.root

    def question_lines(self) -> list[int]:
        """The first line of each authored question (templates included)."""
        return self.base.question_lines()

    def _moved(self, loc: Sequence[str | int]) -> tuple[str | int, ...]:
        index = loc[1] if len(loc) >= 2 and loc[0] == "questions" else None
        if isinstance(index, int) and 0 <= index < len(self.places):
            return ("questions", self.places[index], *loc[2:])
        return tuple(loc)

    def line(self, loc: Sequence[str | int]) -> int:
        return self.base.line(self._moved(loc))

    def snippet_line(self, loc: Sequence[str | int], line: int) -> int:
        return self.base.snippet_line(self._moved(loc), line)


def reindexed(lines: LineMap | Reindexed, places: Sequence[int]) -> Reindexed:
    """`lines` with question `i` at YAML item `places[i]` (on the authored map, not a view)."""
    return Reindexed(lines.base if isinstance(lines, Reindexed) else lines, places)


def _child(node: Node, part: str | int) -> tuple[int, Node] | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return key.start_mark.line, value
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child = node.value[part]
        return child.start_mark.line, child
    return None


class YamlValueError(ValueError):
    """A value that cannot be read (a bad tag, a cycle, too deep, too big), at a line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


MAX_DEPTH = 100
MAX_VALUES = 2_000_000
"""Most values one file may expand to (aliases included): stops "billion laughs" files."""


def to_python(node: Node) -> object:
    """Convert a composed node to Python values, refusing duplicate keys.

    Aliases are expanded (a snippet may be shared with `&name` / `*name`), but a cycle, nesting
    deeper than :data:`MAX_DEPTH` or more than :data:`MAX_VALUES` values is refused.
    """
    return _Converter().convert(node, 0)


class _Converter:
    def __init__(self) -> None:
        self.count = 0
        self.open: set[int] = set()

    def convert(self, node: Node, depth: int) -> object:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlValueError(
                f"the file expands to more than {MAX_VALUES} values (aliases?)", line
            )
        if depth > MAX_DEPTH:
            raise YamlValueError(f"values are nested more than {MAX_DEPTH} deep", line)
        if id(node) in self.open:
            raise YamlValueError("an alias refers to a value that contains it (a cycle)", line)
        if isinstance(node, MappingNode | SequenceNode):
            self.open.add(id(node))
            try:
                return self._collection(node, depth)
            finally:
                self.open.discard(id(node))
        return self._scalar(node, line)

    def _collection(self, node: MappingNode | SequenceNode, depth: int) -> object:
        if isinstance(node, SequenceNode):
            return [self.convert(child, depth + 1) for child in node.value]
        result: dict[object, object] = {}
        first: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            line = key_node.start_mark.line + 1
            if key == "<<":
                raise YamlValueError("YAML merge keys (`<<`) are not supported in banks", line)
            try:
                hash(key)
            except TypeError:
                raise YamlValueError("a mapping key must be a plain value", line) from None
            if key in result:
                raise DuplicateKey(key, line, first[key])
            first[key] = line
            result[key] = self.convert(value_node, depth + 1)
        return result

    def _scalar(self, node: Node, line: int) -> object:
        try:
            return _CONSTRUCTOR.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise YamlValueError(f"unsupported YAML value: {_one_line(problem)}", line) from None
        except (ValueError, TypeError, OverflowError) as exc:
            raise YamlValueError(
                f"cannot read the value `{node.tag}`: {_one_line(str(exc))}", line
            ) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        position = getattr(exc, "position", None)  # a ReaderError: a character YAML refuses
        line = text[:position].count("\n") + 1 if isinstance(position, int) else 1
        return None, YamlIssue(line, f"invalid YAML: {first}", "yaml-syntax")


def _syntax_message(exc: yaml.MarkedYAMLError, source: str) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    text = f"invalid YAML: {_one_line(problem)}" + (f" ({_one_line(context)})" if context else "")
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
