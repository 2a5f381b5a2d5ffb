"""Find ontology terms in text by their labels and synonyms.

The ontology (``ontology/terms.yaml``) is the only list of names: to teach the extractor a
new way of writing a modality, subtype or factor, add a synonym there. Spelling variants
(tumour/tumor, oestrogen/estrogen, -isation/-ization) are generated here so a synonym need
not be written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ...ontology.vocab import vocabulary

_VARIANTS = (
    ("tumour", "tumor"),
    ("oestrogen", "estrogen"),
    ("isation", "ization"),
    ("haem", "hem"),
    ("colonis", "coloniz"),
)


@dataclass(frozen=True)
class Hit:
    """One occurrence of a term in a text."""

    start: int
    end: int
    term: str


def _spellings(name: str) -> set[str]:
    names = {name}
    for british, american in _VARIANTS:
        names |= {n.replace(british, american) for n in names}
        names |= {n.replace(american, british) for n in names}
    names |= {n.replace("+", "⁺") for n in names}  # "ER⁺", as PDFs set it
    return names


def _case_sensitive(name: str) -> bool:
    """Abbreviations (RFA, OS, ER+) must match as written; words match in any case."""
    return not any(c.islower() for c in name)


@dataclass(frozen=True)
class TermIndex:
    """A compiled matcher for every label and synonym of the terms under some roots."""

    pattern: re.Pattern[str]
    exact: dict[str, str]
    folded: dict[str, str]

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Longest non-overlapping matches, left to right."""
        hits = []
        for match in self.pattern.finditer(text, start, len(text) if end is None else end):
            name = " ".join(match.group(1).split())
            term = self.exact.get(name) or self.folded.get(name.casefold())
            if term is not None:
                hits.append(Hit(match.start(1), match.end(1), term))
        return hits


@cache
def index(roots: tuple[str, ...], individuals: bool = False) -> TermIndex:
    """The matcher for classes (or individuals) under ``roots``."""
    vocab = vocabulary()
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for root in roots:
        ids = vocab.individuals_of(root) if individuals else vocab.subclasses(root)
        for term_id in ids:
            if not individuals and term_id == root:
                continue
            term = vocab.terms[term_id]
            for name in (term.label, *term.synonyms):
                for spelling in _spellings(name):
                    table = exact if _case_sensitive(spelling) else folded
                    table.setdefault(spelling if table is exact else spelling.casefold(), term_id)
    names = sorted({*exact, *folded}, key=lambda n: (-len(n), n))
    # A space of a name matches any run of white space ("number of  lesions", a line break).
    alternatives = "|".join(re.escape(n).replace("\\ ", r"\s+") for n in names)
    pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w])", re.IGNORECASE)
    return TermIndex(pattern, exact, folded)


def modalities(text: str, start: int = 0, end: int | None = None) -> list[Hit]:
    return index(("Modality",)).find(text, start, end)


def factors(text: str, start: int = 0, end: int | None = None) -> list[Hit]:
    return index(("PrognosticFactor",)).find(text, start, end)


def levels(text: str, start: int = 0, end: int | None = None) -> list[Hit]:
    """Factor levels (``ER+``, ``R0``, ``triple negative``): individuals of ``FactorLevel``."""
    return index(("FactorLevel",), individuals=True).find(text, start, end)


_STOP = {"of", "the", "status", "and", "a", "an"}


def _stems(label: str) -> set[str]:
    return {w[:5].casefold() for w in re.findall(r"[A-Za-z0-9]+", label) if w.lower() not in _STOP}


@cache
def level_factor(level: str) -> str | None:
    """The factor a level is a value of: the one factor that shares a name with it, else the
    one whose label's words all begin words of the level's label (``oestrogen receptor
    positive`` -> ``oestrogen receptor status``). A biomarker status that names no single
    marker, or several (``triple negative``, ``HR+/HER2+``), is a molecular subtype."""
    vocab = vocabulary()
    names = {n.casefold() for n in (vocab.terms[level].label, *vocab.terms[level].synonyms)}
    shared = [
        factor
        for factor in vocab.subclasses("PrognosticFactor")
        if names
        & {n.casefold() for n in (vocab.terms[factor].label, *vocab.terms[factor].synonyms)}
    ]
    if len(shared) == 1:
        return shared[0]  # a name both carry ("node negativity")
    words = _stems(vocab.terms[level].label)
    found = [
        factor
        for factor in vocab.subclasses("PrognosticFactor")
        if (stems := _stems(vocab.terms[factor].label))
        and all(any(w.startswith(s) for w in words) for s in stems)
    ]
    if len(found) == 1:
        return found[0]
    if level in vocab.individuals_of("BiomarkerStatus") and "MolecularSubtypeFactor" in vocab.terms:
        return "MolecularSubtypeFactor"
    return None


@cache
def level_of(factor: str, word: str) -> str | None:
    """The level of ``factor`` whose label has ``word`` ("positive" hormone receptor status)."""
    vocab = vocabulary()
    found = [
        level
        for level in sorted(vocab.individuals_of("FactorLevel"))
        if level_factor(level) == factor and word.lower() in vocab.terms[level].label.split()
    ]
    return found[0] if len(found) == 1 else None


def outcome_types(text: str, start: int = 0, end: int | None = None) -> list[Hit]:
    return index(("OutcomeType",)).find(text, start, end)


def lookup(name: str, root: str, individuals: bool = False) -> str | None:
    """The term whose label or synonym is ``name`` exactly (abbreviations) or in any case."""
    table = index((root,), individuals)
    cleaned = " ".join(name.split())
    return table.exact.get(cleaned) or table.folded.get(cleaned.casefold())
