"""Stage 10 — front matter: the lines before the first part (or above a single article's
title), the sidebars and the back cover → `FrontMatter` (title, authors, series, date,
publisher, copyright, notes kept as printed, contents).

Input: front-matter lines, the parts, the evidence, the house style. Output: a new
`FrontMatter`.
Invariant: reads lines and parts; a publication line moved out of a part's body is kept
as a front-matter note, never lost.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from flows.layout_model import Line
from flows.model import Block, FrontMatter, Paragraph, Part, Section, SourceInfo
from flows.profile import HouseStyle
from flows.segment.blocks import cut_blocks
from flows.segment.common import DATELINE, LABELLED_NOTE, MONTHS, collapse_letterspacing, plain
from flows.segment.evidence import Evidence
from flows.segment.head import sidebar_byline, split_names
from flows.segment.params import SegmentParams
from flows.segment.parts import Split
from flows.segment.richtext import rich_text, text_of
from flows.segment.titleblock import title_lines_of, title_text


def parse_front(lines: list[Line], parts: list[Part], ev: Evidence, style: HouseStyle
                ) -> FrontMatter:
    """Title, byline, series, date, publisher and copyright from the pages before the first
    part; everything else there (board lists, the publisher's blurb) is kept as notes."""
    front = FrontMatter()
    if not lines:
        return front
    first_page = [ln for ln in lines if ln.page == lines[0].page]
    biggest = max(first_page, key=lambda ln: ln.size)
    title_lines = [ln for ln in first_page if ln.size == biggest.size]
    front.title = plain(" ".join(ln.text for ln in title_lines))
    after = [ln for ln in first_page if ln.y < title_lines[-1].y]
    if after and after[0].size > ev.body_size and not after[0].text.lower().startswith(
            style.byline_prefixes) and not series_of(plain(after[0].text), style):
        front.subtitle = plain(after[0].text)
    contents_pages = _contents_pages(lines, style, ev.params)
    for line in lines:
        lower = plain(line.text).lower()
        if not front.authors and lower.startswith(style.byline_prefixes):
            prefix = next(p for p in style.byline_prefixes if lower.startswith(p))
            front.authors = split_names(plain(line.text)[len(prefix):])
    read_front_fields(lines, front, style)
    if not front.authors:
        front.authors = [c.name for p in parts for c in p.contributors]
    front.publisher, front.publisher_loc = _publisher(first_page, front)
    # Everything else is kept, paragraph by paragraph.
    kept = [ln for ln in lines if ln.page not in contents_pages and ln.page != lines[0].page]
    for block in cut_blocks(kept, ev, style):
        texts = [text for text in (plain(text_of(rich_text(entry, ev)))
                                   for entry in list_entries(block.lines, ev.params)) if text]
        if len(texts) > 1:
            front.notes.append(texts)
        elif texts:
            front.notes.append(texts[0])
    front.contents = [plain(ln.text) for ln in lines if ln.page in contents_pages]
    return front


# A list set one entry a line has at least this many lines (two could be a short
# paragraph's).
LIST_MIN_LINES = 3


def list_entries(lines: list[Line], params: SegmentParams) -> list[list[Line]]:
    """A front-matter block's entries: each line its own when the block is a list set one
    entry a line (most of its lines stop short of the block's right edge, where a wrapped
    paragraph's lines all run to it but its last); the whole block otherwise."""
    if len(lines) < LIST_MIN_LINES:
        return [lines]
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    short = sum(1 for ln in lines[:-1] if right - ln.x1 > params.short_share * (right - left))
    if short < params.list_short_share * (len(lines) - 1):
        return [lines]
    return [[ln] for ln in lines]


def article_front(part: Part, title_lines: list[Line], lines: list[Line], asides: list[Line],
                  ev: Evidence, style: HouseStyle) -> FrontMatter:
    """A single article names itself: title and authors come from its head; the lines above
    the title and any sidebar (journal, DOI, dates, licence) are kept as notes. The title
    is all its lines, whatever their slant or weight (a species name in italic)."""
    title = title_text(title_lines, ev.params) or plain(text_of(part.title))
    # (beside a translated abstract, the second title is the title translated; a second
    # style within the title's lines is the title going on)
    subtitle = plain(text_of(part.subtitle))
    if part.trans_abstracts or subtitle.lower() in title.lower():
        subtitle = ""
    front = FrontMatter(title=title, subtitle=subtitle,
                        authors=[c.name for c in part.contributors])
    read_front_fields(lines + asides, front, style)
    front.notes = [text for text in (plain(text_of(rich_text(block.lines, ev)))
                                     for block in cut_blocks(lines + asides, ev, style)) if text]
    for printed in part.publication_notes:
        front.notes.append(printed)  # kept as printed, beside the fields read from them
        date = DATELINE.match(printed.lower())
        if date and not front.year:
            front.month = str(MONTHS.index(date.group("month")) + 1)
            front.year = date.group("year")
    return front


# A licence statement: the work said to be licensed or distributed under terms, or a
# Creative Commons address; a copyright notice opens with the mark, the word or a year and
# the authors (the mark itself may be lost in the text layer)
LICENCE = re.compile(r"\b(licen[cs]ed|distributed)\s+under\s+(the\s+terms|a\s+creative|"
                     r"creative|a\s+cc\b|cc\b)|creativecommons\.org|"
                     r"\bcreative\s+commons\b", re.IGNORECASE)
COPYRIGHT = re.compile(r"^\s*(copyright\b|©|\(c\)\s*\d{4}|\d{4}[\d/\s-]*©|"
                       r"\d{4},?\s+the\s+authors?\b|the\s+authors?(\(s\))?\.?,?\s+\d{4}\b)",
                       re.IGNORECASE)


def _permissions_text(printed: str, params: SegmentParams) -> bool:
    """A paragraph that is the article's licence or copyright notice, whatever its place."""
    return bool(LICENCE.search(printed)) or bool(
        COPYRIGHT.match(printed) and len(printed.split()) <= params.copyright_line_words)


def _take_permissions(blocks: list[Block], params: SegmentParams, moved: list[str]
                      ) -> list[Block]:
    """The blocks without the licence and copyright notices a page's furniture left in the
    body (into `moved`), in sections too. (A paragraph in lower case after a notice is no
    part of it: it is the body's paragraph going on after the notice set in its page.)"""
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Section):
            block = replace(block, blocks=_take_permissions(block.blocks, params, moved))
        elif isinstance(block, Paragraph) and _permissions_text(
                printed := plain(text_of(block.content)), params):
            moved.append(printed)
            continue
        kept.append(block)
    return kept


