"""JATS → plain text: round trip of the words, layout conventions, 78 columns."""

import re

import pytest
from sample_jats import sample_jats, truth

from flows.render_text import WIDTH, jats_words, render_text, text_words

DOCS = {"sample": sample_jats, "jose": lambda: truth("jose.00292"),
        "tinf": lambda: truth("2318-0889-tinf-33-e200057")}


@pytest.fixture(scope="module")
def rendered():
    out = {}
    for name, load in DOCS.items():
        jats = load()
        out[name] = (jats, render_text(jats))
    return out


@pytest.mark.parametrize("name", list(DOCS))
def test_words_of_the_text_equal_the_words_of_the_jats(rendered, name):
    jats, text = rendered[name]
    assert text_words(text) == jats_words(jats)
    assert len(text_words(text)) > 250


def test_round_trip_check_notices_a_missing_paragraph(rendered):
    jats, text = rendered["sample"]
    shortened = text.replace("None of this is new, but all of it is urgent.", "", 1)
    assert text_words(shortened) != jats_words(jats)


@pytest.mark.parametrize("name", list(DOCS))
def test_lines_fit_78_columns_and_paragraphs_are_separated_once(rendered, name):
    text = rendered[name][1]
    assert all(len(line) <= WIDTH or " " not in line.strip() for line in text.splitlines())
    assert "\n\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n")
    text.encode("utf-8")  # no lone surrogates


def test_headings_are_underlined(rendered):
    text = rendered["sample"][1]
    assert "Rivers and Borders\n==================\n" in text
    assert "\nIntroduction\n------------\n" in text
    assert "\nEarlier Agreements\n~~~~~~~~~~~~~~~~~~\n" in text


def test_callouts_in_brackets_and_notes_after_each_part(rendered):
    text = rendered["sample"][1]
    first, second = text.index("Upstream Views\n"), text.index("Downstream Views\n")
    essay = text[first:second]
    assert "its sediment.[1] Neither" in essay
    rule_then_note = r"\n-{10}\n\n\[1\] See the basin atlas at https://example.org/atlas\.\n"
    assert re.search(rule_then_note, essay)
    assert "[2] Treaty text in Accords of 1991, 12." in essay
    assert text.index("[1] Borders here follow the thalweg.") < first


def test_lists_and_quotes_are_indented(rendered):
    text = rendered["sample"][1]
    assert "\n  * Share the gauges.\n" in text
    assert "\n    Water does not wait for ministers.\n" in text
    jose = rendered["jose"][1]
    assert "\n  1. Reusability Writing Python code" in jose


def test_no_generated_words_in_the_text(rendered):
    text = rendered["sample"][1]
    for label in ("Contents", "Notes", "About this publication", "Abstract"):
        assert label not in text


def test_section_numbers_are_read_with_their_headings():
    from lxml import etree

    jats = sample_jats()
    sec = jats.getroot().find(".//body//sec/sec")
    label = etree.Element("label")
    label.text = "2.1"
    sec.insert(0, label)
    text = render_text(jats)
    assert text_words(text) == jats_words(jats)
    title = "".join(sec.find("title").itertext())
    assert re.search(rf"^2\.1 {re.escape(title)}$", text, re.MULTILINE)
