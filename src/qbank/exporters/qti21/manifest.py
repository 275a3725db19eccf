"""``imsmanifest.xml``: the IMS Content Packaging (1.1) manifest at the package root.

One resource per file kind, as QTI 2.1 packages declare them:

* the test, ``imsqti_test_xmlv2p1``, depending on every item;
* each item, ``imsqti_item_xmlv2p1``, its file, and a dependency on the stylesheet and on
  each media file it shows;
* the stylesheet and each media file, ``webcontent``.

Resource identifiers are ``xs:ID`` (:mod:`.names`); every ``href`` is relative to the
package root. The manifest's metadata names the schema (``QTIv2.1 Package``) as the QTI 2.1
packaging guide does.

Each item's resource carries IMS Metadata 1.2 (LOM) for teachers: its ``identifier`` is the
question's ``bank-id/question-id``, its ``title`` the item's, its ``keyword``s the tags
(``qbank-invalid`` for a question that fails validation). OpenOlat reads these into its
question bank. Learners never get the manifest, so the question id (which may give the
answer away) is safe here, and only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qbank.exporters.media import MediaFile
from qbank.exporters.qti21 import names
from qbank.exporters.qti21.assessment import STYLESHEET, ItemFile
from qbank.exporters.qti21.item import media_path
from qbank.exporters.qti21.testfile import TEST_FILE
from qbank.exporters.qti21.xml import HEADER, XSI_NS, block, element, text

CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
MD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
MD_XSD = "http://www.imsglobal.org/xsd/imsmd_v1p2p4.xsd"
STYLESHEET_RESOURCE = "res-stylesheet"


@dataclass(frozen=True)
class Contents:
    """What the package holds, for its manifest."""

    test: str
    """The test's identifier."""
    items: tuple[ItemFile, ...]
    media: tuple[MediaFile, ...]


def _file(href: str) -> str:
    return element("file", href=href)


def _dependencies(identifiers: Iterable[str]) -> list[str]:
    return [element("dependency", identifierref=i) for i in identifiers]


def _resource(
    identifier: str, kind: str, href: str, depends: Iterable[str] = (), metadata: str = ""
) -> str:
    children = [metadata, _file(href), *_dependencies(depends)]
    return block("resource", children, 2, identifier=identifier, type=kind, href=href)


def _text(tag: str, value: str) -> str:
    return element(tag, element("imsmd:langstring", text(value)))


def _lom(file: ItemFile) -> str:
    """The item's LOM: where it comes from, its title, its tags."""
    general = [
        element("imsmd:identifier", text(file.reference)),
        _text("imsmd:title", file.title),
        *(_text("imsmd:keyword", tag) for tag in file.tags),
    ]
    inner = element("imsmd:lom", element("imsmd:general", "".join(general)))
    return element("metadata", inner)


def _item(file: ItemFile) -> str:
    depends = [STYLESHEET_RESOURCE, *(names.media_resource(m.name) for m in file.media)]
    identifier = names.resource(file.identifier)
    return _resource(identifier, "imsqti_item_xmlv2p1", file.href, depends, _lom(file))


def manifest(contents: Contents) -> str:
    """The manifest of a package holding `contents`."""
    items = [names.resource(file.identifier) for file in contents.items]
    resources = [
        _resource(names.resource(contents.test), "imsqti_test_xmlv2p1", TEST_FILE, items),
        *(_item(file) for file in contents.items),
        _resource(STYLESHEET_RESOURCE, "webcontent", STYLESHEET),
        *(
            _resource(names.media_resource(m.name), "webcontent", media_path(m))
            for m in contents.media
        ),
    ]
    metadata = block(
        "metadata", [element("schema", "QTIv2.1 Package"), element("schemaversion", "1.0.0")], 1
    )
    root = block(
        "manifest",
        [metadata, element("organizations"), block("resources", resources, 1)],
        0,
        xmlns=CP_NS,
        **{
            "xmlns:imsmd": MD_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{CP_NS} {CP_XSD} {MD_NS} {MD_XSD}",
        },
        identifier=f"manifest-{contents.test}",
    )
    return HEADER + root + "\n"


__all__ = ["CP_NS", "MD_NS", "Contents", "manifest"]
