"""Disagreements between reviews, made part of the graph.

When two reviews give one study's outcome different figures, both measurements stay and the
build adds a ``bclm:ReportConflict`` naming the pair. Templates, ``bclm-kg conflicts`` and
anyone who merges the graph then see the same conflicts without re-deriving them, and the
rule that finds them (``conflicts.rq``) lives in one place.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary

DATA = Namespace(PREFIXES["bclmd"])


def _query() -> str:
    return resources.files(__package__).joinpath("conflicts.rq").read_text(encoding="utf-8")


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def conflict_iri(study: URIRef, first: URIRef, second: URIRef) -> URIRef:
    """A stable IRI per pair: the study's local id and a short hash of the two measurements."""
    digest = hashlib.sha256(f"{first} {second}".encode()).hexdigest()[:12]
    return DATA[f"conflict/{str(study).rsplit('/', 1)[-1]}/{digest}"]


def conflict_graph(graph: Graph) -> Graph:
    """The ``bclm:ReportConflict`` nodes of every disagreeing measurement pair in ``graph``."""
    return conflict_graph_from_store(_store(graph))


def conflict_graph_from_store(store: ox.Store) -> Graph:
    """The same, for a graph already in an Oxigraph store (the streaming build)."""
    v, out = vocabulary(), Graph()
    for row in store.query(_query()):  # type: ignore[union-attr]
        study, first, second = (URIRef(row[name].value) for name in ("study", "ma", "mb"))
        node = conflict_iri(study, first, second)
        out.add((node, RDF.type, v.iri("ReportConflict")))
        out.add((node, v.iri("conflictAbout"), study))
        out.add((node, v.iri("firstMeasurement"), first))
        out.add((node, v.iri("secondMeasurement"), second))
        label = (
            f"{row['study_label'].value}: {row['outcome'].value} differs between "
            f"{row['file_a'].value} and {row['file_b'].value}"
        )
        out.add((node, RDFS.label, Literal(label)))
    return out
