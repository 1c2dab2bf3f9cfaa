"""Shared fixtures: small PDFs built in the test with WeasyPrint, and one published report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "nbr79.json"
SCORE = SHARED / "eval" / "score.py"
REPORT_PDF = ROOT / "source" / "nbr79.pdf"

SMALL_REPORT_CSS = """
@page { size: A5; margin: 20mm 16mm 22mm 16mm;
        @top-right { content: "Test Series Occasional Paper"; font-size: 7pt; }
        @bottom-center { content: counter(page); font-size: 8pt; } }
body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.4; text-align: justify; }
h1 { font-family: 'DejaVu Sans'; font-size: 20pt; margin: 0 0 8pt; }
section.part + section.part { page-break-before: always; }
h2 { font-family: 'DejaVu Sans'; font-size: 13pt; font-weight: bold; margin: 14pt 0 4pt; }
.byline { font-family: 'DejaVu Sans'; font-size: 12pt; font-weight: bold; }
p { margin: 0; text-indent: 1.5em; }
h2 + p, .first { text-indent: 0; }
blockquote { margin: 6pt 0 6pt 3em; font-size: 9pt; }
blockquote p { text-indent: 0; }
ul { margin: 4pt 0; padding-left: 1.5em; }
.fn { float: footnote; font-size: 7.5pt; text-indent: 0; }
.fn::footnote-call { content: counter(footnote); vertical-align: super; font-size: 6pt; }
.fn::footnote-marker { content: counter(footnote) " "; }
section.part { counter-reset: footnote; }
"""


def _paragraph(words: str, repeat: int) -> str:
    return " ".join([words] * repeat)


def small_report_html(title: str = "Water Policy in Three Cities") -> str:
    """A two-part report: a preface and an essay with a summary, sections, a list, a quote
    and notes that restart in each part. Long enough to run over several pages."""
    filler = "Municipal water boards weigh tariffs against maintenance backlogs every year."
    return f"""<html lang="en"><head><style>{SMALL_REPORT_CSS}</style></head><body>
<section class="part">
<h1>Preface</h1>
<p class="first">{_paragraph(filler, 6)}<span class="fn">Preface note one, see
https://example.org/water.</span> {_paragraph(filler, 10)}</p>
<p>Second paragraph of the preface.<span class="fn">Preface note two.</span>
{_paragraph(filler, 8)}</p>
</section>
<section class="part">
<h1>{title}</h1>
<p class="byline">Ada Example and Ben Sample</p>
<h2>Executive Summary</h2>
<p class="first">This essay compares tariffs in three cities.</p>
<h2>Tariffs and Maintenance</h2>
<p class="first">{_paragraph(filler, 12)}<span class="fn">Essay note one.</span>
{_paragraph(filler, 12)}</p>
<ul><li>First point about pipes and pumps.</li><li>Second point about meters.</li></ul>
<blockquote><p>{_paragraph("A quoted passage from a council report on leaks.", 4)}</p></blockquote>
<p>{_paragraph(filler, 30)}<span class="fn">Essay note two.</span> The end.</p>
</section></body></html>"""


FILLER = "Municipal water boards weigh tariffs against maintenance backlogs every year. " * 8


def article_html(title: str) -> str:
    """One article with the front matter an archive record needs (series, date, copyright)."""
    return f"""<html lang="en"><head><style>{SMALL_REPORT_CSS}</style></head><body>
<p class="first">Test Series No. 3, March 2024</p>
<h1>{title}</h1>
<p class="byline">Ada Example</p>
<h2>Tariffs</h2>
<p class="first">{FILLER}</p><p>{FILLER}</p>
<h2>Maintenance</h2>
<p class="first">{FILLER}</p>
<p class="first">© 2024 The Test Institute</p>
</body></html>"""


def build_pdf(html: str, path: Path) -> Path:
    from weasyprint import HTML

    HTML(string=html).write_pdf(path)
    return path


def segmented(html: str, path: Path):
    """The document model of the PDF built from ``html``: extract, layout, segment."""
    from flows.extract import extract_pdf
    from flows.layout import analyse_layout
    from flows.model import SourceInfo
    from flows.segment import segment

    extracted = extract_pdf(build_pdf(html, path))
    return segment(analyse_layout(extracted),
                   SourceInfo(path.name, extracted.sha256, extracted.page_count))


def flat(rich) -> str:
    """Rich text as plain text."""
    return "".join(inline.text for inline in rich)


@pytest.fixture(scope="session")
def small_report(tmp_path_factory) -> Path:
    return build_pdf(small_report_html(), tmp_path_factory.mktemp("small") / "small.pdf")


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 900) -> subprocess.CompletedProcess:
    """The real console entry point, as staff run it."""
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    return subprocess.run([sys.executable, "-m", "flows", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def variant_store(tmp_path_factory):
    """Re-typeset editions of the report, each rendered at most once per session."""
    from variants import VariantStore

    return VariantStore(tmp_path_factory.mktemp("variants"))


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """The report published once by `jatsflow publish` for all end-to-end tests."""
    out = tmp_path_factory.mktemp("build")
    result = run_cli("publish", str(REPORT_PDF), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    return out / "nbr79"


@pytest.fixture(scope="session")
def article(tmp_path_factory) -> Path:
    """A one-article PDF that validates, for the flow and fault tests (read-only: tests copy
    it before changing anything)."""
    return build_pdf(article_html("Water Policy in Three Cities"),
                     tmp_path_factory.mktemp("article") / "article.pdf")
