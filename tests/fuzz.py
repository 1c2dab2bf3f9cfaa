"""Seeded fuzzing of jatsflow's two front doors: PDF → JATS and JATS → validation and text.

jatsflow reads files it did not write. Every failure on bad input must be a JatsflowError with a
one-line message (the CLI prints it); any other exception is a bug, and a case that runs for
seconds on a two-page input is a denial of service. This module mutates small real documents at
the byte level and at the object level (pikepdf for PDFs, lxml for JATS), runs each case through
the stage functions under a per-case time limit and counts what happened.

``tests/test_fuzz.py`` runs a fixed sample in CI. A longer campaign::

    .venv/bin/python tests/fuzz.py 20000 [--seed 7] [--kind pdf|jats|both] [--save DIR]
    .venv/bin/python tests/fuzz.py --replay pdf:1234 [--seed 7]   # one case, with traceback

Every case is generated from ``random.Random(f"{seed}:{kind}:{index}")``, so a case is named by
its seed and index alone and replays identically.
"""

from __future__ import annotations

import argparse
import copy
import logging
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pikepdf
from lxml import etree
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flows.errors import JatsflowError  # noqa: E402
from flows.extract import Limits, extract_pdf  # noqa: E402
from flows.jats import build_jats, serialize  # noqa: E402
from flows.layout import analyse_layout  # noqa: E402
from flows.model import SourceInfo  # noqa: E402
from flows.render_text import render_text  # noqa: E402
from flows.segment import segment  # noqa: E402
from flows.validate import validate_jats  # noqa: E402
from flows.xmlsafe import parse_xml  # noqa: E402

REPORT_PDF = ROOT / "source" / "nbr79.pdf"
REPORT_SLICE = (3, 5, 6)  # title page, a foreword page with notes, an essay's first page
PAIR_JATS = ROOT.parent / "shared" / "pairs" / "jose.00090" / "paper.jats.xml"
CASE_SECONDS = 5.0
FUZZ_LIMITS = Limits(max_pages=50, max_bytes=20 * 1024 * 1024)

SEED_HTML = """<html lang="en"><head><style>
@page { size: A5; margin: 18mm 15mm;
        @top-right { content: "Fuzz Series Paper"; font-size: 7pt; }
        @bottom-center { content: counter(page); font-size: 8pt; } }
body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.4; }
h1, h2 { font-family: 'DejaVu Sans'; } h1 { font-size: 18pt; } h2 { font-size: 12pt; }
.fn { float: footnote; font-size: 7.5pt; }
.fn::footnote-call { content: counter(footnote); vertical-align: super; font-size: 6pt; }
</style></head><body>
<h1>Rivers and Rates</h1><p><b>Ada Example</b></p><p>May 2024</p>
<h2>Summary</h2>
<p>Utilities set tariffs<span class="fn">See https://example.org/tariffs.</span> with
<i>great care</i> each year. {filler}</p>
<ul><li>Meters in every house.</li><li>Pumps on every hill.</li></ul>
<h2>Maintenance</h2><p>{filler}<span class="fn">A second note.</span> The end.</p>
</body></html>"""
FILLER = "Municipal water boards weigh tariffs against maintenance backlogs every year. " * 14


# --- seeds ------------------------------------------------------------------------------------


def _pdf_bytes(write: Callable[[BytesIO], object]) -> bytes:
    buffer = BytesIO()
    write(buffer)
    return buffer.getvalue()


