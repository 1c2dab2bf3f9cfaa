"""Every reading format from one JATS file, and their accessibility checks, without its PDF.

What an archivist runs on a kept JATS (a bag's ``data/published/<stem>.xml``) or on anyone
else's (PMC, JOSE, SciELO): the same renderers and checks as a publish run. When the layout
sidecar sits beside the JATS (``<stem>.layout.json``, as in a bag), the outputs also carry the
print edition's page breaks and page size.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from flows.accessibility import OutputChecks, warm_up
from flows.jats_parts import XLINK_HREF
from flows.provenance import source_page_size
from flows.render_epub import epub_metadata, render_epub
from flows.render_html import render_html, write_css
from flows.render_pdf import render_pdf
from flows.render_text import render_text
from flows.xmlsafe import parse_xml


def render_outputs(xml_path: Path, folder: Path, *, page_size: str | None = None) -> dict[str, Any]:
    """Write ``<stem>.html`` (+ CSS and images), ``.pdf``, ``.txt``, ``.epub`` and the
    accessibility report into ``folder``; return the report. ``page_size`` overrides the
    source's (from the sidecar) and the stylesheet's A4."""
    xml_path, folder = Path(xml_path), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = xml_path.stem
    jats = parse_xml(xml_path)
    sidecar_path = xml_path.with_name(f"{stem}.layout.json")
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8")) \
        if sidecar_path.is_file() else None
    warm_up()  # Chromium, EPUBCheck and Ace start while the outputs render
    _copy_images(jats, xml_path.parent, folder)
    html = folder / f"{stem}.html"
    html.write_text(render_html(jats, sidecar=sidecar), encoding="utf-8")
    write_css(folder)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or xml_path.stat().st_mtime)
    digest = hashlib.sha256(xml_path.read_bytes()).hexdigest()
    # the print edition is the source PDF the sidecar was made from; without it, no page list
    source = f"urn:sha256:{sidecar['sha256']}" if sidecar and sidecar.get("sha256") else ""

    def epub(conforms: bool) -> None:
        render_epub(html, folder / f"{stem}.epub", **epub_metadata(jats),
                    identifier=f"urn:sha256:{digest}", modified=time.strftime(
                        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)),
                    source=source, conforms=conforms)

    checks = OutputChecks(folder, stem)  # each output checked as soon as it is written
    try:
        epub(conforms=True)
        checks.start("html", "epub")
        (folder / f"{stem}.txt").write_text(render_text(jats), encoding="utf-8")
        checks.start("text")
        render_pdf(html, folder / f"{stem}.pdf", source_date_epoch=epoch,
                   page_size=page_size or (source_page_size(sidecar) if sidecar else None))
        report = checks.report()
    finally:
        checks.abandon()
    if not report["conformance"]["backed"]:  # the EPUB claims only what its checks showed
        epub(conforms=False)
    return report


def _copy_images(jats, source: Path, folder: Path) -> None:
    """Images the JATS points at, copied from beside it (a missing one is the EPUB's and the
    checks' to report)."""
    for el in jats.getroot().iter():
        href = el.get(XLINK_HREF, "") if isinstance(el.tag, str) else ""
        image = source / href
        if href and "://" not in href and not Path(href).is_absolute() and image.is_file() \
                and image.resolve().parent == source.resolve():
            shutil.copyfile(image, folder / image.name)
