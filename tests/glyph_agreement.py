"""Our glyph layer against an independent engine (pdfminer.six): do both find the same words
in the same places?

For each document, the words of our layer (flows/glyphs.py) and pdfminer's words (its own
interpretation of the content streams, its own line and word grouping) are matched one to
one: same text (NFKC, so a ligature glyph reads as its letters on both sides) and a box whose
left end, right end and baseline are each within ``BOX_TOLERANCE`` points; a word one engine
cut in pieces that spell it in the same boxes counts once (``Agreement.regrouped``).
Agreement is the share of agreeing words among all words (``Agreement.share``). Only upright
text inside the crop box is compared (pdfminer keeps text the page crops away; that
difference has its own test). Words that differ by a definition, each with its test in
tests/test_glyph_layer.py, are counted apart and left out of the share: ``unread`` (glyphs
pdfminer names "(cid:N)" or by a private-use code, which we count as unmapped), ``hidden``
(pdfminer's words that a clipping path or a form's /BBox hides, or white text drawn over
other text, which extract drops as a reader cannot see it), ``actual`` (words that
differ because we read /ActualText), ``char_spacing`` (words after a string shown with
character spacing: pdfminer leaves out the spacing after a string's last glyph). Accents
drawn as glyphs of their own are put on their letters on both sides, and soft hyphens and
zero-width characters are no part of a word.

    .venv/bin/python tests/glyph_agreement.py            # every PDF: tests, pairs, corpus
    .venv/bin/python tests/glyph_agreement.py a.pdf ...  # just these
"""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from collections import Counter, defaultdict
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

from flows import glyphs  # noqa: E402
from flows.extract import _without_hidden_white  # noqa: E402
from flows.fonts import FontCache  # noqa: E402
from flows.glyph_words import _ACCENTS, _place_accents, lines_of, words_of  # noqa: E402
from flows.glyphs import Glyph, page_glyphs  # noqa: E402

SHARED = ROOT.parent / "shared"
BOX_TOLERANCE = 1.0  # points, on each of x0, x1 and the baseline
TARGET = 0.99  # issue 14: agreement on every document both engines read

Key = tuple[str, float, float, float]  # text, x0, x1, baseline


def _norm(text: str) -> str:
    """A word as both engines should spell it: NFKC (a ligature glyph is its letters), and no
    soft hyphen or zero-width character (invisible; one engine may keep it inside a word,
    the other cut there)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).strip()


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def _inside(x: float, y: float, crop: tuple[float, float, float, float]) -> bool:
    return crop[0] <= x <= crop[2] and crop[1] <= y <= crop[3]


def our_words(pdf: Path, pages: int | None = None, actual_text: bool = True,
              last_char_spacing: bool = True) -> list[list[Key]]:
    """Our words per page; with ``actual_text`` False, as the glyphs spell them where marked
    content gives an /ActualText (pdfminer reads no /ActualText; tests/test_glyph_layer.py
    says why we do); with ``last_char_spacing`` False, placed as pdfminer places them, with
    no character spacing after the last glyph of a string (tests/test_glyph_layer.py)."""
    if not actual_text:
        replace = glyphs._Interpreter._replace
        glyphs._Interpreter._replace = lambda self, start, actual: None
        try:
            return our_words(pdf, pages, last_char_spacing=last_char_spacing)
        finally:
            glyphs._Interpreter._replace = replace
    if not last_char_spacing:
        show = glyphs._Interpreter._show
        glyphs._Interpreter._show = lambda self, items, state, tm: _without_last_tc(
            show(self, items, state, tm), items, state)
        try:
            return our_words(pdf, pages)
        finally:
            glyphs._Interpreter._show = show
    reader = PdfReader(pdf)
    fonts = FontCache()
    out: list[list[Key]] = []
    for page in reader.pages[:pages]:
        drawn = page_glyphs(page, reader, fonts)
        out.append(_words(_without_hidden_white(drawn.glyphs)))
    return out


def _without_last_tc(moved: glyphs.Matrix, items, state) -> glyphs.Matrix:
    """The text matrix after a Tj or TJ as pdfminer moves it: character spacing goes before
    each glyph that follows a glyph or a number of the same operator, so none follows the
    last glyph unless the operator's first item is a number."""
    items = [items] if isinstance(items, (bytes, str)) else items
    first = next((i for i in items if isinstance(i, (int, float)) or len(i)), None)
    if first is None or isinstance(first, (int, float)) or not state.char_spacing:
        return moved
    return glyphs._mult((1, 0, 0, 1, -state.char_spacing * state.scale, 0), moved)


