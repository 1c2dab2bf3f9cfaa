"""The archival package: one BagIt bag per publication, for an archive to keep and check.

A bag (RFC 8493) is a plain folder: the files under ``data/``, and manifests giving every file's
SHA-256 and SHA-512, so anyone can check with any BagIt tool, years later, that nothing was lost
or changed. ``build_bag`` writes ``<archive_root>/<stem>/``::

    bagit.txt  bag-info.txt  manifest-sha256.txt  manifest-sha512.txt  tagmanifest-*.txt
    data/source/<stem>.pdf        the PDF exactly as received (its own name in bag-info.txt)
    data/published/<stem>.xml     the JATS, and beside it every file `jatsflow publish` wrote

``<stem>`` is the safe file-name stem the outputs have (``flows.files.safe_stem``).

The bag is built in a temporary folder beside the destination and renamed into place, so an
archive never holds a half-written bag. It is reproducible: bagit would stamp today's date and
list the tag files in whatever order the file system returns them; here the date comes from the
source (``SOURCE_DATE_EPOCH``, else the PDF's modification time), the tag manifests are sorted
and every file's modification time is that same date, so the same inputs give the same bag.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import bagit
from lxml import etree

from flows import __version__
from flows.errors import JatsflowError
from flows.files import partial_prefix, replace_folder, safe_stem
from flows.validate import validate_jats
from flows.xmlsafe import parse_xml

SOURCE_DIR = "source"
PUBLISHED_DIR = "published"
CHECKSUMS = ["sha256", "sha512"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # a file name may hold them; bag-info.txt lines may not
_MAKE_BAG = ("import bagit, json, sys; bagit.make_bag(sys.argv[1], json.loads(sys.argv[2]), "
             "checksums=json.loads(sys.argv[3]))")

# bagit logs every problem it finds; verify_bag reports them itself. Without this, a program
# that configured no logging would get them twice on stderr (and make_bag's tracebacks).
logging.getLogger("bagit").addHandler(logging.NullHandler())


class ArchiveError(JatsflowError):
    """A bag cannot be built: the outputs are missing, the source unreadable, the disk full."""


class SourceMismatchError(ArchiveError):
    """The JATS records another PDF's SHA-256 than the source given: they do not belong together."""


