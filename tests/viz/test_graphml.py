"""The GraphML export carries the page's modality-factor network, byte-identically."""

from __future__ import annotations

import networkx as nx

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.export import load_store
from bclm_kg.viz.context import load_context
from bclm_kg.viz.graphml import network_graphml
from bclm_kg.viz.links import modality_factor_links
from bclm_kg.viz.network import View, build_network


def test_graphml_is_the_page_network(built: BuildResult, tmp_path):
    data = network_graphml(built.graph_path)
    assert data == network_graphml(built.graph_path)
    path = tmp_path / "network.graphml"
    path.write_bytes(data)
    parsed = nx.read_graphml(path, force_multigraph=True)
    store = load_store(built.graph_path)
    page = build_network(modality_factor_links(store), load_context(store), View.factors)
    assert parsed.number_of_nodes() == page.number_of_nodes() == 73
    assert parsed.number_of_edges() == page.number_of_edges() == 87
    rfa, size = "modality:RadiofrequencyAblation", "factor:LesionSize|> 2.5 cm"
    edges = list(parsed.get_edge_data(rfa, size).values())
    assert edges == [
        {
            "direction": "unfavourable",
            "studies": 2,
            "outcomes": "overall survival rate; survival outcome",
            "sources": "003_a30510250b3ce168.txt; 004_47dc2ef9fc666fcd.txt",
        }
    ]
    assert parsed.nodes[rfa]["label"] == "radiofrequency ablation"
