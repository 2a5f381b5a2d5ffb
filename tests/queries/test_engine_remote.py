"""The same templates on a real Oxigraph SPARQL server (PyPI package ``oxigraph``), started
on 127.0.0.1 for these tests, loaded with ``push``, and stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.engine import (
    AskResult,
    EmbeddedEngine,
    GraphResult,
    RemoteEngine,
    RowCapError,
)
from bclm_kg.queries.params import Query, QueryError
from bclm_kg.queries.push import graph_store_url, push_graph
from bclm_kg.queries.templates import templates
from tests.queries.servers import free_port, oxigraph_server


@pytest.fixture(scope="module")
def oxigraph_url(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        assert push_graph(built.graph_path, f"{url}/store") == built.graph_path.stat().st_size
        yield url


@pytest.fixture(scope="module")
def remote(oxigraph_url: str) -> RemoteEngine:
    return RemoteEngine(f"{oxigraph_url}/query")


def test_the_pushed_graph_is_the_built_graph(remote: RemoteEngine, engine: EmbeddedEngine):
    count = Query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert remote.run(count) == engine.run(count)


def test_pushing_twice_replaces_the_graph(
    oxigraph_url: str, built: BuildResult, remote: RemoteEngine, engine: EmbeddedEngine
):
    push_graph(built.graph_path, f"{oxigraph_url}/store")
    count = Query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert remote.run(count) == engine.run(count)


@pytest.mark.parametrize("name", sorted(templates()))
def test_every_template_answers_the_same_on_the_server(
    name: str, remote: RemoteEngine, engine: EmbeddedEngine
):
    t = templates()[name]
    for given in ({}, {p.name: p.example for p in t.params}):
        query = t.query(given)
        assert remote.run(query) == engine.run(query), (name, given)


def test_ask_and_construct(remote: RemoteEngine):
    ask = remote.run(Query("ASK { <https://w3id.org/bclm-kg/Cryoablation> ?p ?o }"))
    assert ask == AskResult(True)
    graph = remote.run(Query(
        "CONSTRUCT { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
        "<https://w3id.org/bclm-kg/Cryoablation> <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        "BIND (<https://w3id.org/bclm-kg/Cryoablation> AS ?c) }"
    ))  # fmt: skip
    assert graph == GraphResult([
        ox.Triple(ox.NamedNode("https://w3id.org/bclm-kg/Cryoablation"),
                  ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                  ox.Literal("cryoablation")),
    ])  # fmt: skip


def test_row_cap_applies_to_remote_answers(remote: RemoteEngine):
    with pytest.raises(RowCapError) as error:
        remote.run(Query("SELECT * WHERE { ?s ?p ?o }"), row_cap=10)
    assert str(error.value) == "the result has more than 10 rows (the row cap); add a LIMIT"


def test_remote_errors_are_clear(remote: RemoteEngine):
    with pytest.raises(QueryError) as error:
        remote.run(Query("SELECT WHERE"))
    assert str(error.value).startswith(f"{remote.url} answered 400: ")
    port = free_port()
    with pytest.raises(QueryError) as error:
        RemoteEngine(f"http://127.0.0.1:{port}/query", timeout=5).run(Query("ASK {}"))
    assert str(error.value) == (
        f"cannot reach http://127.0.0.1:{port}/query: [Errno 111] Connection refused"
    )


def test_graph_store_urls():
    assert graph_store_url("http://h/store", None) == "http://h/store?default"
    assert graph_store_url("http://h/store", "https://w3id.org/bclm-kg/graph") == (
        "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fbclm-kg%2Fgraph"
    )
    assert graph_store_url("http://h/ds?x=1", None) == "http://h/ds?x=1&default"
