"""The streaming build and the synthetic evidence generator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic

from bclm_kg.kg_build import stream
from bclm_kg.kg_build.build import BuildResult
from bclm_kg.kg_build.conflicts import conflict_graph_from_store
from bclm_kg.kg_build.errors import EvidenceError
from bclm_kg.kg_build.evidence import evidence_files, load_evidence
from bclm_kg.kg_build.stream import NT_FILE, STORE_DIR, stream_build
from bclm_kg.kg_build.synth import learn_profile, review_count, synthesize, write_synthetic
from tests.conftest import CORPUS, fixture_evidence, needs_corpus, needs_java, write_evidence

QUIET = {"log": lambda _: None}
CONFLICT = URIRef("https://w3id.org/bclm-kg/ReportConflict")


def _values(graph: Graph) -> Graph:
    """The graph with decimals by value: Turtle writes 3 as 3.0, N-Triples keeps 3."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(str(Decimal(str(o)).normalize()), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


@needs_corpus
@needs_java
def test_streaming_build_gives_the_in_memory_graph(built: BuildResult, tmp_path: Path):
    result = stream_build(tmp_path, Path("kg_build/evidence"), CORPUS, **QUIET)
    assert (result.ntriples, result.store) == (tmp_path / NT_FILE, tmp_path / STORE_DIR)
    assert (result.triples, result.files, result.reasoner, result.inferred) == (
        built.triples, 5, "hermit", 12
    )  # fmt: skip
    streamed = _values(Graph().parse(result.ntriples, format="nt"))
    in_memory = _values(Graph().parse(built.graph_path, format="turtle"))
    assert to_isomorphic(streamed) == to_isomorphic(in_memory)
    store = ox.Store.read_only(str(result.store))
    assert len(store) == built.triples
    assert not list(tmp_path.glob(".stream-build*"))


def _stream_error(tmp_path: Path, data: dict) -> EvidenceError:
    """The error of a streaming build of ``data`` as the only evidence file."""
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    write_evidence(evidence, data)
    with pytest.raises(EvidenceError) as error:
        stream_build(tmp_path / "out", evidence, use_corpus=False, reasoner="none", **QUIET)
    return error.value


def test_streaming_build_names_file_record_and_field(tmp_path: Path):
    data = fixture_evidence()
    data["reports"][0]["arms"][0]["measurements"][1]["value"] = 145
    assert str(_stream_error(tmp_path, data)) == (
        "fixture.yaml: record 'r1/arm/m2', field 'value': SHACL: a percentage must lie "
        "between 0 and 100, got 145"
    )
    assert not (tmp_path / "out" / NT_FILE).exists()
    assert not (tmp_path / "out" / STORE_DIR).exists()


@pytest.fixture(scope="module")
def profile():
    return learn_profile(load_evidence(evidence_files()))


def test_profile_is_learned_from_the_curated_evidence(profile):
    assert (len(profile.measurements), len(profile.associations)) == (314, 50)
    assert max(profile.reports_per_study) == 6
    assert len(profile.arm_sizes) == 69


def test_synthetic_evidence_is_deterministic_and_valid(profile, tmp_path: Path):
    first = write_synthetic(1500, 3, tmp_path / "a", profile)
    again = write_synthetic(1500, 3, tmp_path / "b", profile)
    assert [p.name for p in first] == ["s00000_synthetic.yaml", "s00001_synthetic.yaml"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    loaded = load_evidence(first)  # the curated schema and cross-file checks
    studies = {s.id for e in loaded for s in e.content.studies}
    assert len(studies) == 1500
    reports = [r for e in loaded for r in e.content.reports]
    assert len(reports) == 2002  # 502 studies are reported by both reviews


def test_synthetic_studies_spread_over_reviews(profile):
    assert review_count(1) == 2 and review_count(1000) == 2 and review_count(1001) == 2
    assert review_count(2001) == 3 and review_count(1_000_000) == 1000
    files = [name for name, _ in synthesize(2500, 1, profile)]
    assert files == ["s00000_synthetic.txt", "s00001_synthetic.txt", "s00002_synthetic.txt"]


def test_synthetic_build_has_conflicts(profile, tmp_path: Path):
    write_synthetic(400, 11, tmp_path / "evidence", profile)
    result = stream_build(
        tmp_path / "out", tmp_path / "evidence", use_corpus=False, reasoner="none", **QUIET
    )
    store = ox.Store.read_only(str(result.store))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/bclm-kg/ReportConflict> }"
    conflicts = int(next(iter(store.query(query)))["n"].value)  # type: ignore[call-overload]
    assert (conflicts, result.triples) == (38, 41543)


