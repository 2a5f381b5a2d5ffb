"""``bclm-kg serve`` over real HTTP: the SPARQL 1.1 Protocol with a plain HTTP client and with
SPARQLWrapper, refused updates, the time limit, the row cap and the query page."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.engine import EmbeddedEngine, SelectResult
from bclm_kg.queries.params import Query
from bclm_kg.queries.server import ServerSettings, SparqlServer, make_server, serve_in_thread
from bclm_kg.queries.templates import template, templates

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REFUSED = "this endpoint is read-only: SPARQL updates are refused\n"


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@pytest.fixture(scope="module")
def server(built: BuildResult) -> Iterator[SparqlServer]:
    settings = ServerSettings(port=0, timeout=1.0, row_cap=100, workers=2)
    server = make_server(built.graph_path, None, settings)
    serve_in_thread(server)
    yield server
    server.close()


@pytest.fixture(scope="module")
def triples(engine: EmbeddedEngine) -> str:
    """The number of triples in the graph, as the server should print it."""
    result = engine.run(Query(COUNT))
    assert isinstance(result, SelectResult)
    return result.rows[0][0].value  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def base(server: SparqlServer) -> str:
    return f"http://127.0.0.1:{server.server_port}"


def call(url: str, data: bytes | None = None, method: str | None = None,
         **headers: str) -> Answer:  # fmt: skip
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.headers["Content-Type"], response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers["Content-Type"], error.read())


def get(base: str, path: str, accept: str = "*/*", **params: str) -> Answer:
    query = urllib.parse.urlencode(params)
    return call(f"{base}{path}{'?' + query if query else ''}", Accept=accept)


def test_binds_loopback_by_default(server: SparqlServer):
    assert ServerSettings().host == "127.0.0.1"
    assert server.server_address[0] == "127.0.0.1"


def test_get_query_answers_w3c_json(base: str, triples: str):
    answer = get(base, "/sparql", query=COUNT)
    assert answer.status == 200
    assert answer.media_type == "application/sparql-results+json; charset=utf-8"
    assert json.loads(answer.body) == {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {
            "type": "literal", "value": triples,
            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
        }}]},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML,
         "application/sparql-results+xml"),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON,
         "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", ox.QueryResultsFormat.XML,
         "application/sparql-results+xml"),
    ],
)  # fmt: skip
def test_content_negotiation_round_trips(base: str, engine: EmbeddedEngine, accept: str,
                                         fmt: ox.QueryResultsFormat, media: str):  # fmt: skip
    t = template("compare_modalities")
    answer = get(base, "/templates/compare_modalities", accept)
    assert (answer.status, answer.media_type) == (200, f"{media}; charset=utf-8")
    parsed = ox.parse_query_results(answer.body, format=fmt)
    expected = engine.run(t.query({}))
    assert isinstance(expected, SelectResult)
    assert tuple(v.value for v in parsed.variables) == expected.variables
    assert [tuple(row) for row in parsed] == expected.rows


def test_csv_and_turtle(base: str, triples: str):
    answer = get(base, "/sparql", "text/csv", query=COUNT)
    assert (answer.status, answer.media_type, answer.text) == (
        200, "text/csv; charset=utf-8", f"n\r\n{triples}\r\n",
    )  # fmt: skip
    construct = (
        "CONSTRUCT { <https://w3id.org/bclm-kg/Cryoablation> ?p ?o } WHERE { "
        "<https://w3id.org/bclm-kg/Cryoablation> ?p ?o FILTER (isLiteral(?o)) }"
    )
    answer = get(base, "/sparql", "text/turtle", query=construct)
    assert (answer.status, answer.media_type) == (200, "text/turtle; charset=utf-8")
    triples = {(q.predicate.value, q.object.value)
               for q in ox.parse(answer.body, ox.RdfFormat.TURTLE)}  # fmt: skip
    assert ("http://www.w3.org/2000/01/rdf-schema#label", "cryoablation") in triples
    assert get(base, "/sparql", "image/png", query=COUNT).status == 406


def test_post_form_and_direct_query(base: str, triples: str):
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    for data, media in ((form, "application/x-www-form-urlencoded"),
                        (COUNT.encode(), "application/sparql-query")):  # fmt: skip
        answer = call(f"{base}/sparql", data, **{"Content-Type": media, "Accept": "text/csv"})
        assert (answer.status, answer.text) == (200, f"n\r\n{triples}\r\n")


def test_updates_are_refused(base: str, triples: str):
    update = "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"
    form = urllib.parse.urlencode({"update": update}).encode()
    refused = [
        call(f"{base}/sparql", form, **{"Content-Type": "application/x-www-form-urlencoded"}),
        call(f"{base}/sparql", update.encode(), **{"Content-Type": "application/sparql-update"}),
        get(base, "/sparql", query="PREFIX e: <http://e/>\nDROP ALL"),
        get(base, "/sparql", update="DROP ALL"),
    ]
    assert [(a.status, a.text) for a in refused] == [(403, REFUSED)] * 4
    put = call(f"{base}/sparql", b"", method="PUT")
    assert (put.status, put.text) == (405, REFUSED)
    assert get(base, "/sparql", "text/csv", query=COUNT).text == f"n\r\n{triples}\r\n"


def test_time_limit_stops_a_query_and_the_server_recovers(base: str, triples: str):
    slow = get(base, "/sparql", query=SLOW)
    assert (slow.status, slow.text) == (
        503, "the query ran longer than the time limit of 1 s and was stopped\n",
    )  # fmt: skip
    assert get(base, "/sparql", "text/csv", query=COUNT).text == f"n\r\n{triples}\r\n"


def test_row_cap(base: str):
    answer = get(base, "/sparql", query="SELECT * WHERE { ?s ?p ?o }")
    assert (answer.status, answer.text) == (
        400, "the result has more than 100 rows (the row cap); add a LIMIT\n",
    )  # fmt: skip
    assert get(base, "/sparql", query="SELECT * WHERE { ?s ?p ?o } LIMIT 100").status == 200


def test_templates_over_http(base: str, engine: EmbeddedEngine):
    answer = get(base, "/templates/label_search", "text/csv", text="TACE")
    assert answer.text.splitlines()[:2] == [
        "text,concept,label,kind,matched",
        "TACE,https://w3id.org/bclm-kg/ConventionalTACE,"
        "conventional transarterial chemoembolization,http://www.w3.org/2002/07/owl#Class,cTACE",
    ]
    bad = get(base, "/templates/label_search", text="} DROP ALL {")
    assert (bad.status, bad.text) == (
        400, "parameter 'text': '} DROP ALL {' does not match /[\\w .,()+\\/-]+/\n",
    )  # fmt: skip
    missing = get(base, "/templates/no_such")
    assert (missing.status, missing.text) == (
        404, "unknown template 'no_such' (see 'bclm-kg query --list')\n",
    )  # fmt: skip
    listed = json.loads(get(base, "/templates").body)
    assert [t["name"] for t in listed] == list(templates())
    assert listed[0]["params"][0] == {
        "name": "modality", "type": "ontology class id at or below Modality",
        "default": "Modality", "example": "TransarterialRadioembolization",
        "description": "the treatment; narrower modalities count too",
    }  # fmt: skip


def test_query_page_lists_every_template_without_outside_resources(base: str):
    answer = get(base, "/")
    assert (answer.status, answer.media_type) == (200, "text/html; charset=utf-8")
    page = answer.text
    for name in templates():
        assert f'<form method="get" action="/templates/{name}">' in page
    assert "<script" not in page and "src=" not in page and "https://" not in page
    assert '<input name="factor" value="LesionSize" placeholder="EstrogenReceptorStatus">' in page


def test_network_page_is_served_and_linked_once_written(
    server: SparqlServer, base: str, tmp_path: Path
):
    missing = get(base, "/network")
    assert (missing.status, missing.text) == (
        404, "no network page: write it with `bclm-kg viz` first\n"
    )  # fmt: skip
    assert 'href="/network"' not in get(base, "/").text
    page = tmp_path / "bclm-network.html"
    page.write_text("<!DOCTYPE html><title>network</title>", encoding="utf-8")
    unset = server.settings
    server.settings = dataclasses.replace(unset, network_page=page)
    try:
        served = get(base, "/network")
        index = get(base, "/").text
    finally:
        server.settings = unset
    assert (served.status, served.media_type) == (200, "text/html; charset=utf-8")
    assert served.text == "<!DOCTYPE html><title>network</title>"
    assert 'The modality-factor network: <a href="/network">/network</a>.' in index


def test_html_results_are_escaped(base: str):
    answer = get(base, "/sparql", "text/html",
                 query='SELECT ("<script>alert(1)</script>" AS ?x) WHERE {}')  # fmt: skip
    assert answer.status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert "<script>" not in answer.text


def test_sparqlwrapper_as_a_researcher_would(base: str, triples: str):
    sparql = SPARQLWrapper(f"{base}/sparql")
    sparql.setQuery(template("multi_review_studies").query({"min_reviews": "3"}).with_values())
    sparql.setReturnFormat(JSON)
    answer = sparql.query().convert()
    assert isinstance(answer, dict)
    studies = [(b["study"]["value"], b["source_file"]["value"])
               for b in answer["results"]["bindings"]]  # fmt: skip
    assert studies == [
        ("Bale 2019 (Cancers (Basel))", "001_c55962c33ca41f6d.txt"),
        ("Bale 2019 (Cancers (Basel))", "002_31baa001dd6ede9c.txt"),
        ("Bale 2019 (Cancers (Basel))", "004_47dc2ef9fc666fcd.txt"),
        ("Meloni 2009 (Radiology)", "001_c55962c33ca41f6d.txt"),
        ("Meloni 2009 (Radiology)", "003_a30510250b3ce168.txt"),
        ("Meloni 2009 (Radiology)", "004_47dc2ef9fc666fcd.txt"),
    ]
    update = SPARQLWrapper(f"{base}/sparql")
    update.setMethod(POST)
    update.setQuery("DROP ALL")
    with pytest.raises(urllib.error.HTTPError) as error:
        update.query()
    assert error.value.code == 403
    assert get(base, "/sparql", "text/csv", query=COUNT).text == f"n\r\n{triples}\r\n"


def test_the_serve_command_with_an_on_disk_store(built: BuildResult, tmp_path: Path,
                                                 triples: str):  # fmt: skip
    """`bclm-kg serve --store DIR` as a user starts it: workers open the store read-only."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [str(Path(sys.executable).parent / "bclm-kg"), "serve", "--port", str(port),
               "--graph", str(built.graph_path), "--store", str(tmp_path / "store")]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line == (
            f"serving {built.graph_path} on http://127.0.0.1:{port}/ (SPARQL: /sparql)\n"
        )
        answer = get(f"http://127.0.0.1:{port}", "/sparql", "text/csv", query=COUNT)
        assert (answer.status, answer.text) == (200, f"n\r\n{triples}\r\n")
    finally:
        process.terminate()
        process.wait(timeout=30)