def source_date_epoch(source_pdf: Path) -> int:
    """The moment a build stands for: ``SOURCE_DATE_EPOCH`` if set, else the PDF's mtime.

    Dates taken from the clock would make every run differ; the PDF render and the bag should
    use this same value so that all their dates agree.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise ArchiveError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {value!r}")
        return int(value)
    try:
        return int(Path(source_pdf).stat().st_mtime)
    except OSError as exc:
        raise ArchiveError(f"{source_pdf}: cannot read: {exc.strerror or exc}") from None


def build_bag(output_folder: Path, source_pdf: Path, archive_root: Path, *,
              flow_run_id: str | None, stem: str | None = None) -> Path:
    """Package the source PDF and a published folder as the bag ``archive_root/<stem>/``;
    ``stem`` is the outputs' file-name stem (by default the safe stem of the PDF's name).

    An existing bag of that name is replaced only once the new one is complete.
    """
    output_folder, source_pdf, archive_root = Path(output_folder), Path(source_pdf), \
        Path(archive_root)
    stem = stem or safe_stem(source_pdf.name)
    jats_path = output_folder / f"{stem}.xml"
    if not jats_path.is_file():
        raise ArchiveError(f"{output_folder}: no {jats_path.name} to archive; publish "
                           f"{source_pdf} first")
    try:
        source = source_pdf.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"{source_pdf}: cannot read: {exc.strerror or exc}") from None
    sha256 = hashlib.sha256(source).hexdigest()
    jats = parse_xml(jats_path)
    recorded = recorded_source_sha256(jats)
    if recorded not in (None, sha256):
        raise SourceMismatchError(
            f"{jats_path} was made from a PDF with SHA-256 {recorded[:12]}..., "
            f"not from {source_pdf} ({sha256[:12]}...)")
    epoch = source_date_epoch(source_pdf)
    info = bag_info(jats, source_pdf.name, sha256, epoch, flow_run_id)

    destination = archive_root / stem
    try:
        archive_root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=partial_prefix(stem), dir=archive_root))
    except OSError as exc:  # not a folder, not writable, a full disk
        raise ArchiveError(f"{archive_root}: cannot make a bag there: {exc}") from None
    try:
        work.chmod(0o755)  # mkdtemp makes it private; make_bag gives data/ the same mode
        (work / SOURCE_DIR).mkdir()
        (work / SOURCE_DIR / f"{stem}.pdf").write_bytes(source)  # the bytes hashed above
        shutil.copytree(output_folder, work / PUBLISHED_DIR)
        _make_bag(work, info)
        _sort_tag_manifests(work)
        _set_times(work, epoch)
        replace_folder(work, destination)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise ArchiveError(f"{destination}: cannot write the bag: {exc}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return destination


def bag_info(jats: etree._ElementTree, source_name: str, sha256: str, epoch: int,
             flow_run_id: str | None) -> dict[str, str]:
    """The bag-info.txt fields: what the publication is, where it came from, what made it."""
    meta = jats.getroot().find("front/article-meta")
    info = {
        "Source-File": _CONTROL.sub("?", source_name),
        "Source-SHA256": sha256,
        "Jatsflow-Version": __version__,
        "Bagging-Date": datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d"),
    }
    title = _text(meta, "title-group/article-title")
    if title:
        subtitle = _text(meta, "title-group/subtitle")
        info["Title"] = f"{title}: {subtitle}" if subtitle else title
    date = publication_date(meta)
    if date:
        info["Publication-Date"] = date
    if flow_run_id:
        info["Prefect-Flow-Run-Id"] = flow_run_id
    return info


def _text(parent: etree._Element | None, path: str) -> str:
    found = parent.find(path) if parent is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def publication_date(meta: etree._Element | None) -> str:
    """The first ``pub-date`` with a year, as ISO 8601 (``2019``, ``2019-05``, ``2019-05-04``)."""
    for date in meta.iterfind("pub-date") if meta is not None else ():
        parts = [_text(date, "year"), _text(date, "month"), _text(date, "day")]
        if not parts[0].isdigit():
            continue
        numbers = [parts[0]]
        for part in parts[1:]:
            if not part.isdigit():
                break
            numbers.append(part.zfill(2))
        return "-".join(numbers)
    return ""


def recorded_source_sha256(jats: etree._ElementTree) -> str | None:
    """The source PDF's SHA-256 as jatsflow records it in ``custom-meta`` (None in others' JATS)."""
    for item in jats.getroot().iterfind("front/article-meta/custom-meta-group/custom-meta"):
        if _text(item, "meta-name") == "source-sha256":
            return _text(item, "meta-value") or None
    return None


def _make_bag(folder: Path, info: dict[str, str]) -> None:
    """``bagit.make_bag`` in a child process: it changes the working directory (``os.chdir``)
    while it works, which would break relative paths in the threads of ``publish-batch``."""
    result = subprocess.run(
        [sys.executable, "-c", _MAKE_BAG, str(folder), json.dumps(info), json.dumps(CHECKSUMS)],
        capture_output=True, text=True, check=False)
    if result.returncode:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise ArchiveError(f"{folder}: bagit could not make the bag: {last}")


def _sort_tag_manifests(bag: Path) -> None:
    """bagit lists tag files in ``os.listdir`` order, which differs between file systems."""
    for manifest in sorted(bag.glob("tagmanifest-*.txt")):
        lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        manifest.write_text("".join(sorted(lines, key=lambda line: line.split(" ", 1)[1])),
                            encoding="utf-8")


def _set_times(bag: Path, epoch: int) -> None:
    """Every file and folder dated ``epoch``, so a tar or zip of the bag is reproducible too."""
    for path in [*bag.rglob("*"), bag]:
        os.utime(path, (epoch, epoch))


# --- verification -----------------------------------------------------------------------------


def verify_bag(path: Path) -> list[str]:
    """Problems with a bag, one line each naming the broken file; empty when all is well.

    Checks what bagit checks (structure, completeness, every checksum), then that the JATS
    inside is valid and was made from the PDF beside it.
    """
    path = Path(path)
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError as exc:
        return [f"{path}: not a readable BagIt bag ({exc})"]
    return _bag_problems(bag, path) + _content_problems(bag, path)


def _bag_problems(bag: bagit.Bag, path: Path) -> list[str]:
    try:
        bag.validate()
        return []
    except bagit.BagValidationError as exc:
        if exc.details:
            return _named(exc.details, path)
        summary = f"{path}: {exc.message}"
    except bagit.BagError as exc:
        return [f"{path}: {exc}"]
    # bagit checks Payload-Oxum (total size and file count) first and stops there without
    # naming a file; checked without it, the same validation names the files that differ.
    bag.info.pop("Payload-Oxum", None)
    try:
        bag.validate()
    except bagit.BagValidationError as exc:
        if exc.details:
            return _named(exc.details, path)
    except bagit.BagError:
        pass
    return [summary]


def _named(details: list[bagit.BagError], path: Path) -> list[str]:
    """bagit's per-file findings as one line per file (both checksums of a file on one line)."""
    checksums: dict[str, list[str]] = {}
    lines: dict[str, str] = {}
    for detail in details:
        name = str(path / detail.path) if hasattr(detail, "path") else str(path)
        if isinstance(detail, bagit.ChecksumMismatch):
            checksums.setdefault(name, []).append(detail.algorithm)
            lines[name] = (f"{name}: content differs from the manifest "
                           f"({', '.join(sorted(checksums[name]))} checksums)")
        elif isinstance(detail, bagit.FileMissing):
            lines[name] = f"{name}: listed in the manifest but missing"
        elif isinstance(detail, bagit.UnexpectedFile):
            lines[name] = f"{name}: present but not listed in the manifest"
        else:
            lines[name] = f"{name}: {detail}"
    return list(lines.values())


