"""The data the page embeds: nodes with positions, sizes, shapes and colours, links with
colour by direction and width by supporting studies, facets for the filters, the legend's
styles and every evidence panel. Plain JSON-ready values in a fixed order.

The page aggregates: one link per (modality, factor, direction) carrying its numbers of
studies, associations and reviews; panels list at most a few references each and the source
filter at most ``SOURCE_CAP`` reviews, so the page is bounded by the vocabulary, not by the
number of studies.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import networkx as nx

from .context import Context
from .layout import layout
from .panels import DIRECTION_ORDER, PanelWriter

DIRECTION_COLOURS = {
    "unfavourable": "#d7191c",
    "favourable": "#1a9641",
    "no association": "#7f7f7f",
}
EDGE_COLOURS = {"study": "#b8c0cc", "subtype": "#c51b7d", "step": "#66a61e", "target": "#e6ab02"}
KINDS = {  # kind: (shape, name in the legend)
    "modality": ("dot", "treatment modality (colour: family)"),
    "factor": ("diamond", "prognostic factor (colour: kind)"),
    "study": ("square", "study"),
    "subtype": ("triangle", "molecular subtype"),
    "molecular": ("hexagon", "molecular factor of metastasis"),
    "step": ("star", "metastatic step"),
}
PALETTES = {
    "modality": ("#1f78b4", "#ff7f00", "#6a3d9a", "#8c510a", "#e7298a", "#01665e", "#b15928",
                 "#4d4d4d", "#a6761d", "#3288bd"),
    "factor": ("#fdd49e", "#c6dbef", "#e0e0e0", "#fcc5c0", "#ccebc5", "#decbe4", "#fed9a6",
               "#e5d8bd"),
    "study": ("#f0f0f0",),
    "subtype": ("#f1b6da",),
    "molecular": ("#99d8c9",),
    "step": ("#d9f0a3",),
}  # fmt: skip
BASE_SIZE, EXTRA_SIZE = 12, 28
SOURCE_CAP = 20  # reviews offered by the source filter; the rest are one entry
OTHER_SOURCES = "other"


def _group_colours(graph: nx.MultiGraph) -> dict[str, dict[str, str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for _, data in graph.nodes(data=True):
        groups[data["kind"]].add(data["group"])
    return {
        kind: {g: PALETTES[kind][i % len(PALETTES[kind])] for i, g in enumerate(sorted(names))}
        for kind, names in sorted(groups.items())
    }


def _size(patients: int, most: int) -> float:
    return round(BASE_SIZE + EXTRA_SIZE * math.sqrt(patients / most), 1) if most else BASE_SIZE


def _width(studies: int) -> float:
    return min(10.0, 1.0 + 1.5 * max(studies - 1, 0))


def _summary(graph: nx.MultiGraph, node: str, subtitle: str) -> str:
    counts = Counter(
        data["direction"] for _, _, data in graph.edges(node, data=True) if data["direction"]
    )
    parts = [f"{counts[d]} {d}" for d in DIRECTION_ORDER if counts[d]]
    lines = [graph.nodes[node]["label"], subtitle]
    if parts:
        lines.append("factor links: " + ", ".join(parts))
    return "\n".join(lines)


def _smooth(index: int) -> dict | bool:
    """Parallel links bend apart: the first is straight, then alternately right and left."""
    if index == 0:
        return False
    side = "curvedCW" if index % 2 else "curvedCCW"
    return {"enabled": True, "type": side, "roundness": round(0.2 * ((index + 1) // 2), 2)}


def _nodes(graph: nx.MultiGraph, panels: PanelWriter, panel_data: dict) -> list[dict]:
    """One entry per node, in id order; its panel goes into ``panel_data``."""
    positions = layout(graph)
    colours = _group_colours(graph)
    most = max((sum(d["patients"].values()) for _, d in graph.nodes(data=True)), default=0)
    nodes = []
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        patients = sum(data["patients"].values())
        subtitle = panels.subtitle(node)
        x, y = positions[node]
        nodes.append({
            "id": node, "label": data["label"], "kind": data["kind"], "group": data["group"],
            "factor": data.get("factor", ""), "x": x, "y": y, "size": _size(patients, most),
            "shape": KINDS[data["kind"]][0], "color": colours[data["kind"]][data["group"]],
            "patients": patients, "studies": len(data["studies"]),
            "search": " ".join((data["label"], *data["synonyms"])).casefold(),
            "summary": _summary(graph, node, subtitle),
        })  # fmt: skip
        panel_data[node] = panels.node_panel(node)
    return nodes


def _edges(graph: nx.MultiGraph, panels: PanelWriter, panel_data: dict) -> list[dict]:
    """One entry per link (modality, factor, direction for factor links), with its counts."""
    edges = []
    parallel: Counter[tuple[str, str]] = Counter()
    ordered = sorted((*graph.edges[e]["ends"], e[2]) for e in graph.edges(keys=True))
    for number, (u, v, key) in enumerate(ordered):
        data = graph.edges[u, v, key]
        pair = (min(u, v), max(u, v))
        edge_id = f"e{number}"
        colour = DIRECTION_COLOURS.get(data["direction"], EDGE_COLOURS.get(data["kind"], "#999"))
        edges.append({
            "id": edge_id, "from": u, "to": v, "kind": data["kind"],
            "direction": data["direction"], "studies": len(data["studies"]),
            "associations": len(data["links"]), "reviews": len(data["sources"]),
            "width": _width(len(data["studies"])), "color": colour,
            "dashes": data["kind"] in ("step", "target"), "smooth": _smooth(parallel[pair]),
            "sources": sorted(data["sources"]), "sites": sorted(data["sites"]),
        })  # fmt: skip
        parallel[pair] += 1
        panel_data[edge_id] = panels.edge_panel(u, v, data)
    return edges


def source_facet(edges: list[dict], labels: dict[str, str]) -> list[list[str]]:
    """The reviews to filter by: the ``SOURCE_CAP`` with the most links, by file name, then
    one entry for all others; each edge's ``sources`` is rewritten to match (at most
    ``SOURCE_CAP`` + 1 entries), so the filter stays small however many reviews there are."""
    used = Counter(s for e in edges for s in e["sources"])
    kept = sorted(sorted(used, key=lambda s: (-used[s], s))[:SOURCE_CAP])
    facet = [[s, f"{s[:3]} {labels.get(s, s)}"] for s in kept]
    rest = len(used) - len(kept)
    if rest:
        facet.append([OTHER_SOURCES, f"{rest} other {'review' if rest == 1 else 'reviews'}"])
        shown = set(kept)
        for edge in edges:
            others = [s for s in edge["sources"] if s not in shown]
            edge["sources"] = [s for s in edge["sources"] if s in shown] + (
                [OTHER_SOURCES] if others else []
            )
    return facet


def page_data(graph: nx.MultiGraph, context: Context, view: str, focus: str, omitted: int) -> dict:
    """Everything the page shows, as JSON-ready data."""
    panels = PanelWriter(graph, context)
    panel_data: dict[str, dict] = {}
    nodes = _nodes(graph, panels, panel_data)
    edges = _edges(graph, panels, panel_data)
    labels: dict[str, str] = {}
    for report in context.reports.values():
        labels.setdefault(report.source_file, report.source_label)
    return {
        "view": view,
        "focus": focus,
        "omitted_associations": omitted,
        "nodes": nodes,
        "edges": edges,
        "panels": panel_data,
        "facets": {
            "families": sorted({n["group"] for n in nodes if n["kind"] == "modality"}),
            "factors": sorted({n["factor"] for n in nodes if n["kind"] == "factor"}),
            "directions": [d for d in DIRECTION_ORDER if any(e["direction"] == d for e in edges)],
            "sites": sorted({s for e in edges for s in e["sites"]}),
            "sources": source_facet(edges, labels),
        },
        "styles": {
            "kinds": [[k, s, n] for k, (s, n) in KINDS.items()],
            "groups": _group_colours(graph),
            "directions": DIRECTION_COLOURS,
            "edges": EDGE_COLOURS,
        },
    }
