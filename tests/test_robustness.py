"""Bad inputs fail with one clear line and publish nothing; earlier outputs survive.

Most cases call ``extract_pdf`` (and ``parse_xml``/``run_validate``) directly, because each
``jatsflow publish`` costs a Prefect start-up; three command-line runs then check what staff see:
exit status 1, one ``jatsflow:`` line per failed PDF, no traceback, no partial folder, and a
previously published folder with the same name left byte for byte as it was.

The bad PDFs are built here from a small WeasyPrint report: encrypted (with and without a user
password), truncated, overwritten, not PDFs at all, without pages, scanned (an image and no
text), with fonts whose text maps to nothing readable, and over the page and size limits.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import build_pdf, run_cli, small_report_html
from pypdf import PdfWriter

from flows.errors import JatsflowError
from flows.extract import Limits, PdfInputError, extract_pdf
from flows.validate import run_validate
from flows.xmlsafe import UnsafeXmlError, parse_xml

Name, Dictionary, Array = pikepdf.Name, pikepdf.Dictionary, pikepdf.Array


def publishable_html() -> str:
    """The small test report with a cover page carrying series, date and copyright, so the
    JATS it gives passes validation and ``jatsflow publish`` succeeds on it."""
    cover = """<section class="cover">
<p class="first" style="font-family: 'DejaVu Sans'; font-size: 26pt">Water Policy Papers</p>
<p class="first">Test Series Occasional Paper #12</p><p class="first">May 2024</p>
<p class="first">© 2024 The Test Institute</p></section>
<section class="part">"""
    html = small_report_html().replace('<section class="part">', cover, 1)
    return html.replace("section.part + section.part", "section + section.part").replace(
        '<p class="byline">Ada', '<p class="byline">By Ada')


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> Path:
    return build_pdf(publishable_html(), tmp_path_factory.mktemp("good") / "report.pdf")


def _save(pdf: pikepdf.Pdf, path: Path) -> Path:
    pdf.save(path)
    return path


def encrypted(source: Path, path: Path, user: str, algorithm: str = "AES-256") -> Path:
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def scanned(path: Path, pages: int = 2) -> Path:
    """What a scanner without OCR writes: each page one picture, no text operators."""
    pdf = pikepdf.new()
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(120) for x in range(90))
    for _ in range(pages):
        image = pdf.make_stream(pixels, Type=Name.XObject, Subtype=Name.Image, Width=90,
                                Height=120, ColorSpace=Name.DeviceGray, BitsPerComponent=8)
        pdf.pages.append(pikepdf.Page(Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, 595, 842]),
            Resources=Dictionary(XObject=Dictionary(Im0=image)),
            Contents=pdf.make_stream(b"q 540 0 0 790 27 26 cm /Im0 Do Q"))))
    return _save(pdf, path)


PUA_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Nonsense def 1 begincodespacerange <0000> <FFFF> endcodespacerange
1 beginbfrange <0000> <FFFF> <E000> endbfrange endcmap
CMapName currentdict /CMap defineresource pop end end"""


def garbled_private_use(source: Path, path: Path) -> Path:
    """Every font's ToUnicode sends its glyphs to the Private Use Area."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            for _, font in page.Resources.Font.items():
                font.ToUnicode = pdf.make_stream(PUA_CMAP)
        return _save(pdf, path)


def garbled_without_tounicode(source: Path, path: Path) -> Path:
    """Subset fonts with no ToUnicode: the text comes out as glyph numbers ("3UHIDFH")."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            for _, font in page.Resources.Font.items():
                if "/ToUnicode" in font:  # fonts are shared between pages
                    del font["/ToUnicode"]
        return _save(pdf, path)


