"""Stage 4 — part head: the lines under a part's title → subtitle, contributors,
affiliations, summary boxes (abstracts and translated abstracts, keywords), bios and the
closing signature.

Input: a part's lines after its title, the evidence, the house style. Output: the head's
fields and the lines left for the body.
Invariant: head lines are only taken off the front of the list (the signature off its
end); the lines left keep their order and nothing is added to them.
"""

from __future__ import annotations

import re

from flows.layout_model import Line
from flows.model import AbstractSection, Contributor, Part
from flows.profile import HouseStyle
from flows.segment.blocks import cut_blocks
from flows.segment.common import (
    EMAIL,
    box_of,
    embedded_copy_of,
    plain,
    publication_line,
    style_of,
    title_case,
)
from flows.segment.common import TERMINAL as CLOSED
from flows.segment.evidence import Evidence, Frame, is_heading
from flows.segment.images import ImageClaims
from flows.segment.nesting import nest_blocks
from flows.segment.paragraphs import paragraphs_of
from flows.segment.params import SegmentParams
from flows.segment.richtext import link_urls, rich_text, text_of

NAME_PARTICLES = {"and", "y", "e", "et", "und", "de", "da", "do", "dos", "das", "del", "la",
                  "van", "von", "der", "den", "di", "le", "bin", "al"}
# what joins the names of a byline: commas, semicolons, bullets, bars, "and", "&"
NAME_JOINERS = re.compile(r"[,;•·|]|\band\b|&")
# A byline whose names carry affiliation marks may be set small, down to
# `SegmentParams.marked_byline_size` × the body size (the marks tell it from a note); up to
# MARK_LINES lines holding only marks, set apart above the names, belong to it.
MARKS_ONLY = re.compile(r"[\d,*†‡§#\s]+")
MARK_LINES = 3


def _looks_like_names(text: str, p: SegmentParams) -> bool:
    """Names are short capitalised words joined by commas and 'and'; a sentence is not."""
    words = [w.strip(",;") for w in text.split() if w.strip(",;&•·|")]  # joiners, no words
    sentence_end = text.rstrip().endswith((".", ":")) and not re.search(
        r"\b[A-Z]\.$", text.rstrip())
    if re.search(r"\d", text) or not 2 <= len(words) <= 40 or sentence_end:
        return False
    capitals = sum(1 for w in words if w[0].isupper() or w.lower() in NAME_PARTICLES)
    names = [[w for w in chunk.split() if w.lower() not in NAME_PARTICLES]
             for chunk in NAME_JOINERS.split(text)]
    if any(len(name) > 5 for name in names):
        return False  # one person's name has a few words; a title-case phrase runs on
    return capitals >= p.name_capitals * len(words)


def read_byline(lines: list[Line], ev: Evidence, style: HouseStyle) -> tuple[str, list[Line]]:
    """Author names set under a part title, one line or several; raised affiliation marks,
    footnote symbols, degrees and identifiers set apart in their own cell (ORCID) are not
    names, while further cells of names ("Lemos1<tab>Valle2<tab>and Chaves3") are. A line
    that stops inside a name (a lone first name) wraps into the next; otherwise each line
    holds whole names, but for one that runs to its column's edge without a joiner at its
    end (the next name did not fit whole). A byline keeps its size: a smaller line after
    it (affiliations) and lines of marks only, set apart between its lines, are not
    names."""
    taken: list[Line] = []
    names = ""
    skipped = 0  # lines of marks only, set apart above or between the names
    for line in lines[:8]:
        if MARKS_ONLY.fullmatch(line.text) and skipped < MARK_LINES:
            skipped += 1
            continue
        cells = [_byline_cell(cell, style) for cell in _unraised(line).split("\t")]
        text = cells[0]
        small = line.size < ev.params.byline_min_size * ev.body_size and not (
            line.size >= ev.params.marked_byline_size * ev.body_size and _marked(line))
        if is_abstract_heading(line, style) or small or \
                taken and line.size < taken[0].size - ev.params.same_size:
            break
        # the first heading of the text, under the byline; not the byline's own next line,
        # set close under it in its font and size, which a mark or symbol in a font of its own
        # may have made read as another weight
        if taken and is_heading(line, ev) and _face(line) != _face(taken[0]) and \
                not _wraps_on(taken[-1], line, ev):
            break
        if not (_looks_like_names(text, ev.params)
                or taken and _looks_like_names("A " + text, ev.params)):
            break
        text = ", ".join([text, *(cell for cell in cells[1:] if _looks_like_names(
            cell, ev.params) or _looks_like_names("A " + cell, ev.params))])
        if taken:
            last_name = NAME_JOINERS.split(names)[-1].split()
            names += " " if len(last_name) <= 1 or _broken_name(taken[-1], ev.params) else ", "
        names += text
        taken.append(line)
    if not taken:
        return "", lines
    return names, lines[lines.index(taken[-1]) + 1:] if skipped else lines[len(taken):]


