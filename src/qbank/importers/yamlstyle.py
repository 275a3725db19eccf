"""The house style of a bank file, for what `qbank import` writes.

Keys in the order an author reads them (`id`, `type`, `title`, `prompt`, `code`, `language`,
the type's own keys, then `hint`, `explanation`, `tags`), multi-line text as `|` blocks,
`tags` and `requires` as flow lists (`tags: [loops]`), and every string YAML would read as
something else (`yes`, `1.0`, `null`, `- x`) quoted, by PyYAML's own resolver. Comments,
which PyYAML cannot write, are put around the dumped text by :mod:`qbank.importers.writing`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

WIDTH = 96
QUESTION_HEAD = ("id", "type", "title", "prompt", "code", "language")
QUESTION_TAIL = ("hint", "explanation", "tags")
CHOICE_ORDER = ("text", "code", "value", "expr", "correct", "weight", "feedback")
BANK_ORDER = ("schema_version", "id", "title", "description", "language", "requires", "tags")
FLOW_KEYS = frozenset({"tags", "requires"})
# What only a double-quoted string holds (as escapes): YAML folds CR and the Unicode line
# breaks in other styles, and refuses C0/C1 controls and the BOM.
_NOT_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# What PyYAML's reader and libyaml refuse anywhere in a file (a tab is fine), and the BOM.
_COMMENT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


class _FlowList(list[Any]):
    """A list written on one line (`[a, b]`)."""


class BankDumper(yaml.SafeDumper):
    """Safe YAML with `|` blocks for multi-line text and no anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def analyze_scalar(self, scalar: str) -> Any:
        """PyYAML's analysis, except that a tab does not forbid a `|` block: tabs are legal
        content of a block scalar (only indentation must be spaces), and Go, C or Makefile
        code is read as written only as a block. Whether a block is allowed is judged as if
        each tab were a space (so a tab before a line break still forbids it)."""
        analysis = super().analyze_scalar(scalar)
        if "\t" in scalar and not analysis.allow_block:
            analysis.allow_block = super().analyze_scalar(scalar.replace("\t", " ")).allow_block
        return analysis

    def determine_block_hints(self, text: str) -> str:
        """PyYAML's hints, and the indentation indicator (`|2`) when the text starts with a
        tab: libyaml (qbank's loader) refuses a tab where it still detects the indentation."""
        hints: str = super().determine_block_hints(text)
        return str(self.best_indent) + hints if text.startswith("\t") else hints

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent a list under its key (`choices:` then `  - ...`), as the banks do."""
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if _NOT_BLOCK.search(text) or text.endswith("\n\n") or text == "\n":
        # Only escapes keep these: PyYAML's other styles fold some, and text ending in blank
        # lines needs `|+`, which takes in the blank line and comments written after it
        # (and makes PyYAML end the document with `...`).
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    if "\n" in text and not _trailing_space(text):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_str(text)


def _trailing_space(text: str) -> bool:
    """Whether a line ends in a space or tab (a block keeps them, but editors strip them)."""
    return any(line != line.rstrip(" \t") for line in text.split("\n"))


def _represent_flow(dumper: yaml.SafeDumper, items: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


def _represent_tuple(dumper: yaml.SafeDumper, items: tuple[Any, ...]) -> yaml.SequenceNode:
    return dumper.represent_list(list(items))


BankDumper.add_representer(str, _represent_str)
BankDumper.add_representer(_FlowList, _represent_flow)
BankDumper.add_representer(tuple, _represent_tuple)


def ordered(
    data: Mapping[str, Any], head: tuple[str, ...], tail: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`data` with the keys of `head` first and of `tail` last (others in their order)."""
    middle = [k for k in data if k not in head and k not in tail]
    keys = [k for k in head if k in data] + middle + [k for k in tail if k in data]
    return {key: _styled(key, data[key]) for key in keys}


def _styled(key: str, value: Any) -> Any:
    if key in FLOW_KEYS and isinstance(value, list | tuple) and _all_short(value):
        return _FlowList(value)
    if key in ("choices", "distractors") and isinstance(value, list | tuple):
        return [ordered(c, CHOICE_ORDER) if isinstance(c, Mapping) else c for c in value]
    return value


def _all_short(items: list[Any] | tuple[Any, ...]) -> bool:
    return all(isinstance(i, str) and "\n" not in i and len(i) < 40 for i in items)


def question_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A question's keys in house order."""
    return ordered(data, QUESTION_HEAD, QUESTION_TAIL)


def dump(value: Any) -> str:
    """`value` as house-style YAML text (ends with a newline)."""
    text: str = yaml.dump(
        value,
        Dumper=BankDumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )
    return text


def question_lines(data: Mapping[str, Any]) -> list[str]:
    """One question as the lines of a `questions:` list item, indented by two spaces."""
    return ["  " + line if line else line for line in dump([question_data(data)]).splitlines()]


def commented(lines: list[str], indent: str = "  ") -> list[str]:
    """`lines` (indented by `indent`) as YAML comments: kept, invisible to the loader."""
    return [
        f"{indent}# {part}".rstrip()
        for line in lines
        for part in _comment_parts(line.removeprefix(indent))
    ]


def comment_lines(text: str, indent: str = "") -> list[str]:
    """A comment of any text, one `# ` line per line of it."""
    return [f"{indent}# {part}".rstrip() for part in _comment_parts(text)]


def _comment_parts(text: str) -> list[str]:
    """`text` as the lines of a comment. A comment holds no escapes, and a character YAML
    refuses (a control, a C1 byte of a Latin-1 source, a lone surrogate) would make the
    whole file unreadable: each is shown as its escape (`\\x1b`). Every YAML line break
    (CR, NEL, U+2028, U+2029) starts a new `#` line, or the rest would be read as data."""
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # a final line break ends the last line (as `str.splitlines` reads it)
    return [_COMMENT_UNSAFE.sub(_escape, line) for line in lines]


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


__all__ = [
    "BANK_ORDER",
    "BankDumper",
    "comment_lines",
    "commented",
    "dump",
    "ordered",
    "question_data",
    "question_lines",
]