def hidden_glyphs(pdf: Path, pages: int | None = None) -> list[list[Glyph]]:
    """The glyphs that clipping paths and form bounding boxes hide, and white glyphs over
    other text (we drop them, pdfminer keeps them: tests/test_glyph_layer.py says why), per
    page."""
    reader = PdfReader(pdf)
    fonts = FontCache()
    out: list[list[Glyph]] = []
    for page in reader.pages[:pages]:
        shown = Counter((g.text, g.x0, g.y) for g in _without_hidden_white(
            page_glyphs(page, reader, fonts).glyphs))
        saved, glyphs.CLIP_TOLERANCE = glyphs.CLIP_TOLERANCE, float("inf")
        try:
            every = page_glyphs(page, reader, fonts).glyphs
        finally:
            glyphs.CLIP_TOLERANCE = saved
        hidden = []
        for glyph in every:
            key = (glyph.text, glyph.x0, glyph.y)
            if shown[key]:
                shown[key] -= 1
            else:
                hidden.append(glyph)
        out.append(hidden)
    return out


def _spelled_by(word: Key, drawn: list[Glyph]) -> bool:
    """Whether hidden glyphs inside a word's box, left to right or in the order they were
    drawn, spell its letters in order (other hidden glyphs between them allowed): two hidden
    strings set over each other on nearly the same baseline (a whole page embedded as a
    figure, clipped to it; white metadata stacked on one spot) are grouped into lines one
    way by pdfminer (in drawing order) and another way by us, but every letter is hidden."""
    inside = [g for g in drawn if not g.space and abs(g.y - word[3]) <= BOX_TOLERANCE
              and g.x0 >= word[1] - BOX_TOLERANCE and g.x1 <= word[2] + BOX_TOLERANCE]
    for order in (_ALONG, _DRAWN):
        letters = iter("".join(_norm(g.text) for g in sorted(inside, key=order)))
        if all(char in letters for char in word[0]):  # `in` consumes: a subsequence
            return True
    return False


_ALONG = operator.attrgetter("x0")
_DRAWN = operator.attrgetter("seq")


def _words(drawn: list[Glyph]) -> list[Key]:
    words = [w for line in lines_of(drawn) for w in words_of(line)]
    return [(_norm(w.text), w.x0, w.x1, w.y) for w in words if _norm(w.text)]


class _Baselines(PDFPageAggregator):
    """pdfminer's aggregator, also noting each character's baseline (its origin with the
    text rise) and its origin and end along it, which its boxes (descent to ascent, slanted
    with the glyph) do not carry."""

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs,
                                      graphicstate)
        item = self.cur_item._objs[-1]
        if isinstance(item, LTChar):
            item.baseline = matrix[5] + matrix[3] * rise
            # the origin and the advance along the baseline, as our boxes are: pdfminer's box
            # of a slanted glyph (a skewed matrix) leans out beyond them
            item.origin = matrix[4] + matrix[2] * rise
            item.end = item.origin + matrix[0] * item.adv
        return advance


def pdfminer_words(pdf: Path, pages: int | None = None
                   ) -> tuple[list[list[Key]], list[list[Key]]]:
    """pdfminer's words per page, and apart from them the words it could not read: those with
    a glyph it names "(cid:N)" because its font has no Unicode for it (our layer drops such
    glyphs and counts them, tests/test_glyph_layer.py says why)."""
    out: list[list[Key]] = []
    unread: list[list[Key]] = []
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
            missed: list[Key] = []
            for line in _text_lines(device.get_result()):
                current: list[Glyph] = []
                for glyph in [*_glyphs(line), None]:
                    if glyph is not None and not glyph.space:
                        # pdfminer folds a raised callout into its line; its glyphs keep
                        # their own baseline, and so does a word here
                        if not current or abs(glyph.y - current[-1].y) <= BOX_TOLERANCE:
                            current.append(glyph)
                            continue
                        close, current = current, [glyph]
                        _close(close, crop, words, missed)
                        continue
                    _close(current, crop, words, missed)
                    current = []  # a space, an LTAnno or the line's end closes a word
            out.append(words)
            unread.append(missed)
    return out, unread


