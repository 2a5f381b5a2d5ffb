"""The build: evidence files -> validated, reasoned RDF graph in ``build/bclm-kg.ttl``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import RDF, Graph

from ..ontology.build import ontology_graph
from ..ontology.mappings import mapping_triples
from ..ontology.rdfio import atomic_write_bytes, canonical_turtle
from ..ontology.vocab import vocabulary
from .check import errors, quality_report
from .conflicts import conflict_graph
from .corpus import load_corpus, locate_corpus
from .errors import BuildError
from .evidence import EVIDENCE_DIR, evidence_files, load_evidence, verify_spans
from .levels import evidence_levels
from .reasoning import Reasoner, infer
from .shapes import check_shapes
from .triples import evidence_graph
from .void import dataset_description

GRAPH_FILE = "bclm-kg.ttl"
COUNTED_CLASSES = (
    "SourceDocument",
    "Study",
    "StudyReport",
    "StudyArm",
    "Subgroup",
    "OutcomeMeasurement",
    "PrognosticAssociation",
    "MechanismStatement",
    "EvidenceSpan",
    "MolecularSubtype",
    "ReportConflict",
)


@dataclass(frozen=True)
class BuildResult:
    graph_path: Path
    triples: int
    counts: dict[str, int]
    corpus: Path | None
    spans_checked: int
    reasoner: str
    inferred: int


def build_graph(
    evidence_dir: Path = EVIDENCE_DIR,
    corpus_dir: Path | None = None,
    reasoner: Reasoner = "auto",
    use_corpus: bool = True,
) -> tuple[Graph, BuildResult]:
    """Load, verify, convert, validate and reason; return the graph and a summary."""
    corpus_path = locate_corpus(corpus_dir) if use_corpus else None
    corpus = load_corpus(corpus_path) if corpus_path else None
    loaded = load_evidence(evidence_files(evidence_dir))
    spans = sum(verify_spans(e, corpus) for e in loaded) if corpus else 0
    data, index = evidence_graph(loaded, corpus)
    graph = ontology_graph()
    graph += data
    for triple in mapping_triples():
        graph.add(triple)
    graph += evidence_levels(graph)
    check_shapes(graph, index)
    inferred, used = infer(graph, reasoner)
    graph += inferred
    graph += conflict_graph(graph)
    graph += dataset_description(graph)
    _fail_on_quality_errors(graph)
    summary = BuildResult(
        Path(), len(graph), class_counts(graph), corpus_path, spans, used, len(inferred)
    )
    return graph, summary


def _fail_on_quality_errors(graph: Graph) -> None:
    found = errors(quality_report(graph))
    if found:
        shown = "; ".join(f"{f.subject} {f.message} ({f.check})" for f in found[:5])
        raise BuildError(f"quality check failed with {len(found)} errors: {shown}")


def class_counts(graph: Graph) -> dict[str, int]:
    """Number of distinct individuals per core class, subclasses included."""
    v, counts = vocabulary(), {}
    for class_id in COUNTED_CLASSES:
        members = {v.iri(c) for c in v.subclasses(class_id)}
        counts[class_id] = len({s for s, o in graph.subject_objects(RDF.type) if o in members})
    return counts


def build(
    out_dir: Path,
    evidence_dir: Path = EVIDENCE_DIR,
    corpus_dir: Path | None = None,
    reasoner: Reasoner = "auto",
    use_corpus: bool = True,
    log: Callable[[str], None] = print,
) -> BuildResult:
    """Build and write ``out_dir/bclm-kg.ttl`` atomically; nothing is written on failure."""
    graph, summary = build_graph(evidence_dir, corpus_dir, reasoner, use_corpus)
    path = out_dir / GRAPH_FILE
    atomic_write_bytes(path, canonical_turtle(graph))
    result = replace(summary, graph_path=path)
    _report(result, log)
    return result


def _report(result: BuildResult, log: Callable[[str], None]) -> None:
    if result.corpus is None:
        log(
            "corpus not found: spans were NOT checked and no quotes were attached "
            "(use --corpus DIR or BCLM_CORPUS)"
        )
    else:
        log(f"corpus {result.corpus}: {result.spans_checked} spans verified")
    if result.reasoner == "owlrl":
        log("Java not found: HermiT skipped; subtype memberships inferred with owlrl (OWL 2 RL)")
    elif result.reasoner == "none":
        log("reasoning skipped: no inferred triples")
    else:
        log(f"HermiT: consistent; {result.inferred} inferred triples materialised")
    for class_id, count in result.counts.items():
        log(f"  {class_id:<24}{count:>6}")
    log(f"wrote {result.graph_path} ({result.triples} triples)")