def _field(bag: bagit.Bag, name: str) -> str | None:
    value = bag.info.get(name)
    return value[0] if isinstance(value, list) else value


def published_digests(path: Path) -> dict[str, str]:
    """The SHA-256 the bag's manifest gives each published file, by file name."""
    prefix = f"data/{PUBLISHED_DIR}/"
    return {name.removeprefix(prefix): digests["sha256"]
            for name, digests in bagit.Bag(str(path)).entries.items()
            if name.startswith(prefix) and "sha256" in digests}


def _content_problems(bag: bagit.Bag, path: Path) -> list[str]:
    """The JATS is valid (DTD and rules) and records the SHA-256 of the source in the bag.

    The source is the one PDF the manifest lists under data/source/ (bags made before safe
    file names kept the PDF's own name there); the JATS is the published file of its stem."""
    sources = [name for name in bag.entries if name.startswith(f"data/{SOURCE_DIR}/")]
    if len(sources) != 1:
        return [f"{path / 'manifest-sha256.txt'}: lists {len(sources)} files under "
                f"data/{SOURCE_DIR}/, not the one source PDF"]
    source_rel = sources[0]
    jats_path = path / "data" / PUBLISHED_DIR / f"{Path(source_rel).stem}.xml"
    try:
        tree = parse_xml(jats_path)
        result = validate_jats(tree)
    except JatsflowError as exc:
        return [str(exc)]
    problems = [f"{jats_path}:{line}: [dtd] {message}" for line, message in result.errors]
    problems += [f"{jats_path}:{finding.line if finding.line is not None else '?'}: "
                 f"[{finding.rule}] {finding.message}" for finding in result.rule_errors]
    actual = bag.entries[source_rel].get("sha256")
    for where, claimed in ((jats_path, recorded_source_sha256(tree)),
                           (path / "bag-info.txt", _field(bag, "Source-SHA256"))):
        if claimed and actual and claimed != actual:
            problems.append(f"{where}: records source SHA-256 {claimed[:12]}..., but "
                            f"{path / source_rel} has {actual[:12]}...")
    return problems


def run_verify(paths: list[Path], out: TextIO | None = None) -> int:
    """``jatsflow verify BAG...``: "OK <path>" or each problem; 1 if anything is wrong."""
    out = out or sys.stdout
    failed = False
    for path in paths:
        problems = verify_bag(Path(path))
        for problem in problems:
            print(problem, file=out)
        if not problems:
            print(f"OK {path}", file=out)
        failed = failed or bool(problems)
    return 1 if failed else 0
