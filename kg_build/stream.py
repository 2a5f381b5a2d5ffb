"""The build for large inputs: one evidence file at a time, straight to N-Triples and disk.

The in-memory build (``build.py``) holds the whole graph in rdflib and asks HermiT about
every individual; neither scales past a few thousand studies. This build keeps memory to
one evidence file plus a few indexes:

1. a first pass reads every file's study declarations and checks cross-file identity;
2. a second pass converts each file to triples, checks the SHACL shapes against it and
   the ontology (read as SPARQL queries, answered by an in-memory Oxigraph store: pyshacl
   takes hours at this size; errors still name file, record and field) and appends the
   N-Triples;
3. HermiT classifies one representative per distinct combination of a population's
   asserted types and biomarker statuses, the only facts the subtype definitions read,
   and the answer is copied to every population with that combination;
4. the N-Triples are bulk-loaded into an on-disk Oxigraph store, where the report
   conflicts and the VoID counts are computed with SPARQL.

On the curated evidence it yields the same set of triples as the in-memory build (a test
compares them).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from ..ontology.build import ontology_graph
from ..ontology.mappings import mapping_triples
from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary
from .conflicts import conflict_graph_from_store
from .corpus import Corpus, load_corpus, locate_corpus
from .evidence import (
    Evidence,
    StudyRegistry,
    check_report_references,
    evidence_files,
    load_evidence_file,
    verify_spans,
)
from .levels import evidence_levels
from .reasoning import Reasoner, infer
from .shapes import check_shapes_by_query
from .triples import evidence_graph
from .void import EXAMPLES, Counts, describe

NT_FILE = "bclm-kg.nt"
STORE_DIR = "store"
Triple = tuple[URIRef, URIRef, object]
Signature = tuple[frozenset[URIRef], frozenset[URIRef]]


@dataclass(frozen=True)
class StreamResult:
    ntriples: Path
    store: Path
    triples: int
    files: int
    reasoner: str
    inferred: int
    seconds: float


def _nt_lines(triples: Iterable[Triple]) -> bytes:
    graph = Graph()
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    return graph.serialize(format="nt", encoding="utf-8")


class _Populations:
    """Populations that have biomarker statuses, grouped by what the reasoner reads."""

    def __init__(self) -> None:
        self.by_signature: dict[Signature, list[URIRef]] = {}
        self.status = vocabulary().iri("hasBiomarkerStatus")

    def collect(self, graph: Graph) -> None:
        for population in set(graph.subjects(self.status, None)):
            signature = (
                frozenset(graph.objects(population, RDF.type)),
                frozenset(graph.objects(population, self.status)),
            )
            self.by_signature.setdefault(signature, []).append(population)  # type: ignore[arg-type]

    def inferred(self, ontology: Graph, reasoner: Reasoner) -> tuple[list[Triple], str]:
        """HermiT (or owlrl) over the ontology and one representative per signature."""
        graph = ontology + Graph()
        representatives: dict[URIRef, Signature] = {}
        for k, signature in enumerate(sorted(self.by_signature, key=_signature_key)):
            rep = URIRef(f"{PREFIXES['bclmd']}signature/{k}")
            representatives[rep] = signature
            types, statuses = signature
            for t in types:
                graph.add((rep, RDF.type, t))
            for s in statuses:
                graph.add((rep, self.status, s))
        found, used = infer(graph, reasoner)
        out: list[Triple] = []
        for s, p, o in found:
            if s in representatives:
                out += [(pop, p, o) for pop in self.by_signature[representatives[s]]]
            else:
                out.append((s, p, o))  # type: ignore[arg-type]
        return out, used


def _signature_key(signature: Signature) -> tuple[list[str], list[str]]:
    return sorted(map(str, signature[0])), sorted(map(str, signature[1]))


def stream_build(
    out_dir: Path,
    evidence_dir: Path,
    corpus_dir: Path | None = None,
    reasoner: Reasoner = "auto",
    use_corpus: bool = True,
    log: Callable[[str], None] = print,
) -> StreamResult:
    """Build ``out_dir/bclm-kg.nt`` and the store ``out_dir/store``; nothing on failure."""
    started = time.perf_counter()
    corpus_path = locate_corpus(corpus_dir) if use_corpus else None
    corpus = load_corpus(corpus_path) if corpus_path else None
    paths = evidence_files(evidence_dir)
    registry = StudyRegistry()
    for path in paths:
        registry.declare(load_evidence_file(path, fast=True))
    designs = _study_designs(registry)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / ".stream-build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        result = _build(paths, registry, designs, corpus, reasoner, work)
        final_nt, final_store = out_dir / NT_FILE, out_dir / STORE_DIR
        shutil.rmtree(final_store, ignore_errors=True)
        (work / NT_FILE).replace(final_nt)
        (work / STORE_DIR).replace(final_store)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    triples, used, inferred = result
    seconds = time.perf_counter() - started
    log(f"streamed {len(paths)} evidence files: {triples} triples in {seconds:.1f} s ({used})")
    return StreamResult(final_nt, final_store, triples, len(paths), used, inferred, seconds)


def _study_designs(registry: StudyRegistry) -> dict[str, set[str]]:
    """Every design any file gives each study: a report's evidence level reads them all."""
    designs: dict[str, set[str]] = {}
    for study_id, design in registry.designs:
        designs.setdefault(study_id, set()).add(design)
    return designs


