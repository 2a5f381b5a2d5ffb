"""The build for large inputs: evidence files in parallel, straight to N-Triples and disk.

The in-memory build (``build.py``) holds the whole graph in rdflib and asks HermiT about
every individual; neither scales past a few thousand studies. This build keeps memory to
a few evidence files plus the study index, and spreads the work over worker processes:

1. every file is parsed and validated once (in parallel; the validated content is cached
   on disk for step 2), and its study declarations are checked across files;
2. each file is converted to triples without rdflib (the writer spells every term as
   N-Triples text, ``terms.NTRIPLES``: rdflib objects cost most of this step), given its
   evidence levels (designs from every file), checked against the SHACL shapes and the
   ontology (read as SPARQL queries, answered by an in-memory Oxigraph store: pyshacl
   takes hours at this size; errors still name file, record and field) and written as
   N-Triples, appended to the output in file order, so the result does not depend on the
   number of workers;
3. HermiT classifies one representative per distinct combination of a population's
   asserted types and biomarker statuses, the only facts the subtype definitions read,
   and the answer is copied to every population with that combination;
4. the report conflicts are found by ``conflicts.rq`` on what it reads of the studies
   that two files or more report (each worker writes that beside its file's N-Triples),
   a bucket of studies at a time in an in-memory store (``conflicts.conflict_candidates``);
5. the N-Triples are bulk-loaded into an on-disk Oxigraph store, where the VoID counts are
   computed with SPARQL.

On the curated evidence it yields the same set of triples as the in-memory build (a test
compares them).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from ..ontology.build import ontology_graph
from ..ontology.mappings import mapping_triples
from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary
from .conflicts import conflict_candidates, conflict_graph_from_store
from .corpus import Corpus, load_corpus, locate_corpus
from .evidence import (
    Evidence,
    StudyRegistry,
    check_no_drafts,
    check_report_references,
    evidence_files,
    load_evidence_file,
    verify_spans,
)
from .levels import fact_studies, level_triples
from .ntriples import TextTriple, Triple, canonical_ntriples, ntriples, text_ntriples
from .reasoning import Reasoner, infer
from .schema import Study
from .shapes import check_shapes_by_query
from .terms import NTRIPLES
from .triples import DATA, evidence_triples, study_path
from .void import EXAMPLES, Counts, describe

NT_FILE = "bclm-kg.nt"
STORE_DIR = "store"
STUDIES_PER_BUCKET = 10_000  # the conflict rule's input, ~1M triples a bucket, in memory
Signature = tuple[frozenset[URIRef], frozenset[URIRef]]
Signatures = dict[Signature, list[URIRef]]
Job = TypeVar("Job")
Answer = TypeVar("Answer")


@dataclass(frozen=True)
class StreamResult:
    ntriples: Path
    store: Path
    triples: int
    files: int
    reasoner: str
    inferred: int
    seconds: float


@dataclass(frozen=True)
class _Shared:
    """What every worker needs besides its own file; sent once per worker process."""

    declared: frozenset[str]
    designs: dict[str, frozenset[str]]  # study <IRI> -> every design any file gives it
    shared_studies: frozenset[str]  # study <IRI> reported in two files or more
    conflict_buckets: int
    corpus: Corpus | None
    ontology_lines: bytes


_shared: _Shared | None = None


def _share(shared: _Shared | None) -> None:
    global _shared
    _shared = shared


def _map(
    work: Callable[[Job], Answer], jobs: Iterable[Job], workers: int, shared: _Shared | None
) -> Iterator[Answer]:
    """``work`` over ``jobs`` in file order, in ``workers`` processes (1: in this one)."""
    if workers == 1:
        _share(shared)
        yield from map(work, jobs)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_share, initargs=(shared,)) as pool:
        yield from pool.imap(work, jobs)


def _parse(job: tuple[Path, Path]) -> tuple[str, str, list[Study], set[str]]:
    """Parse and validate one file, cache it for the second pass; its declarations and the
    studies its reports name."""
    path, cache = job
    evidence = load_evidence_file(path, fast=True)
    check_no_drafts(evidence)
    cache.write_bytes(pickle.dumps(evidence, protocol=pickle.HIGHEST_PROTOCOL))
    reported = {report.study for report in evidence.content.reports}
    return evidence.name, evidence.content.source.file, evidence.content.studies, reported


def _convert(job: tuple[Path, Path]) -> tuple[Path, Signatures]:
    """One cached file to checked N-Triples in ``part`` (and what the conflict rule reads
    of it in one ``_candidates`` file per bucket); its populations by signature."""
    cache, part = job
    shared = _shared
    assert shared is not None, "_share() runs before _convert()"
    evidence: Evidence = pickle.loads(cache.read_bytes())
    cache.unlink()
    check_report_references(evidence, shared.declared)
    if shared.corpus is not None:
        verify_spans(evidence, shared.corpus)
    data, index = evidence_triples(evidence, shared.corpus, NTRIPLES)
    no_design: frozenset[str] = frozenset()
    facts = fact_studies(data, NTRIPLES)
    for triple in level_triples(facts, lambda s: shared.designs.get(s, no_design), NTRIPLES):
        data.add(triple)
    lines = text_ntriples(data)
    checked = ox.Store()
    checked.load(shared.ontology_lines, format=ox.RdfFormat.N_TRIPLES)
    checked.load(lines, format=ox.RdfFormat.N_TRIPLES)
    check_shapes_by_query(checked, index)
    part.write_bytes(lines)
    buckets = conflict_candidates(data, shared.shared_studies, shared.conflict_buckets)
    for k, candidates in enumerate(buckets):
        _candidates(part, k).write_bytes(text_ntriples(candidates))
    return part, population_signatures(data)


def population_signatures(triples: Iterable[TextTriple]) -> Signatures:
    """Populations with biomarker statuses, grouped by their types and statuses.

    Reads N-Triples terms (``terms.NTRIPLES``); gives rdflib IRIs, which HermiT's input needs.
    """
    rdf_type = NTRIPLES.iri(str(RDF.type))
    status = NTRIPLES.iri(vocabulary().iri("hasBiomarkerStatus"))
    types: dict[str, set[str]] = {}
    statuses: dict[str, set[str]] = {}
    for s, p, o in triples:
        if p == rdf_type:
            types.setdefault(s, set()).add(o)
        elif p == status:
            statuses.setdefault(s, set()).add(o)
    out: Signatures = {}
    for population, found in statuses.items():
        signature = (_iris(types.get(population, ())), _iris(found))
        out.setdefault(signature, []).append(_iri(population))
    return out


def _iri(term: str) -> URIRef:
    """An rdflib IRI from its N-Triples term ``<...>``."""
    return URIRef(term[1:-1])


def _iris(terms: Iterable[str]) -> frozenset[URIRef]:
    return frozenset(map(_iri, terms))


def _inferred(ontology: Graph, populations: Signatures, reasoner: Reasoner) -> tuple[list, str]:
    """HermiT (or owlrl) over the ontology and one representative per signature."""
    graph, status = ontology + Graph(), vocabulary().iri("hasBiomarkerStatus")
    representatives: dict[URIRef, Signature] = {}
    for k, signature in enumerate(sorted(populations, key=_signature_key)):
        rep = URIRef(f"{PREFIXES['bclmd']}signature/{k}")
        representatives[rep] = signature
        types, statuses = signature
        for t in types:
            graph.add((rep, RDF.type, t))
        for s in statuses:
            graph.add((rep, status, s))
    found, used = infer(graph, reasoner)
    out: list[Triple] = []
    for s, p, o in found:
        if s in representatives:
            out += [(pop, p, o) for pop in populations[representatives[s]]]
        else:
            out.append((s, p, o))
    return out, used


def _graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _signature_key(signature: Signature) -> tuple[list[str], list[str]]:
    return sorted(map(str, signature[0])), sorted(map(str, signature[1]))


def stream_build(
    out_dir: Path,
    evidence_dir: Path,
    corpus_dir: Path | None = None,
    reasoner: Reasoner = "auto",
    use_corpus: bool = True,
    log: Callable[[str], None] = print,
    workers: int = 1,
) -> StreamResult:
    """Build ``out_dir/bclm-kg.nt`` and the store ``out_dir/store``; nothing on failure.

    ``workers`` processes convert evidence files in parallel; the output is the same for
    any number of them.
    """
    started = time.perf_counter()
    corpus_path = locate_corpus(corpus_dir) if use_corpus else None
    corpus = load_corpus(corpus_path) if corpus_path else None
    paths = evidence_files(evidence_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / ".stream-build"
    shutil.rmtree(work, ignore_errors=True)
    (work / "parts").mkdir(parents=True)
    try:
        result = _build(paths, corpus, reasoner, work, max(1, workers))
        final_nt, final_store = out_dir / NT_FILE, out_dir / STORE_DIR
        shutil.rmtree(final_store, ignore_errors=True)
        (work / NT_FILE).replace(final_nt)
        (work / STORE_DIR).replace(final_store)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    triples, used, inferred, phases = result
    seconds = time.perf_counter() - started
    log(f"streamed {len(paths)} evidence files: {triples} triples in {seconds:.1f} s ({used})")
    log(f"phases: {phases}")
    return StreamResult(final_nt, final_store, triples, len(paths), used, inferred, seconds)


def default_workers() -> int:
    """One worker per CPU this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _declare(
    paths: list[Path], work: Path, workers: int
) -> tuple[StudyRegistry, frozenset[str], list[Path]]:
    """First pass: every file parsed once and cached; studies checked across files. Also
    the studies (N-Triples terms) that reports of two files or more name."""
    registry, files_reporting = StudyRegistry(), Counter[str]()
    caches = [work / "parts" / f"{i:06d}.pickle" for i in range(len(paths))]
    jobs = zip(paths, caches, strict=True)
    for name, source_file, studies, reported in _map(_parse, jobs, workers, None):
        registry.declare_studies(name, source_file, studies)
        files_reporting.update(reported)
    shared = frozenset(_study_term(s) for s, files in files_reporting.items() if files > 1)
    return registry, shared, caches


