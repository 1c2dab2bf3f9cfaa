"""How a document is published (the options, checked once) and when its outputs are reused.

Each report.json records a key: the SHA-256 of the PDF's bytes, the jatsflow version, a digest
of the code in flows/ and the options that change what is accepted. A run with the same key
reuses what is there only when all of it still stands: every output unchanged, report.json
itself unedited, and the archive bag present, sound and holding those same files. Otherwise
the missing part is made again: the whole folder, or only the bag.

The cache lives beside the outputs rather than in Prefect's result storage on purpose: a
cached result that points at files someone has since deleted or edited would be a lie, and the
outputs are what the key stands for. No Prefect here: the CLI checks options before it starts
Prefect, and the rules are plain functions a test can call.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from flows import __version__
from flows.archive import published_digests, verify_bag
from flows.errors import UsageError
from flows.extract import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES
from flows.profile import DEFAULT_STYLE, HouseStyle

MB = 1024 * 1024
DEFAULT_STAGE_TIMEOUT = 900.0  # seconds; the 53-page report's slowest stage takes about 30
MAX_WORKERS = 64  # far above this machine's needs; a typo must not start a thousand processes
REPORT = "report.json"
REPORT_DIGEST = "report_sha256"  # report.json's digest of itself, without this field


def positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{what} must be a whole number of 1 or more, not {value!r}")
    return value


def worker_count(value: Any, what: str = "--workers") -> int:
    """0 (threads, the default) or a number of worker processes."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WORKERS:
        raise UsageError(f"{what} must be a whole number from 0 to {MAX_WORKERS}, "
                         f"not {value!r}")
    return value


def positive_seconds(value: Any, what: str) -> float:
    """A time limit: 0 would not mean "no limit" but "fail at once", so it is refused too."""
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            not math.isfinite(value) or value <= 0:
        raise UsageError(f"{what} must be a number of seconds above 0, not {value!r}")
    return float(value)


PAGE_SIZE = re.compile(r"(?i)^(a[3-6]|b[45]|letter|legal|ledger|"
                       r"\d+(\.\d+)?(mm|cm|in|pt|px) \d+(\.\d+)?(mm|cm|in|pt|px))"
                       r"( landscape| portrait)?$")


def page_size(value: Any, what: str = "--page-size") -> str:
    """A CSS page size WeasyPrint knows ("A4", "letter", "210mm 297mm"), spaces normalised;
    "" means the source's own."""
    text = " ".join(value.split()) if isinstance(value, str) else value
    if text != "" and not (isinstance(text, str) and PAGE_SIZE.match(text)):
        raise UsageError(f"{what} must be a page size (A4, letter, '210mm 297mm'), "
                         f"not {value!r}")
    return text


@dataclass(frozen=True)
class Options:
    """How a document is published, checked when made (from the CLI, the UI or a test). The
    limits decide what is accepted and the house style what is found, so they are part of the
    reuse key, and so is the PDF's page size; the time limit and the switches change no
    output, so they are not."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    stage_timeout: float = DEFAULT_STAGE_TIMEOUT
    reuse: bool = True
    archive: bool = True  # also write the BagIt package under out/archive/
    style: HouseStyle = DEFAULT_STYLE  # the house style (--profile) decides the structure
    page_size: str = ""  # the PDF's page size (--page-size); "" for the source's own

    def __post_init__(self) -> None:
        positive_int(self.max_pages, "the page limit (--max-pages)")
        positive_int(self.max_bytes, "the size limit (--max-mb)")
        object.__setattr__(self, "stage_timeout",
                           positive_seconds(self.stage_timeout, "--stage-timeout"))
        object.__setattr__(self, "page_size", page_size(self.page_size))

    def key_fields(self) -> dict[str, int | str]:
        return {"max_pages": self.max_pages, "max_bytes": self.max_bytes,
                "profile": self.style.digest(), "page_size": self.page_size}


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the package's own files. The version number alone changes too rarely: a
    fix in segment.py must not be hidden behind outputs made by the code before it."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".css") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" +
                          path.read_bytes())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reuse_key(pdf_sha256: str, options: Options) -> str:
    """What the outputs are a function of: the PDF's bytes (not its path), the code, the
    options that change what is published."""
    fields = {"pdf": pdf_sha256, "jatsflow": __version__, "code": code_fingerprint(),
              **options.key_fields()}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def report_digest(report: dict[str, Any]) -> str:
    """A digest of a report's content (not its layout), so an edit to report.json is seen."""
    fields = {name: value for name, value in report.items() if name != REPORT_DIGEST}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def write_report(folder: Path, report: dict[str, Any]) -> None:
    """report.json, sealed with its own digest."""
    sealed = json.loads(json.dumps(report))  # as it will read back: tuples become lists
    sealed[REPORT_DIGEST] = report_digest(sealed)
    (folder / REPORT).write_text(json.dumps(sealed, indent=1, ensure_ascii=False),
                                 encoding="utf-8")


class Reuse(Enum):
    NOTHING = "publish"  # outputs missing, edited or made for another key: publish again
    OUTPUTS = "archive"  # the outputs stand, the bag does not: make the bag again
    ALL = "reuse"  # outputs and bag stand: nothing to do


def reusable_report(folder: Path, key: str,
                    bag: Path | None) -> tuple[Reuse, dict[str, Any] | None]:
    """What of an earlier run in `folder` (and its archive `bag`, None when not archiving)
    can stand for this key, with its report when the outputs can."""
    try:
        report = json.loads((folder / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Reuse.NOTHING, None
    if not isinstance(report, dict) or report.get("reuse_key") != key or \
            not report.get("outputs") or report.get(REPORT_DIGEST) != report_digest(report):
        return Reuse.NOTHING, None
    digests = {}
    for name, digest in report["outputs"].items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != digest:
            return Reuse.NOTHING, None
        digests[name] = digest
    if bag is None:
        return Reuse.ALL, report
    digests[REPORT] = file_sha256(folder / REPORT)
    if not (bag / "bagit.txt").is_file() or verify_bag(bag) or \
            published_digests(bag) != digests:
        return Reuse.OUTPUTS, report
    return Reuse.ALL, report
