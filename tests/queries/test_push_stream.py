"""The path past one machine: a streamed synthetic build (its N-Triples, as a large build
leaves them) pushed to a real Oxigraph server, where every template answers as it does on
the build's own on-disk store."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from bclm_kg.kg_build.evidence import evidence_files, load_evidence
from bclm_kg.kg_build.stream import StreamResult, stream_build
from bclm_kg.kg_build.synth import learn_profile, write_synthetic
from bclm_kg.queries.engine import EmbeddedEngine, RemoteEngine
from bclm_kg.queries.params import Query
from bclm_kg.queries.push import push_graph
from bclm_kg.queries.templates import templates
from tests.queries.servers import oxigraph_server

STUDIES = 1000


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> StreamResult:
    work = tmp_path_factory.mktemp("streamed")
    profile = learn_profile(load_evidence(evidence_files()))
    write_synthetic(STUDIES, 1, work / "evidence", profile)
    return stream_build(
        work / "out", work / "evidence", use_corpus=False, reasoner="none", workers=2,
        log=lambda _: None,
    )  # fmt: skip


@pytest.fixture(scope="module")
def server(streamed: StreamResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's query URL, after the streamed N-Triples were pushed to it."""
    with oxigraph_server(tmp_path_factory.mktemp("server")) as url:
        pushed = push_graph(streamed.ntriples, f"{url}/store")
        assert pushed == streamed.ntriples.stat().st_size
        yield f"{url}/query"


@pytest.fixture(scope="module")
def local(streamed: StreamResult) -> EmbeddedEngine:
    return EmbeddedEngine(ox.Store.read_only(str(streamed.store)))


def test_the_server_holds_every_streamed_triple(server: str, streamed: StreamResult):
    count = Query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    answered = RemoteEngine(server).run(count)
    assert [int(row[0].value) for row in answered.rows] == [streamed.triples]  # type: ignore[union-attr]
    assert (streamed.files, streamed.triples) == (2, 104897)


@pytest.mark.parametrize("name", sorted(templates()))
def test_templates_answer_the_same_on_the_server(
    name: str, server: str, local: EmbeddedEngine
) -> None:
    query = templates()[name].query({})
    assert RemoteEngine(server).run(query) == local.run(query), name
