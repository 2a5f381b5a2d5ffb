"""Run the SPARQL files packaged with the network page on a loaded store.

The page reads the built graph only through these queries (as the exports do), so what it
shows is what a SPARQL user of the graph sees. Rows are plain ``dict[str, str]`` with ""
for unbound variables, in a fixed order, so that the page is byte-identical across runs.
"""

from __future__ import annotations

from importlib import resources

import pyoxigraph as ox

from ..queries.export import select_rows

Row = dict[str, str]


def query_text(name: str) -> str:
    """The text of a packaged query, e.g. ``links.rq`` or ``context/arms.rq``."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def select(store: ox.Store, name: str) -> list[Row]:
    """The solutions of a packaged SELECT query, sorted so that their order is fixed."""
    rows = select_rows(store, query_text(name))
    return sorted(rows, key=lambda r: tuple(r.values()))
