"""The page in a real browser (Debian's Chromium, headless), with the network cut off."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.viz.build import write_network_page
from bclm_kg.viz.network import build_network
from bclm_kg.viz.page import render_page
from bclm_kg.viz.pagedata import page_data
from tests.viz.browser_helpers import PAINTED_PIXELS, click_node, hover_node
from tests.viz.pagefile import embedded_data
from tests.viz.synthetic import synthetic

READY_BOUND_S = 15.0  # a pass/fail guard only; speed itself belongs in benchmarks
RFA = "modality:RadiofrequencyAblation"
LESION_25 = "factor:LesionSize|> 2.5 cm"


def _log_time(artifacts: Path, name: str, seconds: float, nodes: int) -> None:
    line = f"{name}: {nodes} nodes, interactive after {seconds:.2f} s"
    print(line)
    with (artifacts / "load-times.txt").open("a", encoding="utf-8") as log:
        log.write(line + "\n")


@pytest.fixture(scope="module")
def real_page(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_network_page(built.graph_path, tmp_path_factory.mktemp("page") / "page.html")


def test_full_graph_offline(open_page, real_page: Path, artifacts: Path):
    opened = open_page(real_page)
    _log_time(artifacts, "full graph", opened.seconds, 73)
    page = opened.page
    assert (opened.blocked, opened.failed, opened.errors) == ([], [], [])
    assert opened.seconds < READY_BOUND_S
    data = embedded_data(real_page.read_text(encoding="utf-8"))
    assert page.evaluate("window.bclm.nodes.length") == len(data["nodes"]) == 73
    assert page.evaluate("window.bclm.edges.length") == len(data["edges"]) == 87
    assert page.locator("#counts").inner_text() == (
        "Showing 73 of 73 nodes and 87 of 87 links "
        "(7 associations name no modality and are not drawn)"
    )
    assert page.evaluate(PAINTED_PIXELS) > 5000
    page.screenshot(path=artifacts / "bclm-network.png")


def test_clicking_rfa_shows_lesion_size_as_unfavourable(open_page, real_page: Path, artifacts):
    opened = open_page(real_page)
    page = opened.page
    click_node(page, RFA)
    assert page.locator("#panel h2").inner_text() == "radiofrequency ablation"
    unfavourable = page.locator('#panel ul[data-direction="unfavourable"] > li > span.item')
    assert "lesion size > 2.5 cm" in unfavourable.all_inner_texts()
    favourable = page.locator('#panel ul[data-direction="favourable"] > li > span.item')
    assert "lesion size > 2.5 cm" not in favourable.all_inner_texts()
    assert page.locator("#panel h3").first.inner_text() == "Unfavourable: goes with worse outcome"
    page.screenshot(path=artifacts / "bclm-network-rfa.png")
    assert (opened.blocked, opened.failed, opened.errors) == ([], [], [])


def test_direction_filter_hides_unfavourable_links(open_page, real_page: Path):
    opened = open_page(real_page)
    page = opened.page
    data = embedded_data(real_page.read_text(encoding="utf-8"))
    directions = {e["id"]: e["direction"] for e in data["edges"]}
    page.locator('#filter-direction input[value="unfavourable"]').uncheck()
    shown_edges = page.evaluate("window.bclm.visibleEdgeIds()")
    assert Counter(directions[e] for e in shown_edges) == {
        d: n for d, n in Counter(directions.values()).items() if d != "unfavourable"
    }
    shown_nodes = set(page.evaluate("window.bclm.visibleNodeIds()"))
    assert LESION_25 not in shown_nodes  # its only links are unfavourable
    assert "factor:LesionSize|< 3 cm" in shown_nodes and RFA in shown_nodes
    page.locator("#reset").click()
    assert len(page.evaluate("window.bclm.visibleEdgeIds()")) == 87
    page.locator('#filter-direction button[title="show only unfavourable"]').click()
    only = page.evaluate("window.bclm.visibleEdgeIds()")
    assert {directions[e] for e in only} == {"unfavourable"} and len(only) == 37


def test_family_factor_and_search_filters(open_page, real_page: Path):
    page = open_page(real_page).page
    page.locator('#filter-family input[value="image-guided ablation"]').uncheck()
    shown = set(page.evaluate("window.bclm.visibleNodeIds()"))
    assert RFA not in shown and LESION_25 not in shown
    assert "modality:SurgicalResection" in shown
    page.locator("#reset").click()
    page.locator("#filter-factor").select_option("lesion size")
    kinds = Counter(i.split(":")[0] for i in page.evaluate("window.bclm.visibleNodeIds()"))
    factors = {i for i in page.evaluate("window.bclm.visibleNodeIds()") if i.startswith("factor")}
    assert all(f.startswith("factor:LesionSize|") for f in factors) and len(factors) == 10
    assert kinds["modality"] == 6  # the six modalities with a lesion-size link
    page.locator("#reset").click()
    page.locator("#search").fill("RFA")
    shown = set(page.evaluate("window.bclm.visibleNodeIds()"))
    assert RFA in shown and "modality:SurgicalResection" not in shown
    assert page.locator("#panel h2").inner_text() == "radiofrequency ablation"


INJECTED = {
    "M0": "<script>window.__pwned = 1</script>",
    "F0": '<img src=x onerror="window.__pwned = 2">',
    "F1": "</script><script>window.__pwned = 3</script><!--",
    "Family0": '<b onmouseover="window.__pwned = 4">family</b>',
}
INJECTED_QUOTE = '<img src=y onerror="window.__pwned = 5"> __APP_JS__'


def _synthetic_page(tmp_path: Path, modalities: int, factors: int, **kwargs) -> Path:
    links, context = synthetic(modalities, factors, **kwargs)
    graph = build_network(links, context)
    path = tmp_path / f"synthetic-{graph.number_of_nodes()}.html"
    path.write_text(render_page(page_data(graph, context, "factors", "", 0), "synthetic"))
    return path


def test_injected_labels_show_as_text_and_run_nothing(open_page, tmp_path: Path, artifacts):
    path = _synthetic_page(tmp_path, 4, 12, labels=INJECTED, quote=INJECTED_QUOTE)
    html = path.read_text(encoding="utf-8")
    assert "window.__pwned" in html and "<script>window.__pwned" not in html
    assert "<img src" not in html
    opened = open_page(path)
    page = opened.page
    click_node(page, "modality:M0")
    assert page.locator("#panel h2").inner_text() == INJECTED["M0"]
    click_node(page, "factor:F0|")
    assert page.locator("#panel h2").inner_text() == INJECTED["F0"]
    quotes = page.locator("#panel blockquote").all_inner_texts()
    assert quotes and all(q == f"\u201c{INJECTED_QUOTE}\u201d" for q in quotes)
    hover_node(page, "factor:F1|")
    page.wait_for_selector("#tooltip:not([hidden])")
    assert page.locator("#tooltip").inner_text().startswith(INJECTED["F1"])
    legend = page.locator("#legend").inner_text()
    assert INJECTED["Family0"] in legend
    elements = page.evaluate(
        "document.querySelectorAll('#panel *:not(h2):not(h3):not(p):not(ul):not(li)"
        ":not(span):not(blockquote), #tooltip *, #legend img, #legend b, #legend script').length"
    )
    assert elements == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert (opened.blocked, opened.failed, opened.errors) == ([], [], [])
    page.screenshot(path=artifacts / "injected-labels.png")


def test_synthetic_2000_nodes_becomes_interactive(open_page, tmp_path: Path, artifacts: Path):
    path = _synthetic_page(tmp_path, 40, 1960)
    opened = open_page(path)
    _log_time(artifacts, "synthetic graph", opened.seconds, 2000)
    page = opened.page
    assert page.evaluate("window.bclm.nodes.length") == 2000
    assert (opened.blocked, opened.failed, opened.errors) == ([], [], [])
    assert opened.seconds < READY_BOUND_S
    click_node(page, "modality:M3")
    assert page.locator("#panel h2").inner_text() == "modality 3"
    assert page.evaluate(PAINTED_PIXELS) > 5000
    page.screenshot(path=artifacts / "synthetic-2000.png")