def _uncompressed(data: bytes) -> bytes:
    """The same PDF with plain streams and no object streams, so byte mutations hit operators,
    dictionaries and the xref table instead of only breaking deflate checksums."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return _pdf_bytes(lambda out: pdf.save(
            out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True))


def report_slice(pages: tuple[int, ...] = REPORT_SLICE) -> bytes:
    """A few pages of the real report: its fonts, notes and running heads, at fuzzing speed."""
    reader = PdfReader(REPORT_PDF)
    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    return _pdf_bytes(writer.write)


def pdf_seeds() -> dict[str, bytes]:
    """Small real PDFs: a two-page WeasyPrint report and a three-page slice of the report,
    each also in an uncompressed form."""
    from weasyprint import HTML

    weasy = HTML(string=SEED_HTML.replace("{filler}", FILLER)).write_pdf()
    nbr = report_slice()
    return {"weasy": weasy, "weasy-raw": _uncompressed(weasy), "nbr": nbr,
            "nbr-raw": _uncompressed(nbr)}


def jats_seeds(pdfs: dict[str, bytes]) -> dict[str, bytes]:
    """Valid-ish JATS to mutate: ours (from the PDF seeds), the test sample, a publisher's file."""
    seeds: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("weasy", "nbr"):
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(pdfs[name])
            seeds[f"ours-{name}"] = _pipeline(path)
    sys.path.insert(0, str(ROOT / "tests"))
    from sample_jats import sample_jats

    seeds["sample"] = etree.tostring(sample_jats(), xml_declaration=True, encoding="UTF-8")
    if PAIR_JATS.is_file():
        seeds["pair"] = PAIR_JATS.read_bytes()
    return seeds


# --- the pipelines under test ---------------------------------------------------------------


def _pipeline(path: Path) -> bytes:
    """extract → layout → segment → JATS, as publish.py chains them."""
    extracted = extract_pdf(path, FUZZ_LIMITS)
    document = segment(analyse_layout(extracted),
                       SourceInfo(path.name, extracted.sha256, extracted.page_count))
    return serialize(build_jats(document))


