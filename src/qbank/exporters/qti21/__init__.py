"""IMS QTI 2.1: a content package (``.zip``) that OpenOLAT, ONYX/OPAL, TAO and other QTI 2.1
platforms import; see ``docs/qti21.md``.

* One ``assessmentItem`` per question (:mod:`.assessment`), valid against the IMS QTI 2.1
  schema: its interaction and scoring (:mod:`.interactions`: the key scores 1, each
  distractor 0, weights for multiple answers, a tolerance for numbers), feedback as
  ``modalFeedback`` (per option: authored, else what validation generated; the
  explanation), hints behind an ``endAttemptInteraction``, code highlighted with classes
  styled by the package's stylesheet, images as files in ``media/``.
* One ``assessmentTest`` (:mod:`.testfile`) with a section per bank, each item weighted by
  its points, a question's variants in a section inside it that selects one; ``imsmanifest.xml`` (:mod:`.manifest`) declares every file.
* Identifiers derive from bank and question ids (:mod:`.names`), members are zipped in a
  fixed order with fixed dates (:mod:`.package`): two exports are byte-identical.
* What QTI 2.1 cannot carry is a ``lossy-*`` warning, never dropped silently.
"""

from __future__ import annotations

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.qti21.package import build_date, files, zip_bytes
from qbank.model import Collection, LoadedBank


class Qti21Options(ExporterOptions):
    """Options of the QTI 2.1 exporter."""

    refutation_feedback: bool = True
    """Give a wrong option without `feedback` the feedback validation generated for learners
    (what the code prints, or the exception it raises; never hidden code)."""


class Qti21Exporter(Exporter):
    """IMS QTI 2.1 content package: an item per question, a test with a section per bank."""

    name = "qti21"
    file_extension = ".zip"
    description = "IMS QTI 2.1 package (.zip): OpenOLAT, ONYX, TAO; a test, a section per bank"
    binary = True
    collection_file = True
    highlights_code = True
    draws_variants = True  # the test selects one variant per candidate (.testfile)
    options_model = Qti21Options
    options: Qti21Options

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> bytes:
        """One bank as a package: a test with one section."""
        return self._package([loaded], context)

    def render_collection(self, collection: Collection, context: ExportContext) -> bytes:
        """The whole collection as one package: a test with a section per bank."""
        return self._package(list(collection), context)

    def _package(self, banks: list[LoadedBank], context: ExportContext) -> bytes:
        members = files(banks, context, self.options.refutation_feedback)
        return zip_bytes(members, build_date())


__all__ = ["Qti21Exporter", "Qti21Options"]
