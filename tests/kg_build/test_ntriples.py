"""N-Triples without an rdflib graph: escapes, blank node labels, order, repeats."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

from bclm_kg.kg_build.ntriples import TripleList, canonical_ntriples, ntriples

A, B = URIRef("https://example.org/a"), URIRef("https://example.org/b")


def test_literals_are_escaped_as_the_grammar_requires():
    lines = ntriples([
        (A, RDFS.label, Literal('say "hi"\nback\\slash\r', lang="en")),
        (A, RDFS.comment, Literal("café")),
        (A, RDF.value, Literal("3.50", datatype=XSD.decimal)),
    ])  # fmt: skip
    assert lines.decode("utf-8").splitlines() == [
        "<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"say \\"hi\\"\\nback\\\\slash\\r"@en .',
        '<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#comment> "café" .',
        "<https://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "
        '"3.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
    ]
    parsed = Graph().parse(data=lines, format="nt")
    assert parsed.value(A, RDFS.label) == Literal('say "hi"\nback\\slash\r', lang="en")


def test_blank_nodes_are_named_in_order_of_first_use():
    first, second = BNode(), BNode()
    lines = ntriples([(A, RDF.value, second), (second, RDF.value, first)], blank_prefix="x")
    assert lines.decode() == (
        "<https://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> _:x0 .\n"
        "_:x0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> _:x1 .\n"
    )


def test_triple_list_keeps_first_order_and_drops_repeats():
    triples = TripleList()
    for triple in [(B, RDF.type, A), (A, RDF.type, B), (B, RDF.type, A)]:
        triples.add(triple)
    assert list(triples) == [(B, RDF.type, A), (A, RDF.type, B)]
    assert len(triples) == 2


def _graph_with_blanks() -> Graph:
    graph = Graph()
    restriction = BNode()
    graph.add((A, RDFS.subClassOf, restriction))
    graph.add((restriction, RDF.type, B))
    graph.add((B, RDFS.label, Literal("b")))
    return graph


def test_canonical_form_gives_the_same_bytes_for_fresh_blank_nodes():
    first = canonical_ntriples(_graph_with_blanks(), "o")
    again = canonical_ntriples(_graph_with_blanks(), "o")
    assert first == again
    lines = first.decode().splitlines()
    assert lines == sorted(lines) and len(lines) == 3
    assert sum(line.count("_:o") for line in lines) == 2
