"""A deterministic layout computed with networkx, so that the page opens already settled.

Each connected component gets a Kamada-Kawai layout (up to 300 nodes; beyond, a spring
layout with a fixed seed) over its nodes in sorted order, in a square box whose side grows
with the square root of its size; the boxes are then packed in rows, largest first, so that
small islands do not fly off to the edges. Positions are whole pixels, so the page is
byte-identical across runs.
"""

from __future__ import annotations

import math

import networkx as nx

SEED = 20240501
SPACING = 170  # box side per sqrt(node), in pixels
GAP = 40
KAMADA_KAWAI_MAX = 300  # larger components use the (faster) spring layout


def _component_layout(graph: nx.Graph, nodes: list[str], seed: int) -> dict[str, tuple]:
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted(graph.subgraph(nodes).edges()))
    if len(nodes) <= KAMADA_KAWAI_MAX:  # spreads hubs evenly; deterministic, no seed needed
        return nx.kamada_kawai_layout(sub)
    return nx.spring_layout(sub, seed=seed, iterations=100)


def layout(graph: nx.MultiGraph, seed: int = SEED) -> dict[str, tuple[int, int]]:
    """Node id -> (x, y) in pixels."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.edges()}))
    components = sorted(
        (sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0])
    )
    sides = [SPACING * math.sqrt(len(c)) for c in components]
    row_width = max([*sides[:1], math.sqrt(sum(s * s for s in sides)) * 1.3])
    placed: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for nodes, side in zip(components, sides, strict=True):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        positions = _component_layout(simple, nodes, seed)
        for node in nodes:
            px, py = positions[node]
            placed[node] = (round(x + side / 2 + float(px) * side / 2),
                            round(y + side / 2 + float(py) * side / 2))  # fmt: skip
        x += side + GAP
        row_height = max(row_height, side)
    return dict(sorted(placed.items()))
