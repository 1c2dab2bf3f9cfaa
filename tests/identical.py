"""Proof that a restructuring changed no output: SHA-256 of the JATS, the layout sidecar and
the text rendering of every document the project is tested on.

    python tests/identical.py record build/identical/baseline.json   # before the change
    python tests/identical.py compare build/identical/baseline.json  # after each step

The documents: the report in source/, every pair in ../shared/pairs, every edition of
tests/variants.py and the small report the tests build. The editions are typeset once into
build/identical/editions/ and reused (they depend on the generator, not on the code under
change); delete that folder to typeset them again. The JATS names the tool's version, not a
digest of its code, so it is compared as written.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EDITIONS = ROOT / "build" / "identical" / "editions"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from flows.extract import extract_pdf  # noqa: E402
from flows.jats import build_jats, serialize  # noqa: E402
from flows.layout import analyse_layout  # noqa: E402
from flows.model import SourceInfo  # noqa: E402
from flows.provenance import layout_sidecar  # noqa: E402
from flows.render_text import render_text  # noqa: E402
from flows.segment import segment  # noqa: E402
from flows.xmlsafe import parse_xml  # noqa: E402


def documents() -> dict[str, Path]:
    """Every test document by a stable name; editions are typeset on first use."""
    import variants
    from conftest import build_pdf, small_report_html

    found = {"source/" + p.name: p for p in sorted((ROOT / "source").glob("*.pdf"))}
    pairs = sorted((SHARED / "pairs").glob("*/paper.pdf"))
    if not pairs:
        raise SystemExit(f"no pairs under {SHARED / 'pairs'}")
    found.update({"pairs/" + p.parent.name: p for p in pairs})
    for name in variants.VARIANTS:
        pdf = EDITIONS / f"{name}.pdf"
        if not pdf.is_file():
            variants.build_all(EDITIONS, [name])
        found["editions/" + name] = pdf
    small = EDITIONS / "small-report.pdf"
    if not small.is_file():
        build_pdf(small_report_html(), small)
    found["tests/small-report"] = small
    return found


def digests(pdf: Path) -> dict[str, str]:
    """extract → layout → segment → JATS, the layout sidecar, and the text read from the JATS."""
    extracted = extract_pdf(pdf)
    source = SourceInfo(pdf.name, extracted.sha256, extracted.page_count)
    document = segment(analyse_layout(extracted), source)
    jats = serialize(build_jats(document))
    sidecar = json.dumps(layout_sidecar(document), indent=1, ensure_ascii=False).encode()
    with tempfile.TemporaryDirectory() as folder:  # the text is read from the file, as published
        xml = Path(folder) / "doc.xml"
        xml.write_bytes(jats)
        text = render_text(parse_xml(xml)).encode()
    return {kind: hashlib.sha256(data).hexdigest()
            for kind, data in (("jats", jats), ("sidecar", sidecar), ("text", text))}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print("usage: identical.py record|compare BASELINE.json", file=sys.stderr)
        return 2
    mode, baseline = argv[0], Path(argv[1])
    found = {name: digests(pdf) for name, pdf in documents().items()}
    if mode == "record":
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"recorded {len(found)} documents in {baseline}")
        return 0
    expected = json.loads(baseline.read_text())
    changed = [f"{name} {kind}" for name in sorted(set(expected) | set(found))
               for kind in ("jats", "sidecar", "text")
               if expected.get(name, {}).get(kind) != found.get(name, {}).get(kind)]
    for line in changed:
        print("CHANGED", line)
    print(f"{len(found)} documents, {3 * len(found)} outputs compared: "
          f"{'all identical' if not changed else f'{len(changed)} changed'}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