def _jats_pipeline(data: bytes) -> None:
    """parse → DTD and rules → plain text (which goes through the HTML renderer)."""
    tree = parse_xml(data)
    valid = validate_jats(tree).valid
    try:
        render_text(tree)
    except JatsflowError:
        raise
    except Exception as exc:
        exc.add_note("on DTD-valid JATS" if valid else "on DTD-invalid JATS")
        raise


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so no library's ``except Exception`` swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a case that runs too long (only effective in the main thread)."""
    def alarm(signum, frame):
        raise CaseTimeout(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What one case did: ``ok``, ``refused`` (a JatsflowError), ``escaped`` or ``timeout``."""

    kind: str
    detail: str
    recipe: str
    seconds: float
    trace: str = ""


def _message_shape(exc: BaseException) -> str:
    """The error's class and message with paths and numbers blanked, for counting."""
    message = " ".join(str(exc).split(": ", 1)[-1].split())
    message = re.sub(r"\d+", "N", message)[:70]
    return f"{type(exc).__name__}: {message}"


def _where(exc: BaseException) -> str:
    """The innermost jatsflow frame an exception passed through: whose bug it is."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/flows/" in f.filename]
    if not frames:
        return "[?]"
    return f"[{Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].name}]"


def run_case(function: Callable[[], object], recipe: str,
             limit: float = CASE_SECONDS) -> Outcome:
    start = time.perf_counter()
    try:
        with time_limit(limit):
            function()
    except JatsflowError as exc:
        kind, detail, trace = "refused", _message_shape(exc), ""
        if "\n" in str(exc):
            kind, detail = "escaped", f"multi-line message: {_message_shape(exc)}"
            trace = str(exc)
    except CaseTimeout:
        kind, detail, trace = "timeout", f"over {limit:g} s", traceback.format_exc()
    except Exception as exc:  # noqa: BLE001 - counting unexpected failures is the point
        kind, trace = "escaped", traceback.format_exc()
        notes = " ".join(getattr(exc, "__notes__", []))
        detail = f"{_where(exc)} {type(exc).__name__}: {exc} {notes}"[:200]
    else:
        kind, detail, trace = "ok", "ok", ""
    seconds = time.perf_counter() - start
    if kind != "timeout" and seconds > limit:
        kind, detail = "timeout", f"took {seconds:.1f} s"
    return Outcome(kind, detail, recipe, seconds, trace)


# --- byte mutations (PDF and XML) -----------------------------------------------------------

TOKENS = [b"0", b"-1", b"4294967296", b"99999999999999999999", b"1e308", b"-0.0", b"null",
          b"/Foo", b"<<", b">>", b"[", b"]", b"(", b")", b"<", b"obj", b"endobj", b"stream",
          b"endstream", b"R", b"0 0 R", b"9999 0 R", b"%%EOF", b"xref", b"trailer", b"\\",
          b"\x00", b"\xff\xfe", b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"cm", b"q", b"Q", b"Do"]


def flip_bits(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return b"<", "grow empty"
    out = bytearray(data)
    count = rng.choice((1, 2, 4, 8, 32))
    for _ in range(count):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out), f"flip {count} bits"


def insert_token(rng: random.Random, data: bytes, tokens: list[bytes] = TOKENS
                 ) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    token = rng.choice(tokens)
    end = at + rng.choice((0, 0, 1, len(token)))
    return data[:at] + token + data[end:], f"token {token[:12]!r} at {at}"


def truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if len(data) < 2:
        return data, "too short to cut"
    at = rng.choice((rng.randrange(len(data)), len(data) - rng.randrange(1, 200),
                     rng.randrange(1, 64)))
    at = max(1, min(at, len(data) - 1))
    return data[:at], f"truncate at {at}"


def cut_range(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return data, "empty"
    start = rng.randrange(len(data))
    length = rng.choice((1, 16, 256, 4096))
    return data[:start] + data[start + length:], f"delete {length} at {start}"


def duplicate_range(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return data, "empty"
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.choice((8, 128, 2048))]
    at = rng.randrange(len(data))
    return data[:at] + chunk + data[at:], f"copy {len(chunk)} from {start} to {at}"


def change_number(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Offsets, lengths, object numbers and coordinates are all numbers: break one."""
    numbers = list(re.finditer(rb"-?\d+(?:\.\d+)?", data[:200_000]))
    if not numbers:
        return flip_bits(rng, data)
    match = rng.choice(numbers)
    new = rng.choice((b"0", b"-1", b"1", b"65535", b"2147483648", b"1e9", b"0.0001",
                      str(int(float(match.group()) * 2) + 1).encode()))
    return data[:match.start()] + new + data[match.end():], \
        f"number {match.group()[:12]!r}->{new!r} at {match.start()}"


BYTE_MUTATORS = [flip_bits, insert_token, truncate, cut_range, duplicate_range, change_number]


def splice(rng: random.Random, first: bytes, second: bytes) -> tuple[bytes, str]:
    a, b = rng.randrange(len(first) + 1), rng.randrange(len(second) + 1)
    return first[:a] + second[b:], f"splice {a}+{b}:"


# --- PDF object mutations (pikepdf) -----------------------------------------------------------

Name, Array, Dictionary = pikepdf.Name, pikepdf.Array, pikepdf.Dictionary


def _odd_value(rng: random.Random, pdf: pikepdf.Pdf):
    return rng.choice([
        0, -1, 10**9, -(10**9), 1.5, Name("/Garbage"), pikepdf.String("x" * 40), Array([]),
        Array([0, Name("/A"), pikepdf.String("s")]), Dictionary(), None,
        pdf.make_stream(b"\x00\xff garbage"),
    ])


def _pages(pdf: pikepdf.Pdf, rng: random.Random) -> pikepdf.Page:
    return pdf.pages[rng.randrange(len(pdf.pages))]


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every font dictionary reachable from the pages, descendants and descriptors included."""
    found: list[pikepdf.Dictionary] = []
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for _, font in fonts.items():
            found.append(font)
            for child in font.get("/DescendantFonts", Array()):
                found.append(child)
    return found


def drop_contents(rng, pdf) -> str:
    page = _pages(pdf, rng)
    del page.obj["/Contents"]
    return "drop /Contents"


def garbage_contents(rng, pdf) -> str:
    page = _pages(pdf, rng)
    junk = bytes(rng.randrange(256) for _ in range(rng.choice((10, 400))))
    page.obj.Contents = pdf.make_stream(junk)
    return "garbage /Contents"


NUMERIC_ODDITIES = [0, -1, 1e-9, 1e6, -1e6, 3.0e30, 65536]


def mutate_operators(rng, pdf) -> str:
    """Parse a page's content stream and change operands and operators."""
    page = _pages(pdf, rng)
    ops = list(pikepdf.parse_content_stream(page))
    if not ops:
        return "empty content"
    notes = []
    for _ in range(rng.choice((1, 3, 10))):
        i = rng.randrange(len(ops))
        operands, operator = list(ops[i].operands), ops[i].operator
        action = rng.randrange(6)
        if action == 0:
            del ops[i]
            notes.append(f"del {operator}")
            if not ops:
                break
            continue
        if action == 1:
            ops.insert(rng.randrange(len(ops)), ops[i])
            notes.append(f"dup {operator}")
            continue
        if action == 2 and operands:
            k = rng.randrange(len(operands))
            operands[k] = rng.choice(NUMERIC_ODDITIES + [Name("/Nope"), pikepdf.String("")])
            notes.append(f"{operator} operand {k}")
        elif action == 3:
            operator = pikepdf.Operator(rng.choice(["Tf", "Tm", "cm", "Td", "TJ", "Tj", "Tz",
                                                   "TL", "Ts", "Do", "BT", "ET", "q", "Q"]))
            notes.append(f"op->{operator}")
        elif action == 4:
            operands = [pikepdf.String(bytes(rng.randrange(256) for _ in range(12)))]
            operator = pikepdf.Operator(rng.choice(["Tj", "'"]))
            notes.append("random string")
        else:
            j = rng.randrange(len(ops))
            ops[i], ops[j] = ops[j], ops[i]
            notes.append("swap")
            continue
        ops[i] = pikepdf.ContentStreamInstruction(operands, operator)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    return "ops: " + ",".join(notes[:6])


FONT_KEYS = ["/Widths", "/FirstChar", "/LastChar", "/FontDescriptor", "/ToUnicode", "/Encoding",
             "/BaseFont", "/Subtype", "/DescendantFonts", "/W", "/DW", "/CIDToGIDMap",
             "/FontMatrix", "/CIDSystemInfo"]


def break_font(rng, pdf) -> str:
    fonts = _fonts(pdf)
    if not fonts:
        return "no fonts"
    font = rng.choice(fonts)
    key = rng.choice(FONT_KEYS)
    if rng.random() < 0.4:
        if key in font:
            del font[key]
        return f"font del {key}"
    value = _odd_value(rng, pdf)
    font[key] = value
    return f"font {key}={type(value).__name__}"


CMAPS = [
    b"begincmap 1 beginbfrange <0000> <FFFF> <E000> endbfrange endcmap",
    b"begincmap 1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange endcmap",
    b"begincmap 1 beginbfrange <0000> <0010> [<0041> <0042>] endbfrange endcmap",
    b"begincmap 2 beginbfchar <0003> <D800> <0004> <> endbfchar endcmap",
    b"begincmap 1 beginbfchar <03> <00410042004300440045> endbfchar endcmap",
    b"begincmap 1 begincodespacerange <00> endcodespacerange endcmap",
    b"begincmap beginbfrange <zz> endcmap",
    b"",
]


def break_tounicode(rng, pdf) -> str:
    fonts = [font for font in _fonts(pdf) if "/ToUnicode" in font]
    if not fonts:
        return "no ToUnicode"
    choice = rng.randrange(len(CMAPS))
    rng.choice(fonts).ToUnicode = pdf.make_stream(CMAPS[choice])
    return f"ToUnicode cmap #{choice}"


def break_encoding(rng, pdf) -> str:
    fonts = _fonts(pdf)
    if not fonts:
        return "no fonts"
    start = rng.choice((0, 32, 255, 256, -5, 10**6))
    names = [Name(rng.choice(("/A", "/space", "/g17", "/uniE000", "/.notdef", "/ffi", "/u1F600")))
             for _ in range(rng.choice((1, 20)))]
    encoding = rng.choice((Name("/Identity-H"), Name("/WinAnsiEncoding"), Name("/Nope"),
                           Dictionary(Differences=Array([start, *names])),
                           Dictionary(BaseEncoding=Name("/Bad"),
                                      Differences=Array([Name("/A"), 3]))))
    rng.choice(fonts).Encoding = encoding
    return f"encoding {' '.join(str(encoding).split())[:60]}"


BOXES = [[0, 0, 0, 0], [0, 0, -612, -792], [612, 792, 0, 0], [0, 0, 1e9, 1e9], [0, 0, 612],
         [100, 100, 101, 101], [-1e6, -1e6, 1e6, 1e6], [0, 0, 3.0e38, 10]]


def change_mediabox(rng, pdf) -> str:
    page = _pages(pdf, rng)
    key = rng.choice(("/MediaBox", "/MediaBox", "/CropBox", "/Rotate"))
    if key == "/Rotate":
        page.obj.Rotate = rng.choice((90, 45, -270, 10**9, Name("/R")))
        return f"/Rotate {page.obj.Rotate}"
    roll = rng.random()
    if roll < 0.1:
        if key in page.obj:
            del page.obj[key]
        return f"del {key}"
    value = Array(rng.choice(BOXES)) if roll < 0.8 else _odd_value(rng, pdf)
    page.obj[key] = value
    return f"{key}={' '.join(str(value).split())[:40]}"


def _form(pdf: pikepdf.Pdf, content: bytes, font=None) -> pikepdf.Stream:
    resources = Dictionary(XObject=Dictionary())
    if font is not None:
        resources.Font = Dictionary(F1=font)
    return pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form,
                           BBox=Array([0, 0, 612, 792]), Resources=resources)