def garbled_custom_encoding(path: Path, glyphs: Callable[[int], str]) -> Path:
    """A simple font, no ToUnicode, whose /Differences give every code a made-up glyph name."""
    pdf = pikepdf.new()
    names = [Name("/" + glyphs(i)) for i in range(95)]
    font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/Helvetica"),
        Encoding=Dictionary(Type=Name.Encoding, Differences=Array([32, *names]))))
    lines = [b"(Rivers and rates in three cities) Tj",
             b"(Municipal water boards weigh tariffs against backlogs.) Tj"] * 12
    content = b"BT /F1 11 Tf 14 TL 72 760 Td " + b" T* ".join(lines) + b" ET"
    pdf.pages.append(pikepdf.Page(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, 612, 792]),
        Resources=Dictionary(Font=Dictionary(F1=font)), Contents=pdf.make_stream(content))))
    return _save(pdf, path)


def zero_pages(path: Path) -> Path:
    return _save(pikepdf.new(), path)


def padded(source: Path, path: Path, extra: int) -> Path:
    """The same report made larger by an unused stream (as embedded fonts or images do)."""
    with pikepdf.open(source) as pdf:
        pdf.Root.JunkData = pdf.make_stream(os.urandom(extra))
        pdf.save(path, compress_streams=False)
    return path


def _refused(path: Path, limits: Limits | None = None) -> str:
    """The one-line message extract_pdf refuses ``path`` with."""
    with pytest.raises(PdfInputError) as caught:
        extract_pdf(path, limits or Limits())
    message = str(caught.value)
    assert isinstance(caught.value, JatsflowError)
    assert "\n" not in message and message.startswith(f"{path}: "), message
    return message


def _text(path: Path) -> str:
    return " ".join(r.text for p in extract_pdf(path).pages for r in p.runs)


# --- encryption -------------------------------------------------------------------------------

ALGORITHMS = ["RC4-40", "RC4-128", "AES-128", "AES-256"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_empty_user_password_opens_with_the_same_text(good_pdf: Path, tmp_path: Path,
                                                      algorithm: str) -> None:
    path = encrypted(good_pdf, tmp_path / "open.pdf", "", algorithm)
    assert _text(path) == _text(good_pdf)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_user_password_is_refused(good_pdf: Path, tmp_path: Path, algorithm: str) -> None:
    message = _refused(encrypted(good_pdf, tmp_path / "locked.pdf", "secret", algorithm))
    assert "encrypted PDF; a password is needed" in message


def test_pikepdf_encryption_r6_with_user_password(good_pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "qpdf-locked.pdf"
    with pikepdf.open(good_pdf) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="u", owner="o", R=6))
    assert "encrypted" in _refused(path)


# --- damaged files and files that are not PDFs ------------------------------------------------


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, -20])
def test_truncated(good_pdf: Path, tmp_path: Path, keep: float) -> None:
    data = good_pdf.read_bytes()
    end = int(len(data) * keep) if keep > 0 else len(data) + int(keep)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:end])
    assert "truncated or corrupt PDF (no %%EOF at the end" in _refused(path)


@pytest.mark.parametrize("damage", ["zeros", "noise", "header-only", "html-after-header"])
def test_corrupt(good_pdf: Path, tmp_path: Path, damage: str) -> None:
    data = good_pdf.read_bytes()
    body = slice(16, len(data) - 64)  # keep the header and the trailer's %%EOF
    if damage == "zeros":
        data = data[:body.start] + bytes(body.stop - body.start) + data[body.stop:]
    elif damage == "noise":
        noise = bytes((i * 7919) % 251 for i in range(body.stop - body.start))
        data = data[:body.start] + noise + data[body.stop:]
    elif damage == "header-only":
        data = b"%PDF-1.7\n%%EOF\n"
    else:
        data = b"%PDF-1.4\n<html><body>Moved permanently</body></html>\n%%EOF\n"
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data)
    assert "corrupt or unreadable PDF" in _refused(path)