def _wraps_on(previous: Line, line: Line, ev: Evidence) -> bool:
    """Is `line` set in `previous`'s font and size right under it, as a wrapped line is?"""
    return (line.font == previous.font and style_of(line)[0] == style_of(previous)[0]
            and line.page == previous.page
            and 0 < previous.y - line.y < ev.params.heading_join * line.size)


def _broken_name(line: Line, p: SegmentParams) -> bool:
    """A byline line that stops inside a name: listing several names, it runs to within
    `byline_wrap_ems` of its column's right edge and ends in no joiner (a comma, "and",
    "&") after its last name (a column of one name a line reaches its edge too)."""
    text = _unraised(line).rstrip(" *†‡")
    ends = re.search(r"(?:[,;•·|&]|\band)\s*$", text)
    return ends is None and NAME_JOINERS.search(text) is not None and \
        line.x1 >= line.column[1] - p.byline_wrap_ems * line.size


def _beside_title(lines: list[Line], title: list[Line], ev: Evidence) -> int:
    """How many of the lines after a title are a sidebar set beside it: small type, below a
    byline's least size, starting right of the title's lines on its page (the layout may
    read such a column between the title and its byline)."""
    right = max(ln.x1 for ln in title)
    count = 0
    for line in lines:
        if line.page != title[0].page or line.x0 < right or \
                line.size >= ev.params.byline_min_size * ev.body_size:
            break
        count += 1
    return count


def sidebar_byline(asides: list[Line], title: list[Line], ev: Evidence, style: HouseStyle
                   ) -> list[Contributor]:
    """Names set in a margin column beside the text, below the title on its page, one name
    a line or several: set at least as large as the text (the column's notes, editors and
    dates are set smaller), they are the byline the title lacks, when there are two or
    more or they carry affiliation marks (a lone label, "Original Research", is no name)."""
    if not title:
        return []
    column = [ln for ln in asides if ln.page == title[0].page and ln.y < title[-1].y]
    for index, line in enumerate(column):
        if line.size >= ev.params.sidebar_byline_size * ev.body_size:
            names, rest = read_byline(column[index:], ev, style)
            people = split_names(names)
            taken = column[index:len(column) - len(rest)]
            if len(people) > 1 or people and any(_marked(ln) for ln in taken):
                return [Contributor(name) for name in people]
    return []


def _face(line: Line) -> tuple[float, bool, bool, str]:
    """A line's style, one font however many times embedded ("Corbel-Bold", "Corbel-Bold2":
    a PDF may carry one face as several numbered subsets)."""
    size, bold, italic, font = style_of(line)
    return size, bold, italic, embedded_copy_of(font)


def _byline_cell(cell: str, style: HouseStyle) -> str:
    """One tab-separated cell of a byline line without its marks, degrees and badges."""
    text = re.sub(r"[*†‡]", "", cell).strip()
    # affiliation numbers the layout left on the baseline ("Dang1 , Shin2,3 ,")
    text = re.sub(r"(?<=[^\W\d_])\d{1,2}(?:\s*,\s*\d{1,2}(?!\d))*", "", text).strip(" ,")
    text = re.sub(r"(?<=[a-z])(?:ID|iD)\b", "", text)  # an ORCID badge's text
    for prefix in style.byline_prefixes:
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
    if style.name_suffixes:  # ", BDS, MSc." after a name, up to the next name
        suffixes = "|".join(re.escape(s) for s in style.name_suffixes)
        text = re.sub(r",\s*(?:" + suffixes + r")\.?(?=\s*(?:[,;&|]|\band\b|$))", "", text)
    return text.strip(" ,|")