def recursive_xobject(rng, pdf) -> str:
    """Form XObjects that draw themselves, each other, or a long chain."""
    page = _pages(pdf, rng)
    fonts = _fonts(pdf)
    font = fonts[0] if fonts else None
    text = b"BT /F1 9 Tf 50 50 Td (Loop text) Tj ET " if font is not None else b""
    shape = rng.choice(("self", "pair", "chain"))
    if shape == "self":
        form = _form(pdf, text + b"/Fx Do", font)
        form.Resources.XObject.Fx = form
        first = form
    elif shape == "pair":
        a, b = _form(pdf, text + b"/Fb Do", font), _form(pdf, b"/Fa Do")
        a.Resources.XObject.Fb, b.Resources.XObject.Fa = b, a
        first = a
    else:
        first = _form(pdf, text)
        for _ in range(rng.choice((50, 300))):
            outer = _form(pdf, b"q /Fx Do Q")
            outer.Resources.XObject.Fx = first
            first = outer
    if "/Resources" not in page.obj:
        page.obj.Resources = Dictionary()
    if "/XObject" not in page.obj.Resources:
        page.obj.Resources.XObject = Dictionary()
    page.obj.Resources.XObject.Fx = first
    page.contents_add(pdf.make_stream(b"q /Fx Do Q"), prepend=rng.random() < 0.5)
    return f"xobject {shape}"


