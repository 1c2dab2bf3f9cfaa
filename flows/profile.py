"""House style: the few words a publisher's layout uses that structure recovery must know.

Detection is driven by layout evidence; words only name what the evidence found (is this
boxed summary an abstract? is this unsigned opening part a foreword?). `DEFAULT_STYLE` is
the built-in house style; a publications team describes its own in a TOML file
(`jatsflow publish --profile house.toml`), which `load_profile` reads and checks. A
profile names only the fields it changes; each one it names replaces the built-in value.
Nothing else in the code holds document-specific strings.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from flows.errors import JatsflowError


class ProfileError(JatsflowError):
    """A house-style file that cannot be read or does not say what a profile says."""


@dataclass(frozen=True)
class HouseStyle:
    # Headings that open an executive summary / abstract box (compared case-insensitively,
    # letter-spacing removed).
    abstract_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "executive summary", "abstract", "main argument", "main arguments",
        "policy implications", "key findings", "key points", "key recommendations",
        "resumo", "resumen", "résumé", "riassunto"}))
    # Headings that open an abstract only when its text runs in after them on their line
    # ("Summary It has been …"): on a line of their own they title a body section (a
    # software paper's "Summary").
    run_in_abstract_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "summary"}))
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
        "referencias", "reference", "references and notes", "cited literature",
        "literatura citada", "referências bibliográficas", "referencias bibliográficas",
        "bibliografía", "bibliografia", "literatur", "literaturverzeichnis", "références",
        "bibliographie", "riferimenti bibliografici"}))
    # Headings over a part's notes when they are set at its end (the notes themselves are
    # found by their layout; an emptied heading is dropped).
    notes_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "notes", "endnotes", "footnotes", "notas"}))
    # Headings of the back-matter zones (compared case-insensitively, without a section
    # number or a closing colon; a paragraph that opens with one of them and a colon or a
    # stop — "Funding: …" — is that zone run in). Each becomes its JATS back-matter element.
    ack_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "acknowledgements", "acknowledgments", "acknowledgement", "acknowledgment",
        "agradecimentos", "agradecimientos", "agradecimiento", "danksagung", "remerciements",
        "ringraziamenti"}))
    funding_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "funding", "funding information", "funding statement", "financial support",
        "source of funding", "sources of funding", "source of support", "financiamento",
        "financiamiento", "financiación", "fomento", "finanzierung", "financement"}))
    contributions_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "author contributions", "authors' contributions", "authors contributions",
        "author's contributions", "credit authorship contribution statement",
        "contribuição dos autores", "contribuições dos autores", "contribución de los autores",
        "contribuciones de los autores", "autorenbeiträge", "contributions des auteurs"}))
    conflict_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "conflict of interest", "conflicts of interest", "conflict of interests",
        "competing interests", "competing interest", "declaration of competing interest",
        "declaration of interests", "declaration of conflicting interests",
        "conflict of interest statement", "disclosure statement", "conflito de interesses",
        "conflitos de interesse", "conflito de interesse", "conflicto de intereses",
        "conflictos de intereses", "conflicto de interés", "interessenkonflikt",
        "interessenkonflikte", "conflits d'intérêts", "liens d'intérêts"}))
    data_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "data availability", "data availability statement", "availability of data and materials",
        "data accessibility", "disponibilidade de dados", "disponibilidad de datos",
        "datenverfügbarkeit"}))
    # A publisher's disclaimer set after the text ("Publisher's Note: … remains neutral with
    # regard to jurisdictional claims"): a statement about the article, never its body.
    disclaimer_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "publisher's note", "disclaimer", "nota del editor", "nota do editor",
        "note de l'éditeur", "anmerkung des verlags"}))
    abbreviation_headings: frozenset[str] = field(default_factory=lambda: frozenset({
        "abbreviations", "list of abbreviations", "abreviaturas", "lista de abreviaturas",
        "abkürzungen", "abréviations",
        # a nomenclature (symbol, then its meaning) is the same kind of list
        "nomenclature", "list of symbols", "nomenclatura", "nomenklatur"}))
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
    # A box (an abstract) broken by a page says so at its foot: "(Continued on next page)".
    continued_markers: tuple[str, ...] = (
        "continued on next page", "continued on the next page", "continued overleaf",
        "continua na próxima página", "continúa en la página siguiente",
        "continúa en la siguiente página", "suite page suivante", "suite à la page suivante",
        "fortsetzung auf der nächsten seite", "fortsetzung nächste seite")
    # Degrees and honours set after a name in a byline ("Ana Souza, BDS, MSc"), as printed
    # (matched case and all: "MA" the degree, "Ma" the surname).
    name_suffixes: tuple[str, ...] = (
        "PhD", "Ph.D", "MD", "M.D", "MSc", "M.Sc", "BSc", "B.Sc", "BDS", "MDS", "DDS", "DMD",
        "MPH", "MBBS", "MBChB", "FRCS", "FRCP", "FACS", "RN", "PharmD", "MBA", "DPhil", "DrPH",
        "MS", "MA", "BS", "BA", "Dr.med", "Dr. med")
    # Labels that open the first part of a structured abstract set without an "Abstract"
    # heading ("Background. …", "Objective: …"): such a line on the first page opens it.
    abstract_part_labels: tuple[str, ...] = (
        "background", "purpose", "objective", "objectives", "aim", "aims", "context",
        "introduction", "objetivo", "objetivos", "introdução", "introducción", "contexto",
        "contexte", "hintergrund", "ziel")
    # Words that name the parts of a structured abstract ("Methods:", "Materials and
    # Methods:", "Aims/Background:"): a label of a few words holding one of them, run in
    # with a colon after a sentence's end, opens the next part.
    abstract_section_words: frozenset[str] = field(default_factory=lambda: frozenset({
        "background", "aim", "aims", "objective", "objectives", "objective(s)", "purpose",
        "introduction", "context", "method", "methods", "methodology", "materials", "design",
        "setting", "participants", "patients", "interventions", "measurements", "result", "results",
        "findings", "conclusion", "conclusions", "discussion", "interpretation",
        "significance", "limitations", "implications", "objetivo", "objetivos", "métodos",
        "método", "resultados", "conclusão", "conclusões", "conclusión", "conclusiones",
        "introdução", "introducción", "contexto", "méthodes", "résultats", "contexte",
        "objectif", "hintergrund", "methoden", "ergebnisse", "schlussfolgerung",
        "schlussfolgerungen", "ziel"}))
    # The language an abstract heading names, for a translated abstract's xml:lang; a
    # heading not listed is in the text's language.
    abstract_languages: dict[str, str] = field(default_factory=lambda: {
        "abstract": "en", "executive summary": "en", "summary": "en", "resumo": "pt",
        "resumen": "es",
        "résumé": "fr", "zusammenfassung": "de", "riassunto": "it"})
    language: str = "en"  # the text's language: hyphenation patterns, JATS xml:lang
    # Where a section number printed before a heading ("2.1 Methods") goes: "title" keeps it
    # in the section's <title> as printed, the form most publishers' JATS in the development
    # corpus use (33 of the 40 there with numbered sections); "label" moves it to the
    # section's <label>. Either way the number still sets the heading's level.
    section_numbers: str = "title"

    def digest(self) -> str:
        """SHA-256 of the style's content, the same however its sets happen to be ordered:
        part of the reuse key, so outputs made under another house style are not reused."""
        canonical = {name: sorted(value) if isinstance(value, frozenset) else value
                     for name, value in asdict(self).items()}
        return hashlib.sha256(json.dumps(canonical, sort_keys=True,
                                         ensure_ascii=False).encode()).hexdigest()


DEFAULT_STYLE = HouseStyle()

LANGUAGE = re.compile(r"[a-z]{2,3}([_-][A-Za-z]{2,4})?")


def load_profile(path: Path) -> HouseStyle:
    """The house style a TOML file describes, over the built-in one. Raises ProfileError,
    with one line naming the file and what is wrong, for a missing or malformed file, an
    unknown key or a value of the wrong kind."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"{path}: cannot read the profile ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ProfileError(f"{path}: not a TOML file ({message})") from None
    known = {f.name: f for f in fields(HouseStyle)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ProfileError(f"{path}: unknown key {unknown[0]!r}; a profile may set "
                           f"{', '.join(known)}")
    changes: dict[str, object] = {}
    for name, value in data.items():
        if name == "language":
            if not isinstance(value, str) or not LANGUAGE.fullmatch(value):
                raise ProfileError(f"{path}: language must be a language code like "
                                   f"'en' or 'pt_BR', not {value!r}")
            changes[name] = value
        elif name == "section_numbers":
            if value not in SECTION_NUMBER_PLACES:
                raise ProfileError(f"{path}: section_numbers must be one of "
                                   f"{', '.join(SECTION_NUMBER_PLACES)}, not {value!r}")
            changes[name] = value
        elif name == "opening_parts":
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) and v in OPENING_KINDS
                    for k, v in value.items()):
                raise ProfileError(f"{path}: opening_parts must be a table of part titles "
                                   f"to one of {', '.join(OPENING_KINDS)}")
            changes[name] = {k.strip().lower(): v for k, v in value.items()}
        elif name == "abstract_languages":
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) and LANGUAGE.fullmatch(v)
                    for k, v in value.items()):
                raise ProfileError(f"{path}: abstract_languages must be a table of abstract "
                                   f"headings to language codes like 'pt'")
            changes[name] = {k.strip().lower(): v for k, v in value.items()}
        else:
            if not isinstance(value, list) or not value or not all(
                    isinstance(v, str) and v.strip() for v in value):
                raise ProfileError(f"{path}: {name} must be a list of words or phrases")
            words = [v.lower() for v in value]
            changes[name] = frozenset(words) if known[name].type.startswith("frozenset") \
                else tuple(words)
    return replace(DEFAULT_STYLE, **changes)


OPENING_KINDS = ("foreword", "preface", "introduction", "acknowledgments")
SECTION_NUMBER_PLACES = ("title", "label")  # see HouseStyle.section_numbers


def house_style(profile: str) -> HouseStyle:
    """The house style a flow run was given: a profile's path, or "" for the built-in one."""
    return load_profile(Path(profile)) if profile else DEFAULT_STYLE
