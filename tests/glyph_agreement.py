"""Our glyph layer against an independent engine (pdfminer.six): do both find the same words
in the same places?

For each document, the words of our layer (flows/glyphs.py) and pdfminer's words (its own
interpretation of the content streams, its own line and word grouping) are matched one to
one: same text (NFKC, so a ligature glyph reads as its letters on both sides) and a box whose
left end, right end and baseline are each within ``BOX_TOLERANCE`` points; a word one engine
cut in pieces that spell it in the same boxes counts once (``Agreement.regrouped``).
Agreement is the share of agreeing words among all words (``Agreement.share``). Only upright
text inside the crop box is compared (pdfminer keeps text the page crops away; that
difference has its own test).

    .venv/bin/python tests/glyph_agreement.py            # every PDF: tests, pairs, corpus
    .venv/bin/python tests/glyph_agreement.py a.pdf ...  # just these
"""

from __future__ import annotations

import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pdfminer.converter import PDFPageAggregator  # noqa: E402
from pdfminer.layout import LAParams, LTAnno, LTChar, LTTextLineHorizontal  # noqa: E402
from pdfminer.pdfdocument import PDFDocument  # noqa: E402
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager  # noqa: E402
from pdfminer.pdfpage import PDFPage  # noqa: E402
from pdfminer.pdfparser import PDFParser  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from flows.fonts import FontCache  # noqa: E402
from flows.glyph_words import lines_of, words_of  # noqa: E402
from flows.glyphs import page_glyphs  # noqa: E402

SHARED = ROOT.parent / "shared"
BOX_TOLERANCE = 1.0  # points, on each of x0, x1 and the baseline
TARGET = 0.99  # issue 14: agreement on every document both engines read

Key = tuple[str, float, float, float]  # text, x0, x1, baseline


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _inside(x: float, y: float, crop: tuple[float, float, float, float]) -> bool:
    return crop[0] <= x <= crop[2] and crop[1] <= y <= crop[3]


def our_words(pdf: Path, pages: int | None = None) -> list[list[Key]]:
    reader = PdfReader(pdf)
    fonts = FontCache()
    out: list[list[Key]] = []
    for page in reader.pages[:pages]:
        drawn = page_glyphs(page, reader, fonts)
        words = [w for line in lines_of(drawn.glyphs) for w in words_of(line)]
        out.append([(_norm(w.text), w.x0, w.x1, w.y) for w in words if _norm(w.text)])
    return out


class _Baselines(PDFPageAggregator):
    """pdfminer's aggregator, also noting each character's baseline (its origin with the
    text rise), which its boxes (descent to ascent) do not carry."""

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs,
                                      graphicstate)
        item = self.cur_item._objs[-1]
        if isinstance(item, LTChar):
            item.baseline = matrix[5] + matrix[3] * rise
        return advance


def pdfminer_words(pdf: Path, pages: int | None = None) -> list[list[Key]]:
    out: list[list[Key]] = []
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        manager = PDFResourceManager()
        device = _Baselines(manager, laparams=LAParams(all_texts=True))  # text in forms too
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document)):
            if pages is not None and number >= pages:
                break
            interpreter.process_page(page)
            crop = page.cropbox
            words: list[Key] = []
            for line in _text_lines(device.get_result()):
                current: list[LTChar] = []
                for item in [*line, None]:
                    if isinstance(item, LTChar) and item.upright and item.get_text().strip():
                        # pdfminer folds a raised callout into its line; its glyphs keep
                        # their own baseline, and so does a word here
                        if not current or abs(item.baseline - current[-1].baseline) <= \
                                BOX_TOLERANCE:
                            current.append(item)
                            continue
                        close, current = current, [item]
                        _close(close, crop, words)
                        continue
                    _close(current, crop, words)
                    current = []  # a space, an LTAnno or the line's end closes a word
            out.append(words)
    return out


def _close(chars: list, crop, words: list[Key]) -> None:
    if not chars:
        return
    text = _norm("".join(c.get_text() for c in chars))
    first = chars[0]
    if text and _inside(first.x0, first.baseline, crop):
        words.append((text, first.x0, max(c.x1 for c in chars), first.baseline))


def _text_lines(layout):
    for item in layout:
        if isinstance(item, LTTextLineHorizontal):
            yield item
        elif hasattr(item, "__iter__") and not isinstance(item, (LTChar, LTAnno)):
            yield from _text_lines(item)


def _crop_filter(pdf: Path, ours: list[list[Key]]) -> list[list[Key]]:
    reader = PdfReader(pdf)
    kept = []
    for page, words in zip(reader.pages, ours, strict=False):
        box = page.cropbox
        crop = (float(box.left), float(box.bottom), float(box.right), float(box.top))
        kept.append([w for w in words if _inside(w[1], w[3], crop)])
    return kept


