"""Publishing files so that a reader never sees half of them."""

from __future__ import annotations

import shutil
from pathlib import Path


def replace_folder(folder: Path, destination: Path) -> None:
    """Swap a finished folder into place; the old one goes only once the new one is in."""
    old = destination.with_name(f".{destination.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if destination.exists():
        destination.rename(old)
    folder.rename(destination)
    if old.exists():
        shutil.rmtree(old)
