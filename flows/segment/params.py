"""The thresholds segmentation judges with, in one frozen type with one default each.

Sizes are ratios to the body size or to the line's own size (an em), distances in em or
in line pitches, as each field says. A ratio that means what a layout threshold means
takes its default from `LayoutParams`, so each default is written once. `segment` takes a
`SegmentParams` and the evidence carries it to every stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.layout_params import LayoutParams


@dataclass(frozen=True)
class SegmentParams:
    # --- type sizes (× the body size)
    small_type: float = LayoutParams.small_type  # below: small type (chart labels, rows)
    smaller_than_text: float = 0.95  # below: smaller than the text (affiliations)
    larger_than_text: float = 1.08  # above: larger than the text (a heading)
    standalone_heading_size: float = 0.7  # a face set only in standalone short lines is a
    # heading face down to this size (a sans heading over a larger serif text)
    part_title_size: float = LayoutParams.title_size  # above: a part title
    callout_size: float = 0.8  # a lone number below this is a callout on its own line
    callout_reach: float = 1.5  # × the pitch: ... set at most this far from the line it
    # joins (a small number further off is a chart's label: an axis value, a tick)
    byline_min_size: float = 0.85  # a byline is set at least this large
    same_size: float = 0.6  # points: lines this close in size are set in one size
    caption_same_size: float = 0.3  # points: a caption's lines are this close in size
    row_size_points: float = 0.5  # points: text this close to the body size is no table row

    # --- line spacing (× the line pitch, or em where said)
    leading: float = LayoutParams.leading  # pitch per em: the size a pitch implies
    min_leading: float = 1.15  # em: the least pitch a line of its size can have
    close_pitch: float = 1.3  # lines closer than this follow each other in one block
    paragraph_space_max: float = 2.5  # a paragraph space is below this; more is a break
    paragraph_gap: float = 1.45  # a gap above this starts a new paragraph
    block_leading: float = 1.6  # em: a caption or list item runs on over closer lines
    heading_join: float = 2.2  # em: lines of one heading style this close are one heading
    reference_space: float = 1.2  # × the tightest gap: space between reference entries

    # --- horizontal position (em of the line's size, or shares of the column width)
    indent: float = 0.3  # em: a line set in further than this is indented
    short_line: float = 2.5  # em: a line stopping this short of the right edge is short
    right_edge_quantile: float = 0.9  # the right edge is the line end at this quantile
    quote_beyond_indent: float = 0.5  # em past the paragraph indent: a block quote
    quote_inset: float = 1.5  # em: a block quote, where paragraphs are not indented
    table_inset: float = 0.5  # em: a row set in this far belongs to the table above
    full_line: float = 0.6  # of the column: a line this wide is running text
    chart_width: float = 0.45  # of the column: a chart label is narrower
    tick_chars: int = 4  # characters: a line of words no longer than this is tick labels
    rows_above: int = 2  # small lines at least this many above a table caption: its rows
    signature_flush: float = 0.5  # em: a signature ends this close to the right edge
    signature_inset: float = 0.15  # of the column: and starts set in at least this far

    # --- shares of evidence
    spaced_share: float = 0.03  # of gaps: this many paragraph spaces mean spaced paragraphs
    heading_font_followed: float = 0.3  # a heading face is followed by itself at most this
    standalone_words: int = 12  # words: a heading line is no longer than this
    standalone_inside_share: float = 0.1  # of a style's lines: more carrying on the text
    # line above them (no sentence end there) make the style the text's emphasis, no heading
    standalone_inside_lines: int = 3  # lines: ... and at least this many of them
    space_below: float = 1.1  # pitches: a line this far above the next stands apart from it
    part_opener_share: float = 0.75  # of its uses, a part style opens a page this often
    name_capitals: float = 0.85  # of a byline's words, at least this many are capitalised
    translated_title_size: float = 0.99  # × the summary heading: a translated title above
    contents_numbered_share: float = 0.5  # of a page's lines numbered: a contents page
    hanging_share: float = 0.2  # of a reference list's lines set in: hanging indents

    # --- abstracts and title block (× the line's size, or of the column where said)
    abstract_gap: float = 1.7  # × an abstract's usual line spacing: a gap above more ends it
    tab_offset: float = 2.0  # em: under a heading set in a cell beside another, the text
    # starts this far right of the line's start
    abstract_column_share: float = 0.75  # of the first page's measure: an unheaded abstract
    # ends at the first text line set in a column narrower than this
    abstract_full_line: float = 0.8  # of its column: a line of running text there, not a
    # short byline in a column
    title_span_size: float = 0.8  # × its line's size: smaller runs are not the title's words
    title_leading: float = 1.8  # successive title lines stand at most this far apart
    # (baseline to baseline)
    title_align: float = 1.0  # em: title lines whose left edges, right edges or centres
    # stand this close are aligned with each other
    title_run_ratio: float = 0.65  # a short run is a logo or a label when a longer run set
    # at least this × its size stands on the page too
    char_width: float = 0.5  # em: a character's width, to see if a word would have fitted
    short_share: float = 0.15  # of the measure: an abstract line leaving more empty is short
    list_short_share: float = 0.5  # of a front-matter block's lines (its last left out):
    # when at least this many are short, each line is an entry of a list (a board of
    # people with their affiliations), not a line of a wrapped paragraph
    abstract_paragraph_gap: float = 1.15  # × an abstract's usual spacing: a new paragraph
    line_below: float = 0.5  # em: a line this far under the last one is a new line, not a
    # piece of it

    # --- back matter
    ack_size_points: float = 0.25  # points: acknowledgements set like a section keep the
    # body's size within this (type smaller than the body's sets a block apart)

    # --- front matter left in the body
    copyright_line_words: int = 30  # a paragraph opening with a copyright notice ("© 2021
    # The Author(s). Published by …") and no longer than this is the notice, not text

    # --- boxes (em of the line's size)
    box_descent: float = 0.25  # a line's box reaches this far below its baseline
    box_ascent: float = 0.8  # ... and this far above it

    # --- title scripts, bylines
    marked_byline_size: float = 0.7  # × the body size: a byline whose names carry
    # affiliation marks may be set this small (below `byline_min_size`)
    script_shift: float = 0.5  # em of a title line: a small line whose baseline stands
    # this close to it, between two of its runs, is a sub- or superscript of the title

    # --- a cross-reference wrapped to the head of a line ("… as shown in / Table 2.
    # Among the oils …") is running text, not a caption
    wrapped_label_pitch: float = 1.2  # × the line pitch: a line set no further than this
    # below a full, unfinished line of a paragraph carries that paragraph on
    # --- bylines beside the title
    sidebar_byline_size: float = 1.0  # × the body size: names in a margin column beside
    # the text are set at least this large (its notes, editors and dates are set smaller)
    byline_wrap_ems: float = 1.0  # a byline line ending this close (em) to its column's
    # right edge without a joiner broke inside a name
    # --- heading styles and levels
    slant_variant_share: float = 0.5  # a heading style most of whose lines (more than
    # this share) mix in the font of another heading style of the same size and weight is
    # that style with its emphasis inverted (a bold-italic subhead whose species names are
    # set bold upright, long enough to make upright the line's dominant font): one level

    outline_heading_lines: int = 2  # lines: a paragraph opening with the section number
    # the headings before it lead to next is a heading set in the text's face if it is
    # this short ...
    outline_heading_words: int = 20  # ... in words, and does not end with a full stop


DEFAULT_PARAMS = SegmentParams()