@dataclass
class Agreement:
    """``matched``: same text, same box. ``regrouped``: words of one engine that the other
    cut in several pieces, same letters in the same boxes (letter-spaced capitals and a
    line-end hyphen set off at the margin are one word here, several for pdfminer, whose
    word gap is a fixed tenth of a glyph's size)."""

    name: str
    ours: int
    theirs: int
    matched: int
    regrouped: int
    unmatched_ours: list[Key]
    unmatched_theirs: list[Key]

    @property
    def share(self) -> float:
        """Agreeing words among all words, a regrouped word counted once, a word only one
        engine found counted as a disagreement."""
        agreeing = self.matched + self.regrouped
        return agreeing / max(agreeing + len(self.unmatched_ours) + len(self.unmatched_theirs),
                              1)


def _regroup(whole: list[Key], pieces: list[Key]) -> tuple[list[Key], list[Key], int]:
    """Match each unmatched word to unmatched pieces on its baseline, within its box, that
    spell it in left-to-right order; returns what stays unmatched and the count matched."""
    left_whole: list[Key] = []
    used: set[int] = set()
    count = 0
    for word in whole:
        inside = sorted((i for i, p in enumerate(pieces) if i not in used
                         and abs(p[3] - word[3]) <= BOX_TOLERANCE
                         and p[1] >= word[1] - BOX_TOLERANCE
                         and p[2] <= word[2] + BOX_TOLERANCE), key=lambda i: pieces[i][1])
        if len(inside) > 1 and "".join(pieces[i][0] for i in inside) == word[0] \
                and abs(pieces[inside[0]][1] - word[1]) <= BOX_TOLERANCE \
                and abs(pieces[inside[-1]][2] - word[2]) <= BOX_TOLERANCE:
            used.update(inside)
            count += 1
        else:
            left_whole.append(word)
    return left_whole, [p for i, p in enumerate(pieces) if i not in used], count


def agree(name: str, ours: list[list[Key]], theirs: list[list[Key]]) -> Agreement:
    matched, regrouped, left_ours, left_theirs = 0, 0, [], []
    for page_ours, page_theirs in zip(ours, theirs, strict=False):
        page_left: list[Key] = []
        pool: dict[str, list[Key]] = defaultdict(list)
        for word in page_theirs:
            pool[word[0]].append(word)
        for word in page_ours:
            candidates = pool.get(word[0], [])
            hit = next((c for c in candidates if abs(c[1] - word[1]) <= BOX_TOLERANCE
                        and abs(c[2] - word[2]) <= BOX_TOLERANCE
                        and abs(c[3] - word[3]) <= BOX_TOLERANCE), None)
            if hit is None:
                page_left.append(word)
            else:
                candidates.remove(hit)
                matched += 1
        their_left = [w for ws in pool.values() for w in ws]
        # a word kept whole by one engine and cut by the other: whole ones count once
        page_left, their_left, split_by_them = _regroup(page_left, their_left)
        their_left, page_left, split_by_us = _regroup(their_left, page_left)
        regrouped += split_by_them + split_by_us
        left_ours.extend(page_left)
        left_theirs.extend(their_left)
    return Agreement(name, sum(map(len, ours)), sum(map(len, theirs)), matched, regrouped,
                     left_ours, left_theirs)


def compare(pdf: Path, pages: int | None = None, name: str = "") -> Agreement:
    ours = _crop_filter(pdf, our_words(pdf, pages))
    return agree(name or pdf.name, ours, pdfminer_words(pdf, pages))


def all_pdfs() -> list[tuple[str, Path]]:
    found = [("source/" + p.name, p) for p in sorted((ROOT / "source").glob("*.pdf"))]
    found += [("tests/" + p.name, p) for p in sorted((ROOT / "tests").rglob("*.pdf"))]
    for folder in ("pairs", "producers", "corpus"):
        found += [(f"{folder}/{p.parent.name}", p)
                  for p in sorted((SHARED / folder).glob("*/paper.pdf"))]
    return found


def main(argv: list[str]) -> int:
    targets = [(Path(a).name, Path(a)) for a in argv] or all_pdfs()
    print(f"{'document':42} {'ours':>7} {'pdfminer':>8} {'same':>7} {'regroup':>7} "
          f"{'agree':>7}  first disagreements (ours | pdfminer)")
    shares = []
    for name, pdf in targets:
        try:
            result = compare(pdf, name=name)
        except Exception as exc:  # noqa: BLE001 — a table row per document, whatever fails
            print(f"{name:42} {'-':>7} {'-':>8} {'-':>7} {'-':>7} {'-':>7}  "
                  f"not read: {type(exc).__name__}")
            continue
        shares.append(result.share)
        sample = ", ".join(w[0] for w in result.unmatched_ours[:3])
        sample += " | " + ", ".join(w[0] for w in result.unmatched_theirs[:3])
        print(f"{name:42} {result.ours:7} {result.theirs:8} {result.matched:7} "
              f"{result.regrouped:7} {result.share:7.2%}  {sample}", flush=True)
    if shares:
        print(f"\n{len(shares)} documents; mean {sum(shares) / len(shares):.2%}; "
              f"at or above {TARGET:.0%}: {sum(s >= TARGET for s in shares)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
