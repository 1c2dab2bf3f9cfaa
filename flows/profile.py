"""House style: the few words a publisher's layout uses that structure recovery must know.

Detection is driven by layout evidence; words only name what the evidence found (is this
boxed summary an abstract? is this unsigned opening part a foreword?). A publications team
adds its own series by passing another `HouseStyle` — nothing else in the code holds
document-specific strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HouseStyle:
    # Headings that open an executive summary / abstract box (compared case-insensitively,
    # letter-spacing removed).
    abstract_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "executive summary", "abstract", "main argument", "main arguments",
        "policy implications", "key findings", "key points", "key recommendations",
        "resumo", "resumen"}))
    # Part titles that make a part front matter of the whole report, with their JATS sec-type.
    opening_parts: dict[str, str] = field(default_factory=lambda: {
        "foreword": "foreword", "preface": "preface", "introduction": "introduction",
        "acknowledgments": "acknowledgments", "acknowledgements": "acknowledgments"})
    # A contents page is recognised by this heading or by its page-number pattern.
    contents_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "contents", "table of contents"}))
    # Headings that open a bibliography (becomes back/ref-list).
    reference_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "references", "bibliography", "works cited", "literature cited", "referências",
        "referencias"}))
    # Headings over a part's notes when they are set at its end (the notes themselves are
    # found by their layout; an emptied heading is dropped).
    notes_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "notes", "endnotes", "footnotes", "notas"}))
    # Labels that open a keyword list under an abstract.
    keyword_labels: tuple[str, ...] = ("keywords", "key words", "palabras clave",
                                       "palabras-clave", "palavras-chave", "palavras chave")
    # Caption labels: "Figure 2:", "Table 1." (a number and a separator must follow).
    figure_labels: tuple[str, ...] = ("figure", "fig.", "chart", "exhibit", "map", "graph",
                                      "figura", "gráfico", "mapa")
    table_labels: tuple[str, ...] = ("table", "tabela", "tabla", "quadro", "cuadro")
    # Words that name a numbered series when the number follows without "#" or "No."
    # ("NBR Special Report 79").
    series_words: tuple[str, ...] = ("report", "paper", "papers", "series", "brief", "study",
                                     "studies", "bulletin", "analysis", "monograph")
    # Words that introduce the list of authors on a cover or title page.
    byline_prefixes: tuple[str, ...] = ("by ", "edited by ")
    language: str = "en"


DEFAULT_STYLE = HouseStyle()
