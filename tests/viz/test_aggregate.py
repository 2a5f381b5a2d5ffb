"""The page aggregates: its size is bounded by the vocabulary, not by the number of studies."""

from __future__ import annotations

import pytest

from bclm_kg.viz.network import build_network
from bclm_kg.viz.page import render_page, script_json
from bclm_kg.viz.pagedata import OTHER_SOURCES, SOURCE_CAP, page_data
from bclm_kg.viz.panels import ITEM_CAP, REF_CAP, capped, more_text
from tests.viz.synthetic import synthetic_studies

# 3 modalities x 4 factors x 3 directions, 30 reviews (see synthetic_studies)
NODES, EDGES = 3 + 4, 3 * 4 * 3
# The stated bound: bytes of embedded data per link and per node, plus the rest.
BYTES_PER_EDGE, BYTES_PER_NODE, BYTES_FIXED = 1500, 2500, 2000


def _data(studies: int) -> dict:
    links, context = synthetic_studies(studies)
    return page_data(build_network(links, context), context, "factors", "", 0)


@pytest.fixture(scope="module")
def pages() -> dict[int, dict]:
    return {studies: _data(studies) for studies in (50, 400)}


def _lists(data: dict) -> list[tuple[str, int]]:
    """(panel id, length) of every list of items and of references on the page."""
    found = []
    for panel_id, panel in data["panels"].items():
        for section in panel["sections"]:
            found.append((panel_id, len(section["items"])))
            found += [(panel_id, len(item["refs"])) for item in section["items"]]
    return found


def test_counts_do_not_grow_with_studies(pages: dict[int, dict]):
    for studies, data in pages.items():
        assert (len(data["nodes"]), len(data["edges"])) == (NODES, EDGES), studies
        assert len(data["panels"]) == NODES + EDGES
        assert len(data["facets"]["sources"]) == SOURCE_CAP + 1
        assert max(len(e["sources"]) for e in data["edges"]) <= SOURCE_CAP + 1
        assert max(n for _, n in _lists(data)) <= max(ITEM_CAP, REF_CAP) + 1
    assert sum(e["associations"] for e in pages[50]["edges"]) == 50
    assert sum(e["associations"] for e in pages[400]["edges"]) == 400


def test_page_size_is_bounded_by_the_vocabulary(pages: dict[int, dict]):
    bound = BYTES_PER_EDGE * EDGES + BYTES_PER_NODE * NODES + BYTES_FIXED
    sizes = {studies: len(script_json(data).encode()) for studies, data in pages.items()}
    assert sizes[50] < sizes[400] <= bound == 73_500
    # past the caps only the digits of the counts grow: 10x the studies, < 1% more bytes
    assert len(script_json(_data(4000)).encode()) < sizes[400] * 1.01


def test_link_counts_and_cap_text(pages: dict[int, dict]):
    data = pages[400]
    first = data["edges"][0]
    assert (first["from"], first["to"], first["direction"]) == (
        "modality:M0", "factor:F0|", "favourable"
    )  # fmt: skip
    assert (first["studies"], first["associations"], first["reviews"]) == (12, 12, 5)
    assert first["sources"] == [
        "000_review.txt", "006_review.txt", "012_review.txt", "018_review.txt", OTHER_SOURCES
    ]  # fmt: skip
    panel = data["panels"]["e0"]
    assert panel["subtitle"] == "favourable · 12 studies · 12 associations · 5 reviews"
    refs = panel["sections"][0]["items"][0]["refs"]
    assert [r["text"] for r in refs] == [
        "overall survival · Author0000 2020 (n = 20) — in Review 0 2024",
        "overall survival · Author0036 2020 (n = 26) — in Review 6 2024",
        "overall survival · Author0072 2020 (n = 32) — in Review 12 2024",
        "and 9 more associations",
    ]
    studies = data["panels"]["modality:M0"]["sections"][-1]["items"]
    assert len(studies) == ITEM_CAP + 1 == 21
    assert studies[-1] == {"text": "and 114 more arms", "refs": []}  # 134 arms of M0
    assert data["facets"]["sources"][-1] == [OTHER_SOURCES, "10 other reviews"]
    assert data["facets"]["sources"][0] == ["000_review.txt", "000 Review 0 2024"]


def test_capped_makes_only_what_it_shows():
    made: list[int] = []

    def make(n: int) -> dict:
        made.append(n)
        return {"n": n}

    def more(n: int) -> dict:
        return {"more": more_text(n, "arm", "arms")}

    shown = [{"n": 0}, {"n": 1}, {"n": 2}]
    assert capped(range(5), 3, make, more) == [*shown, {"more": "and 2 more arms"}]
    assert made == [0, 1, 2]
    assert capped(range(4), 3, make, more)[-1] == {"more": "and 1 more arm"}
    assert capped(range(3), 3, make, more) == shown


def test_aggregated_page_is_byte_identical(pages: dict[int, dict]):
    assert render_page(_data(400), "t") == render_page(pages[400], "t")
