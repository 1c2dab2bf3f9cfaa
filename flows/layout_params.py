"""The thresholds the layout stage judges with, in one frozen type with one default each.

Sizes are ratios to the body size or to the line's own size (an em) as each field says;
distances on the page are in em unless they say points. `analyse_layout` takes a
`LayoutParams` and hands it down; nothing in the layout modules writes a threshold of its
own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayoutParams:
    # --- type sizes (× the body size)
    small_type: float = 0.93  # below this: small type (notes, sidebars, chart labels)
    title_size: float = 1.3  # at or above this: a title (of a part, of the document)
    fallback_size: float = 10.0  # points: the body size of a document without text
    leading: float = 1.2  # line pitch per em, when no two body lines measure it
    same_size: float = 0.3  # points: body lines this close in size set the pitch
    body_size_points: float = 0.6  # points: a line this close to the body size is text
    body_pages_share: float = 0.5  # the body size is counted on this leading share of pages
    body_pages_min: int = 3  # ... and never on fewer pages than this

    # --- lines from runs
    baseline_points: float = 0.6  # runs whose baselines differ by less share a line,
    baseline_em: float = 0.12  # ... or by less than this share of their size
    raised_size: float = 0.85  # × the line's size: smaller runs may be superscripts
    min_rise: float = 0.15  # em: a smaller run raised more than this is a superscript
    max_rise: float = 0.6  # em: a group raised more than this is a line of its own
    max_drop: float = 0.45  # em: a smaller group lowered at most this far is a subscript
    subscript_chars: int = 8  # a raised or lowered mark is at most this long
    subscript_gap: float = 0.5  # em: a subscript starts this close to a run of its line
    stray_size: float = 0.8  # × body: a lone number this small landed off its line
    word_space: float = 0.15  # em: a gap wider than this between runs is a space
    cell_gap: float = 1.2  # em: a gap wider than any word space separates table cells
    shrunk_caps: float = 0.95  # small capitals this much smaller than the capitals

    # --- columns
    prose_size: float = 0.8  # × body: prose, as evidence of a column edge
    sidebar_prose_size: float = 0.6  # × body: the same, for a column of small type
    overshoot: float = 0.5  # em: how far measured line ends may pass a column edge
    column_inside_share: float = 0.85  # of the lines left of an edge must end before it
    edge_points: float = 1.5  # points: a run this close to a column edge starts there
    gutter: float = 0.25  # em: white space at least this wide can be a gutter
    grid_share: float = 0.5  # of the pages with columns: an edge this common is the grid
    grid_lines: int = 3  # prose lines on either side of a grid edge on a page of its own
    grid_run_chars: int = 20  # characters: a run this long is prose, evidence of columns
    widest_gutter: float = 6.0  # em: the left column's lines end at most this far before
    # the edge of the next (where its measure is looked for)
    gutter_reach: float = 2.0  # em: a gap inside a run closing at a grid edge or this far
    # in (a hanging indent) is the gutter between two columns' lines drawn as one run
    gutter_run_gaps: int = 2  # a run with more wide gaps than this is a row of table cells

    # --- sidebars
    aside_width_share: float = 0.5  # a column narrower than this × its neighbour
    aside_small_share: float = 0.6  # ... with this share of its lines in small type

    # --- notes
    note_space: float = 1.2  # em: space above a note area, setting it off the text
    note_run_on: float = 1.6  # em: a note line this close below another runs on from it
    called_share: float = 0.5  # of a note area's labels at least this many are called


DEFAULT_LAYOUT = LayoutParams()