def break_resources(rng, pdf) -> str:
    page = _pages(pdf, rng)
    target = rng.choice(("/Resources", "/Font", "/XObject"))
    if target == "/Resources":
        page.obj.Resources = _odd_value(rng, pdf)
    else:
        resources = page.obj.get("/Resources")
        if isinstance(resources, Dictionary):
            resources[target] = _odd_value(rng, pdf)
    return f"{target} odd"


def break_page_tree(rng, pdf) -> str:
    root = pdf.Root.Pages
    action = rng.randrange(5)
    if action == 0:
        root.Kids.append(root)
        return "kids loop"
    if action == 1:
        root.Count = rng.choice((0, -3, 10**9))
        return f"/Count {root.Count}"
    if action == 2:
        page = _pages(pdf, rng)
        page.obj.Type = Name("/Pages")
        return "page typed /Pages"
    if action == 3:
        root.Kids.append(rng.choice((pikepdf.String("p"), 7, Dictionary())))
        return "odd kid"
    del pdf.Root["/Pages"]
    return "no /Pages"


def add_inline_image(rng, pdf) -> str:
    page = _pages(pdf, rng)
    data = bytes(rng.randrange(256) for _ in range(rng.choice((0, 12, 300))))
    page.contents_add(pdf.make_stream(
        b"q 10 0 0 10 0 0 cm BI /W 4 /H 3 /CS /G /BPC 8 ID " + data + b" EI Q"))
    return "inline image"


