"""Moodle GIFT files as banks, read the way Moodle's importer reads them (``reference/gift.md``).

* :mod:`.lexer`: lines, blocks, ``//`` comments (``[tag:x]``, ``[id:x]``), escapes;
* :mod:`.parser`: a block's title, format, stem, answer block and type;
* :mod:`.mapping` and :mod:`.answers`: the bank keys of each type; :mod:`.text`: HTML and
  Markdown parts as Markdown, code lifted into `code`.

Each ``$CATEGORY:`` starts a bank; a block Moodle would refuse is an ``import-syntax``
issue at its line (``import-invalid`` for a number no float holds), its text kept as a
comment above the next question, and reading goes on. A ``::name::`` is the question's
title, unless it is the ``bank-id/question-id`` qbank's own exporter writes: then it gives
the id back (and the bank's, when all its questions agree).
"""

from __future__ import annotations

from pathlib import Path

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, ImportedQuestion, Importer, ImportIssue, ImportResult
from qbank.importers.gift.lexer import Block, blocks, hide, split_lines
from qbank.importers.gift.mapping import Mapped, question
from qbank.importers.gift.parser import CATEGORY, GiftSyntaxError, Parsed, parse
from qbank.importers.ids import MAX_TITLE, id_path, title_of
from qbank.importers.tags import bank_tags

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
    """UTF-8 (without a BOM); a legacy file in another encoding as Windows-1252 or Latin-1
    (its UTF-8 BOM left out first: decoded so, it would be `ï»¿` text in the first title)."""
    data = data.removeprefix(_BOM.encode("utf-8"))
    try:
        return data.decode("utf-8")
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
        self.last: ImportedQuestion | None = None
        self.bank_ids: dict[int, set[str | None]] = {}
        """Per bank (by `id`): the bank id of each question's qbank name (None: not one)."""

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
        self.finish()

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
            self.issue(block.line, f"{error}: the block is kept as a comment", kind=error.kind)
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
        self._name(parsed.name, mapped)
        tags = bank_tags(block.tags)
        for message in tags.changed:
            mapped.issue(message, kind="lost")
        if tags.kept:
            mapped.data["tags"] = tags.kept
        comments = [*self.pending, *(f"// {c}" for c in block.comments), *mapped.comments]
        self.pending = []
        named = id_path(parsed.name)
        idnumber = block.idnumber or (parsed.name if named else None)
        imported = ImportedQuestion(mapped.data, block.line, comments, idnumber, parsed.name)
        self.bank.questions.append(imported)
        self.last = imported
        self.bank_ids.setdefault(id(self.bank), set()).add(named[0] if named else None)
        for loss in mapped.losses:
            self.issue(block.line, loss.message, kind=loss.kind)
        self._fence_issues(block, imported)

    def _fence_issues(self, block: Block, imported: ImportedQuestion) -> None:
        """What Moodle's line trimming and `//` comments did to the code of a ``` fence,
        which the import keeps as the author wrote it."""
        if block.reindented:
            lines = ", ".join(str(n) for n in block.reindented[:5])
            self.issue(
                block.line,
                f"indented code in a ``` fence (line {lines}): Moodle's GIFT "
                "importer trims every line, so learners saw this code without its indentation; "
                "kept as written here",
                kind="indentation",
            )
        for number, text in block.fence_comments:
            imported.comments.append(f"line {number}, dropped by Moodle as a comment: {text}")
            self.issue(
                block.line,
                f"line {number}, {text!r}, inside a ``` fence starts with `//`: Moodle's GIFT "
                "importer drops it as a comment, so learners never saw it; kept in the code "
                "here (check the code, and export it again: qbank's GIFT keeps it)",
                kind="syntax",
            )

    def _name(self, name: str | None, mapped: Mapped) -> None:
        """The `::name::` as the title (Moodle shows it as the question's name), unless
        the text's heading gives one or it is a `bank-id/question-id` qbank wrote."""
        if not name or id_path(name) or "title" in mapped.data:
            return
        title, cut = title_of(name)
        mapped.data["title"] = title
        if cut:
            mapped.issue(
                f"the name is longer than a title can be ({MAX_TITLE} characters): its end "
                f"{cut!r} is cut off and kept as a comment; shorten the title",
                f"name (in full): {' '.join(name.split())}",
                kind="lost",
            )

    def finish(self) -> None:
        """Banks whose questions all have qbank's `bank-id/question-id` names, with one
        bank id, get that id back."""
        self.result.banks = [bank for bank in self.banks.values() if bank.questions]
        for bank in self.result.banks:
            ids = self.bank_ids.get(id(bank), set())
            if len(ids) == 1 and None not in ids:
                bank.data["id"] = next(iter(ids))

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
        """Comments after the last question go below it, the last one of the file (in
        whichever bank it is: a `$CATEGORY` may be revisited); there is nowhere else."""
        if self.last is None:
            if any(not line.startswith("// ") for line in self.pending):
                self.issue(
                    1, "no question to keep the unreadable text beside: it is lost", kind="lost"
                )
            return
        self.last.comments.extend(self.pending)


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
