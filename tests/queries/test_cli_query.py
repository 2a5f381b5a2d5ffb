"""The ``query``, ``sparql`` and ``push`` commands as a user types them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from typer.testing import CliRunner

from bclm_kg.cli import app
from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.engine import STORE_MARKER
from bclm_kg.queries.templates import templates

runner = CliRunner()


def invoke(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_list_and_describe():
    listed = invoke("query", "--list")
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(templates())
    assert "provenance                Where a fact comes from: source file" in listed.stdout
    described = invoke("query", "--describe", "size_thresholds")
    assert described.exit_code == 0
    assert described.stdout.splitlines()[:7] == [
        "size_thresholds: Every numeric cut-off of a factor (lesion size by default) across "
        "modalities, with its direction and outcome.",
        "",
        "parameters:",
        "  factor: ontology class id at or below PrognosticFactor; default LesionSize",
        "      the factor; narrower factors count too (example: AblationMargin)",
        "",
        "example: bclm-kg query size_thresholds --param factor=AblationMargin",
    ]


def test_query_formats(built: BuildResult):
    graph = str(built.graph_path)
    args = ("query", "label_search", "--param", "text=cryo", "--graph", graph)
    table = invoke(*args)
    assert (table.exit_code, table.stdout) == (0, (
        "text  concept            label         kind       matched\n"
        "----  -----------------  ------------  ---------  ------------\n"
        "cryo  bclm:Cryoablation  cryoablation  owl:Class  cryoablation\n"
        "cryo  bclm:Cryoablation  cryoablation  owl:Class  cryotherapy\n"
        "(2 rows)\n"
    ))  # fmt: skip
    assert invoke(*args, "--format", "csv").stdout == (
        "text,concept,label,kind,matched\n"
        "cryo,bclm:Cryoablation,cryoablation,owl:Class,cryoablation\n"
        "cryo,bclm:Cryoablation,cryoablation,owl:Class,cryotherapy\n"
    )
    assert invoke(*args, "--format", "tsv").stdout.splitlines()[1] == (
        "cryo\tbclm:Cryoablation\tcryoablation\towl:Class\tcryoablation"
    )
    assert invoke(*args, "--format", "md").stdout.splitlines()[:3] == [
        "| text | concept | label | kind | matched |",
        "| --- | --- | --- | --- | --- |",
        "| cryo | bclm:Cryoablation | cryoablation | owl:Class | cryoablation |",
    ]
    document = json.loads(invoke(*args, "--format", "json").stdout)
    assert document["head"] == {"vars": ["text", "concept", "label", "kind", "matched"]}
    assert document["results"]["bindings"][1] == {
        "text": {"type": "literal", "value": "cryo"},
        "concept": {"type": "uri", "value": "https://w3id.org/bclm-kg/Cryoablation"},
        "label": {"type": "literal", "value": "cryoablation"},
        "kind": {"type": "uri", "value": "http://www.w3.org/2002/07/owl#Class"},
        "matched": {"type": "literal", "value": "cryotherapy"},
    }


def test_query_errors(built: BuildResult, tmp_path: Path):
    graph = str(built.graph_path)
    cases = [
        (("query", "label_search", "--param", "text=} DROP ALL {", "--graph", graph),
         "error: parameter 'text': '} DROP ALL {' does not match /[\\w .,()+\\/-]+/\n"),
        (("query", "modality_factors", "--param", "modality=RFA", "--graph", graph),
         "error: parameter 'modality': unknown treatment modality 'RFA'; did you mean "
         "RadiofrequencyAblation?\n"),
        (("query", "label_search", "--param", "text", "--graph", graph),
         "error: --param takes NAME=VALUE, got 'text'\n"),
        (("query", "label_search", "--param", "a=1", "--param", "a=2", "--graph", graph),
         "error: parameter 'a' given twice\n"),
        (("query", "lable_search", "--graph", graph),
         "error: unknown template 'lable_search'; did you mean label_search? "
         "(see 'bclm-kg query --list')\n"),
        (("query", "--graph", graph), "error: give a template name, --list or --describe NAME\n"),
        (("query", "provenance", "--graph", str(tmp_path / "none.ttl")),
         f"error: no built graph at {tmp_path / 'none.ttl'}; run 'bclm-kg build' first\n"),
    ]  # fmt: skip
    for args, message in cases:
        result = invoke(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message), args


def test_sparql_from_file_and_stdin(built: BuildResult, tmp_path: Path):
    graph = str(built.graph_path)
    query = tmp_path / "q.rq"
    query.write_text(
        "PREFIX bclm: <https://w3id.org/bclm-kg/>\n"
        "SELECT ?n WHERE { bclm:Cryoablation <http://www.w3.org/2000/01/rdf-schema#label> ?n }",
        encoding="utf-8",
    )
    result = invoke("sparql", str(query), "--graph", graph, "--format", "csv")
    assert (result.exit_code, result.stdout) == (0, "n\ncryoablation\n")
    ask = invoke("sparql", "-", "--graph", graph, stdin="ASK { ?s ?p ?o }")
    assert (ask.exit_code, ask.stdout) == (0, "true\n")
    construct = invoke("sparql", "-", "--graph", graph, stdin=(
        "CONSTRUCT { <https://w3id.org/bclm-kg/Cryoablation> <http://e/p> ?n } WHERE { "
        "<https://w3id.org/bclm-kg/Cryoablation> <http://www.w3.org/2000/01/rdf-schema#label> ?n }"
    ))  # fmt: skip
    assert construct.stdout.endswith('bclm:Cryoablation <http://e/p> "cryoablation" .\n')
    bad = invoke("sparql", "-", "--graph", graph, stdin="DROP ALL")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: query failed: ")


def test_disk_store_loads_once(built: BuildResult, tmp_path: Path):
    store = tmp_path / "store"
    args = ("query", "provenance", "--graph", str(built.graph_path), "--store", str(store),
            "--format", "csv")  # fmt: skip
    first = invoke(*args)
    assert first.exit_code == 0
    marker = store / STORE_MARKER
    stamp = marker.stat().st_mtime_ns
    second = invoke(*args)
    assert (second.exit_code, second.stdout) == (0, first.stdout)
    assert marker.stat().st_mtime_ns == stamp  # not loaded again
    gone = invoke(*args[:3], str(tmp_path / "moved.ttl"), *args[4:])
    assert (gone.exit_code, gone.stdout) == (0, first.stdout)  # the store alone answers


def test_push_to_an_unreachable_endpoint(built: BuildResult):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/store"
    result = invoke("push", "--endpoint", url, "--graph", str(built.graph_path))
    assert (result.exit_code, result.stderr) == (
        1, f"error: cannot reach {url}?default: [Errno 111] Connection refused\n",
    )  # fmt: skip