def _glyphs(line) -> list[Glyph]:
    """A pdfminer line as glyphs (word separators as space glyphs), with accents drawn as
    glyphs of their own put on their letters, as our layer does (``_place_accents``, tested in
    tests/test_glyph_layer.py): pdfminer keeps "¨" beside "o", where readers see "ö"."""
    glyphs = []
    for seq, item in enumerate(line):
        if isinstance(item, LTChar) and _upright(item) and item.get_text().strip():
            glyphs.append(Glyph(item.get_text(), item.origin, item.end, item.baseline, item.size,
                                None, seq))  # type: ignore[arg-type]
        else:
            glyphs.append(Glyph(" ", 0.0, 0.0, 0.0, 0.0, None, seq, True))  # type: ignore[arg-type]
    if any(g.text in _ACCENTS for g in glyphs):
        glyphs = _place_accents(glyphs)
    return glyphs


# A glyph pdfminer cannot name ("(cid:N)"), or names by a private-use code point (a code the
# font made up, which our layer does not take for text): text neither engine read.
def _upright(char: LTChar) -> bool:
    """Our rule for upright text on pdfminer's glyphs: a horizontal baseline (pdfminer's own
    ``upright`` also takes text turned by a few degrees; we keep that apart as rotated text,
    tests/test_glyph_layer.py)."""
    a, b, _c, d, _e, _f = char.matrix
    return a > 0 and d > 0 and abs(b) <= glyphs.UPRIGHT_TOLERANCE * a


_CID = re.compile(r"\(cid:\d+\)|[\ue000-\uf8ff]")


def _close(glyphs: list[Glyph], crop, words: list[Key], unread: list[Key]) -> None:
    if not glyphs:
        return
    raw = "".join(g.text for g in glyphs)
    first = glyphs[0]
    text = _norm(_CID.sub("", raw))
    if not _inside(first.x0, first.y, crop):
        return
    key = (text, first.x0, max(g.x1 for g in glyphs), first.y)
    if _CID.search(raw):
        unread.append(key)
    elif text:
        words.append(key)


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
    unread: int = 0  # words at glyphs pdfminer could not read ("(cid:N)"), both engines'
    hidden: int = 0  # pdfminer's words hidden by a clip, a form's /BBox or as white text
    actual_text: int = 0  # words that differ only because we read /ActualText
    char_spacing: int = 0  # words that differ only by pdfminer's Tc after a string's end

    @property
    def explained(self) -> int:
        """Words left out as differences by definition, each with a test of its own."""
        return self.unread + self.hidden + self.actual_text + self.char_spacing

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
    theirs, unread = pdfminer_words(pdf, pages)
    result = agree(name or pdf.name, ours, theirs)
    # where pdfminer could not read a glyph, the text is not read by both engines: our words
    # there that match none of its words are left out of the comparison, as its own are
    missed = [u for page in unread for u in page]
    page_of = {id(w): n for n, words in enumerate(ours) for w in words}
    kept = [w for w in result.unmatched_ours
            if not any(_overlaps(w, u) for u in unread[page_of[id(w)]])]
    result.unread = len(missed) + len(result.unmatched_ours) - len(kept)
    result.unmatched_ours = kept
    if result.unmatched_theirs:
        # pdfminer's words that only our unclipped text has: hidden by a clip (or white)
        their_page = {id(w): n for n, words in enumerate(theirs) for w in words}
        left: list[list[Key]] = [[] for _ in theirs]
        for word in result.unmatched_theirs:
            left[their_page[id(word)]].append(word)
        drawn = hidden_glyphs(pdf, pages)
        hidden = agree("", _crop_filter(pdf, [_words(page) for page in drawn]), left)
        found = {id(w) for w in result.unmatched_theirs} - {id(w) for w in hidden.unmatched_theirs
                                                             if not _spelled_by(
                                                                 w, drawn[their_page[id(w)]])}
        result.hidden = len(found)
        result.unmatched_theirs = [w for w in result.unmatched_theirs if id(w) not in found]
    if result.unmatched_ours or result.unmatched_theirs:
        _explain_actual_text(pdf, pages, result)
    if result.unmatched_ours or result.unmatched_theirs:
        _explain_char_spacing(pdf, pages, result)
    return result


