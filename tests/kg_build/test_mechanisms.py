"""The biology of liver metastasis (review 004): molecular factors, steps and targeting drugs."""

from __future__ import annotations

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.export import load_store
from tests.conftest import needs_corpus

MECHANISMS = """
PREFIX bclm: <https://w3id.org/bclm-kg/>
SELECT ?factor ?step ?drug ?start WHERE {
  ?m a bclm:MechanismStatement ; bclm:molecularFactor ?factor ; bclm:statedIn ?doc ;
     bclm:hasEvidence/bclm:spanStart ?start .
  OPTIONAL { ?m bclm:metastaticStep ?step }
  OPTIONAL { ?m bclm:targetedBy ?drug }
}
"""


def _local(term: object) -> str:
    return "" if term is None else term.value.rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def mechanisms(built: BuildResult) -> list[tuple[str, str, str, int]]:
    store = load_store(built.graph_path)
    return sorted(
        (_local(s["factor"]), _local(s["step"]), _local(s["drug"]), int(s["start"].value))
        for s in store.query(MECHANISMS)
    )


@needs_corpus
def test_every_named_factor_has_a_step(mechanisms: list[tuple[str, str, str, int]]):
    steps = {(factor, step) for factor, step, _, _ in mechanisms if step}
    assert steps == {
        ("VEGF", "MetastaticOutgrowth"),
        ("VEGFR", "PreMetastaticNicheFormation"),
        ("ExosomalIntegrinAlphaVBeta5", "PreMetastaticNicheFormation"),
        ("CXCR4", "PreMetastaticNicheFormation"),
        ("CXCL12", "PreMetastaticNicheFormation"),
        ("CCL5", "MetastaticOutgrowth"),
        ("TNFAlpha", "PreMetastaticNicheFormation"),
        ("ESelectin", "PreMetastaticNicheFormation"),
        ("Interleukin6", "PreMetastaticNicheFormation"),
        ("NeutrophilExtracellularTraps", "CirculatoryTransit"),
        ("Claudin2", "AdhesionAndColonisation"),
        ("Claudin4", "AdhesionAndColonisation"),
        ("Claudin7", "AdhesionAndColonisation"),
        ("ECadherin", "AdhesionAndColonisation"),
        ("CD44", "Intravasation"),
        ("CD44", "AdhesionAndColonisation"),
        ("CD24", "AdhesionAndColonisation"),
    }


@needs_corpus
def test_targeting_therapies_with_their_spans(mechanisms: list[tuple[str, str, str, int]]):
    targeted = [(factor, drug, start) for factor, _, drug, start in mechanisms if drug]
    assert targeted == [
        ("PI3KSignallingPathway", "Alpelisib", 20934),
        ("VEGF", "Bevacizumab", 22597),
    ]
    assert len(mechanisms) == 20
