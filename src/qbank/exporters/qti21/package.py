"""The content package: every file of the export, zipped with fixed dates and order.

Every variant of a question with variants is an item of its own (``qbank export`` gives
this exporter all of them: it draws variants), selected one per candidate by the test.

Members, in this order: ``imsmanifest.xml``, ``assessment.xml`` (the test), one
``<item identifier>.xml`` per question (bank order), ``qbank.css``, then ``media/<name>``
(each file once, by name). Every member is dated ``SOURCE_DATE_EPOCH`` when it is set, else
1980-01-01 (the earliest date a zip can hold), so the same banks always give the same bytes.
Text members are stored uncompressed and images deflated, as the ``qti`` (QTI 1.2) package
does: a package stays readable with ``grep`` (as the exporter contract reads it).
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Iterable

from qbank.errors import ExportError
from qbank.exporters.base import ExportContext
from qbank.exporters.media import MediaFile
from qbank.exporters.qti21 import names
from qbank.exporters.qti21 import text as t
from qbank.exporters.qti21.assessment import STYLESHEET, ItemFile, item_file
from qbank.exporters.qti21.item import Item, media_path
from qbank.exporters.qti21.manifest import Contents, manifest
from qbank.exporters.qti21.testfile import TEST_FILE, Pick, Section, assessment_test
from qbank.exporters.qti21.xml import clean
from qbank.exporters.variants import groups
from qbank.model import LoadedBank

MANIFEST = "imsmanifest.xml"
ZIP_EPOCH = 315532800
"""1980-01-01, the earliest date a zip member can carry."""


def build_date() -> int:
    """``SOURCE_DATE_EPOCH`` when set, else 1980-01-01 (never the current time)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return ZIP_EPOCH
    if not raw.isdigit():
        raise ExportError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}")
    return int(raw)


def _section(loaded: LoadedBank, context: ExportContext, generated: bool) -> Section:
    """A bank's section: an item per plain question, a section selecting one variant per
    question with variants (its variants numbered as the question)."""
    entries: list[ItemFile | Pick] = []
    for number, group in enumerate(groups(loaded.bank.questions), start=1):
        written = [
            found
            for question in group.questions
            if (found := item_file(Item(loaded, question, context, number, generated)))
        ]
        if not written:
            continue
        if group.varied:
            first = group.questions[0]
            title = f"{(first.title or '').strip() or group.id} ({len(written)} variants)"
            entries.append(Pick(names.pick(loaded, group.id), title, tuple(written)))
        else:
            entries.extend(written)
    return Section(loaded, _description(loaded, context), tuple(entries))


def _description(loaded: LoadedBank, context: ExportContext) -> str:
    """The bank's description as QTI XHTML, what it loses warned about for the bank."""
    rendered = t.markdown(loaded.bank.description, loaded.bank.language)
    for loss in rendered.markup:
        context.warn(loaded, None, f"left out of the description: {loss}", "lossy-markup")
    if rendered.characters:
        context.warn(
            loaded,
            None,
            "the description holds characters XML 1.0 cannot carry: they are left out",
            "lossy-character",
        )
    return rendered.xhtml


def files(banks: Iterable[LoadedBank], context: ExportContext, generated: bool) -> dict[str, bytes]:
    """Every member of the package of `banks`: path -> bytes, in the package's order."""
    banks = list(banks)
    sections = [_section(loaded, context, generated) for loaded in banks]
    written = [file for section in sections for file in section.items]
    media: dict[str, MediaFile] = {}
    for file in written:
        for item in file.media:
            media.setdefault(media_path(item), item)
    identifier = names.test([loaded.id for loaded in banks])
    titles = [(b.bank.title or "").strip() or b.id for b in banks]
    title = titles[0] if len(titles) == 1 else "qbank: " + ", ".join(titles)
    contents = Contents(identifier, tuple(written), tuple(media[p] for p in sorted(media)))
    members = {
        MANIFEST: clean(manifest(contents))[0].encode("utf-8"),
        TEST_FILE: clean(assessment_test(identifier, title, sections))[0].encode("utf-8"),
    }
    members.update((file.href, file.xml.encode("utf-8")) for file in written)
    members[STYLESHEET] = t.stylesheet().encode("utf-8")
    members.update((path, media[path].data) for path in sorted(media))
    return members


def zip_bytes(members: dict[str, bytes], timestamp: int) -> bytes:
    """A zip of `members`, in order, every entry dated `timestamp` (clamped to 1980…2107)."""
    date = time.gmtime(min(max(timestamp, ZIP_EPOCH), 4354819199))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=date)
            text = name.endswith((".xml", ".css"))
            info.compress_type = zipfile.ZIP_STORED if text else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


__all__ = ["MANIFEST", "build_date", "files", "zip_bytes"]
