"""tests/peer.py's Markdown → JATS conversion, on a hand-written snippet of the kind the peer
(pymupdf4llm) writes: the scorer must read the peer's headings, paragraphs and lists as it reads
jatsflow's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer  # noqa: E402

SNIPPET = """\
###### JOURNAL OF THINGS | ORIGINAL ARTICLE

# **A study of _small_ things**

An opening line set before any section
that runs on to a second line.

## **1 Introduction**

First paragraph with **bold**, *italic* and ***both***,
a footnote call<sup>2</sup> and a literal star in p* < 0.05.

Second paragraph, a [link](https://example.org) and an escaped \\*star\\*.

### 1.1 Methods

- first item
- second item

- third item after a blank line

|**Col A**|Col B|
|---|---|
|1|2|

![](picture.png)

## 2 Results

Last paragraph.
"""


def parsed(markdown: str) -> etree._Element:
    return etree.fromstring(peer.markdown_to_jats(markdown).encode("utf-8"))


def test_title_is_the_first_level_one_heading_and_closes_what_was_open() -> None:
    root = parsed(SNIPPET)
    title = root.findtext("front/article-meta/title-group/article-title")
    assert title == "A study of small things"
    # the heading before the title is a section of its own, closed by the title
    first = root.find("body/sec")
    assert first.findtext("title") == "JOURNAL OF THINGS | ORIGINAL ARTICLE"
    assert first.findall("p") == []
    assert root.find("body/p").text == ("An opening line set before any section that runs on "
                                        "to a second line.")


def test_headings_nest_by_level() -> None:
    root = parsed(SNIPPET)
    top = [s.findtext("title") for s in root.findall("body/sec")]
    assert top == ["JOURNAL OF THINGS | ORIGINAL ARTICLE", "1 Introduction", "2 Results"]
    intro = root.findall("body/sec")[1]
    assert [s.findtext("title") for s in intro.findall("sec")] == ["1.1 Methods"]
    assert root.findall("body/sec")[2].findtext("p") == "Last paragraph."


def test_paragraphs_split_on_blank_lines_without_emphasis_markers() -> None:
    intro = parsed(SNIPPET).findall("body/sec")[1]
    paragraphs = ["".join(p.itertext()) for p in intro.findall("p")]
    assert paragraphs == [
        "First paragraph with bold, italic and both, a footnote call2 and a literal star in "
        "p* < 0.05.",
        "Second paragraph, a link and an escaped *star*.",
    ]
    assert intro.find("p/sup").text == "2"


def test_lists_tables_and_pictures() -> None:
    methods = parsed(SNIPPET).find("body/sec[2]/sec")
    items = [li.findtext("p") for li in methods.findall("list/list-item")]
    assert items == ["first item", "second item", "third item after a blank line"]
    assert len(methods.findall("list")) == 1
    cells = [td.text for td in methods.iter("td")]
    assert cells == ["Col A", "Col B", "1", "2"]          # the |---| row is no row
    assert methods.find("table-wrap") is not None
    assert "picture" not in etree.tostring(methods, encoding="unicode")


def test_the_scorer_reads_the_converted_article() -> None:
    """score.py's own reading of the JATS: headings with depths, body blocks in order, the
    table left out."""
    root_dir = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root_dir.parent / "shared" / "eval"))
    import score

    blocks, heads, notes, _, abstract = score.output_sequences(parsed(SNIPPET))
    assert heads == [(1, "JOURNAL OF THINGS | ORIGINAL ARTICLE"), (1, "1 Introduction"),
                     (2, "1.1 Methods"), (1, "2 Results")]
    assert blocks[0].startswith("An opening line")
    assert blocks[-4:] == ["first item", "second item", "third item after a blank line",
                           "Last paragraph."]
    assert not any("Col A" in b for b in blocks)
    assert notes == [] and abstract == []


NOTES = """\
## Body

A paragraph with a call<sup>1</sup>.

> 1 A note at the page foot.

> 2

> A note whose label stands on a line of its own.

> 3 A note the peer split

> at a line break.

The body goes on.
"""


def test_quoted_paragraphs_are_notes_in_back() -> None:
    root = parsed(NOTES)
    notes = [(fn.findtext("label"), fn.findtext("p")) for fn in root.iter("fn")]
    assert notes == [("1", "A note at the page foot."),
                     ("2", "A note whose label stands on a line of its own."),
                     ("3", "A note the peer split at a line break.")]
    assert all(fn.getparent().tag == "fn-group" for fn in root.iter("fn"))
    assert ["".join(p.itertext()) for p in root.findall("body/sec/p")] == [
        "A paragraph with a call1.", "The body goes on."]


def test_the_peer_runs_with_the_network_refused() -> None:
    """What `--markdown` sets up before the peer runs: a download attempt fails loudly (the
    run then stops), while a local Unix socket still connects."""
    script = ("import socket, sys, urllib.request\n"
              f"sys.path.insert(0, {str(Path(peer.__file__).parent)!r})\n"
              "import peer\n"
              "peer.refuse_network()\n"
              "import os, tempfile\n"
              "path = os.path.join(tempfile.mkdtemp(), 'pool')\n"
              "server = socket.socket(socket.AF_UNIX)\n"
              "server.bind(path)\n"
              "server.listen()\n"
              "socket.socket(socket.AF_UNIX).connect(path)\n"
              "try:\n"
              "    urllib.request.urlopen('http://127.0.0.1:9/model.onnx', timeout=5)\n"
              "except peer.NetworkRefused as exc:\n"
              "    print('refused', exc)\n")
    made = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("refused network access attempted")


def test_the_peers_markdown_is_kept_by_the_pdfs_bytes_not_by_file_times(tmp_path: Path,
                                                                       monkeypatch) -> None:
    pdf, out = tmp_path / "paper.pdf", tmp_path / "paper.md"
    pdf.write_bytes(b"%PDF-1.4 one document")
    calls: list[list[str]] = []

    def peer_run(args, **kwargs):
        calls.append(args)
        Path(args[-1]).write_text("# made\n", encoding="utf-8")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(peer.subprocess, "run", peer_run)
    assert peer.peer_markdown(pdf, out, 60) is None and len(calls) == 1
    pdf.touch()  # a fresh copy: newer than the Markdown, the same bytes
    assert peer.peer_markdown(pdf, out, 60) is None and len(calls) == 1
    pdf.write_bytes(b"%PDF-1.4 another document")
    assert peer.peer_markdown(pdf, out, 60) is None and len(calls) == 2
