"""A structured abstract whose parts are labelled in the singular ("Result:",
"Conclusion:") is cut at each label like one labelled in the plural."""

from __future__ import annotations

from conftest import flat

from flows.model import Inline, Paragraph
from flows.profile import DEFAULT_STYLE
from flows.segment.abstract_sections import _split_paragraph


def test_singular_part_labels_cut_a_run_on_structured_abstract() -> None:
    text = ("Background: Dengue spreads in towns. Method: Larvae were exposed to oils. "
            "Result: One oil killed most larvae. Conclusion: Seed oils may help.")
    paragraph = Paragraph([Inline("text", text)], None)  # type: ignore[arg-type]
    pieces = [flat(p.content) for p in _split_paragraph(paragraph, DEFAULT_STYLE)]
    assert pieces == ["Background: Dengue spreads in towns.",
                      "Method: Larvae were exposed to oils.",
                      "Result: One oil killed most larvae.", "Conclusion: Seed oils may help."]
