"""House style as a file: `jatsflow publish --profile FILE`, checked before anything runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, build_pdf, run_cli

from flows.layout_model import Line, Span
from flows.profile import DEFAULT_STYLE, HouseStyle, ProfileError, load_profile
from flows.segment.front import series_of
from flows.segment.head import is_abstract_heading


def readme_profile() -> str:
    """The example profile the README gives for another publisher."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert blocks, "the README shows no TOML profile"
    return blocks[0]


def heading(text: str) -> Line:
    return Line(1, [Span(text, True, False)], 72, 300, 700, 10, (72, 540))


def test_the_readme_profile_loads_and_changes_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "house-de.toml"
    path.write_text(readme_profile(), encoding="utf-8")
    style = load_profile(path)
    assert style.language == "de"
    assert is_abstract_heading(heading("ZUSAMMENFASSUNG"), style)
    assert not is_abstract_heading(heading("Executive Summary"), style)
    assert not is_abstract_heading(heading("Zusammenfassung"), DEFAULT_STYLE)
    assert style.opening_parts["vorwort"] == "foreword"
    match = series_of("Diskussionspapier 17", style)
    assert match is not None and match.group("num") == "17"
    # what the profile does not name keeps the built-in value
    partial = tmp_path / "partial.toml"
    partial.write_text('language = "pt_BR"\n', encoding="utf-8")
    assert load_profile(partial) == HouseStyle(language="pt_BR")


@pytest.mark.parametrize(("content", "says"), [
    ('abstract_headings = ["summary"\n', "not a TOML file"),
    ('colour = "red"\n', "unknown key 'colour'"),
    ('language = 3\n', "language must be"),
    ('abstract_headings = "summary"\n', "abstract_headings must be a list"),
    ('abstract_headings = []\n', "abstract_headings must be a list"),
    ('opening_parts = { vorwort = "prologue" }\n', "opening_parts must be a table"),
])
def test_a_malformed_profile_is_refused_in_one_line(tmp_path: Path, content: str,
                                                    says: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    assert says in str(error.value) and str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_the_digest_follows_the_content_not_the_order() -> None:
    reordered = HouseStyle(abstract_headings=frozenset(sorted(
        DEFAULT_STYLE.abstract_headings, reverse=True)))
    assert reordered.digest() == DEFAULT_STYLE.digest()
    assert HouseStyle(language="de").digest() != DEFAULT_STYLE.digest()


def test_the_profile_is_part_of_the_reuse_key() -> None:
    from flows.publish import Options, reuse_key

    german = Options(style=HouseStyle(language="de"))
    assert reuse_key("0" * 64, german) != reuse_key("0" * 64, Options())
    assert Options().key_fields()["profile"] == DEFAULT_STYLE.digest()


def test_cli_malformed_profile_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("colour = 'red'\n", encoding="utf-8")
    result = run_cli("publish", str(ROOT / "source" / "nbr79.pdf"), "--profile", str(path),
                     "--out", str(tmp_path / "out"), timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "unknown key 'colour'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_publishes_under_a_profile_and_not_reused_under_another(tmp_path: Path) -> None:
    from conftest import small_report_html

    pdf = build_pdf(small_report_html(), tmp_path / "small.pdf")
    profile = tmp_path / "house.toml"
    profile.write_text('language = "en_GB"\nnotes_headings = ["notes", "endnotes"]\n',
                       encoding="utf-8")
    out = tmp_path / "out"
    first = run_cli("publish", str(pdf), "--out", str(out), "--profile", str(profile))
    assert first.returncode == 0, first.stderr[-2000:]
    report = json.loads((out / "small" / "report.json").read_text(encoding="utf-8"))
    assert report["options"]["profile"] == load_profile(profile).digest()
    assert 'xml:lang="en_GB"' in (out / "small" / "small.xml").read_text(encoding="utf-8")
    again = run_cli("publish", str(pdf), "--out", str(out))  # the built-in house style
    assert again.returncode == 0, again.stderr[-2000:]
    assert "unchanged, reused" not in again.stdout
    report = json.loads((out / "small" / "report.json").read_text(encoding="utf-8"))
    assert report["options"]["profile"] == DEFAULT_STYLE.digest()


def test_abstract_languages_load_and_are_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('abstract_languages = { "sammanfattning" = "sv" }\n', encoding="utf-8")
    assert load_profile(good).abstract_languages == {"sammanfattning": "sv"}
    bad = tmp_path / "bad.toml"
    bad.write_text('abstract_languages = { "sammanfattning" = "Swedish!" }\n',
                   encoding="utf-8")
    with pytest.raises(ProfileError, match="abstract_languages"):
        load_profile(bad)
