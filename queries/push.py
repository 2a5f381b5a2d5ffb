"""Load the built graph into a SPARQL store with the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT`` replaces the target graph, so pushing twice leaves one copy; the default graph is
the target unless a named graph IRI is given. The Turtle file is streamed, not parsed.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .export import GraphNotBuiltError
from .params import QueryError

TURTLE = "text/turtle"


def graph_store_url(endpoint: str, named_graph: str | None) -> str:
    """The endpoint URL with ``?default`` or ``?graph=IRI`` (indirect graph identification)."""
    query = urllib.parse.urlencode({"graph": named_graph}) if named_graph else "default"
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def push_graph(
    graph: Path, endpoint: str, named_graph: str | None = None, timeout: float = 600.0
) -> int:
    """PUT the graph file to the store; returns the number of bytes sent."""
    if not graph.is_file():
        raise GraphNotBuiltError(graph)
    size = graph.stat().st_size
    url = graph_store_url(endpoint, named_graph)
    with graph.open("rb") as body:
        request = urllib.request.Request(
            url,
            data=body,
            method="PUT",
            headers={"Content-Type": TURTLE, "Content-Length": str(size)},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()[:300]
            raise QueryError(f"{url} answered {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise QueryError(f"cannot reach {url}: {getattr(error, 'reason', error)}") from None
    return size
