from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from bclm_kg.kg_build.build import BuildResult, build
from tests.conftest import CORPUS, REPO, needs_corpus, needs_java

EXPECTED_COUNTS = {
    "SourceDocument": 5,
    "Study": 105,
    "StudyReport": 155,
    "StudyArm": 187,
    "Subgroup": 17,
    "OutcomeMeasurement": 340,
    "PrognosticAssociation": 101,
    "MechanismStatement": 20,
    "EvidenceSpan": 1012,
    "MolecularSubtype": 8,
    "ReportConflict": 8,
}


@needs_corpus
def test_build_counts_per_class(built: BuildResult):
    assert built.counts == EXPECTED_COUNTS
    assert built.spans_checked == 1197


@needs_corpus
@needs_java
def test_hermit_reports_consistent_and_materialises_subclass_links(built: BuildResult):
    assert built.reasoner == "hermit"
    text = built.graph_path.read_text(encoding="utf-8")
    assert "rdfs:subClassOf bclm:HormoneReceptorPositiveHER2NegativeBreastCancer" in text


@needs_corpus
def test_build_is_byte_identical_across_processes(built: BuildResult, tmp_path: Path):
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "bclm_kg", "build", "--out", str(tmp_path), "--corpus", str(CORPUS)],
        check=True,
        capture_output=True,
        env=env,
        cwd=REPO,
    )
    assert (tmp_path / "bclm-kg.ttl").read_bytes() == built.graph_path.read_bytes()


@needs_corpus
def test_pyoxigraph_parses_the_graph_with_the_same_triple_count(built: BuildResult):
    rdflib_count = len(Graph().parse(built.graph_path, format="turtle"))
    store = ox.Store()
    store.load(path=str(built.graph_path), format=ox.RdfFormat.TURTLE)
    assert len(store) == rdflib_count == built.triples


@needs_corpus
def test_quotes_are_attached_when_the_corpus_is_present(built: BuildResult):
    graph = Graph().parse(built.graph_path, format="turtle")
    rows = graph.query(
        """PREFIX bclm: <https://w3id.org/bclm-kg/>
        SELECT ?q WHERE { ?s bclm:spanStart 4696 ; bclm:spanEnd 4701 ; bclm:quote ?q }"""
    )
    assert [str(r.q) for r in rows] == ["63 mo"]


def test_build_without_corpus_works_and_says_spans_were_not_checked(tmp_path: Path):
    lines: list[str] = []
    result = build(tmp_path, use_corpus=False, reasoner="none", log=lines.append)
    assert result.spans_checked == 0
    assert lines[0].startswith("corpus not found: spans were NOT checked")
    assert 'bclm:quote "' not in result.graph_path.read_text(encoding="utf-8")
    assert result.counts["OutcomeMeasurement"] == 340


@needs_corpus
def test_the_five_source_documents_with_their_bibliographic_data(built: BuildResult):
    graph = Graph().parse(built.graph_path, format="turtle")
    rows = graph.query(
        """PREFIX bclm: <https://w3id.org/bclm-kg/>
        SELECT ?file ?author ?year ?journal ?doi WHERE {
          ?d a bclm:SourceDocument ; bclm:fileName ?file ; bclm:firstAuthor ?author ;
             bclm:publicationYear ?year ; bclm:journal ?journal .
          OPTIONAL { ?d bclm:doi ?doi }
        } ORDER BY ?file"""
    )
    assert [tuple(str(v) if v is not None else "" for v in row) for row in rows] == [
        ("000_c8aa52b1b2784241.txt", "Gordon", "2016", "Intervent Oncol 360", ""),
        (
            "001_c55962c33ca41f6d.txt",
            "Liberchuk",
            "2020",
            "Semin Intervent Radiol",
            "10.1055/s-0040-1720949",
        ),
        ("002_31baa001dd6ede9c.txt", "Bale", "2019", "Cancers (Basel)", "10.3390/cancers11091341"),
        (
            "003_a30510250b3ce168.txt",
            "Filippiadis",
            "2022",
            "Diagn Interv Radiol",
            "10.5152/dir.2022.20911",
        ),
        ("004_47dc2ef9fc666fcd.txt", "Liu", "2023", "Transl Cancer Res", "10.21037/tcr-22-2463"),
    ]


@needs_corpus
def test_mappings_are_materialised_in_the_graph(built: BuildResult):
    from rdflib import SKOS, Graph, URIRef

    graph = Graph().parse(built.graph_path, format="turtle")
    er_positive = URIRef("https://w3id.org/bclm-kg/EstrogenReceptorPositive")
    assert set(graph.objects(er_positive, SKOS.exactMatch)) == {
        URIRef("http://purl.obolibrary.org/obo/NCIT_C15492")
    }
    adam = URIRef("https://w3id.org/bclm-kg/data/study/adam-2006-ann-surg")
    assert set(graph.objects(adam, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))) == {
        URIRef("https://doi.org/10.1097/01.sla.0000246847.02058.1b")
    }
    matches = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
    assert sum(len(list(graph.subject_objects(p))) for p in matches) == 154