@pytest.mark.parametrize("content", [
    b"", b"just some notes\n", b"\x89PNG\r\n\x1a\n" + bytes(200), b"PK\x03\x04" + bytes(100),
    b"<html><body>Not found</body></html>", b"%!PS-Adobe-3.0\n%%EOF\n",
], ids=["empty", "text", "png", "zip", "html", "postscript"])
def test_not_a_pdf(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    assert "not a PDF (no %PDF- header)" in _refused(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in _refused(tmp_path / "absent.pdf")
    assert "no such file" in _refused(tmp_path)


def test_junk_before_the_header_is_tolerated(good_pdf: Path, tmp_path: Path) -> None:
    """Readers look for %PDF- in the first 1024 bytes; gateways sometimes prepend a few."""
    path = tmp_path / "prefixed.pdf"
    path.write_bytes(b"X-Mailer junk\r\n" * 10 + good_pdf.read_bytes())
    assert _text(path) == _text(good_pdf)


def test_zero_pages(tmp_path: Path) -> None:
    assert "the PDF has no pages" in _refused(zero_pages(tmp_path / "empty.pdf"))


# --- no usable text ---------------------------------------------------------------------------


@pytest.mark.parametrize("pages", [1, 3])
def test_scan_without_text_layer_needs_ocr(tmp_path: Path, pages: int) -> None:
    message = _refused(scanned(tmp_path / "scan.pdf", pages))
    assert "no text layer" in message and "OCR" in message


@pytest.mark.parametrize("build", [
    lambda src, dst: garbled_private_use(src, dst),
    lambda src, dst: garbled_without_tounicode(src, dst),
    lambda src, dst: garbled_custom_encoding(dst, lambda i: f"g{i}"),
    lambda src, dst: garbled_custom_encoding(dst, lambda i: f"uniE{i:03X}"),
], ids=["tounicode-to-private-use", "no-tounicode", "differences-nonsense-names",
        "differences-private-use-names"])
def test_text_without_unicode_mapping_is_detected(good_pdf: Path, tmp_path: Path, build) -> None:
    message = _refused(build(good_pdf, tmp_path / "garbled.pdf"))
    assert "no usable Unicode mapping" in message


def test_the_real_report_is_not_mistaken_for_garbled() -> None:
    """The detector must not refuse a real report: its symbols, digits and notes are fine."""
    from conftest import REPORT_PDF

    assert extract_pdf(REPORT_PDF).page_count == 53


# --- limits -----------------------------------------------------------------------------------


def test_page_limit_is_inclusive(good_pdf: Path) -> None:
    pages = extract_pdf(good_pdf).page_count
    assert extract_pdf(good_pdf, Limits(max_pages=pages)).page_count == pages
    message = _refused(good_pdf, Limits(max_pages=pages - 1))
    assert f"{pages} pages is over the limit of {pages - 1}" in message


def test_size_limit_is_checked_before_reading(good_pdf: Path, tmp_path: Path) -> None:
    size = good_pdf.stat().st_size
    assert extract_pdf(good_pdf, Limits(max_bytes=size)).page_count > 1
    assert f"{size} bytes is over the limit of {size - 1}" in _refused(
        good_pdf, Limits(max_bytes=size - 1))
    # Not even opened: a huge non-PDF is refused for its size, not its content.
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * 4096)
    assert "over the limit" in _refused(big, Limits(max_bytes=1024))


# --- XML: external entities and entity bombs ---------------------------------------------------

LAUGHS = ('<!DOCTYPE article [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                    for i in range(9))
          + ']><article><body><p>&j;</p></body></article>')
UNSAFE_XML = {
    "xxe-file": '<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                "<article><body><p>&x;</p></body></article>",
    "xxe-parameter": '<!DOCTYPE article [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
                     "<article/>",
    "xxe-network": '<!DOCTYPE article [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
                   "<article>&x;</article>",
    "billion-laughs": LAUGHS,
    "quadratic-blowup": f'<!DOCTYPE article [<!ENTITY big "{"A" * 50_000}">]>'
                        f"<article><body><p>{'&big;' * 20_000}</p></body></article>",
}


@pytest.mark.parametrize("name", sorted(UNSAFE_XML))
def test_unsafe_xml_is_refused_quickly(tmp_path: Path, name: str, capsys) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_text(UNSAFE_XML[name])
    start = time.perf_counter()
    with pytest.raises(UnsafeXmlError) as caught:
        parse_xml(path)
    assert time.perf_counter() - start < 2
    assert "\n" not in str(caught.value) and "refused" in str(caught.value)
    out = io.StringIO()
    assert run_validate([path], out=out) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"jatsflow: {path}: refused"), errors
    assert "root:" not in out.getvalue() + errors[0]


