"""What the page says around the links: term labels and hierarchy, reports, arms, key
outcomes, subtype memberships and molecular factors, each read by a query in ``context/``.

Plain records only; the network and the evidence panels are built from them elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .sparql import select

BCLM = "https://w3id.org/bclm-kg/"


@dataclass(frozen=True)
class Term:
    iri: str
    label: str
    parent: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    iri: str
    study: str
    first_author: str
    year: str  # the year the review prints with the study, else the study's own
    source_file: str
    source_label: str


@dataclass(frozen=True)
class Arm:
    iri: str
    label: str
    report: str
    modalities: tuple[str, ...]
    target_site: str
    n: int | None


@dataclass(frozen=True)
class Outcome:
    arm: str
    subgroup: str
    text: str  # e.g. "median overall survival 42 month"
    quote: str


@dataclass(frozen=True)
class SubtypeMember:
    population: str
    subtype: str
    arm: str
    n: int | None


@dataclass(frozen=True)
class Mechanism:
    statement: str
    factor: str
    step: str
    targeted_by: str
    source_file: str
    quote: str


@dataclass(frozen=True)
class Context:
    terms: dict[str, Term] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    arms: dict[str, Arm] = field(default_factory=dict)
    outcomes: tuple[Outcome, ...] = ()
    subtypes: tuple[SubtypeMember, ...] = ()
    mechanisms: tuple[Mechanism, ...] = ()

    def label(self, iri: str) -> str:
        """The term's label; for an IRI the graph does not label, its last path segment."""
        term = self.terms.get(iri)
        return term.label if term else iri.rstrip("/").rsplit("/", 1)[-1]

    def synonyms(self, iri: str) -> tuple[str, ...]:
        term = self.terms.get(iri)
        return term.synonyms if term else ()

    def lineage(self, iri: str) -> list[str]:
        """The term and its ancestors, nearest first."""
        chain: list[str] = []
        while iri in self.terms and iri not in chain:
            chain.append(iri)
            iri = self.terms[iri].parent
        return chain

    def top(self, iri: str, root: str) -> str:
        """The ancestor-or-self of ``iri`` directly below ``root`` (its family), or ``iri``."""
        for term in self.lineage(iri):
            if self.terms[term].parent == root:
                return term
        return iri

    def is_a(self, iri: str, ancestor: str) -> bool:
        return ancestor in self.lineage(iri)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _terms(store: ox.Store) -> dict[str, Term]:
    labels: dict[str, str] = {}
    parents: dict[str, str] = {}
    synonyms: dict[str, set[str]] = defaultdict(set)
    for row in select(store, "context/terms.rq"):
        labels[row["term"]] = row["label"]
        if row["parent"].startswith(BCLM):
            parents[row["term"]] = row["parent"]
        if row["synonym"]:
            synonyms[row["term"]].add(row["synonym"])
    return {
        iri: Term(iri, label, parents.get(iri, ""), tuple(sorted(synonyms[iri])))
        for iri, label in labels.items()
    }


def _reports(store: ox.Store) -> dict[str, Report]:
    return {
        row["report"]: Report(
            iri=row["report"],
            study=row["study"],
            first_author=row["first_author"],
            year=row["reported_year"] or row["pub_year"],
            source_file=row["source_file"],
            source_label=row["source_label"],
        )
        for row in select(store, "context/reports.rq")
    }


def _arms(store: ox.Store) -> dict[str, Arm]:
    rows = select(store, "context/arms.rq")
    modalities: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        modalities[row["arm"]].add(row["modality"])
    return {
        row["arm"]: Arm(
            iri=row["arm"],
            label=row["arm_label"],
            report=row["report"],
            modalities=tuple(sorted(modalities[row["arm"]])),
            target_site=row["target_site"],
            n=_int(row["n"]),
        )
        for row in rows
    }


def outcome_text(outcome: str, comparator: str, value: str, value_max: str, unit: str) -> str:
    """'median overall survival 42 month', '<2 percent', '10-60 month'."""
    number = (comparator if comparator not in ("", "=") else "") + value
    if value_max:
        number = f"{number}-{value_max}"
    return f"{outcome} {number} {unit}"


def _outcomes(store: ox.Store) -> tuple[Outcome, ...]:
    return tuple(
        Outcome(
            arm=row["arm"],
            subgroup=row["subgroup"],
            text=outcome_text(
                row["outcome"], row["comparator"], row["value"], row["value_max"], row["unit"]
            ),
            quote=row["quote"],
        )
        for row in select(store, "context/outcomes.rq")
    )


def _subtypes(store: ox.Store) -> tuple[SubtypeMember, ...]:
    return tuple(
        SubtypeMember(row["population"], row["subtype"], row["arm"], _int(row["n"]))
        for row in select(store, "context/subtypes.rq")
    )


def _mechanisms(store: ox.Store) -> tuple[Mechanism, ...]:
    return tuple(
        Mechanism(
            statement=row["statement"],
            factor=row["factor"],
            step=row["step"],
            targeted_by=row["targeted_by"],
            source_file=row["source_file"],
            quote=row["quote"],
        )
        for row in select(store, "context/mechanisms.rq")
    )


def load_context(store: ox.Store) -> Context:
    return Context(
        terms=_terms(store),
        reports=_reports(store),
        arms=_arms(store),
        outcomes=_outcomes(store),
        subtypes=_subtypes(store),
        mechanisms=_mechanisms(store),
    )