def as_article(parts: list[Part], split: Split, params: SegmentParams) -> list[Part]:
    """A single article's part, as a new part of kind "article", its contributors only
    those named like people: the paragraphs standing
    before its first section that are only a date ("March 2024") or a capitalised label and
    its value ("CITE AS: …") are publication data, which belongs in the front matter, not
    in the body; and so is every paragraph set above its abstract (affiliations,
    correspondence, dates, licence lines left over from its title block). They go first
    among its publication notes."""
    if not split.single_article or not parts:
        return parts
    article = parts[0]
    moved: list[str] = []
    kept: list[Block] = []
    leading = True
    for block in article.blocks:
        leading = leading and isinstance(block, Paragraph)
        printed = plain(text_of(block.content)) if isinstance(block, Paragraph) else ""
        if leading and (DATELINE.match(printed.lower()) or LABELLED_NOTE.match(printed)
                        or _above_abstract(block, article)):
            moved.append(printed)
        else:
            kept.append(block)
    kept = _take_permissions(kept, params, moved)
    people = [c for c in article.contributors if personal_name(c.name)]
    return [replace(article, kind="article", blocks=kept, contributors=people,
                    publication_notes=moved + article.publication_notes), *parts[1:]]


NAME_WORD = re.compile(r"[^\W\d_]+(?:[.'’‐-][^\W\d_]*)*\.?")
NAME_WORDS = (2, 8)  # a person's name has this many words, at least and at most


def personal_name(name: str) -> bool:
    """A person's name: a few words of letters (initials with their full stop count); a
    page number, a row of stars, a web address or a line of names run together is not
    one (an article's closing line taken for its signature, say)."""
    words = name.split()
    return NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] and all(
        NAME_WORD.fullmatch(word) for word in words)


def _above_abstract(block: Block, article: Part) -> bool:
    """The block stands wholly above the article's abstract (on an earlier page, or
    higher on its page): it belongs to the title block."""
    first = next((b for section in article.abstract for b in section.blocks
                  if isinstance(b, Paragraph)), None)
    if first is None or not isinstance(block, Paragraph):
        return False
    page, top = first.source.pages[0], first.source.bbox[3]
    return block.source.pages[0] < page or (block.source.pages[0] == page
                                            and block.source.bbox[1] > top)