OBJECT_MUTATORS = [drop_contents, garbage_contents, mutate_operators, mutate_operators,
                   break_font, break_font, break_tounicode, break_encoding, change_mediabox,
                   recursive_xobject, break_resources, break_page_tree, add_inline_image]


def mutate_objects(rng: random.Random, data: bytes, steps: int) -> tuple[bytes, list[str]]:
    """Apply object-level mutations with pikepdf; a mutation pikepdf cannot save is skipped."""
    notes: list[str] = []
    for _ in range(steps):
        mutator = rng.choice(OBJECT_MUTATORS)
        try:
            with pikepdf.open(BytesIO(data)) as pdf:
                note = mutator(rng, pdf)
                data = _pdf_bytes(lambda out, pdf=pdf: pdf.save(
                    out, deterministic_id=True, compress_streams=rng.random() < 0.5))
            notes.append(note)
        except Exception as exc:  # noqa: BLE001 - pikepdf refusing a mutation is not a finding
            notes.append(f"{mutator.__name__} not saved ({type(exc).__name__})")
    return data, notes


def pdf_case(rng: random.Random, seeds: dict[str, bytes]) -> tuple[bytes, str]:
    """One mutated PDF and its recipe."""
    name = rng.choice(sorted(seeds))
    data, recipe = seeds[name], [name]
    roll = rng.random()
    if roll < 0.5:
        data, notes = mutate_objects(rng, data, rng.choice((1, 1, 2, 3)))
        recipe += notes
    if roll > 0.35:
        for _ in range(rng.choice((1, 1, 2, 4))):
            data, note = rng.choice(BYTE_MUTATORS)(rng, data)
            recipe.append(note)
    if rng.random() < 0.05:
        other = seeds[rng.choice(sorted(seeds))]
        data, note = splice(rng, data, other)
        recipe.append(note)
    return data, " | ".join(recipe)


# --- JATS mutations (lxml) --------------------------------------------------------------------

JATS_TAGS = ["p", "sec", "title", "fn", "xref", "list", "list-item", "disp-quote", "italic",
             "bold", "ext-link", "sub-article", "front-stub", "contrib", "name", "surname",
             "label", "table-wrap", "table", "tr", "td", "fig", "graphic", "caption", "abstract",
             "body", "back", "fn-group", "ref-list", "ref", "mixed-citation", "sup", "sub",
             "inline-formula", "mml:math", "boxed-text", "def-list", "def-item", "term", "def",
             "article-title", "sig-block", "sig", "notes", "break", "unknown-tag", "html"]
ATTRS = ["id", "rid", "ref-type", "list-type", "sec-type", "article-type", "dtd-version",
         "{http://www.w3.org/1999/xlink}href", "{http://www.w3.org/XML/1998/namespace}lang",
         "abstract-type", "contrib-type", "colspan", "rowspan", "specific-use", "content-type"]
ODD_TEXT = ["", " ", "x" * 5000, "\u202e reversed", "e\u0301" * 20, "\U0001f600", "\ufeff",
            "&", "<tag>", "1.99", "-1", "0", "99999999999", "fn1", "e1-fn1", "1.3", "2.0", "x.y",
            "bullet", "order", "foreword", "research-article", "zz-ZZ", "javascript:alert(1)",
            "\u00a0\u2009\u200b", "A" * 300]

