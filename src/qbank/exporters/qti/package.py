"""The files of a package: per bank its assessment and ``assessment_meta.xml``, the
manifest listing every file, and the zip holding them.

The layout is the one Canvas exports and text2qti writes::

    imsmanifest.xml
    <ident>/<ident>.xml              the assessment (one per bank)
    <ident>/assessment_meta.xml      Canvas's quiz settings
    media/<name>                     the images, each a ``webcontent`` resource

Canvas finds a quiz's settings through the manifest: a resource of type
``associatedcontent/imscc_xmlv1p1/learning-application-resource`` whose file is
``<assessment ident>/assessment_meta.xml`` (``QuizMetadataConverter#post_process_assessments``
joins the quiz's migration id and that name), so the folder is named after the assessment's
ident. QTIMigrationTool reads every ``.xml`` file of the package and copies the files the
manifest lists (``Manifest.AddCPFile``); Canvas then imports those as the quiz's files. An
assessment without a question bank of its own puts its questions in a bank named after its
title (``Importers::QuizImporter.preprocess_migration_data``): the bank's title here.

The zip is deterministic: members in a fixed order, each dated 1980-01-01 with mode 0644.
The XML files are stored uncompressed, the images deflated: a package stays readable with
``grep`` (each item carries its ``bank-id/question-id`` as its ``label``).
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from qbank.exporters.qti.xml import HEADER, XSI, block, element, leaf

MANIFEST = "imsmanifest.xml"
META = "assessment_meta.xml"
QTI_SCHEMA = (
    "http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
)
CANVAS_NAMESPACE = "http://canvas.instructure.com/xsd/cccv1p0"
CP_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
META_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Quiz:
    """One bank's assessment, ready to be packed."""

    ident: str
    title: str
    assessment: str
    """The assessment's XML."""
    meta: str
    """Its ``assessment_meta.xml``."""

    @property
    def path(self) -> str:
        return f"{self.ident}/{self.ident}.xml"

    @property
    def meta_path(self) -> str:
        return f"{self.ident}/{META}"


def assessment_xml(ident: str, title: str, items: list[str]) -> str:
    """A ``<questestinterop>`` holding one assessment, its items in one section."""
    attempts = element(
        "qtimetadatafield", leaf("fieldlabel", "cc_maxattempts") + leaf("fieldentry", "1")
    )
    section = block("section", items, 2, {"ident": "root_section"})
    inner = block("assessment", [block("qtimetadata", [attempts], 2), section], 1,
                  {"ident": ident, "title": title})  # fmt: skip
    namespaces = {
        "xmlns": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2",
        "xmlns:xsi": XSI,
        "xsi:schemaLocation": QTI_SCHEMA,
    }
    return HEADER + block("questestinterop", [inner], 0, namespaces) + "\n"


def group_xml(ident: str, title: str, points: str, items: list[str]) -> str:
    """A question group: a ``<section>`` of the root section that draws one of its `items`
    for each learner (``selection_number`` 1), each worth `points`. This is the form Canvas
    exports and text2qti writes; QTIMigrationTool reads ``points_per_item`` from the
    ``selection_extension`` and Canvas makes the section a quiz question group ("pick 1,
    N points per question")."""
    extension = element("selection_extension", leaf("points_per_item", points))
    selection = element("selection", leaf("selection_number", "1") + extension)
    children = [element("selection_ordering", selection), *items]
    return block("section", children, 3, {"ident": ident, "title": title})


@dataclass(frozen=True)
class Settings:
    """The quiz settings written to ``assessment_meta.xml``."""

    title: str
    description: str
    """HTML."""
    points: str
    shuffle: bool
    quiz_type: str
    attempts: int


def meta_xml(ident: str, settings: Settings) -> str:
    """Canvas's ``assessment_meta.xml`` for the assessment `ident`."""
    flag = {True: "true", False: "false"}
    assignment = [
        leaf("title", settings.title),
        leaf("workflow_state", "unpublished"),
        leaf("quiz_identifierref", ident),
        leaf("points_possible", settings.points),
        leaf("grading_type", "points"),
        leaf("submission_types", "online_quiz"),
    ]
    children = [
        leaf("title", settings.title),
        leaf("description", settings.description),
        leaf("shuffle_answers", flag[settings.shuffle]),
        leaf("scoring_policy", "keep_highest"),
        leaf("quiz_type", settings.quiz_type),
        leaf("points_possible", settings.points),
        leaf("show_correct_answers", "true"),
        leaf("allowed_attempts", str(settings.attempts)),
        leaf("one_question_at_a_time", "false"),
        leaf("cant_go_back", "false"),
        leaf("available", "false"),
    ]
    if settings.quiz_type in ("assignment", "graded_survey"):
        children.append(block("assignment", assignment, 1, {"identifier": ident + "_assignment"}))
    namespaces = {
        "identifier": ident,
        "xmlns": CANVAS_NAMESPACE,
        "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{CANVAS_NAMESPACE} https://canvas.instructure.com/xsd/cccv1p0.xsd",
    }
    return HEADER + block("quiz", children, 0, namespaces) + "\n"


def _resource_id(path: str) -> str:
    return "res_" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:24]


def _file(path: str) -> str:
    return element("file", "", {"href": path})


def manifest_xml(ident: str, title: str, quizzes: list[Quiz], media: list[str]) -> str:
    """The manifest: every assessment with its settings as a dependency, then each image."""
    resources: list[str] = []
    for quiz in quizzes:
        meta_id = quiz.ident + "_meta"
        depends = element("dependency", "", {"identifierref": meta_id})
        qti = {"identifier": quiz.ident, "type": "imsqti_xmlv1p2"}
        resources.append(block("resource", [_file(quiz.path), depends], 2, qti))
        settings = {"identifier": meta_id, "type": META_TYPE, "href": quiz.meta_path}
        resources.append(block("resource", [_file(quiz.meta_path)], 2, settings))
    for path in media:
        web = {"identifier": _resource_id(path), "type": "webcontent", "href": path}
        resources.append(block("resource", [_file(path)], 2, web))
    lom = element(
        "imsmd:lom", element("imsmd:general", element("imsmd:title", leaf("imsmd:string", title)))
    )
    metadata = block(
        "metadata", [leaf("schema", "IMS Content"), leaf("schemaversion", "1.1.3"), lom], 1
    )
    namespaces = {
        "identifier": ident,
        "xmlns": CP_NAMESPACE,
        "xmlns:imsmd": IMSMD,
        "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{CP_NAMESPACE} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
        f"{IMSMD} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd",
    }
    children = [metadata, element("organizations"), block("resources", resources, 1)]
    return HEADER + block("manifest", children, 0, namespaces) + "\n"


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """A zip of `members`, in order, every entry dated 1980-01-01 (the same bytes every time);
    the XML members stored, the others deflated."""
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                xml = name.endswith(".xml")
                info.compress_type = zipfile.ZIP_STORED if xml else zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        buffer.seek(0)
        return buffer.read()


__all__ = [
    "MANIFEST",
    "META",
    "Quiz",
    "Settings",
    "assessment_xml",
    "group_xml",
    "manifest_xml",
    "meta_xml",
    "zip_bytes",
]
