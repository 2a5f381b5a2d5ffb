"""The term table: read ``terms.yaml`` once and answer questions about terms.

Every other module asks this one for IRIs, labels and class hierarchies, so a term is
described in exactly one place. Looking up an unknown id raises ``UnknownTermError``
with the closest known ids, because a typo in an evidence file should say what to type.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from rdflib import Namespace, URIRef

TermKind = Literal["class", "individual", "object_property", "data_property"]
TERMS_FILE = "terms.yaml"


class UnknownTermError(KeyError):
    """An id that the ontology does not define."""

    def __init__(self, term_id: str, kind: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} '{term_id}'{hint}")
        self.term_id = term_id
        self.kind = kind
        self.suggestions = suggestions

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Term:
    """One ontology term as written in the term table."""

    id: str
    kind: TermKind
    label: str
    definition: str
    parents: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    type: str | None = None  # the class of an individual
    domain: str | None = None
    range: str | None = None
    functional: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """All terms of the ontology, indexed by id."""

    ontology_iri: str
    base: str
    version: str
    terms: dict[str, Term] = field(repr=False)
    # Class closures and IRIs, asked for once per record or triple by the build: made once.
    _below: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _ordered: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _iris: dict[str, URIRef] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ns(self) -> Namespace:
        return Namespace(self.base)

    def iri(self, term_id: str) -> URIRef:
        """The IRI of a defined term; raises ``UnknownTermError`` otherwise."""
        iri = self._iris.get(term_id)
        if iri is None:
            iri = self._iris[term_id] = self.ns[self.get(term_id).id]
        return iri

    def get(self, term_id: str, kind: TermKind | None = None) -> Term:
        term = self.terms.get(term_id)
        if term is None or (kind is not None and term.kind != kind):
            pool = [t.id for t in self.terms.values() if kind is None or t.kind == kind]
            close = difflib.get_close_matches(term_id, pool, n=3, cutoff=0.6)
            raise UnknownTermError(term_id, (kind or "term").replace("_", " "), close)
        return term

    def of_kind(self, kind: TermKind) -> Iterator[Term]:
        return (t for t in self.terms.values() if t.kind == kind)

    def subclasses(self, root: str) -> list[str]:
        """Ids of ``root`` and every class below it, in table order."""
        if root not in self._ordered:
            below = self._closure(root)
            self._ordered[root] = tuple(t.id for t in self.of_kind("class") if t.id in below)
        return list(self._ordered[root])

    def _closure(self, root: str) -> frozenset[str]:
        if root not in self._below:
            below = {root}
            changed = True
            while changed:
                changed = False
                for term in self.of_kind("class"):
                    if term.id not in below and below.intersection(term.parents):
                        below.add(term.id)
                        changed = True
            self._below[root] = frozenset(below)
        return self._below[root]

    def is_a(self, term_id: str, root: str) -> bool:
        term = self.terms.get(term_id)
        return term is not None and term.kind == "class" and term_id in self._closure(root)

    def individuals_of(self, class_id: str) -> list[str]:
        """Ids of the individuals typed with ``class_id`` or any class below it."""
        classes = set(self.subclasses(class_id))
        return [t.id for t in self.of_kind("individual") if t.type in classes]

    def require(self, term_id: str, root: str, what: str) -> Term:
        """The class ``term_id`` if it lies under ``root``; else an error naming ``what``."""
        if not self.is_a(term_id, root):
            allowed = self.subclasses(root)
            raise UnknownTermError(term_id, what, self._suggest(term_id, allowed))
        return self.terms[term_id]

    def require_individual(self, term_id: str, class_id: str, what: str) -> Term:
        allowed = self.individuals_of(class_id)
        if term_id not in allowed:
            raise UnknownTermError(term_id, what, self._suggest(term_id, allowed))
        return self.terms[term_id]

    def _suggest(self, text: str, allowed: list[str]) -> list[str]:
        """Ids whose label or synonym is ``text`` (any case), else ids spelled like it."""
        wanted = text.casefold()
        named = [
            term_id
            for term_id in allowed
            if wanted
            in {n.casefold() for n in (self.terms[term_id].label, *self.terms[term_id].synonyms)}
        ]
        return named or difflib.get_close_matches(text, allowed, n=3, cutoff=0.5)


def _term(entry: dict, kind: TermKind) -> Term:
    parents = entry.get("parents") or ([entry["parent"]] if entry.get("parent") else [])
    return Term(
        id=entry["id"],
        kind=kind,
        label=entry["label"],
        definition=entry["definition"],
        parents=tuple(parents),
        synonyms=tuple(str(s) for s in entry.get("synonyms", ())),
        type=entry.get("type"),
        domain=entry.get("domain"),
        range=entry.get("range"),
        functional=bool(entry.get("functional", False)),
    )


SECTIONS: dict[str, TermKind] = {
    "classes": "class",
    "individuals": "individual",
    "object_properties": "object_property",
    "data_properties": "data_property",
}


def parse_vocabulary(text: str) -> Vocabulary:
    """Build a vocabulary from the YAML text of a term table, checking its integrity."""
    raw = yaml.safe_load(text)
    terms: dict[str, Term] = {}
    for section, kind in SECTIONS.items():
        for entry in raw.get(section, []):
            term = _term(entry, kind)
            if term.id in terms:
                raise ValueError(f"{TERMS_FILE}: term '{term.id}' is defined twice")
            terms[term.id] = term
    vocab = Vocabulary(raw["ontology"], raw["base"], str(raw["version"]), terms)
    _check_references(vocab)
    return vocab


def _check_references(vocab: Vocabulary) -> None:
    classes = {t.id for t in vocab.of_kind("class")}
    for term in vocab.terms.values():
        named = [*term.parents, term.type, term.domain]
        if term.kind == "object_property":
            named.append(term.range)
        for ref in filter(None, named):
            if ref not in classes:
                raise ValueError(f"{TERMS_FILE}: term '{term.id}' refers to unknown class '{ref}'")


@cache
def vocabulary() -> Vocabulary:
    """The project's vocabulary, read from the packaged term table."""
    text = resources.files(__package__).joinpath(TERMS_FILE).read_text(encoding="utf-8")
    return parse_vocabulary(text)