def test_doctype_system_id_is_never_opened(tmp_path: Path) -> None:
    """A DOCTYPE naming a local file gets the project's DTD for its entities, not that file."""
    path = tmp_path / "doctype.xml"
    path.write_text('<!DOCTYPE article SYSTEM "file:///etc/passwd"><article>a&nbsp;b</article>')
    assert parse_xml(path).getroot().text == "a\u00a0b"


def test_xinclude_is_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "xinclude.xml"
    path.write_text('<article xmlns:xi="http://www.w3.org/2001/XInclude"><body><p>'
                    '<xi:include href="/etc/passwd" parse="text"/></p></body></article>')
    out = io.StringIO()
    run_validate([path], out=out)
    assert "root:" not in out.getvalue()


# --- through the command line -----------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    """Hidden work files left in an output folder; each document's lock file is meant to stay
    (removing it while another run waits on it would let a third run in beside that one)."""
    return sorted(p.name for p in out.iterdir()
                  if p.name.startswith(".") and not p.name.endswith(".lock"))


@pytest.mark.slow
def test_cli_bad_inputs_fail_cleanly_and_keep_earlier_outputs(good_pdf: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    # First run: the report, and a copy encrypted with an empty user password, both publish.
    opened = encrypted(good_pdf, tmp_path / "opened.pdf", "")
    first = run_cli("publish", str(good_pdf), str(opened), "--out", str(out))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    assert (out / "opened" / "opened.xml").is_file()
    before = _snapshot(out / "report")
    assert "report.xml" in before and "report.pdf" in before

    # Second run: bad inputs, one of them named report.pdf like the published one (a batch
    # refuses two inputs with one name, so the others have their own).
    bad = tmp_path / "bad"
    bad.mkdir()
    cut = bad / "cut.pdf"
    cut.write_bytes(good_pdf.read_bytes()[:5000])
    (bad / "notes.pdf").write_text("minutes of the meeting")
    six = bad / "six.pdf"
    six.write_bytes(good_pdf.read_bytes())
    cases = {
        encrypted(good_pdf, bad / "report.pdf", "secret"): "encrypted PDF; a password is needed",
        cut: "truncated or corrupt PDF",
        scanned(bad / "scan.pdf"): "no text layer",
        garbled_custom_encoding(bad / "garbled.pdf", lambda i: f"uniE{i:03X}"):
            "no usable Unicode mapping",
        bad / "notes.pdf": "not a PDF",
        zero_pages(bad / "empty.pdf"): "has no pages",
        padded(good_pdf, bad / "big.pdf", 1_200_000): "over the limit of 1048576",
        six: "pages is over the limit of 3",
    }
    args = ["publish", *map(str, cases), "--out", str(out), "--max-pages", "3", "--max-mb", "1"]
    second = run_cli(*args)
    assert second.returncode == 1
    assert "Traceback" not in second.stderr, second.stderr[-3000:]
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(lines) == len(cases), second.stderr[-3000:]
    for path, reason in cases.items():
        mine = [line for line in lines if line.startswith(f"jatsflow: {path}: ")]
        assert len(mine) == 1 and reason in mine[0], (path, lines)
    assert _snapshot(out / "report") == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "archive", "opened", "report"]
    assert sorted(p.name for p in (out / "archive").iterdir()
                  if not p.name.startswith(".")) == ["opened", "report"]
    assert _leftovers(out) == [] and _leftovers(out / "archive") == []


@pytest.mark.slow
def test_cli_validate_refuses_entities_in_one_line(tmp_path: Path) -> None:
    paths = []
    for name in ("xxe-file", "billion-laughs"):
        paths.append(tmp_path / f"{name}.xml")
        paths[-1].write_text(UNSAFE_XML[name])
    result = run_cli("validate", *map(str, paths), timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "root:" not in result.stdout + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("jatsflow:")]
    assert len(lines) == 2
    assert lines[0].startswith(f"jatsflow: {paths[0]}: refused: declares external entity 'x'")
    assert lines[1].startswith(f"jatsflow: {paths[1]}: refused")
