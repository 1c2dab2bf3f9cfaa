"""Stage 2 — text: lines → rich text (italic, bold, superscripts), joined with
dehyphenation decided by the document's own vocabulary, and URLs split out as links.

Input: a list of lines and the evidence. Output: a new `RichText`.
Invariant: every character of the lines' spans is kept, in order, except a line-end hyphen
the evidence shows to be the typesetter's, and white space, which is normalised.
"""

from __future__ import annotations

import re

from flows.layout_model import Line, Span
from flows.model import Inline, RichText
from flows.segment.common import URL, URL_START
from flows.segment.evidence import Evidence


class TextBuilder:
    """Accumulates spans into rich text, joining lines with dehyphenation."""

    def __init__(self, ev: Evidence, whole_italic: bool = False) -> None:
        self.ev = ev
        self.parts: RichText = []
        self.whole_italic = whole_italic
        self.soft_hyphen = False  # the last line added ended in the typesetter's hyphen

    def _append(self, kind: str, text: str, target: str = "") -> None:
        if kind in ("text", "italic", "bold") and self.parts and self.parts[-1].kind == kind:
            self.parts[-1].text += text
        else:
            self.parts.append(Inline(kind, text, target))

    def add_line(self, spans: list[Span], soft_hyphen: bool = False) -> None:
        spans = [s for s in spans if s.text]
        if not spans:
            return
        if self.parts:
            self._join_break(spans[0].text.lstrip())
        self.soft_hyphen = soft_hyphen
        for index, span in enumerate(spans):
            text = span.text if index else span.text.lstrip()
            if span.raised:
                self._append("sup", text.strip())
            else:
                kind = "italic" if span.italic and not self.whole_italic else (
                    "bold" if span.bold else "text")
                self._append(kind, re.sub(r"\s+", " ", text))

    def _join_break(self, next_text: str) -> None:
        """Join two lines: drop a hyphenation hyphen, keep a real one, keep URLs whole."""
        last = self.parts[-1]
        stripped = last.text.rstrip()
        if last.kind == "sup":
            self._append("text", " ")
            return
        if stripped.endswith(" -") and len(stripped) > 2:
            stripped = stripped[:-2] + "-"  # a justified hyphen set apart from its word
        last_token = re.split(r"\s", stripped)[-1] if stripped else ""
        in_url = bool(URL_START.search(last_token))
        if stripped.endswith(("-", "\u00ad")) and not stripped.endswith("--"):
            left_word = last_token[:-1]
            right_word = re.split(r"\s", next_text)[0] if next_text else ""
            if self.ev.marks_breaks and stripped.endswith("-"):
                drop = self.soft_hyphen  # the typesetter said which hyphens are its own
            else:
                drop = (self._url_hyphen_is_break(left_word, right_word) if in_url
                        else self._drop_hyphen(left_word, right_word))
            last.text = stripped[:-1] if drop else stripped
            return
        last.text = stripped
        if in_url and not last_token.endswith((".", ",", ";", ")")):
            return  # a URL broken at the line end continues on the next line
        if stripped.endswith(("—", "–", "/")) and not stripped[:-1].endswith(" "):
            return  # a line may break after a dash or slash; it joins what it joined
        if next_text.startswith("—"):
            return  # or before an em dash, which takes no space
        self._append("text" if last.kind != "italic" else "italic", " ")

    def _url_hyphen_is_break(self, left: str, right: str) -> bool:
        """A hyphen at a URL's line end is the typesetter's when the letters around it form
        a word of the document, or, outside a slug of hyphen-joined words, a word the
        language's hyphenation patterns would break there; else it is the URL's."""
        if not self.ev.hyphenates:
            return False  # the typesetter never hyphenates: every line-end hyphen is real
        head = re.search(r"[A-Za-z]+$", left)
        tail = re.match(r"[A-Za-z]+", right)
        if not head or not tail:
            return not (left[-1:].isalnum() and right[:1].isalnum())
        if (head.group(0) + tail.group(0)).lower() in self.ev.words:
            return True
        if "-" in left or "-" in re.split(r"[/?#]", right)[0]:
            return False  # a slug of words joined by hyphens ("remarks-on-americas-growing")
        return len(head.group(0)) in self.ev.hyphenator.positions(head.group(0) + tail.group(0))

    def _drop_hyphen(self, left: str, right: str) -> bool:
        """Evidence in order: the joined word occurs in the document; the hyphenated form
        occurs; two long words of the document meet there (a compound); the typesetter's
        hyphenation patterns allow a break there."""
        core_left = left.strip("\"'“‘([")
        core_right = re.sub(r"[.,;:)\]\"'”’!?]+$", "", right)
        if not core_left or not core_right:
            return False
        joined = (core_left + core_right).lower()
        hyphened = (core_left + "-" + core_right).lower()
        if joined in self.ev.words:
            return True
        if hyphened in self.ev.hyphenated or hyphened in self.ev.words:
            return False
        if core_right[0].isupper() or core_left[-1].isdigit() or core_left.endswith("."):
            return False
        if not self.ev.hyphenates:
            return False  # a typesetter that never breaks words
        if "-" in core_right:  # "Russi-" + "an-led": join only if the pieces make a word
            head = re.split(r"[-–—/]", core_left)[-1].lower() + core_right.split("-")[0].lower()
            return head in self.ev.words
        last_piece = re.split(r"[-–—/]", core_left)[-1].lower()
        word = last_piece + core_right.lower()
        if word in self.ev.words:
            return True
        halves = (last_piece, core_right.lower())
        if all(len(h) >= 5 and h in self.ev.words for h in halves):
            return False  # two full words of the document joined by a hyphen: a compound
        if len(last_piece) in self.ev.hyphenator.positions(word):
            return True
        return not core_right.isalpha()

    def result(self) -> RichText:
        out = [i for i in self.parts if i.text or i.kind == "callout"]
        if out and out[-1].kind in ("text", "italic", "bold"):
            out[-1].text = out[-1].text.rstrip()
        if out and out[0].kind in ("text", "italic", "bold"):
            out[0].text = out[0].text.lstrip()
        return [i for i in out if i.text or i.kind == "callout"]


def rich_text(lines: list[Line], ev: Evidence) -> RichText:
    whole_italic = all(ln.italic for ln in lines)
    builder = TextBuilder(ev, whole_italic)
    for line in lines:
        builder.add_line(line.spans, line.soft_hyphen)
    return builder.result()


def text_of(rich: RichText) -> str:
    return "".join(i.text for i in rich if i.kind != "callout")


def link_urls(rich: RichText) -> RichText:
    """Split URLs out of text runs into link inlines."""
    out: RichText = []
    for inline in rich:
        if inline.kind not in ("text", "italic"):
            out.append(inline)
            continue
        position = 0
        for match in URL.finditer(inline.text):
            url = match.group(0).rstrip(".,;:)]")
            start = match.start()
            if start > position:
                out.append(Inline(inline.kind, inline.text[position:start]))
            href = url if "://" in url else "http://" + url
            out.append(Inline("link", url, href))
            position = start + len(url)
        if position < len(inline.text):
            out.append(Inline(inline.kind, inline.text[position:]))
    return out
