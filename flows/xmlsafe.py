"""Safe XML parsing, and the catalog that maps a DOCTYPE to a DTD file in schemas/.

jatsflow reads JATS it did not write (PMC, SciELO, JOSE, users' files). An XML file can ask its
parser to read local files (``<!ENTITY x SYSTEM "file:///etc/passwd">``), to fetch URLs, or to
expand a few kilobytes of nested entities into gigabytes (billion laughs). ``parse_xml`` refuses
all of that: an entity declared in the document's own DTD subset is refused, nothing is fetched
from the network, and the only DTD it ever loads is the project's copy in ``schemas/`` (needed only
when a file uses named entities such as ``&nbsp;`` that its DTD defines).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from flows.errors import JatsflowError

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
CARRIED_VERSIONS = ("1.3", "1.4")
DEFAULT_VERSION = "1.3"

# File-name stems of the DTD suites in schemas/dtd-X.Y/, keyed by (tag set, OASIS tables).
_DTD_STEMS = {
    ("archiving", False): "archivearticle",
    ("archiving", True): "archive-oasis-article",
    ("publishing", False): "journalpublishing",
    ("publishing", True): "journalpublishing-oasis-article",
    ("authoring", False): "articleauthoring",
}


class XmlParseError(JatsflowError):
    """The file cannot be read or is not well-formed XML."""


class UnsafeXmlError(JatsflowError):
    """The file asks the parser to read something besides itself (XXE) or to expand entities."""


@dataclass(frozen=True)
class DtdChoice:
    """The local DTD a document is checked against; ``note`` says why when it is not exact."""

    path: Path
    label: str
    note: str = ""


def _basename(url: str | None) -> str:
    return (url or "").rsplit("/", 1)[-1]


def choose_dtd(tree: etree._ElementTree) -> DtdChoice:
    """Pick the DTD in schemas/ from the DOCTYPE public/system id or ``@dtd-version``.

    The system id is only a hint for the tag set and is never opened. A version schemas/ does not
    carry falls back to the nearest carried one and the note says so, so nobody mistakes a JATS 1.1
    file checked against 1.3 for a 1.1-valid file.
    """
    public_id = tree.docinfo.public_id or ""
    hint = f"{public_id} {_basename(tree.docinfo.system_url)}".lower()
    tagset = next((t for t in ("publishing", "authoring") if t in hint), "archiving")
    oasis = "oasis" in hint and tagset != "authoring"
    mathml3 = "mathml3" in hint
    match = re.search(r"\bv(\d+\.\d+)", public_id) or re.match(
        r"(\d+\.\d+)", tree.getroot().get("dtd-version", "")
    )
    version = match.group(1) if match else None
    number = tuple(int(part) for part in version.split(".")) if version else None

    if number is None:
        chosen = DEFAULT_VERSION
        note = "no version in DOCTYPE or @dtd-version; using the project default"
    elif version in CARRIED_VERSIONS:
        chosen, note = version, ""
    elif number >= (2, 0) or number < (1, 3):
        # NLM 2.x/3.0 and JATS 1.0-1.2 precede 1.3; later JATS versions add far more than they drop.
        chosen = CARRIED_VERSIONS[0]
        family = "NLM" if number >= (2, 0) else "JATS"
        note = f"no DTD for {family} {version} in schemas/; checked against {chosen}, the next one"
    else:
        chosen = CARRIED_VERSIONS[-1]
        note = (
            f"no DTD for JATS {version} in schemas/; checked against {chosen}, the newest carried "
            f"(elements added after {chosen} show as errors)"
        )

    variant = "-mathml3" if mathml3 else ""
    name = f"JATS-{_DTD_STEMS[tagset, oasis]}{chosen.replace('.', '-')}{variant}.dtd"
    extras = (" OASIS" if oasis else "") + (" MathML3" if mathml3 else "")
    label = f"JATS {chosen} {tagset.capitalize()}{extras}"
    return DtdChoice(SCHEMAS_DIR / f"dtd-{chosen}" / name, label, note)


class _CatalogResolver(etree.Resolver):
    """Lets the parser read the document's DTD only from schemas/; records every other request."""

    def __init__(self, doctype: etree.DocInfo | None, dtd: Path | None) -> None:
        super().__init__()
        self.doctype = doctype
        self.dtd = dtd
        self.refused: list[str] = []

    def resolve(self, system_url, public_id, context):  # lxml's callback signature
        if self.dtd is not None and self.doctype is not None:
            if (public_id and public_id == self.doctype.public_id) or (
                _basename(system_url) == _basename(self.doctype.system_url)
            ):
                return self.resolve_filename(str(self.dtd), context)
            path = Path((system_url or "").removeprefix("file://"))
            if path.is_absolute() and path.resolve().is_relative_to(SCHEMAS_DIR):
                return self.resolve_filename(str(path), context)
        self.refused.append(system_url)
        return self.resolve_string("", context)


