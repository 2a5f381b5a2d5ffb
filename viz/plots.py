"""``bclm-kg plot``: static figures for slides, as PNG and SVG, byte-identical across runs.

Median overall survival by modality (each study a point sized by its patients, ranges as
lines) and a modality x factor heat map of directions. Drawn with matplotlib's object API
(no pyplot, no display); SVG ids are salted with a fixed string and no dates are written.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib as mpl
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..ontology.rdfio import atomic_write_bytes
from ..queries.export import evidence_table, load_store
from .context import load_context
from .links import modality_factor_links
from .pagedata import DIRECTION_COLOURS
from .plotdata import DirectionGrid, MedianOS, direction_grid, median_os

MEDIAN_OS_FILE = "median-os-by-modality"
DIRECTIONS_FILE = "factor-directions"
CELL_CODES = {"": 0, "favourable": 1, "unfavourable": 2, "no association": 3, "mixed": 4}
CELL_COLOURS = ["#ffffff", DIRECTION_COLOURS["favourable"], DIRECTION_COLOURS["unfavourable"],
                DIRECTION_COLOURS["no association"], "#fdae61"]  # fmt: skip
SAVE_SETTINGS = {"svg.hashsalt": "bclm-kg", "svg.fonttype": "path", "font.family": "DejaVu Sans"}
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}


def _marker_area(n: int | None) -> float:
    return 12 + 6 * math.sqrt(n) if n else 12


def draw_median_os(data: MedianOS) -> Figure:
    rows = {m: i for i, m in enumerate(data.rows)}
    figure = Figure(figsize=(9, 1.2 + 0.32 * len(rows)), layout="constrained")
    axes = figure.add_subplot()
    for point in data.points:
        y = rows[point.modality]
        if point.months_max is not None:
            axes.plot([point.months, point.months_max], [y, y], color="#1f78b4", lw=1.5)
        axes.scatter(
            [point.months], [y], s=_marker_area(point.n), color="#1f78b4", alpha=0.6,
            edgecolors="#08306b", linewidths=0.5,
        )  # fmt: skip
    axes.set_yticks(range(len(rows)), list(rows))
    axes.invert_yaxis()
    axes.set_xlabel("median overall survival (months)")
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    title = "Median overall survival by modality (one point per arm; area ~ patients)"
    axes.set_title(title, fontsize=10)
    if data.other_units:
        note = f"{data.other_units} values reported in weeks are not shown"
        figure.text(0.01, 0.002, note, fontsize=7, color="#555555")
    return figure


def draw_directions(grid: DirectionGrid) -> Figure:
    rows = {m: i for i, m in enumerate(grid.modalities)}
    columns = {f: j for j, f in enumerate(grid.factors)}
    matrix = [[0] * len(columns) for _ in rows]
    for (modality, factor), direction in grid.cells.items():
        matrix[rows[modality]][columns[factor]] = CELL_CODES[direction]
    figure = Figure(figsize=(3 + 0.22 * len(columns), 2.5 + 0.25 * len(rows)), layout="constrained")
    axes = figure.add_subplot()
    axes.imshow(matrix, cmap=ListedColormap(CELL_COLOURS), vmin=0, vmax=4, aspect="auto")
    axes.set_yticks(range(len(rows)), list(rows), fontsize=8)
    axes.set_xticks(range(len(columns)), list(columns), rotation=90, fontsize=7)
    axes.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    axes.grid(which="minor", color="#eeeeee", linewidth=0.5)
    axes.tick_params(which="minor", length=0)
    handles = [
        Line2D([], [], marker="s", linestyle="", markersize=8, color=CELL_COLOURS[code], label=name)
        for name, code in CELL_CODES.items()
        if name
    ]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    axes.set_title("Prognostic factors by modality: direction of association", fontsize=10)
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    with mpl.rc_context(SAVE_SETTINGS):
        figure.savefig(buffer, format=fmt, dpi=150, metadata=METADATA[fmt])
    return buffer.getvalue()


def write_figures(graph_path: Path, out_dir: Path) -> list[Path]:
    """Write both figures as PNG and SVG into ``out_dir``; returns the paths written."""
    store = load_store(graph_path)
    figures = {
        MEDIAN_OS_FILE: draw_median_os(median_os(evidence_table(store))),
        DIRECTIONS_FILE: draw_directions(
            direction_grid(modality_factor_links(store), load_context(store))
        ),
    }
    written = []
    for name, figure in figures.items():
        for fmt in ("png", "svg"):
            path = out_dir / f"{name}.{fmt}"
            atomic_write_bytes(path, figure_bytes(figure, fmt))
            written.append(path)
    return written
