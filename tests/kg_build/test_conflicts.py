"""Disagreements between reviews are recorded in the graph as bclm:ReportConflict nodes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.kg_build.conflicts import conflict_graph, conflict_iri
from tests.conftest import needs_corpus

DATA = "https://w3id.org/bclm-kg/data/"
QUERY = """PREFIX bclm: <https://w3id.org/bclm-kg/>
SELECT ?study ?first ?second WHERE {
  ?c a bclm:ReportConflict ; bclm:conflictAbout ?study ;
     bclm:firstMeasurement ?first ; bclm:secondMeasurement ?second .
} ORDER BY ?study ?first ?second"""


@pytest.fixture(scope="module")
def conflicts(built: BuildResult) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.bulk_load(path=str(built.graph_path), format=ox.RdfFormat.TURTLE)
    return [
        tuple(term.value.removeprefix(DATA).removeprefix("measurement/") for term in row)  # type: ignore[union-attr]
        for row in store.query(QUERY)  # type: ignore[union-attr]
    ]


@needs_corpus
def test_every_disagreement_is_one_node_with_both_measurements(conflicts):
    assert conflicts == [
        ("study/fendler-2016-j-nucl-med",
         "001/t2-fendler-2016-ref34/tare/m1", "003/fendler-2016-ref23/tare/m2"),
        ("study/gordon-2014-j-vasc-interv-radiol",
         "001/t2-gordon-2014-ref66/tare/m1", "003/gordon-2014-ref24/tare/m2"),
        ("study/haug-2012-j-nucl-med",
         "001/t2-haug-2012-ref39/tare/m1", "004/haug-2012-ref76/sirt/m1"),
        ("study/jakobs-2009-cardiovasc-intervent-radiol",
         "001/t1-jakobs-2008-ref33/rfa/m1", "003/jakobs-2009-ref10/rfa/m2"),
        ("study/livraghi-2001-radiology",
         "003/livraghi-2001-ref13/mwa/m1", "004/livraghi-2001-ref64/rfa/m1"),
        ("study/meloni-2009-radiology",
         "001/t1-meloni-2009-ref23/rfa/m1", "003/meloni-2009-ref7/rfa/m1"),
        ("study/meloni-2009-radiology",
         "001/t1-meloni-2009-ref23/rfa/m2", "003/meloni-2009-ref7/rfa/m2"),
        ("study/meloni-2009-radiology",
         "001/t1-meloni-2009-ref23/rfa/m2", "004/meloni-2009-ref68/rfa/m1"),
    ]  # fmt: skip


def test_conflict_iris_are_stable_and_name_the_study():
    iri = conflict_iri(
        URIRef(f"{DATA}study/meloni-2009-radiology"), URIRef("urn:a"), URIRef("urn:b")
    )
    assert iri == URIRef(f"{DATA}conflict/meloni-2009-radiology/93cab333ad93")


def test_two_reviews_with_different_figures_make_one_labelled_conflict():
    graph = Graph().parse(data=_two_reviews(value_b="29.9"), format="turtle")
    added = conflict_graph(graph)
    nodes = set(added.subjects())
    assert len(nodes) == 1
    label = added.value(nodes.pop(), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert label == Literal("S 2009: median OS differs between 001.txt and 003.txt")


def test_agreeing_reviews_make_no_conflict():
    graph = Graph().parse(data=_two_reviews(value_b="42"), format="turtle")
    assert len(conflict_graph(graph)) == 0


def _two_reviews(value_b: str) -> str:
    sides = []
    for side, file, value in (("a", "001.txt", "42"), ("b", "003.txt", value_b)):
        sides.append(f"""
ex:doc{side} bclm:fileName "{file}" .
ex:r{side} bclm:reportsStudy ex:s ; bclm:reportedIn ex:doc{side} .
ex:arm{side} a bclm:StudyArm ; bclm:populationOf ex:r{side} ; bclm:hasModality bclm:Rfa .
ex:m{side} bclm:measuredIn ex:arm{side} ; bclm:outcomeType bclm:MOS ; bclm:value {value} ;
    bclm:unit bclm:Month .""")
    return (
        "@prefix bclm: <https://w3id.org/bclm-kg/> .\n@prefix ex: <urn:ex:> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ex:s rdfs:label "S 2009" .\nbclm:MOS rdfs:label "median OS" .\n'
        'bclm:Month rdfs:label "month" .\n' + "".join(sides)
    )