def _parse_once(
    data: bytes, name: str, base_url: str | None, doctype: etree.DocInfo | None, dtd: Path | None
) -> tuple[etree._ElementTree, bool]:
    """One locked-down libxml2 pass; returns the tree and whether it met undeclared entities."""
    parser = etree.XMLParser(
        load_dtd=dtd is not None,
        resolve_entities=dtd is not None,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
        attribute_defaults=False,
    )
    resolver = _CatalogResolver(doctype, dtd)
    parser.resolvers.add(resolver)
    try:
        root = etree.fromstring(data, parser, base_url=base_url)
    except etree.XMLSyntaxError as exc:
        if re.search(r"amplification|entity reference loop", str(exc)):
            # libxml2's own guard fires while reading the declarations of a large bomb.
            raise UnsafeXmlError(f"{name}: refused: billion-laughs entities ({exc})") from None
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise XmlParseError(f"{name}: not well-formed XML: {first_line}") from None
    if resolver.refused:
        raise UnsafeXmlError(
            f"{name}: refused to read {resolver.refused[0]!r}; jatsflow reads only its own schemas/"
        )
    undeclared = any(entry.type_name == "WAR_UNDECLARED_ENTITY" for entry in parser.error_log)
    return root.getroottree(), undeclared


def _refuse_entity_declarations(tree: etree._ElementTree, name: str) -> None:
    """Refuse every entity declared in the internal subset: XXE and entity bombs live there."""
    subset = tree.docinfo.internalDTD
    entities = list(subset.iterentities()) if subset is not None else []
    external = [entity for entity in entities if entity.system_url]
    if external:
        raise UnsafeXmlError(
            f"{name}: refused: declares external entity {external[0].name!r} "
            f"(SYSTEM {external[0].system_url!r}); jatsflow never reads external entities"
        )
    if entities:
        names = ", ".join(entity.name for entity in entities[:4]) + (", ..." * (len(entities) > 4))
        raise UnsafeXmlError(
            f"{name}: refused: declares its own entities ({names})"
            "; entity expansion is disabled to rule out billion-laughs attacks"
        )


def parse_xml(source: Path | str | bytes) -> etree._ElementTree:
    """Parse a file path or XML bytes safely; raise XmlParseError or UnsafeXmlError (one line).

    A ``str`` is always a local path, never a URL. Named entities from the document's DTD
    (``&nbsp;``) are resolved by a second pass that loads the matching DTD from schemas/ only.
    """
    if isinstance(source, bytes):
        data, name, base_url = source, "<bytes>", None
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise XmlParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
        name, base_url = str(path), str(path.resolve())

    tree, undeclared = _parse_once(data, name, base_url, None, None)
    _refuse_entity_declarations(tree, name)
    if not undeclared:
        return tree
    # With the DTD loaded, an entity it does not declare either is a well-formedness error.
    return _parse_once(data, name, base_url, tree.docinfo, choose_dtd(tree).path)[0]
