"""Publishing files so that a reader never sees half of them, and naming them safely.

- ``safe_stem``: the name every output file and folder of a document takes, whatever the
  source PDF is called (spaces, ``<>&``, accents, scripts a file system or an EPUB reader
  chokes on). People still see the original name: it is kept in report.json and the titles.
- ``folder_lock``: one run at a time per output folder, so two runs into ``build/<stem>/``
  queue instead of racing on the same renames.
- ``replace_folder``: swaps a finished folder into place so that the destination always holds
  the old or the new folder, never neither and never a mix.
- ``sweep_partials``: removes the half-written folders a killed run left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

PDF_SUFFIX = ".pdf"
# Long enough for any real title-like file name; short enough that "<stem>-img12.png" and
# the ".<stem>.partial-xxxxxxxx" work folders stay far below the usual 255-byte name limit.
MAX_STEM_CHARS = 80
_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_PARTIAL = ".partial-"
_RENAME_EXCHANGE = 2  # linux/fs.h: swap two paths in one step
_AT_FDCWD = -100


def safe_stem(name: str) -> str:
    """A file-name stem of ASCII letters, digits, ``_ . -`` made from a source file's name.

    A name that is already safe is kept as it is. Otherwise accents become their base letter,
    anything else a dash, and a digest of the original name is added (``Über uns.pdf`` →
    ``Uber-uns-<8 hex>``; ``報告.pdf`` → ``document-<8 hex>``)."""
    stem = Path(name).stem if Path(name).suffix.lower() == PDF_SUFFIX else Path(name).name
    if _SAFE.fullmatch(stem) and len(stem) <= MAX_STEM_CHARS:
        return stem
    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    safe = _UNSAFE.sub("-", ascii_).strip(".-")[:MAX_STEM_CHARS]
    # a digest of the original name keeps apart names that read alike once made safe
    # ("a b" and "a&b" would both be "a-b")
    digest = hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{safe or 'document'}-{digest}"


def pdfs_in(sources: list[str]) -> list[Path]:
    """Files as given, folders as the PDFs directly inside them (``.pdf`` in any case), in
    name order."""
    found: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            found += sorted(path for path in source.iterdir()
                            if path.suffix.lower() == PDF_SUFFIX and path.is_file())
        else:
            found.append(source)
    return found


@contextlib.contextmanager
def folder_lock(parent: Path, stem: str) -> Iterator[None]:
    """Hold ``parent/.<stem>.lock`` while the block runs: runs into the same output folder
    (or archive bag) wait for each other. The lock file stays; the lock goes with the
    process, even one killed with -9, because the kernel releases it."""
    parent.mkdir(parents=True, exist_ok=True)
    with (parent / f".{stem}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def partial_prefix(stem: str) -> str:
    """The name prefix of a work folder for ``stem`` (``tempfile.mkdtemp(prefix=...)``)."""
    return f".{stem}{_PARTIAL}"


def sweep_partials(parent: Path, stem: str, before: float) -> list[Path]:
    """Remove ``parent/.<stem>.partial-*`` folders last changed before ``before`` (a time
    stamp): what a killed run left. Call it holding ``folder_lock(parent, stem)``, so no live
    run of the same stem can own one of them."""
    pattern = re.compile(re.escape(partial_prefix(stem)) + r"[A-Za-z0-9_]+")
    removed = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # nothing to sweep
        for path in parent.iterdir():
            if pattern.fullmatch(path.name) and path.is_dir() and path.stat().st_mtime < before:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).
    False when the destination does not exist; OSError when the file system cannot."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if not hasattr(libc, "renameat2"):
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    result = libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                            _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.ENOENT and not second.exists():
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace_folder(folder: Path, destination: Path) -> None:
    """Swap a finished folder into place. With an atomic exchange the destination is always
    the old folder or the new one; the old one is removed afterwards. Where the file system
    cannot exchange, the old folder is set aside as ``.<name>.old`` first and put back by
    the next call if a crash came between the two renames."""
    old = destination.with_name(f".{destination.name}.old")
    if old.exists() and not destination.exists():
        old.rename(destination)  # a crash between the two renames below: undo it first
    try:
        swapped = _exchange(folder, destination)
    except OSError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise
        swapped = None
    if swapped:
        shutil.rmtree(folder)  # it now holds the old folder
        return
    if swapped is None and destination.exists():
        if old.exists():
            shutil.rmtree(old)
        destination.rename(old)
    folder.rename(destination)
    if old.exists():
        shutil.rmtree(old)
