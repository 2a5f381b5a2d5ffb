"""Derive each fact's study design and evidence level from the study behind it.

Rank, strongest first: randomised trial, prospective study, retrospective (also case-
control, registry and pooled analyses), design not reported, a review's own summary claim.
When reviews give one study different designs, the strongest is used.
"""

from __future__ import annotations

from rdflib import RDF, XSD, Graph, Literal, URIRef

from ..ontology.vocab import vocabulary

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


def _level(design_ids: set[str]) -> tuple[str, str, int]:
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
    for level_id, rank in {(lvl, r) for _, lvl, r in (*LEVEL_OF_DESIGN, UNSPECIFIED)}:
        out.add((v.iri(level_id), v.iri("evidenceRank"), _integer(rank)))
    for fact, report in _facts_with_reports(graph):
        study = graph.value(report, v.iri("reportsStudy"))
        designs = {study_classes[t] for t in graph.objects(study, RDF.type) if t in study_classes}
        design, level, _ = _level(designs)
        out.add((fact, v.iri("studyDesign"), v.iri(design)))
        out.add((fact, v.iri("evidenceLevel"), v.iri(level)))
    return out


def _facts_with_reports(graph: Graph) -> list[tuple[URIRef, URIRef]]:
    v = vocabulary()
    pairs = []
    for measurement, population in graph.subject_objects(v.iri("measuredIn")):
        pairs.append((measurement, graph.value(population, v.iri("populationOf"))))
    for association, report in graph.subject_objects(v.iri("fromReport")):
        pairs.append((association, report))
    return pairs


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)
