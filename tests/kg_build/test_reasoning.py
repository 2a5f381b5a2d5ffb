from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF

from bclm_kg.kg_build.build import build_graph
from bclm_kg.ontology.vocab import vocabulary
from tests.conftest import needs_java

BCLM = vocabulary().ns
ARM = "https://w3id.org/bclm-kg/data/population/900/r1/arm"
LUMINAL = "https://w3id.org/bclm-kg/data/population/900/r1/luminal"


def _types(graph, node: str) -> set[str]:
    from rdflib import URIRef

    return {str(o).removeprefix(vocabulary().base) for o in graph.objects(URIRef(node), RDF.type)}


@needs_java
def test_hermit_classifies_a_receptor_status_only_cohort(fixture_dirs: tuple[Path, Path]):
    evidence, corpus = fixture_dirs
    graph, summary = build_graph(evidence, corpus, reasoner="hermit")
    assert summary.reasoner == "hermit"
    assert _types(graph, ARM) == {"StudyArm", "TripleNegativeBreastCancer"}
    assert _types(graph, LUMINAL) == {"StudyArm", "LuminalA"}
    assert summary.counts["MolecularSubtype"] == 2


@pytest.mark.parametrize("reasoner", ["owlrl"])
def test_owlrl_fallback_classifies_the_same_subtypes(
    fixture_dirs: tuple[Path, Path], reasoner: str
):
    evidence, corpus = fixture_dirs
    graph, summary = build_graph(evidence, corpus, reasoner=reasoner)
    assert summary.reasoner == "owlrl"
    assert "TripleNegativeBreastCancer" in _types(graph, ARM)
    assert "LuminalA" in _types(graph, LUMINAL)


def test_no_reasoner_adds_nothing(fixture_dirs: tuple[Path, Path]):
    evidence, corpus = fixture_dirs
    graph, summary = build_graph(evidence, corpus, reasoner="none")
    assert summary.inferred == 0
    assert _types(graph, ARM) == {"StudyArm"}
