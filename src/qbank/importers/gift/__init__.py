"""Moodle GIFT files as banks, read the way Moodle's importer reads them (``reference/gift.md``).

* :mod:`.lexer`: lines, blocks, ``//`` comments (``[tag:x]``, ``[id:x]``), escapes;
* :mod:`.parser`: a block's title, format, stem, answer block and type;
* :mod:`.mapping` and :mod:`.answers`: the bank keys of each type; :mod:`.text`: HTML and
  Markdown parts as Markdown, code lifted into `code`.

Each ``$CATEGORY:`` starts a bank; a block Moodle would refuse is an ``import-invalid``
issue at its line, its text kept as a comment above the next question, and reading goes on.
"""

from __future__ import annotations

from pathlib import Path

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, ImportedQuestion, Importer, ImportIssue, ImportResult
from qbank.importers.gift.lexer import Block, blocks, hide, split_lines
from qbank.importers.gift.mapping import question
from qbank.importers.gift.parser import CATEGORY, GiftSyntaxError, Parsed, parse

_BOM = "\ufeff"


class GiftImporter(Importer):
    """Moodle GIFT (`.gift`, `.txt`): one bank per `$CATEGORY`."""

    name = "gift"
    description = "Moodle GIFT (one bank per $CATEGORY; [html] text as Markdown, <pre> as code)"
    suffixes = (".gift", ".txt")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """A GIFT title, a `$CATEGORY:` or an answer block on a line that is not a comment
        (`.gift` files always; JSON and XML never)."""
        text = head.decode("utf-8", errors="replace").lstrip(_BOM).lstrip()
        if path.suffix.lower() == ".gift":
            return True
        if text[:1] in ("{", "[", "<"):
            return False
        for line in split_lines(text):
            line = line.strip()
            if line.startswith("//"):
                continue
            if line.startswith(CATEGORY) or (line.startswith("::") and "::" in line[2:]):
                return True
            if "{" in line and "}" in line[line.find("{") :]:
                return True
        return False

    def read(self, path: Path) -> ImportResult:
        """Every bank of the file at `path`; what cannot be read is issues."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise QbankError(f"{path}: cannot read the GIFT file: {error.strerror}") from error
        if b"\0" in data[:4096]:
            raise QbankError(f"{path}: not a GIFT file (it holds binary data)")
        reader = _Reader(str(path))
        reader.read(_decode(data, reader))
        return reader.result


def _decode(data: bytes, reader: _Reader) -> str:
    """UTF-8 (without a BOM); a legacy file in another encoding as Windows-1252 or Latin-1."""
    try:
        return data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            text, name = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, name = data.decode("latin-1"), "Latin-1"
        reader.issue(
            line,
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x} at line {line}): read as "
            f"{name}; check its accented letters, and save it as UTF-8 (Moodle refuses it)",
            kind="encoding",
        )
        return text


class _Reader:
    """Reads the blocks of one file into banks, collecting issues."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.result = ImportResult()
        self.bank = ImportedBank(source)
        self.banks: dict[tuple[str, ...], ImportedBank] = {(): self.bank}
        self.pending: list[str] = []

    def issue(self, line: int, message: str, *, kind: str, question: str | None = None) -> None:
        self.result.issues.append(ImportIssue(self.source, line, message, kind, question))

    def read(self, text: str) -> None:
        found = blocks(text)
        if not any(block.lines for block in found):
            self.issue(1, "the file holds no GIFT question", kind="empty")
        for block in found:
            self._block(block)
        if self.pending:
            self._keep_pending()
        self.result.banks = [bank for bank in self.banks.values() if bank.questions]

    def _block(self, block: Block) -> None:
        if not block.lines:
            self.pending.extend(f"// {comment}" for comment in block.comments)
            return
        if block.lines[0].startswith(CATEGORY):
            self._category(block.lines[0][len(CATEGORY) :], block)
            if len(block.lines) == 1:
                return
            self.issue(
                block.line + 1,
                "no blank line after `$CATEGORY:`: Moodle reads the question below as part of "
                "the category's name (read here as a question)",
                kind="syntax",
            )
            block.lines = block.lines[1:]
        try:
            parsed = parse(hide(block.text))
            self._question(block, parsed)
        except GiftSyntaxError as error:
            self.issue(block.line, f"{error}: the block is kept as a comment", kind="syntax")
            self.pending.extend(f"unreadable GIFT (line {block.line}): {raw}" for raw in block.raw)

    def _category(self, path: str, block: Block) -> None:
        category = category_path(path)
        if category not in self.banks:
            self.banks[category] = ImportedBank(
                self.source, category, category[-1] if category else None
            )
        self.bank = self.banks[category]
        self.pending.extend(f"// {comment}" for comment in block.comments)

    def _question(self, block: Block, parsed: Parsed) -> None:
        if parsed.kind in ("description", "ordering"):
            self._not_a_question(block, parsed)
            return
        mapped = question(parsed)
        if block.tags:
            mapped.data["tags"] = list(dict.fromkeys(block.tags))
        comments = [*self.pending, *(f"// {c}" for c in block.comments), *mapped.comments]
        self.pending = []
        imported = ImportedQuestion(mapped.data, block.line, comments, block.idnumber, parsed.name)
        self.bank.questions.append(imported)
        for loss in mapped.losses:
            issue = ImportIssue(self.source, block.line, loss.message, loss.kind, parsed.name)
            self.result.issues.append(issue)
        if block.reindented:
            lines = ", ".join(str(n) for n in block.reindented[:5])
            self.issue(
                block.line,
                f"indented code in a ``` fence (line {lines}): Moodle's GIFT "
                "importer trims every line, so learners saw this code without its indentation; "
                "kept as written here",
                kind="indentation",
                question=parsed.name,
            )

    def _not_a_question(self, block: Block, parsed: Parsed) -> None:
        kept = "its text is kept as a comment"
        if parsed.kind == "description":
            said = f"a description (text without an answer block) is not a question: {kept}"
            self.issue(block.line, said, kind="description", question=parsed.name)
        else:
            said = f"an ordering question (`{{>N ...}}`) has no qbank type: {kept}"
            self.issue(block.line, said, kind="unknown-type", question=parsed.name)
        self.pending.extend(f"{parsed.kind} (line {block.line}): {raw}" for raw in block.raw)

    def _keep_pending(self) -> None:
        """Comments after the last question go below it (there is nowhere else)."""
        last = next(
            (bank.questions[-1] for bank in reversed(self.banks.values()) if bank.questions), None
        )
        if last is None:
            if any(not line.startswith("// ") for line in self.pending):
                self.issue(
                    1, "no question to keep the unreadable text beside: it is lost", kind="lost"
                )
            return
        last.comments.extend(self.pending)


def category_path(path: str) -> tuple[str, ...]:
    """`$course$/top/A/B` as ("A", "B"): `//` is a `/` inside a name; the context
    (`$course$`, `$system$`, ...) and `top` are left out."""
    names, current, index = [], [], 0
    while index < len(path):
        if path.startswith("//", index):
            current.append("/")
            index += 2
        elif path[index] == "/":
            names.append("".join(current).strip())
            current, index = [], index + 1
        else:
            current.append(path[index])
            index += 1
    names.append("".join(current).strip())
    if names and names[0].startswith("$") and names[0].endswith("$"):
        names = names[1:]
    if names and names[0] == "top":
        names = names[1:]
    return tuple(name for name in names if name)


__all__ = ["GiftImporter", "category_path"]
