"""Disagreements between reviews, made part of the graph.

When two reviews give one study's outcome different figures, both measurements stay and the
build adds a ``bclm:ReportConflict`` naming the pair. Templates, ``bclm-kg conflicts`` and
anyone who merges the graph then see the same conflicts without re-deriving them, and the
rule that finds them (``conflicts.rq``) lives in one place.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Collection, Iterable
from importlib import resources

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary
from .terms import NTRIPLES

TextTriple = tuple[str, str, str]  # N-Triples terms (``terms.NTRIPLES``)
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


def conflict_candidates(
    triples: Collection[TextTriple], studies: Collection[str], buckets: int
) -> list[list[TextTriple]]:
    """The triples ``conflicts.rq`` reads about ``studies`` (N-Triples terms, ``NTRIPLES``),
    split into ``buckets`` lists by study (``study_bucket``).

    The rule pairs measurements of two reports of one study, so only studies reported in at
    least two files can have conflicts. The streaming build collects, per file, what the rule
    reads about those studies (the study, its reports and their source documents, the
    reports' populations and their measurements) and runs the rule on that alone with the
    ontology (labels of outcome types, units and comparators), a bucket of studies at a time
    in an in-memory store: on the whole graph in the on-disk store the plan starts from every
    arm, and each lookup costs several times more. The rule itself stays in ``conflicts.rq``.
    A source document's triples go to every bucket.
    """
    v = vocabulary()
    reports_study = NTRIPLES.iri(v.iri("reportsStudy"))
    reports = {s: o for s, p, o in triples if p == reports_study and o in studies}
    populations = _linked(triples, v.iri("populationOf"), reports)
    owner = {**reports, **populations, **_linked(triples, v.iri("measuredIn"), populations)}
    reported_in = NTRIPLES.iri(v.iri("reportedIn"))
    documents = {o for s, p, o in triples if p == reported_in and s in reports}
    out: list[list[TextTriple]] = [[] for _ in range(buckets)]
    for triple in triples:
        subject = triple[0]
        if subject in owner or subject in studies:
            out[study_bucket(owner.get(subject, subject), buckets)].append(triple)
        elif subject in documents:
            for bucket in out:
                bucket.append(triple)
    return out


def study_bucket(study: str, buckets: int) -> int:
    """A study's bucket, the same in every process and run (``hash()`` is salted)."""
    return zlib.crc32(study.encode()) % buckets


def _linked(
    triples: Iterable[TextTriple], predicate: str, study_of: dict[str, str]
) -> dict[str, str]:
    """Subject -> study, for the ``predicate`` triples whose object has a study."""
    p = NTRIPLES.iri(predicate)
    return {s: study_of[o] for s, q, o in triples if q == p and o in study_of}