XML_SPECIALS = [
    b'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b"<article><body><p>&x;</p></body></article>",
    b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %s "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">'
               % (bytes([98 + i]), *[bytes([97 + i])] * 10) for i in range(9))
    + b"]>\n<article><body><p>&j;</p></body></article>",
    b'<!DOCTYPE article [<!ENTITY % p SYSTEM "http://example.org/evil.dtd"> %p;]><article/>',
    b'<!DOCTYPE article SYSTEM "/etc/passwd"><article/>',
    b'<article xmlns:xi="http://www.w3.org/2001/XInclude"><body><xi:include '
    b'href="/etc/passwd" parse="text"/></body></article>',
    b"<article><body>" + b"<sec>" * 300 + b"<p>deep</p>" + b"</sec>" * 300 + b"</body></article>",
    b"<article><body><p>" + b"<italic>" * 250 + b"deep" + b"</italic>" * 250
    + b"</p></body></article>",
    b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-16'?><article/>",
    b"<?xml version='1.0' encoding='x-unknown'?><article/>",
    b"<article>\x00</article>",
    b"",
    b"not xml at all",
    b"<html><body><p>an HTML page</p></body></html>",
    b"<article/>",
    b"<article><front/><body/><back/></article>",
]


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _new_tag(rng: random.Random) -> str:
    tag = rng.choice(JATS_TAGS)
    return "{http://www.w3.org/1998/Math/MathML}math" if tag == "mml:math" else tag


def mutate_tree(rng: random.Random, root: etree._Element) -> str:
    """One element, attribute or text mutation of a parsed JATS tree."""
    elements = _elements(root)
    el = rng.choice(elements)
    parent = el.getparent()
    action = rng.randrange(10)
    if action == 0 and parent is not None:
        parent.remove(el)
        return f"del <{el.tag}>"
    if action == 1 and parent is not None:
        parent.insert(parent.index(el), copy.deepcopy(el))
        return f"dup <{el.tag}>"
    if action == 2 and parent is not None:
        target = rng.choice(elements)
        if el not in list(target.iterancestors()) and target is not el:
            target.insert(rng.randrange(len(target) + 1), el)
            return f"move <{el.tag}> into <{target.tag}>"
    if action == 3:
        old, el.tag = el.tag, _new_tag(rng)
        return f"rename <{old}> to <{el.tag}>"
    if action == 4:
        el.insert(rng.randrange(len(el) + 1), etree.Element(_new_tag(rng)))
        return f"insert child into <{el.tag}>"
    if action in (5, 6):
        attr = rng.choice(ATTRS)
        value = rng.choice(ODD_TEXT + [a for e in elements[:50] for a in e.attrib.values()])
        el.set(attr, value)
        return f"<{el.tag} {attr}={value[:20]!r}>"
    if action == 7 and el.attrib:
        attr = rng.choice(sorted(el.attrib))
        del el.attrib[attr]
        return f"<{el.tag}> drop @{attr}"
    if action == 8:
        el.text = rng.choice(ODD_TEXT)
        return f"<{el.tag}> text={el.text[:20]!r}"
    el.clear()
    return f"clear <{el.tag}>"


def jats_case(rng: random.Random, seeds: dict[str, bytes]) -> tuple[bytes, str]:
    """One mutated JATS document and its recipe."""
    roll = rng.random()
    if roll < 0.04:
        index = rng.randrange(len(XML_SPECIALS))
        return XML_SPECIALS[index], f"special #{index}"
    if roll < 0.06:
        data = bytes(rng.randrange(256) for _ in range(rng.choice((1, 64, 1024))))
        return data, f"{len(data)} random bytes"
    name = rng.choice(sorted(seeds))
    data, recipe = seeds[name], [name]
    if roll < 0.8:
        tree = etree.ElementTree(etree.fromstring(
            data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)))
        for _ in range(rng.choice((1, 2, 4, 8))):
            recipe.append(mutate_tree(rng, tree.getroot()))
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    if roll >= 0.7:
        for _ in range(rng.choice((1, 2, 4))):
            data, note = rng.choice(BYTE_MUTATORS)(rng, data)
            recipe.append(note)
    return data, " | ".join(recipe)


# --- campaigns ------------------------------------------------------------------------------


@dataclass
class Campaign:
    """Counts of a fuzz run; ``failures`` keeps escaped and timed-out cases with their recipes."""

    counts: Counter = field(default_factory=Counter)
    details: Counter = field(default_factory=Counter)
    failures: list[Outcome] = field(default_factory=list)
    slowest: Outcome | None = None

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.kind] += 1
        self.details[outcome.detail if outcome.kind != "ok" else "ok"] += 1
        if outcome.kind in ("escaped", "timeout"):
            self.failures.append(outcome)
        if self.slowest is None or outcome.seconds > self.slowest.seconds:
            self.slowest = outcome