def _build(
    paths: list[Path], registry: StudyRegistry, designs: dict[str, set[str]],
    corpus: Corpus | None, reasoner: Reasoner, work: Path,
) -> tuple[int, str, int]:  # fmt: skip
    ontology = ontology_graph()
    for triple in mapping_triples():
        ontology.add(triple)
    populations = _Populations()
    nt = work / NT_FILE
    ontology_lines = _nt_lines(ontology)
    with nt.open("wb") as sink:
        sink.write(ontology_lines)
        for path in paths:
            evidence = load_evidence_file(path, fast=True)
            check_report_references(evidence, registry.declared)
            if corpus is not None:
                verify_spans(evidence, corpus)
            sink.write(_file_triples(evidence, corpus, ontology_lines, designs, populations))
        inferred, used = populations.inferred(ontology, reasoner)
        sink.write(_nt_lines(inferred))
    store = ox.Store(str(work / STORE_DIR))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    extra = conflict_graph_from_store(store)
    extra += _description(store, extra)
    lines = _nt_lines(extra)
    with nt.open("ab") as sink:
        sink.write(lines)
    store.load(lines, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    count = len(store)
    del store
    return count, used, len(inferred)


def _file_triples(
    evidence: Evidence,
    corpus: Corpus | None,
    ontology_lines: bytes,
    designs: dict[str, set[str]],
    populations: _Populations,
) -> bytes:
    data, index = evidence_graph([evidence], corpus)
    with_designs, v = data + Graph(), vocabulary()
    for report in evidence.content.reports:  # designs other files give its studies
        study = URIRef(f"{PREFIXES['bclmd']}study/{report.study}")
        for design in designs.get(report.study, ()):
            with_designs.add((study, RDF.type, v.iri(design)))
    data += evidence_levels(with_designs)
    lines = data.serialize(format="nt", encoding="utf-8")
    checked = ox.Store()
    checked.load(ontology_lines, format=ox.RdfFormat.N_TRIPLES)
    checked.load(lines, format=ox.RdfFormat.N_TRIPLES)
    check_shapes_by_query(checked, index)
    populations.collect(data)
    return lines


COUNT_QUERY = """SELECT (COUNT(*) AS ?triples)
  (COUNT(DISTINCT ?p) AS ?properties) WHERE { ?s ?p ?o }"""
ENTITY_QUERY = """SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), "%s")) }"""
CLASS_QUERY = "SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE { ?s a ?c }"


PROBE = ox.NamedNode(f"{PREFIXES['bclmd']}probe")


def _description(store: ox.Store, pending: Graph) -> Graph:
    """The VoID/DCAT description with counts over the store plus ``pending`` and itself."""
    v, data = vocabulary(), PREFIXES["bclmd"]
    query = f"SELECT ?s WHERE {{ ?s a <{v.iri('SourceDocument')}> }}"
    sources = sorted(URIRef(row[0].value) for row in store.query(query))  # type: ignore[index, union-attr]
    examples = [
        URIRef(f"{data}{path}")
        for path in EXAMPLES
        if store.query(f"ASK {{ <{data}{path}> ?p ?o }}")
    ]
    # Counted as the in-memory build counts them: with a zero-count description in place.
    probe = pending + describe(Counts(), examples, sources)
    store.load(_nt_lines(probe), format=ox.RdfFormat.N_TRIPLES, to_graph=PROBE)
    try:
        totals = _row(store, COUNT_QUERY)
        counts = Counts(
            triples=totals["triples"],
            entities=_row(store, ENTITY_QUERY % data)["entities"],
            classes=_row(store, CLASS_QUERY)["classes"],
            properties=totals["properties"],
        )
    finally:
        store.remove_graph(PROBE)
    return describe(counts, examples, sources)


def _row(store: ox.Store, query: str) -> dict[str, int]:
    """The one row of a counting query over the default graph and the probe."""
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [variable.value for variable in solutions.variables]  # type: ignore[union-attr]
    row = next(iter(solutions))  # type: ignore[call-overload]
    return {name: int(row[name].value) for name in names}