def front_matter(split: Split, parts: list[Part], ev: Evidence, style: HouseStyle,
                 source: SourceInfo) -> tuple[FrontMatter, list[str]]:
    """The front matter, and the document's warnings: a single article's from its head, a
    report's from its opening pages; the PDF's creation date when the text names none; the
    back cover's text kept as notes."""
    if split.single_article and parts:
        title_lines = title_lines_of(split.parts[0].lines, ev.params)
        if not parts[0].contributors:  # a byline in the margin column beside the text
            parts[0].contributors = [person for person in sidebar_byline(
                list(split.asides), title_lines, ev, style) if personal_name(person.name)]
        front = article_front(parts[0], title_lines, list(split.front), list(split.asides), ev,
                              style)
    else:
        front = parse_front(list(split.front), parts, ev, style)
        front.notes += [note for part in parts for note in part.publication_notes]
    warnings: list[str] = []
    if not front.year and source.created:
        front.year, _, month = source.created.partition("-")
        front.month = month.lstrip("0")
        warnings.append("no publication date in the text; used the PDF's creation date")
    front.notes += [text for text in (plain(text_of(rich_text(block.lines, ev)))
                                      for block in cut_blocks(list(split.back_cover), ev, style))
                    if text]
    return front, warnings


def series_of(text: str, style: HouseStyle) -> re.Match | None:
    """A series name and number: "… Report #79", "… No. 12", "NBR Special Report 79"."""
    words = "|".join(map(re.escape, style.series_words))  # a profile's words are plain words
    return re.match(r"^(?P<series>[^|#]*?)\s*(?:#|no\.?\s*|number\s+)(?P<num>\d+)\b",
                    text, re.I) or re.search(
        r"(?P<series>[^|#—–]*\b(?:" + words + r"))\s+(?P<num>\d+)\b", text, re.I)


def read_front_fields(lines: list[Line], front: FrontMatter, style: HouseStyle) -> None:
    """Series and number, date, copyright: patterns any publisher's front matter uses."""
    for line in lines:
        text = plain(line.text)
        lower = text.lower()
        series = series_of(text, style)
        if series and not front.number and len(text) < 80:
            front.series = series.group("series").strip(" ,|")
            front.number = series.group("num")
        date = re.search(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", lower)
        if date and not front.year and len(text) < 80:
            front.month = str(MONTHS.index(date.group(1)) + 1)
            front.year = date.group(2)
        if ("©" in text or lower.startswith("copyright")) and not front.copyright_statement:
            front.copyright_statement = text.rstrip(".")
            year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
            front.copyright_year = year.group(1) if year else ""
            holder = re.sub(r"^(copyright\b)?\s*(\(c\)|c?©)?\s*(\d{4}([–-]\d{2,4})?[,\s]*)*"
                            r"(by\s+)?", "", text, flags=re.I)
            front.copyright_holder = holder.strip(" .")
    if not front.year and front.copyright_year:
        front.year = front.copyright_year


def _contents_pages(lines: list[Line], style: HouseStyle, p: SegmentParams) -> set[int]:
    pages: set[int] = set()
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    for page, page_lines in by_page.items():
        named = any(plain(ln.text).lower() in style.contents_headings for ln in page_lines)
        numbered = sum(1 for ln in page_lines if re.match(r"^(\d+|[ivxl]+)\s+\S", ln.text.strip())
                       or re.search(r"\s(\d+|[ivxl]+)$", ln.text.strip()))
        if named or numbered >= max(3, p.contents_numbered_share * len(page_lines)):
            pages.add(page)
    return pages


def _publisher(first_page: list[Line], front: FrontMatter) -> tuple[str, str]:
    """The publisher is the copyright holder when it is named on the cover too; the line
    under it on the cover is its place."""
    holder = front.copyright_holder.lower()
    for index, line in enumerate(first_page):
        text = plain(line.text)
        if holder and (text.lower() == holder or collapse_letterspacing(line.text).lower() ==
                       holder) and index + 1 < len(first_page):
            place = plain(first_page[index + 1].text)
            if first_page[index + 1].size <= line.size and len(place.split()) < 8:
                return text, place
            return text, ""
    return front.copyright_holder, ""
