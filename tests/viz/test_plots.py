"""The figures: their data equal the graph's, and the files are identical across runs."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.export import evidence_table, load_store
from bclm_kg.viz.context import load_context
from bclm_kg.viz.links import modality_factor_links
from bclm_kg.viz.plotdata import OSPoint, direction_grid, median_os

FILES = [
    "factor-directions.png",
    "factor-directions.svg",
    "median-os-by-modality.png",
    "median-os-by-modality.svg",
]
MEDIAN_OS_QUERY = """
PREFIX bclm: <https://w3id.org/bclm-kg/>
SELECT ?m ?value ?unit WHERE {
  ?m bclm:outcomeType bclm:MedianOverallSurvival ; bclm:value ?value ; bclm:unit ?unit .
}
"""


def test_median_os_points_equal_the_graph(built: BuildResult):
    store = load_store(built.graph_path)
    data = median_os(evidence_table(store))
    units = Counter(s["unit"].value.rsplit("/", 1)[-1] for s in store.query(MEDIAN_OS_QUERY))
    assert units == {"Month": 68, "Week": 2}
    assert len(data.points) == 68 and data.other_units == 2
    graph_values = sorted(
        float(s["value"].value)
        for s in store.query(MEDIAN_OS_QUERY)
        if s["unit"].value.endswith("Month")
    )
    assert sorted(p.months for p in data.points) == graph_values
    assert (
        OSPoint("surgical resection", "Vlastos 2004", 31, 63.0, None, "001_c55962c33ca41f6d.txt")
        in data.points
    )
    meloni = [p for p in data.points if p.study == "Meloni 2009"]
    assert sorted((p.months, p.n, p.source_file) for p in meloni) == [
        (29.9, 52, "003_a30510250b3ce168.txt"),
        (42.0, 52, "001_c55962c33ca41f6d.txt"),
    ]
    ranges = sorted((p.study, p.months, p.months_max) for p in data.points if p.months_max)
    assert ranges[:2] == [("Eng 2016", 18.0, 24.0), ("Gordon 2016", 10.0, 14.0)]
    assert len(ranges) == 9
    assert data.rows[0] == "cryoablation; microwave ablation; radiofrequency ablation"
    assert len(data.rows) == 24


def test_direction_grid_equals_the_links(built: BuildResult):
    store = load_store(built.graph_path)
    grid = direction_grid(modality_factor_links(store), load_context(store))
    assert len(grid.modalities) == 15 and len(grid.factors) == 58
    assert grid.cells[("radiofrequency ablation", "lesion size > 2.5 cm")] == "unfavourable"
    assert grid.cells[("radiofrequency ablation", "lesion size < 3 cm")] == "favourable"
    assert grid.cells[("radiofrequency ablation", "lesion size > 3 cm")] == "mixed"
    assert grid.cells[("surgical resection", "negative resection margin")] == "mixed"
    assert Counter(grid.cells.values()) == {
        "unfavourable": 36,
        "favourable": 36,
        "no association": 9,
        "mixed": 3,
    }  # 84 pairs: the page's 87 links less the 3 pairs with two directions
    assert {pair for pair, cell in grid.cells.items() if cell == "mixed"} == {
        ("radiofrequency ablation", "lesion size > 3 cm"),
        ("surgical resection", "negative resection margin"),
        ("surgical resection", "receipt of locoregional therapy"),
    }


def _plot(graph: Path, out: Path) -> None:
    command = [sys.executable, "-m", "bclm_kg", "plot", "--graph", str(graph), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout == "".join(
        f"wrote {out / name}\n"
        for name in (
            "median-os-by-modality.png",
            "median-os-by-modality.svg",
            "factor-directions.png",
            "factor-directions.svg",
        )
    )


def test_figures_are_written_and_identical_across_runs(built: BuildResult, tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    _plot(built.graph_path, first)
    _plot(built.graph_path, second)
    assert sorted(p.name for p in first.iterdir()) == FILES
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    svg = (first / "median-os-by-modality.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and svg.startswith("<?xml")
    assert (first / "factor-directions.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
