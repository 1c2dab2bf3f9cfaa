"""parse_xml refuses XXE and entity bombs, reads nothing outside schemas/, and fails in one line."""

from pathlib import Path

import pytest

from flows.errors import JatsflowError
from flows.xmlsafe import UnsafeXmlError, XmlParseError, parse_xml

JATS_PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN"


def _billion_laughs(levels: int) -> bytes:
    """The classic bomb: each entity is ten of the previous one, so 10**levels copies of "lol"."""
    declarations = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels + 1)
    ]
    return f'<!DOCTYPE lolz [{"".join(declarations)}]><lolz>&lol{levels};</lolz>'.encode()


def _write(tmp_path: Path, text: str | bytes, name: str = "doc.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize(
    "declaration, shown",
    [
        ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "file:///etc/passwd"),
        ('<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret.txt">', "http://127.0.0.1:9/secret.txt"),
        ('<!ENTITY % xxe SYSTEM "file:///etc/passwd"> %xxe;', "file:///etc/passwd"),
    ],
    ids=["file", "http", "parameter-entity"],
)
def test_external_entities_are_refused(tmp_path: Path, declaration: str, shown: str) -> None:
    path = _write(tmp_path, f"<!DOCTYPE article [{declaration}]><article><p>&xxe;</p></article>")
    with pytest.raises(UnsafeXmlError) as caught:
        parse_xml(path)
    message = str(caught.value)
    assert "external entity 'xxe'" in message and shown in message
    assert "\n" not in message and "root:" not in message  # one line, no file contents


@pytest.mark.parametrize("levels", [3, 9], ids=["small", "large"])
def test_billion_laughs_is_refused_without_expanding(tmp_path: Path, levels: int) -> None:
    """A small bomb is caught by our own check, a large one already by libxml2's limit."""
    with pytest.raises(UnsafeXmlError, match="billion-laughs") as caught:
        parse_xml(_write(tmp_path, _billion_laughs(levels)))
    assert "\n" not in str(caught.value)


def test_errors_are_project_errors_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(XmlParseError) as caught:
        parse_xml(_write(tmp_path, "<article><p>unclosed</article>"))
    assert isinstance(caught.value, JatsflowError)
    assert "not well-formed" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(XmlParseError, match="cannot read"):
        parse_xml(tmp_path / "missing.xml")


def test_accepts_path_str_and_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path, '<article xml:lang="en"><p>x</p></article>')
    for source in (path, str(path), path.read_bytes()):
        assert parse_xml(source).getroot().findtext("p") == "x"


def test_named_entities_come_from_the_project_dtd_only(tmp_path: Path) -> None:
    """&nbsp; is defined by the JATS DTD; the DOCTYPE's own DTD file must never be read."""
    _write(tmp_path, '<!ENTITY nbsp "EVIL">', "JATS-archivearticle1-3.dtd")
    doctype = f'<!DOCTYPE article PUBLIC "{JATS_PUBLIC_ID}" "JATS-archivearticle1-3.dtd">'
    tree = parse_xml(_write(tmp_path, f"{doctype}<article><p>a&nbsp;b&mdash;c</p></article>"))
    assert tree.getroot().findtext("p") == "a\u00a0b\u2014c"


def test_entity_unknown_to_the_dtd_is_a_parse_error(tmp_path: Path) -> None:
    doctype = f'<!DOCTYPE article PUBLIC "{JATS_PUBLIC_ID}" "http://example.org/x.dtd">'
    with pytest.raises(XmlParseError, match="'nosuchentity' not defined"):
        parse_xml(_write(tmp_path, f"{doctype}<article><p>&nosuchentity;</p></article>"))


def test_doctype_system_id_is_not_fetched(tmp_path: Path) -> None:
    """A DOCTYPE pointing at a URL parses offline: without entities nothing needs the DTD."""
    doctype = '<!DOCTYPE article SYSTEM "http://127.0.0.1:9/never.dtd">'
    tree = parse_xml(_write(tmp_path, f"{doctype}<article><p>x</p></article>"))
    assert tree.docinfo.system_url == "http://127.0.0.1:9/never.dtd"