def quiet_libraries() -> None:
    """pypdf logs a warning for every repair it makes; thousands of them hide the counts."""
    for name in ("pypdf", "weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def generate(kind: str, seed: int, index: int, pdfs: dict[str, bytes],
             jats: dict[str, bytes]) -> tuple[bytes, str]:
    rng = random.Random(f"{seed}:{kind}:{index}")
    return pdf_case(rng, pdfs) if kind == "pdf" else jats_case(rng, jats)


def run_one(kind: str, data: bytes, recipe: str, workdir: Path,
            limit: float = CASE_SECONDS) -> Outcome:
    if kind == "jats":
        return run_case(lambda: _jats_pipeline(data), recipe, limit)
    path = workdir / "case.pdf"
    path.write_bytes(data)
    return run_case(lambda: _pipeline(path), recipe, limit)


def campaign(kind: str, count: int, seed: int, pdfs: dict[str, bytes], jats: dict[str, bytes],
             workdir: Path, save: Path | None = None, start: int = 0) -> Campaign:
    """Run ``count`` cases of one kind; each is reproducible from (seed, kind, index)."""
    quiet_libraries()
    result = Campaign()
    for index in range(start, start + count):
        data, recipe = generate(kind, seed, index, pdfs, jats)
        outcome = run_one(kind, data, f"{kind}:{index} {recipe}", workdir)
        result.add(outcome)
        if save is not None and outcome.kind in ("escaped", "timeout"):
            save.mkdir(parents=True, exist_ok=True)
            suffix = "pdf" if kind == "pdf" else "xml"
            (save / f"{kind}-{seed}-{index}.{suffix}").write_bytes(data)
    return result


def summary(kind: str, result: Campaign, seconds: float) -> str:
    total = sum(result.counts.values())
    lines = [f"{kind}: {total} cases in {seconds:.1f} s — "
             + ", ".join(f"{k} {result.counts[k]}" for k in ("ok", "refused", "escaped",
                                                              "timeout"))]
    for detail, number in result.details.most_common(12):
        lines.append(f"  {number:6d}  {detail[:110]}")
    if result.slowest is not None:
        lines.append(f"  slowest {result.slowest.seconds:.2f} s: {result.slowest.recipe[:100]}")
    kinds: dict[str, list[Outcome]] = {}
    for failure in result.failures:
        kinds.setdefault(failure.detail.split(": ", 1)[0], []).append(failure)
    for _key, failures in sorted(kinds.items(), key=lambda item: -len(item[1])):
        first = failures[0]
        lines.append(f"  !! {len(failures)} x {first.kind}: {first.detail[:130]}\n"
                     f"     e.g. {first.recipe[:150]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz jatsflow's PDF and JATS inputs.")
    parser.add_argument("count", type=int, nargs="?", default=2000, help="cases per kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kind", choices=("pdf", "jats", "both"), default="both")
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--save", type=Path, help="write escaping inputs here")
    parser.add_argument("--replay", help="KIND:INDEX — run one case and print its traceback")
    args = parser.parse_args(argv)
    quiet_libraries()
    pdfs = pdf_seeds()
    jats = jats_seeds(pdfs)
    with tempfile.TemporaryDirectory() as tmp:
        if args.replay:
            kind, index = args.replay.split(":")
            data, recipe = generate(kind, args.seed, int(index), pdfs, jats)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{kind}-{args.seed}-{index}.bin").write_bytes(data)
            outcome = run_one(kind, data, recipe, Path(tmp))
            print(f"{outcome.kind} in {outcome.seconds:.2f} s: {outcome.detail}\n{recipe}")
            print(outcome.trace)
            return 0 if outcome.kind in ("ok", "refused") else 1
        bad = 0
        kinds = ("pdf", "jats") if args.kind == "both" else (args.kind,)
        for kind in kinds:
            start = time.perf_counter()
            result = campaign(kind, args.count, args.seed, pdfs, jats, Path(tmp), args.save,
                              args.start)
            print(summary(kind, result, time.perf_counter() - start), flush=True)
            bad += len(result.failures)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