def _marked(line: Line) -> bool:
    """The line's names carry affiliation marks: raised numbers or symbols, or numbers
    set on the baseline right after a name ("Kumar1, Batra2")."""
    return any(span.raised and re.fullmatch(r"[\d,*†‡§#\s]+", span.text) for span in line.spans) \
        or re.search(r"[^\W\d_]\d{1,2}(?:\s*,\s*\d{1,2})*(?=[\s,*†‡•]|$)", _unraised(line)) \
        is not None


def subtitle_before_byline(lines: list[Line], ev: Evidence, style: HouseStyle
                            ) -> list[Line]:
    """Lines set larger than the text between a title and a "By …" line: a subtitle."""
    for index, line in enumerate(lines[:4]):
        if plain(line.text).lower().startswith(style.byline_prefixes):
            lead = lines[:index]
            return lead if all(ln.size > ev.body_size for ln in lead) else []
    return []


def _unraised(line: Line) -> str:
    return "".join(s.text for s in line.spans if not s.raised)


def read_affiliations(lines: list[Line], ev: Evidence, style: HouseStyle
                  ) -> tuple[list[str], list[Line]]:
    """Small lines between the byline and the text: affiliations and author notes, kept
    for the front matter rather than read as body text."""
    taken: list[Line] = []
    for line in lines:
        if line.size >= ev.params.smaller_than_text * ev.body_size or plain(line.text).lower() in \
                style.abstract_headings or line.bold and is_heading(line, ev):
            break  # the text's first heading, set smaller than the text in a bold face (an
            # affiliation numbered like a section, "1 Frankfurt School", is set plain)
        taken.append(line)
    if not taken or len(taken) > 12:
        return [], lines
    text = plain(text_of(rich_text(taken, ev)))
    # Entries open with their mark: "1 Institute …, 2 Department …".
    entries = re.split(r"(?:^|\s)(?=(?:\d{1,2}|[*†‡])\s+[A-ZÀ-Þ])", text)
    return [e.strip() for e in entries if e.strip()], lines[len(taken):]