def _explain_char_spacing(pdf: Path, pages: int | None, result: Agreement) -> None:
    """Words that differ only because pdfminer sets no character spacing after a string's
    last glyph: ours that move when placed its way, and pdfminer's that ours placed its way
    are."""
    ours_now = {w for page in _crop_filter(pdf, our_words(pdf, pages)) for w in page}
    its_way = {w for page in _crop_filter(pdf, our_words(pdf, pages, last_char_spacing=False))
               for w in page}
    moved = its_way - ours_now
    theirs = [w for w in result.unmatched_theirs if not any(_same(w, m) for m in moved)]
    placed = [w for w in result.unmatched_theirs if w not in theirs]
    # ours: a word that moves when placed pdfminer's way, onto one of those words of its
    # (there it may also join the next: with the spacing gone, so is the word gap)
    ours = [w for w in result.unmatched_ours
            if w in its_way or not any(_overlaps(w, p) for p in placed)]
    result.char_spacing = len(result.unmatched_ours) - len(ours) \
        + len(result.unmatched_theirs) - len(theirs)
    result.unmatched_ours, result.unmatched_theirs = ours, theirs


def _explain_actual_text(pdf: Path, pages: int | None, result: Agreement) -> None:
    """Words that differ only because our layer reads /ActualText: ours that the glyphs alone
    do not spell, and pdfminer's that the glyphs alone do."""
    spelled = _crop_filter(pdf, our_words(pdf, pages, actual_text=False))
    plain = {w for page in spelled for w in page}
    with_text = {w for page in _crop_filter(pdf, our_words(pdf, pages)) for w in page}
    ours = [w for w in result.unmatched_ours if w in plain or w not in with_text]
    theirs = [w for w in result.unmatched_theirs
              if not any(_same(w, p) for p in plain - with_text)]
    result.actual_text = len(result.unmatched_ours) - len(ours) \
        + len(result.unmatched_theirs) - len(theirs)
    result.unmatched_ours, result.unmatched_theirs = ours, theirs


def _same(a: Key, b: Key) -> bool:
    return a[0] == b[0] and all(abs(a[i] - b[i]) <= BOX_TOLERANCE for i in (1, 2, 3))


def _overlaps(word: Key, other: Key) -> bool:
    return abs(word[3] - other[3]) <= BOX_TOLERANCE and word[1] < other[2] + BOX_TOLERANCE \
        and other[1] < word[2] + BOX_TOLERANCE


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
          f"{'unread':>7} {'hidden':>7} {'actual':>7} {'tc':>7} {'agree':>7}  "
          "first disagreements (ours | pdfminer)")
    shares = []
    for name, pdf in targets:
        try:
            result = compare(pdf, name=name)
        except Exception as exc:  # noqa: BLE001 — a table row per document, whatever fails
            print(f"{name:42} {'-':>7} {'-':>8} {'-':>7} {'-':>7} {'-':>7} {'-':>7} {'-':>7} "
                  f"{'-':>7} {'-':>7}  "
                  f"not read: {type(exc).__name__}")
            continue
        shares.append(result.share)
        sample = ", ".join(w[0] for w in result.unmatched_ours[:3])
        sample += " | " + ", ".join(w[0] for w in result.unmatched_theirs[:3])
        print(f"{name:42} {result.ours:7} {result.theirs:8} {result.matched:7} "
              f"{result.regrouped:7} {result.unread:7} {result.hidden:7} {result.actual_text:7} "
              f"{result.char_spacing:7} "
              f"{result.share:7.2%}  {sample}", flush=True)
    if shares:
        print(f"\n{len(shares)} documents; mean {sum(shares) / len(shares):.2%}; "
              f"at or above {TARGET:.0%}: {sum(s >= TARGET for s in shares)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
