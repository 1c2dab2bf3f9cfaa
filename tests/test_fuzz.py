"""Mutated PDFs and JATS never raise anything but a JatsflowError, and never hang.

The cases come from tests/fuzz.py: two small real PDFs (a WeasyPrint report and three pages of
the NBR report, each also uncompressed) mutated at byte level (flips, tokens, truncations,
splices, numbers) and object level (contents, fonts, ToUnicode, encodings, boxes, recursive
form XObjects, page tree), and JATS (ours, the test sample, a publisher's) mutated as a tree
(elements, attributes, text) and as bytes, plus entity attacks. Each case is seeded by its
index, so a failure printed here replays with ``python tests/fuzz.py --replay pdf:N``.
"""

from __future__ import annotations

import time
from pathlib import Path

import fuzz
import pytest

from flows.errors import JatsflowError

SEED = 7
PDF_CASES = 1500
JATS_CASES = 2500


@pytest.fixture(scope="module")
def seeds() -> tuple[dict[str, bytes], dict[str, bytes]]:
    fuzz.quiet_libraries()
    pdfs = fuzz.pdf_seeds()
    return pdfs, fuzz.jats_seeds(pdfs)


def _report(kind: str, result: fuzz.Campaign, seconds: float) -> str:
    text = fuzz.summary(kind, result, seconds)
    print("\n" + text)
    return text


def test_seeds_go_through_the_whole_pipeline(seeds, tmp_path: Path) -> None:
    pdfs, jats = seeds
    for name, data in pdfs.items():
        outcome = fuzz.run_one("pdf", data, name, tmp_path)
        assert outcome.kind == "ok", (name, outcome.detail)
    for name, data in jats.items():
        outcome = fuzz.run_one("jats", data, name, tmp_path)
        assert outcome.kind == "ok", (name, outcome.detail)


def test_cases_replay_identically(seeds) -> None:
    pdfs, jats = seeds
    for kind in ("pdf", "jats"):
        for index in (0, 17, 401):
            assert fuzz.generate(kind, SEED, index, pdfs, jats) == \
                fuzz.generate(kind, SEED, index, pdfs, jats)
    assert fuzz.generate("pdf", SEED, 1, pdfs, jats) != fuzz.generate("pdf", SEED, 2, pdfs, jats)


def test_the_harness_catches_hangs_and_strays() -> None:
    """The guard itself: a hang is stopped and counted, a foreign exception is an escape, and
    a project error with a multi-line message is not the one line the CLI promises."""
    start = time.perf_counter()
    hang = fuzz.run_case(lambda: time.sleep(30), "sleep", limit=0.3)
    assert hang.kind == "timeout" and time.perf_counter() - start < 5

    def stray() -> None:
        raise KeyError("/Font")

    def two_lines() -> None:
        raise JatsflowError("first\nsecond")

    assert fuzz.run_case(stray, "stray").kind == "escaped"
    assert fuzz.run_case(two_lines, "two lines").kind == "escaped"
    assert fuzz.run_case(lambda: None, "fine").kind == "ok"


# Per kind: cases, and the floors on ok and refused runs that show the mutations reach past
# the parser as well as break it.
CAMPAIGNS = {"pdf": (PDF_CASES, PDF_CASES // 5, PDF_CASES // 5),
             "jats": (JATS_CASES, JATS_CASES // 5, JATS_CASES // 10)}


@pytest.mark.parametrize("kind", sorted(CAMPAIGNS))
def test_mutated_inputs_only_raise_project_errors(kind: str, seeds, tmp_path: Path) -> None:
    pdfs, jats = seeds
    cases, least_ok, least_refused = CAMPAIGNS[kind]
    start = time.perf_counter()
    result = fuzz.campaign(kind, cases, SEED, pdfs, jats, tmp_path)
    text = _report(kind, result, time.perf_counter() - start)
    assert result.counts["ok"] > least_ok and result.counts["refused"] > least_refused
    assert len(result.failures) == 0, text
