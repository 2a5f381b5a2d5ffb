"""Materialise what a reasoner infers, so that plain SPARQL on any store sees it.

HermiT (through owlready2, on Java) checks that ontology plus data is consistent and
classifies every individual; we keep the inferred types of data individuals and the
inferred subclass links between named classes. Without Java, the OWL 2 RL rules of
owlrl derive the molecular-subtype memberships, which is what the data relies on.
"""

from __future__ import annotations

import io
import shutil
from typing import Literal

import owlready2 as owl
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary
from .errors import BuildError

Reasoner = Literal["auto", "hermit", "owlrl", "none"]
DATA_NS = PREFIXES["bclmd"]


def java_available() -> bool:
    return shutil.which(owl.JAVA_EXE) is not None


def infer(graph: Graph, reasoner: Reasoner = "auto") -> tuple[Graph, str]:
    """The inferred triples to add to ``graph``, and the name of the reasoner that ran."""
    if reasoner == "none":
        return Graph(), "none"
    if reasoner == "hermit" or (reasoner == "auto" and java_available()):
        if not java_available():
            raise BuildError(
                "HermiT needs Java (java on PATH); install Java 17 or use --reasoner owlrl"
            )
        return _keep_new(graph, _hermit(graph)), "hermit"
    return _keep_new(graph, _owlrl_subtypes(graph)), "owlrl"


def _keep_new(asserted: Graph, candidates: set[tuple]) -> Graph:
    """Inferred types of data individuals and subclass links between named classes."""
    classes = {vocabulary().iri(t.id) for t in vocabulary().of_kind("class")}
    out = Graph()
    for s, p, o in candidates:
        if (s, p, o) in asserted or o not in classes:
            continue
        is_type = p == RDF.type and isinstance(s, URIRef) and str(s).startswith(DATA_NS)
        is_subclass = p == RDFS.subClassOf and s in classes and s != o
        if is_type or is_subclass:
            out.add((s, p, o))
    return out


def _hermit(graph: Graph) -> set[tuple]:
    world = owl.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology(DATA_NS).load(fileobj=io.BytesIO(data), format="ntriples")
    before = set(world.as_rdflib_graph())
    try:
        with world.get_ontology(DATA_NS):
            owl.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owl.OwlReadyInconsistentOntologyError:
        raise BuildError("HermiT found the ontology and data inconsistent") from None
    except owl.OwlReadyJavaError as error:
        raise BuildError(f"HermiT failed to run: {error}") from None
    return set(world.as_rdflib_graph()) - before


def _owlrl_subtypes(graph: Graph) -> set[tuple]:
    """OWL 2 RL closure over the ontology and population statuses only (it is slow)."""
    import owlrl

    v = vocabulary()
    populations = set(graph.subjects(v.iri("hasBiomarkerStatus"), None))
    sub = Graph()
    for s, p, o in graph:
        if not str(s).startswith(DATA_NS) or (
            s in populations and p in (RDF.type, v.iri("hasBiomarkerStatus"))
        ):
            sub.add((s, p, o))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(sub)
    subtypes = {v.iri(c) for c in v.subclasses("MolecularSubtype")}
    return {
        (s, RDF.type, o)
        for s, o in sub.subject_objects(RDF.type)
        if s in populations and o in subtypes and o != OWL.Thing
    }
