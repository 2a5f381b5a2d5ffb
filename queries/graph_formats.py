"""The built graph in the RDF formats other tools read: Turtle, N-Triples, JSON-LD, RDF/XML.

Every format is written from the same sorted triples by pyoxigraph, so two exports of one
graph are byte-identical and each re-parses to a graph isomorphic to the built one. JSON-LD
gets a compact ``@context`` of the project's prefixes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from ..ontology.rdfio import PREFIXES
from .export import GraphNotBuiltError

RdfFormatName = Literal["ttl", "nt", "jsonld", "owl"]
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "owl": ox.RdfFormat.RDF_XML,
}


def sorted_triples(graph_path: Path) -> list[ox.Triple]:
    """The triples of the built graph in a fixed order (by their N-Triples text)."""
    if not graph_path.is_file():
        raise GraphNotBuiltError(graph_path)
    with graph_path.open("rb") as handle:
        triples = list(ox.parse(handle, format=ox.RdfFormat.TURTLE))
    return sorted(_stable_blank_nodes(triples), key=str)


def _stable_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Blank nodes renamed b0, b1, ... in order of first appearance in the file.

    The parser invents random labels; the built file is canonical, so its order is not.
    """
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: ox.NamedNode | ox.BlankNode | ox.Literal):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"b{len(names)}"))
        return term

    return [ox.Triple(stable(t.subject), t.predicate, stable(t.object)) for t in triples]


def serialize_graph(graph_path: Path, fmt: RdfFormatName) -> bytes:
    """The built graph in ``fmt``."""
    triples = sorted_triples(graph_path)
    if fmt == "jsonld":
        return _jsonld(triples)
    prefixes = None if fmt == "nt" else PREFIXES
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)


def _jsonld(triples: list[ox.Triple]) -> bytes:
    """JSON-LD from pyoxigraph, its IRIs shortened to CURIEs of one compact ``@context``."""
    expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    nodes = [{_curie(k): _compact_values(k, v) for k, v in node.items()} for node in expanded]
    document = {"@context": dict(sorted(PREFIXES.items())), "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


# Longest namespace first, so that data IRIs become bclmd:... rather than bclm:data/...
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def _curie(iri: str) -> str:
    if iri.startswith(("@", "_:")):
        return iri
    for prefix, namespace in _NAMESPACES:
        local = iri.removeprefix(namespace)
        # A suffix starting with "//" would read as an absolute IRI (JSON-LD 1.1, 4.1.5).
        if local != iri and local and not local.startswith("//"):
            return f"{prefix}:{local}"
    return iri


def _compact_values(key: str, value: object) -> object:
    if key == "@id":
        return _curie(str(value))
    return [
        {k: (_curie(v) if k in ("@id", "@type") else v) for k, v in item.items()}
        for item in value  # type: ignore[union-attr]
    ]
