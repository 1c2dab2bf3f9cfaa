"""The learned heading check: a small gradient-boosted tree model, read from
flows/models/heading_lines.json, that judges the lines the rules take for headings.

The rules (`is_heading`) see a line set apart in a bold, larger or heading face; they cannot
tell a section title from a bold paragraph start, a bold author name in a reference list, a
bold table cell or a short line set in a display face. The model weighs the line's features
(flows/line_features.py) among its neighbours and vetoes the candidates it finds unlike a
heading. It was trained by tests/train_lines.py on the development documents, labelled by
their truth JATS; the figures it reached on documents held back are in flows/models/README.md.

Inference is plain Python over the exported trees: no learning library at run time, the same
answer on every machine (features are rounded to 32-bit floats as the trees were fitted on).
"""

from __future__ import annotations

import json
import math
import struct
from functools import lru_cache
from pathlib import Path

from flows import line_features  # (a module: line_features and this one import each other)
from flows.layout_model import Line
from flows.profile import HouseStyle
from flows.segment import blocks  # (a module: blocks imports this one in turn)
from flows.segment.common import plain
from flows.segment.evidence import Evidence, Frame

MODEL = Path(__file__).resolve().parent / "models" / "heading_lines.json"
# Below this probability of being a heading, a candidate line is vetoed. Vetoing costs more
# than keeping (a lost heading also loses its section), so the bar sits under one half.
VETO_BELOW = 0.2
# A candidate that opens like an ordered list item ("1. Introduction") in the text's own size
# is a numbered heading or a list item set in bold: the two look alike to the rules, so the
# model must be sure, not merely not doubtful, before it is a heading.
NUMBERED_ABOVE = 0.5


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL) -> dict:
    model = json.loads(path.read_text(encoding="utf-8"))
    if tuple(model["features"]) != line_features.FEATURES:
        raise ValueError(f"{path.name} was trained on other features than line_features makes")
    return model


def _single(value: float) -> float:
    """The 32-bit float the trees compared while they were fitted."""
    return struct.unpack("f", struct.pack("f", value))[0]


def heading_probability(features: list[float], model: dict) -> float:
    """The model's probability that a line with these features is a heading."""
    x = [_single(v) for v in features]
    score = model["init"]
    for tree in model["trees"]:
        node = 0
        while tree["left"][node] != -1:
            node = (tree["left"][node] if x[tree["feature"][node]] <= tree["threshold"][node]
                    else tree["right"][node])
        score += model["learning_rate"] * tree["value"][node]
    return 1.0 / (1.0 + math.exp(-score))


def names_a_zone(text: str, style: HouseStyle) -> bool:
    """A heading the house style knows (References, Notes, Abstract, Contents): later stages
    find those zones by it, so the model is neither asked about it nor trained on it."""
    zones = (style.reference_headings | style.notes_headings | style.abstract_headings
             | style.contents_headings)
    return plain(text).lower().rstrip(":") in zones


def heading_vetoes(lines: list[Line], ev: Evidence, frame: Frame, style: HouseStyle
                   ) -> set[int]:
    """ids of the candidate headings in `lines` the model judges not to be headings: below
    `VETO_BELOW`, or, for a line that opens like a list item in the text's size, below
    `NUMBERED_ABOVE`."""
    candidates = line_features.heading_candidates(lines, ev, frame)
    if not candidates:
        return set()
    model = load_model()
    vetoed: set[int] = set()
    opened = _reference_list_start(lines, style)
    for index, features in candidates:
        line = lines[index]
        if names_a_zone(line.text, style):
            continue
        if index > opened and _cites_like_an_entry(line.text):
            vetoed.add(id(line))  # a reference list's entry, however the house sets names
            continue
        bar = NUMBERED_ABOVE if _item_like(line, ev) else VETO_BELOW
        if heading_probability(features, model) < bar:
            vetoed.add(id(line))
    return vetoed


def _reference_list_start(lines: list[Line], style: HouseStyle) -> int:
    """Index of the first line naming a reference list (len(lines) when none does)."""
    return next((i for i, line in enumerate(lines)
                 if plain(line.text).lower().rstrip(":") in style.reference_headings),
                len(lines))


def _cites_like_an_entry(text: str) -> bool:
    """A year beside initials or "et al": what a reference entry's author line carries and a
    heading (an appendix, a supplementary section) does not. The model weighs these marks
    among others; after a reference list's heading they decide alone."""
    return bool(line_features.YEAR.search(text)) and bool(
        line_features.INITIALS.search(text) or line_features.ET_AL.search(text))


def _item_like(line: Line, ev: Evidence) -> bool:
    """Opens with an enumerator and is set no larger than the text: a list item's look."""
    return blocks.starts_item(line)[0] and line.size < ev.params.larger_than_text * ev.body_size
