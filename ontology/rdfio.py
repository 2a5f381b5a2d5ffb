"""Deterministic RDF serialization and atomic file writes.

The same input must give byte-identical output, so blank nodes are relabelled by
rdflib's canonicalization before writing, prefixes are bound explicitly, and every file
is written to a temporary sibling and renamed into place: a failed run leaves the old
file, never half of a new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

PREFIXES: dict[str, str] = {
    "bclm": "https://w3id.org/bclm-kg/",
    "bclmd": "https://w3id.org/bclm-kg/data/",
    "obo": "http://purl.obolibrary.org/obo/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes carry canonical, content-derived labels."""
    plain, with_bnodes = Graph(), Graph()
    for triple in graph:
        target = with_bnodes if any(isinstance(term, BNode) for term in triple) else plain
        target.add(triple)
    # Only the triples that touch blank nodes need canonical labels; that keeps it fast.
    triples = [*plain, *(to_canonical_graph(with_bnodes) if len(with_bnodes) else ())]
    out = bind_prefixes(Graph(bind_namespaces="none"))
    # Insertion order is iteration order in rdflib's memory store; sort it.
    for triple in sorted(triples):
        out.add(triple)
    return out


def canonical_turtle(graph: Graph) -> bytes:
    return canonical(graph).serialize(format="turtle", encoding="utf-8")


def canonical_rdfxml(graph: Graph) -> bytes:
    """RDF/XML in sorted triple order, written by pyoxigraph (rdflib's order varies)."""
    triples = pyoxigraph.parse(canonical_ntriples(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=PREFIXES)


def canonical_ntriples(graph: Graph) -> bytes:
    lines = canonical(graph).serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
