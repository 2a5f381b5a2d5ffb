"""Every RDF export re-parses to a graph isomorphic to the built one, byte-identically."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.graph_formats import serialize_graph

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "owl": "xml"}


@pytest.fixture(scope="module")
def built_graph(built: BuildResult) -> Graph:
    return Graph().parse(built.graph_path, format="turtle")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "owl"])
def test_round_trip_is_isomorphic_and_deterministic(
    built: BuildResult, built_graph: Graph, fmt: str
):
    data = serialize_graph(built.graph_path, fmt)
    assert data == serialize_graph(built.graph_path, fmt)
    parsed = Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])
    assert len(parsed) == len(built_graph)
    assert isomorphic(parsed, built_graph)


def test_jsonld_uses_a_compact_context(built: BuildResult):
    document = json.loads(serialize_graph(built.graph_path, "jsonld"))
    assert document["@context"]["bclmd"] == "https://w3id.org/bclm-kg/data/"
    meloni = next(n for n in document["@graph"] if n["@id"] == "bclmd:study/meloni-2009-radiology")
    assert meloni["bclm:firstAuthor"] == [{"@value": "Meloni"}]
    assert meloni["rdf:type"] == [{"@id": "bclm:Study"}]


def test_ntriples_lines_are_sorted(built: BuildResult):
    lines = serialize_graph(built.graph_path, "nt").decode().splitlines()
    assert lines == sorted(lines)