def test_conflicts_by_bucket_are_the_rule_over_the_whole_graph(
    profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The build runs the rule on candidates, 7 shared studies a bucket here; the same rule
    over the whole built graph finds the same conflicts."""
    write_synthetic(400, 11, tmp_path / "evidence", profile)
    monkeypatch.setattr(stream, "STUDIES_PER_BUCKET", 7)
    result = stream_build(
        tmp_path / "out", tmp_path / "evidence", use_corpus=False, reasoner="none", **QUIET
    )
    graph = Graph().parse(result.ntriples, format="nt")
    built = Graph()
    for conflict in graph.subjects(RDF.type, CONFLICT):
        for p, o in graph.predicate_objects(conflict):
            built.add((conflict, p, o))
    whole = conflict_graph_from_store(ox.Store.read_only(str(result.store)))
    assert len(built) == 38 * 5
    assert set(built) == set(whole)


def _arm(data: dict) -> dict:
    return data["reports"][0]["arms"][0]


def _grade(data: dict) -> None:
    _arm(data)["measurements"][1]["grade_min"] = 7


MUTATIONS = {
    "negative n": lambda d: _arm(d).__setitem__("n", -5),
    "percent over 100": lambda d: _arm(d)["measurements"][1].__setitem__("value", 145),
    "year 1820": lambda d: d["studies"][0].__setitem__("year", 1820),
    "grade 7": _grade,
    "two errors": lambda d: (_arm(d).__setitem__("n", 0), _grade(d)),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_shapes_as_queries_give_pyshacls_verdicts(mutation: str, tmp_path: Path):
    """The streaming build reads the shapes as SPARQL; its errors are pyshacl's, word for word."""
    from bclm_kg.kg_build.build import build_graph

    data = fixture_evidence()
    MUTATIONS[mutation](data)
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    write_evidence(evidence, data)
    with pytest.raises(EvidenceError) as by_pyshacl:
        build_graph(evidence, use_corpus=False, reasoner="none")
    with pytest.raises(EvidenceError) as by_query:
        stream_build(tmp_path / "out", evidence, use_corpus=False, reasoner="none", **QUIET)
    assert str(by_query.value) == str(by_pyshacl.value)
    assert "SHACL" in str(by_query.value)


def test_workers_give_the_same_bytes_as_one_process(profile, tmp_path: Path):
    write_synthetic(2500, 5, tmp_path / "evidence", profile)
    outputs, counts = [], []
    for workers in (1, 2):
        result = stream_build(
            tmp_path / f"out{workers}", tmp_path / "evidence", use_corpus=False,
            reasoner="none", workers=workers, **QUIET,
        )  # fmt: skip
        outputs.append(result.ntriples.read_bytes())
        counts.append((result.files, result.triples))
    assert outputs[0] == outputs[1]
    # Lines repeat where two reviews declare one study; the store holds each triple once.
    assert (outputs[0].count(b"\n"), counts) == (284000, [(3, 278490), (3, 278490)])
    assert not list((tmp_path / "out2").glob(".stream-build*"))


def test_a_worker_error_names_file_record_and_field(tmp_path: Path):
    good, bad = fixture_evidence(), fixture_evidence()
    bad["source"]["file"] = "other.txt"
    bad["studies"][0]["id"] = "another-study"
    bad["reports"][0]["study"] = "another-study"
    _arm(bad)["n"] = 0
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    write_evidence(evidence, good, "a.yaml")
    write_evidence(evidence, bad, "b.yaml")
    with pytest.raises(EvidenceError) as error:
        stream_build(
            tmp_path / "out", evidence, use_corpus=False, reasoner="none", workers=2, **QUIET
        )
    assert (error.value.file, error.value.record, error.value.field) == ("b.yaml", "r1/arm", "n")
    assert not (tmp_path / "out" / NT_FILE).exists()
    assert not list((tmp_path / "out").glob(".stream-build*"))


def test_the_streaming_build_refuses_drafts(tmp_path: Path):
    data = fixture_evidence()
    _arm(data)["measurements"][0]["draft"] = True
    assert str(_stream_error(tmp_path, data)) == (
        "fixture.yaml: record 'r1/arm/m1', field 'draft': draft record in curated evidence; "
        "accept it with 'bclm-kg curate accept'"
    )
