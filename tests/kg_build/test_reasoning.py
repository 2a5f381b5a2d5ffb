from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF

from bclm_kg.kg_build.build import BuildResult, build_graph
from bclm_kg.ontology.vocab import vocabulary
from bclm_kg.queries.export import load_store
from tests.conftest import needs_corpus, needs_java

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


SUBTYPED = """
PREFIX bclm: <https://w3id.org/bclm-kg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?population ?subtype WHERE {
  ?population a ?subtype . ?subtype rdfs:subClassOf+ bclm:MolecularSubtype .
}
"""


@needs_corpus
@needs_java
def test_curated_populations_classified_by_subtype(built: BuildResult):
    store = load_store(built.graph_path)
    found = sorted(
        (s["population"].value.split("/population/")[1], s["subtype"].value.rsplit("/", 1)[1])
        for s in store.query(SUBTYPED)
    )
    hr_pos_her2_neg = "HormoneReceptorPositiveHER2NegativeBreastCancer"
    assert found == [
        ("004/cbcsg006-ref30/gp", "TripleNegativeBreastCancer"),
        ("004/cbcsg006-ref30/gt", "TripleNegativeBreastCancer"),
        ("004/ji-2021-ref5/her2-targeted/hrpos-her2pos", "HER2PositiveBreastCancer"),
        ("004/ji-2021-ref5/her2-targeted/hrpos-her2pos", "HormoneReceptorPositiveBreastCancer"),
        ("004/ogata-2015-ref45/bpc", "TripleNegativeBreastCancer"),
        ("004/solar-1-ref39/alpelisib-fulvestrant", hr_pos_her2_neg),
        ("004/solar-1-ref40/alpelisib-fulvestrant", hr_pos_her2_neg),
        ("004/solar-1-ref40/placebo-fulvestrant", hr_pos_her2_neg),
        ("004/xie-2023-ref50/pyrotinib-trastuzumab-chemo", "HER2PositiveBreastCancer"),
    ]
