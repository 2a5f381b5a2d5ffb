"""``bclm-kg viz``: the network page of a built graph, from query rows to one HTML file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..ontology.rdfio import atomic_write_bytes
from ..queries.export import load_store
from .context import load_context
from .links import modality_factor_links
from .network import View, build_network
from .page import render_page
from .pagedata import page_data
from .sparql import select

PAGE_FILE = "bclm-network.html"
TITLE = "bclm-kg: treatments of breast cancer liver metastasis and their prognostic factors"


def network_html(graph_path: Path, view: View = View.factors, focus: str | None = None) -> str:
    """The page for one view (and optional focus modality) of the graph at ``graph_path``."""
    return store_network_html(load_store(graph_path), view, focus)


def store_network_html(store: ox.Store, view: View = View.factors, focus: str | None = None) -> str:
    """The page for a graph already in a store (an on-disk one, for large builds)."""
    links = modality_factor_links(store)
    context = load_context(store)
    graph = build_network(links, context, view, focus)
    drawn = {link.association for link in links}
    omitted = len({r["association"] for r in select(store, "context/associations.rq")} - drawn)
    data = page_data(graph, context, view.value, focus or "", omitted)
    title = f"{TITLE} ({view.value} view{f', focus {focus}' if focus else ''})"
    return render_page(data, title)


def write_network_page(
    graph_path: Path, out: Path, view: View = View.factors, focus: str | None = None
) -> Path:
    atomic_write_bytes(out, network_html(graph_path, view, focus).encode("utf-8"))
    return out
