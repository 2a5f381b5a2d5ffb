"""The modality-factor network as GraphML, for Gephi and Cytoscape.

The same network the page draws (``build_network``, factors view), flattened to the scalar
attributes GraphML can carry: labels, kinds, patient and study counts on nodes; direction,
study count, outcomes and source reviews on edges. Nodes and edges are written in sorted
order, so the file is byte-identical for the same graph.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..queries.export import load_store
from .context import load_context
from .links import modality_factor_links
from .network import View, build_network


def _joined(values: object) -> str:
    return "; ".join(sorted(str(v) for v in values))  # type: ignore[union-attr]


def flat_network(graph_path: Path) -> nx.MultiDiGraph:
    """The factors-view network with scalar attributes only, in sorted order."""
    store = load_store(graph_path)
    network = build_network(modality_factor_links(store), load_context(store), View.factors)
    flat = nx.MultiDiGraph()
    for node, data in sorted(network.nodes(data=True)):
        flat.add_node(
            node,
            label=data["label"],
            kind=data["kind"],
            group=data.get("group", ""),
            iri=data["iri"],
            studies=len(data.get("studies", ())),
            patients=sum(data.get("patients", {}).values()),
        )
    edges = sorted(network.edges(keys=True, data=True), key=lambda e: (e[3]["ends"], e[2]))
    for _, _, key, data in edges:
        source, target = data["ends"]
        flat.add_edge(
            source,
            target,
            key=key,
            direction=data["direction"],
            studies=len(data["studies"]),
            outcomes=_joined({link.outcome for link in data["links"] if link.outcome}),
            sources=_joined(data["sources"]),
        )
    return flat


def network_graphml(graph_path: Path) -> bytes:
    """GraphML text of ``flat_network``."""
    lines = nx.generate_graphml(flat_network(graph_path), encoding="utf-8", prettyprint=True)
    return ("\n".join(lines) + "\n").encode("utf-8")
