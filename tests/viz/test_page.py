"""The page file itself: one self-contained document, safely embedded data, reproducible."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.viz.network import build_network
from bclm_kg.viz.page import render_page, script_json
from bclm_kg.viz.pagedata import page_data
from tests.viz.pagefile import embedded_data
from tests.viz.synthetic import synthetic


def test_script_json_escapes_everything_that_could_end_the_block():
    text = script_json({"label": "</script><!-- <img src=x onerror=alert(1)> & \u2028"})
    assert text == (
        '{"label":"\\u003c/script\\u003e\\u003c!-- \\u003cimg src=x onerror=alert(1)\\u003e '
        '\\u0026 \\u2028"}'
    )


def test_placeholders_in_data_are_not_filled():
    links, context = synthetic(2, 2, labels={"M0": "__APP_JS__ __DATA__"})
    graph = build_network(links, context)
    html = render_page(page_data(graph, context, "factors", "", 0), "t <b>")
    assert html.count('JSON.parse(document.getElementById("bclm-data")') == 1
    nodes = {n["id"]: n["label"] for n in embedded_data(html)["nodes"]}
    assert nodes["modality:M0"] == "__APP_JS__ __DATA__"
    assert "<title>t &lt;b&gt;</title>" in html


def _cli_page(graph: Path, out: Path) -> str:
    command = [sys.executable, "-m", "bclm_kg", "viz", "--graph", str(graph), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout == f"wrote {out}\n"
    return out.read_text(encoding="utf-8")


def test_page_is_self_contained_and_byte_identical(built: BuildResult, tmp_path: Path):
    first = _cli_page(built.graph_path, tmp_path / "a.html")
    second = _cli_page(built.graph_path, tmp_path / "b.html")
    assert first == second
    assert re.findall(r"<(?:script|link|img|iframe)[^>]*\s(?:src|href)=", first) == []
    assert re.findall(r"^<script[^>]*>", first, re.MULTILINE) == [
        '<script type="application/json" id="bclm-data">',
        "<script>",
        "<script>",
    ]  # data, vis-network, page
    assert "sourceMappingURL" not in first
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', first)
    assert policy.group(1).startswith("default-src 'none'; script-src 'sha256-")


def test_cli_reports_an_unknown_focus(built: BuildResult, tmp_path: Path):
    command = [sys.executable, "-m", "bclm_kg", "viz", "--graph", str(built.graph_path),
               "--out", str(tmp_path / "p.html"), "--focus", "laser surgery"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "error: unknown modality 'laser surgery'; give a label, synonym or id such as RFA\n"
    )
    assert not (tmp_path / "p.html").exists()