def split_names(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    pieces = re.split(r"[,;•·|]\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [p.strip() for p in pieces if p.strip()]


def is_abstract_heading(line: Line, style: HouseStyle) -> bool:
    return plain(line.text).lower().rstrip(":") in style.abstract_headings


def _language(line: Line, style: HouseStyle) -> str:
    heading = plain(line.text).lower().rstrip(":")
    return style.abstract_languages.get(heading, style.language)


def _text_style(line: Line) -> tuple[float, bool]:
    return round(line.size * 2) / 2, line.italic


def is_keywords(line: Line, style: HouseStyle) -> bool:
    return plain(line.text).lower().startswith(style.keyword_labels)


def abstract_boxes(lines: list[Line], style: HouseStyle, p: SegmentParams
                   ) -> tuple[list[list[Line]], list[Line], list[Line]]:
    """Summary boxes at the head of a part. A box runs from an abstract heading while its
    text keeps one style; further headings in that box are its sections. A heading whose
    text changes style opens the next box: the summary again, in another language, which
    may come with the title translated just above it (returned third)."""
    boxes: list[list[Line]] = []
    translated_title: list[Line] = []
    i = 0
    while i < len(lines):
        if not is_abstract_heading(lines[i], style):
            ahead = next((j for j in range(i, min(i + 4, len(lines)))
                          if is_abstract_heading(lines[j], style)), None)
            if not boxes or ahead is None or translated_title or not all(
                    ln.size > lines[ahead].size * p.translated_title_size or ln.bold
                    for ln in lines[i:ahead]):
                break
            translated_title = lines[i:ahead]
            i = ahead
        heading_style = style_of(lines[i])
        box = [lines[i]]
        i += 1
        box_style = None
        while i < len(lines):
            line = lines[i]
            if style_of(line) == heading_style and is_abstract_heading(line, style):
                following = lines[i + 1] if i + 1 < len(lines) else None
                # a heading in another language opens the summary translated; in the
                # same language, its part may be set otherwise (a list in larger type)
                if box_style is not None and following is not None and \
                        _text_style(following) != box_style and \
                        _language(line, style) != _language(box[0], style):
                    break
                if following is not None and _text_style(following) != box_style:
                    box_style = None  # this part's text sets the style it keeps
                box.append(line)
                i += 1
                continue
            if box_style is None:
                box_style = _text_style(line)
            if _text_style(line) != box_style and not is_keywords(line, style):
                break
            box.append(line)
            i += 1
        boxes.append(box)
    return boxes, lines[i:], translated_title


def take_bios(lines: list[Line], ev: Evidence, contributors: list[Contributor]
          ) -> tuple[list[Line], list[Line]]:
    """Author notes set apart in their own small style after the summary, before the text:
    they open with an author's name or carry an e-mail address."""
    bios: list[Line] = []
    rest = list(lines)
    names = [c.name.lower() for c in contributors]
    while rest and style_of(rest[0]) != ev.body_style and rest[0].size < ev.body_size and (
            bios or any(rest[0].text.lower().lstrip().startswith(n) for n in names)
            or EMAIL.search(rest[0].text)):
        bios.append(rest.pop(0))
    return bios, rest


NAME_WORD = re.compile(r"[A-Z][\w'’.-]*")


def flush_signature(lines: list[Line]) -> tuple[list[str], list[Line]]:
    """An opening part (a foreword) signed at its close by lines set like its text: a name
    of two to four capitalised words standing alone after a closed sentence, then one or
    two lines of role and affiliation, none closing a sentence."""
    for size in (2, 3):
        if len(lines) <= size:
            break
        before, name, roles = lines[-size - 1], lines[-size], lines[-size + 1:]
        words = plain(name.text).split()
        if 2 <= len(words) <= 4 and all(NAME_WORD.fullmatch(w) for w in words) and \
                before.text.rstrip().endswith(CLOSED) and not any(
                ln.text.rstrip().endswith(CLOSED) for ln in roles):
            return [plain(ln.text) for ln in lines[-size:]], lines[:-size]
    return [], lines


def abstract_sections(lines: list[Line], ev: Evidence, style: HouseStyle, claims: ImageClaims
                       ) -> tuple[list[AbstractSection], list[str]]:
    """A box's sections (one per heading) and the keywords listed at its end."""
    sections: list[AbstractSection] = []
    body: list[Line] = []
    keywords: list[str] = []

    def flush() -> None:
        if sections and body:  # (a box's few lines cut by their own geometry first)
            raw = [block for group in paragraphs_of(body, ev.params)
                   for block in cut_blocks(group, ev, style)]
            blocks, _ = nest_blocks(raw, ev, style, claims)
            sections[-1].blocks.extend(blocks)
        body.clear()

    for index, line in enumerate(lines):
        if is_abstract_heading(line, style):
            flush()
            sections.append(AbstractSection(title_case(plain(line.text).rstrip(":"))))
        elif is_keywords(line, style):
            rest = " ".join(plain(ln.text) for ln in lines[index:])
            listed = rest.split(":", 1)[-1]
            keywords = [k.strip(" .") for k in re.split(r"[;.,]\s", listed) if k.strip(" .")]
            break
        else:
            body.append(line)
    flush()
    return sections, keywords


def attach_bios(part: Part, lines: list[Line], ev: Evidence) -> None:
    """One bio per contributor: a bio starts where a contributor's name opens a line."""
    if not lines:
        return
    groups: list[list[Line]] = []
    names = [c.name.lower() for c in part.contributors]
    for line in lines:
        opens = any(line.text.lower().lstrip().startswith(n) for n in names)
        if opens or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    for group in groups:
        text = rich_text(group, ev)
        flat = plain(text_of(text)).lower()
        owner = next((c for c in part.contributors if flat.startswith(c.name.lower())), None)
        if owner is None:
            owner = next((c for c in part.contributors if not c.bio), None)
        if owner is None:
            continue
        owner.bio = link_urls(text)
        found = EMAIL.search(text_of(text))
        if found:
            owner.email = found.group(0).rstrip(".")


def read_signature(lines: list[Line], p: SegmentParams) -> tuple[list[str], list[Line]]:
    """Right-aligned short lines closing a part sign it (a foreword's author and role)."""
    frame = Frame(lines, p)
    signature: list[Line] = []
    for line in reversed(lines):
        width = frame.right(line) - frame.margin(line)
        right_aligned = line.x1 >= frame.right(line) - p.signature_flush * line.size
        set_in = line.x0 - frame.margin(line) > max(2 * line.size, p.signature_inset * width)
        if right_aligned and set_in and len(line.text.split()) <= 20:
            signature.append(line)
        else:
            break
    if not signature:
        return [], lines
    signature.reverse()
    return [plain(ln.text) for ln in signature], lines[:len(lines) - len(signature)]


def read_head(lines: list[Line], index: int, ev: Evidence, style: HouseStyle,
              claims: ImageClaims) -> tuple[Part, list[Line], set[str]]:
    """A new part holding what its head says (title, subtitle, contributors, affiliations,
    summaries, bios, signature, kind); the lines left for its body; and the raised marks
    of its byline, which tell affiliation notes from footnotes."""
    title_lines = [lines[0]]
    position = 1
    while position < len(lines) and style_of(lines[position]) == style_of(lines[0]) \
            and lines[position].page == lines[0].page:
        title_lines.append(lines[position])
        position += 1
    title = rich_text(title_lines, ev)
    part = Part("essay", title, box_of(title_lines, ev.params), id=f"part{index}")
    subtitle_lines = []
    while position < len(lines) and lines[position].size == lines[0].size and \
            lines[position].page == lines[0].page:
        subtitle_lines.append(lines[position])  # the title again, in another language
        position += 1
    part.subtitle = rich_text(subtitle_lines, ev) if subtitle_lines else []
    rest = lines[position:]
    # a sidebar met between the title and the byline waits, like a dateline, until after
    # the summary box
    beside = rest[:_beside_title(rest, title_lines, ev)]
    rest = rest[len(beside):]
    lead = subtitle_before_byline(rest, ev, style)
    if lead and not part.subtitle:
        part.subtitle = rich_text(lead, ev)
    rest = rest[len(lead):]
    byline_marks = {s.text.strip() for ln in rest[:8] for s in ln.spans if s.raised}
    byline, rest = read_byline(rest, ev, style)
    part.contributors = [Contributor(name) for name in split_names(byline)]
    if part.contributors:
        part.affiliations, rest = read_affiliations(rest, ev, style)
    else:
        rest, beside = beside + rest, []
    # a dateline or labelled line ("March 2024") between the byline and the summary box
    # waits until after the box, where the front matter picks it up
    publication: list[Line] = []
    while rest and publication_line(rest[0]) and any(
            is_abstract_heading(ln, style) for ln in rest[1:4]):
        publication.append(rest.pop(0))
    boxes, rest, translated_title = abstract_boxes(rest, style, ev.params)
    rest = beside + publication + rest
    if translated_title and not part.subtitle:
        part.subtitle = rich_text(translated_title, ev)
    for number, box in enumerate(boxes):
        sections, keywords = abstract_sections(box, ev, style, claims)
        if number == 0:
            part.abstract = sections
        else:
            part.trans_abstracts.append(sections)
        if keywords:
            part.keywords.append(keywords)
    bio_lines, rest = take_bios(rest, ev, part.contributors)
    attach_bios(part, bio_lines, ev)
    signature, rest = read_signature(rest, ev.params)
    name = plain(text_of(title)).lower()
    if not signature and name in style.opening_parts:
        signature, rest = flush_signature(rest)
    part.signature = signature
    if signature and not part.contributors:
        part.contributors = [Contributor(signature[0], role=", ".join(signature[1:]))]
    if not part.abstract and name in style.opening_parts:
        part.kind = style.opening_parts[name]  # type: ignore[assignment]
    return part, rest, byline_marks
