"""Derive each fact's study design and evidence level from the study behind it.

Rank, strongest first: randomised trial, prospective study, retrospective (also case-
control, registry and pooled analyses), design not reported, a review's own summary claim.
When reviews give one study different designs, the strongest is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

from rdflib import RDF, Graph, URIRef

from ..ontology.vocab import vocabulary
from .terms import RDFLIB, Terms

T = TypeVar("T")

# Evidence level of each design subtree, checked in this order (first match wins).
LEVEL_OF_DESIGN = (
    ("RandomizedControlledTrial", "RandomisedTrialEvidence", 1),
    ("ProspectiveStudy", "ProspectiveEvidence", 2),
    ("RetrospectiveStudy", "RetrospectiveEvidence", 3),
    ("CaseControlStudy", "RetrospectiveEvidence", 3),
    ("RegistryStudy", "RetrospectiveEvidence", 3),
    ("SystematicReviewOrMetaAnalysis", "RetrospectiveEvidence", 3),
    ("NarrativeReview", "ReviewSummaryEvidence", 5),
)
UNSPECIFIED = ("Study", "UnspecifiedDesignEvidence", 4)


@cache
def _level(design_ids: frozenset[str]) -> tuple[str, str, int]:
    """(design id, level id, rank) of the strongest design among ``design_ids``."""
    v = vocabulary()
    found = [
        (rank, design, level)
        for root, level, rank in LEVEL_OF_DESIGN
        for design in design_ids
        if v.is_a(design, root)
    ]
    if not found:
        return UNSPECIFIED
    rank, design, level = min(found)
    return design, level, rank


def evidence_levels(graph: Graph) -> Graph:
    """Triples giving every measurement and association its study design and level."""
    v, out = vocabulary(), Graph()
    study_classes = {v.iri(c): c for c in v.subclasses("Study")}

    def designs_of(study: URIRef) -> frozenset[str]:
        types = graph.objects(study, RDF.type)
        return frozenset(study_classes[t] for t in types if t in study_classes)

    for triple in level_triples(fact_studies(graph, RDFLIB), designs_of, RDFLIB):
        out.add(triple)
    return out


def level_triples(
    facts: Iterable[tuple[T, T]], designs_of: Callable[[T], frozenset[str]], terms: Terms[T]
) -> Iterator[tuple[T, T, T]]:
    """The rank of every level, then each fact's design and level from its study's designs.

    ``terms`` spells the terms (rdflib objects or N-Triples text), as the facts are spelled.
    """
    v = vocabulary()
    rank_p = terms.iri(v.iri("evidenceRank"))
    for level_id, rank in sorted({(lvl, r) for _, lvl, r in (*LEVEL_OF_DESIGN, UNSPECIFIED)}):
        yield terms.iri(v.iri(level_id)), rank_p, terms.integer(rank)
    design_p, level_p = terms.iri(v.iri("studyDesign")), terms.iri(v.iri("evidenceLevel"))
    for fact, study in facts:
        design, level = _level_terms(designs_of(study), terms)
        yield fact, design_p, design
        yield fact, level_p, level


@cache
def _level_terms(design_ids: frozenset[str], terms: Terms[T]) -> tuple[T, T]:
    """The design and level terms of the strongest design among ``design_ids``."""
    design, level, _ = _level(design_ids)
    v = vocabulary()
    return terms.iri(v.iri(design)), terms.iri(v.iri(level))


def fact_studies(triples: Iterable[tuple[T, T, T]], terms: Terms[T]) -> list[tuple[T, T]]:
    """(measurement or association, its study) for every fact in ``triples``.

    Reads any iterable of triples (an rdflib graph or the streaming build's list) whose
    terms ``terms`` spells, so the in-memory and streaming builds derive levels the same way.
    """
    v = vocabulary()
    names = ("measuredIn", "populationOf", "fromReport", "reportsStudy")
    wanted = {terms.iri(v.iri(p)): p for p in names}
    links: dict[str, dict[T, T]] = {p: {} for p in names}
    for s, p, o in triples:
        name = wanted.get(p)
        if name is not None:
            links[name][s] = o
    report_of = {
        **{m: links["populationOf"].get(pop) for m, pop in links["measuredIn"].items()},
        **links["fromReport"],
    }
    return [
        (fact, links["reportsStudy"].get(report))  # type: ignore[misc]
        for fact, report in report_of.items()
    ]
