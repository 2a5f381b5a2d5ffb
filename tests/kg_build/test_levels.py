from __future__ import annotations

from rdflib import Graph

from bclm_kg.kg_build.build import BuildResult
from tests.conftest import needs_corpus

QUERY = """
PREFIX bclm: <https://w3id.org/bclm-kg/>
SELECT ?design ?level ?rank WHERE {
  ?m bclm:measuredIn/bclm:populationOf/bclm:reportsStudy <https://w3id.org/bclm-kg/data/study/%s> ;
     bclm:studyDesign ?design ; bclm:evidenceLevel ?level .
  ?level bclm:evidenceRank ?rank .
} LIMIT 1
"""


def _level(graph: Graph, study: str) -> tuple[str, ...]:
    rows = list(graph.query(QUERY % study))
    return tuple(str(v).removeprefix("https://w3id.org/bclm-kg/") for v in rows[0])


@needs_corpus
def test_evidence_level_follows_the_study_design(built: BuildResult):
    graph = Graph().parse(built.graph_path, format="turtle")
    assert _level(graph, "palma-2018-int-j-radiat-oncol-biol-phys") == (
        "RandomizedControlledTrial",
        "RandomisedTrialEvidence",
        "1",
    )
    assert _level(graph, "eichler-2013-eur-j-radiol") == (
        "PhaseIITrial",
        "ProspectiveEvidence",
        "2",
    )
    assert _level(graph, "duan-2011-j-cancer-res-clin-oncol") == (
        "RetrospectiveStudy",
        "RetrospectiveEvidence",
        "3",
    )
    assert _level(graph, "vlastos-2004-ann-surg-oncol") == (
        "Study",
        "UnspecifiedDesignEvidence",
        "4",
    )