def _study_term(study_id: str) -> str:
    return NTRIPLES.iri(DATA + study_path(study_id))


def _study_designs(registry: StudyRegistry) -> dict[str, frozenset[str]]:
    """Every design any file gives each study (by N-Triples term): levels read them all."""
    designs: dict[str, set[str]] = {}
    for study_id, design in registry.designs:
        designs.setdefault(_study_term(study_id), set()).add(design)
    return {study: frozenset(found) for study, found in designs.items()}


class _Phases:
    """Wall seconds per build phase, for the log: where a large build spends its time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.perf_counter()

    def done(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = now - self._mark
        self._mark = now

    def __str__(self) -> str:
        return ", ".join(f"{phase} {s:.2f} s" for phase, s in self.seconds.items())


def _build(
    paths: list[Path], corpus: Corpus | None, reasoner: Reasoner, work: Path, workers: int
) -> tuple[int, str, int, _Phases]:
    phases = _Phases()
    registry, shared_studies, caches = _declare(paths, work, workers)
    ontology = ontology_graph()
    for triple in mapping_triples():
        ontology.add(triple)
    ontology_lines = canonical_ntriples(ontology, blank_prefix="ontology")
    buckets = max(1, math.ceil(len(shared_studies) / STUDIES_PER_BUCKET))
    shared = _Shared(
        frozenset(registry.declared), _study_designs(registry), shared_studies, buckets,
        corpus, ontology_lines,
    )  # fmt: skip
    del registry
    phases.done("parse")
    nt, candidates = work / NT_FILE, [_candidates(work / "rule", k) for k in range(buckets)]
    populations = _write_parts(caches, nt, candidates, shared, workers)
    phases.done("convert")
    inferred, used = _inferred(ontology, populations, reasoner)
    with nt.open("ab") as sink:
        sink.write(canonical_ntriples(_graph(inferred), blank_prefix="inferred"))
    phases.done("reason")
    extra = _conflicts(candidates, ontology_lines)
    phases.done("conflicts")
    store = ox.Store(str(work / STORE_DIR))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    phases.done("load")
    extra += _description(store, extra)
    lines = canonical_ntriples(extra, blank_prefix="description")
    with nt.open("ab") as sink:
        sink.write(lines)
    store.load(lines, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    count = len(store)
    del store
    phases.done("describe")
    return count, used, len(inferred), phases


def _candidates(part: Path, bucket: int) -> Path:
    return part.with_suffix(f".rule-{bucket}.nt")


def _write_parts(
    caches: list[Path], nt: Path, candidates: list[Path], shared: _Shared, workers: int
) -> Signatures:
    """Second pass: the files' N-Triples to ``nt`` (after the ontology) and what the
    conflict rule reads of them to ``candidates`` (by bucket), in file order; populations by
    signature."""
    populations: Signatures = {}
    parts = [cache.with_suffix(".nt") for cache in caches]
    with ExitStack() as files:
        sink = files.enter_context(nt.open("wb"))
        rule_inputs = [files.enter_context(path.open("wb")) for path in candidates]
        sink.write(shared.ontology_lines)
        for part, signatures in _map(_convert, zip(caches, parts, strict=True), workers, shared):
            _move_into(part, sink)
            for k, rule_input in enumerate(rule_inputs):
                _move_into(_candidates(part, k), rule_input)
            for signature, found in signatures.items():
                populations.setdefault(signature, []).extend(found)
    return populations


def _move_into(part: Path, sink: BinaryIO) -> None:
    with part.open("rb") as lines:
        shutil.copyfileobj(lines, sink)
    part.unlink()


def _conflicts(candidates: list[Path], ontology_lines: bytes) -> Graph:
    """The report conflicts: ``conflicts.rq`` over each bucket of candidates and the
    ontology, in an in-memory store of their own."""
    found = Graph()
    for path in candidates:
        store = ox.Store()
        store.load(ontology_lines, format=ox.RdfFormat.N_TRIPLES)
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        found += conflict_graph_from_store(store)
        del store
        path.unlink()
    return found


COUNT_QUERY = """SELECT (COUNT(*) AS ?triples)
  (COUNT(DISTINCT ?p) AS ?properties) WHERE { ?s ?p ?o }"""
# The namespace test runs once per distinct subject, not once per triple: STR() of every
# triple's subject was most of the count's time (8 s against 2.4 s at 10k studies). A FILTER
# over the sub-select would be pushed back into it, so the test is a sum.
ENTITY_QUERY = """SELECT (SUM(IF(isIRI(?s) && STRSTARTS(STR(?s), "%s"), 1, 0)) AS ?entities)
  WHERE { { SELECT DISTINCT ?s WHERE { ?s ?p ?o } } }"""
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
    store.load(ntriples(probe, blank_prefix="probe"), format=ox.RdfFormat.N_TRIPLES, to_graph=PROBE)
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
