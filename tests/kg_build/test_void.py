"""The dataset describes itself (VoID + DCAT) with counts that match the graph."""

from __future__ import annotations

from rdflib import DCAT, DCTERMS, RDF, VOID, Graph, URIRef

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.kg_build.void import DATASET, DCAT_VERSION

DATA = "https://w3id.org/bclm-kg/data/"


def test_description_counts_the_graph_it_is_part_of(built: BuildResult):
    graph = Graph().parse(built.graph_path, format="turtle")
    count = lambda p: int(graph.value(DATASET, p))  # noqa: E731
    assert count(VOID.triples) == len(graph) == built.triples
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(DATA)}
    assert count(VOID.entities) == len(subjects)
    assert count(VOID.classes) == len(set(graph.objects(None, RDF.type)))
    assert count(VOID.properties) == len(set(graph.predicates()))


def test_description_names_licence_endpoint_sources_and_examples(built: BuildResult):
    graph = Graph().parse(built.graph_path, format="turtle")
    assert set(graph.objects(DATASET, RDF.type)) == {VOID.Dataset, DCAT.Dataset}
    assert graph.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:8000/sparql")
    assert str(graph.value(DATASET, DCAT_VERSION)) == "0.1.0"
    assert sorted(str(s) for s in graph.objects(DATASET, DCTERMS.source)) == [
        f"{DATA}source/00{i}" for i in range(5)
    ]
    examples = set(graph.objects(DATASET, VOID.exampleResource))
    assert URIRef(f"{DATA}study/meloni-2009-radiology") in examples
    assert all((e, RDF.type, None) in graph for e in examples)
