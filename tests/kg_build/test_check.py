"""The quality report finds what it should and nothing on the built graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS, SKOS, Graph, Literal, URIRef
from typer.testing import CliRunner

from bclm_kg.cli import app
from bclm_kg.kg_build.build import BuildResult
from bclm_kg.kg_build.check import Finding, quality_report

BCLM = "https://w3id.org/bclm-kg/"


@pytest.fixture(scope="module")
def graph(built: BuildResult) -> Graph:
    return Graph().parse(built.graph_path, format="turtle")


def test_built_graph_has_no_findings(graph: Graph):
    assert quality_report(graph) == []


def test_each_check_reports_its_fault(graph: Graph):
    broken = Graph()
    broken += graph
    rfa, mwa = URIRef(f"{BCLM}RadiofrequencyAblation"), URIRef(f"{BCLM}MicrowaveAblation")
    broken.remove((mwa, RDFS.label, None))
    broken.add((mwa, RDFS.label, Literal("Radiofrequency ablation")))
    broken.add((rfa, SKOS.exactMatch, URIRef("http://example.org/has space")))
    broken.add((rfa, RDFS.seeAlso, URIRef(f"{BCLM}NoSuchTerm")))
    assert quality_report(broken) == [
        Finding("error", "dangling-iri", f"{BCLM}NoSuchTerm", "is used but never declared"),
        Finding(
            "error",
            "mapping-target",
            f"{BCLM}RadiofrequencyAblation",
            "maps to a malformed IRI 'http://example.org/has space'",
        ),
        Finding(
            "error",
            "unique-label",
            f"{BCLM}MicrowaveAblation",
            "label 'Radiofrequency ablation' is shared with another term",
        ),
        Finding(
            "error",
            "unique-label",
            f"{BCLM}RadiofrequencyAblation",
            "label 'radiofrequency ablation' is shared with another term",
        ),
    ]


def test_check_command_exits_1_on_errors(graph: Graph, tmp_path: Path):
    broken = Graph()
    broken += graph
    broken.add((URIRef(f"{BCLM}Cryoablation"), RDFS.label, Literal("second label")))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    result = CliRunner().invoke(app, ["check", "--graph", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        f"error\tone-label\t{BCLM}Cryoablation\thas 2 labels; every term needs exactly one",
        "# 1 errors, 0 warnings",
    ]
