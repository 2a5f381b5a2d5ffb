"""Where queries run: an embedded pyoxigraph store, or any SPARQL 1.1 endpoint over HTTP.

Both engines answer the same ``Query`` (text plus typed bindings) with the same result
types made of pyoxigraph terms, so templates, renderers and the server do not care where
the graph lives. The embedded engine binds parameters with pyoxigraph's ``substitutions=``;
the remote one, which can only send text, adds a VALUES block of pyoxigraph-serialised
terms at the start of the outermost group (``Template.with_values``).

The embedded store is in memory, loaded from the built Turtle file, or on disk
(``--store DIR``): loaded once, then reused while the graph file is unchanged (its size
and modification time are recorded next to the store).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .export import GraphNotBuiltError, load_store
from .params import Query, QueryError, Term

STORE_MARKER = "bclm-kg-source.json"
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
USER_AGENT = "bclm-kg"


class RowCapError(QueryError):
    """A result with more rows than allowed."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"the result has more than {cap} rows (the row cap); add a LIMIT")


Row = tuple[Term | ox.BlankNode | None, ...]


@dataclass(frozen=True)
class SelectResult:
    variables: tuple[str, ...]
    rows: list[Row]


@dataclass(frozen=True)
class AskResult:
    value: bool


@dataclass(frozen=True)
class GraphResult:
    triples: list[ox.Triple]


Result = SelectResult | AskResult | GraphResult


class Engine(Protocol):
    """Answers a query; raises ``QueryError`` (``RowCapError`` past ``row_cap`` rows)."""

    def run(self, query: Query, row_cap: int | None = None) -> Result: ...


def _capped(items: Iterator, cap: int | None) -> list:
    rows = []
    for item in items:
        rows.append(item)
        if cap is not None and len(rows) > cap:
            raise RowCapError(cap)
    return rows


def _result(answer: object, cap: int | None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return AskResult(bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        return SelectResult(variables, _capped((tuple(row) for row in answer), cap))
    return GraphResult(_capped(iter(answer), cap))  # type: ignore[call-overload]


class EmbeddedEngine:
    """A pyoxigraph store in this process."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def open(cls, graph: Path, store_dir: Path | None = None) -> EmbeddedEngine:
        if store_dir is None:
            return cls(load_store(graph))
        return cls(open_disk_store(graph, store_dir))

    def run(self, query: Query, row_cap: int | None = None) -> Result:
        substitutions = {ox.Variable(name): term for name, term in query.bindings.items()}
        try:
            answer = self.store.query(query.text, substitutions=substitutions or None)
            return _result(answer, row_cap)
        except (SyntaxError, RuntimeError, OSError) as error:
            raise QueryError(f"query failed: {error}") from None


def _graph_stamp(graph: Path) -> dict[str, object]:
    stat = graph.stat()
    return {"graph": str(graph.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def prepare_disk_store(graph: Path, store_dir: Path) -> None:
    """Load the graph into the on-disk store unless it already holds this very file."""
    marker = store_dir / STORE_MARKER
    if not graph.is_file():
        if marker.is_file():
            return  # the store was loaded before; the Turtle file is no longer needed
        raise GraphNotBuiltError(graph)
    stamp = _graph_stamp(graph)
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == stamp:
        return
    marker.unlink(missing_ok=True)
    store = ox.Store(str(store_dir))
    store.clear()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    marker.write_text(json.dumps(stamp), encoding="utf-8")


def open_disk_store(graph: Path, store_dir: Path, read_only: bool = False) -> ox.Store:
    """The on-disk store holding the graph, loading it first when needed."""
    if not read_only:
        prepare_disk_store(graph, store_dir)
        return ox.Store(str(store_dir))
    return ox.Store.read_only(str(store_dir))


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint, queried by HTTP POST with the standard form encoding."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url = url
        self.timeout = timeout

    def run(self, query: Query, row_cap: int | None = None) -> Result:
        body = urllib.parse.urlencode({"query": query.with_values()}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": ACCEPT,
                "User-Agent": USER_AGENT,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                media = response.headers.get_content_type()
                data = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()[:300]
            raise QueryError(f"{self.url} answered {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise QueryError(f"cannot reach {self.url}: {reason}") from None
        return _parse_response(media, data, row_cap)


def _parse_response(media: str, data: bytes, cap: int | None) -> Result:
    results_format = ox.QueryResultsFormat.from_media_type(media)
    try:
        if results_format is not None:
            return _result(ox.parse_query_results(data, format=results_format), cap)
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is not None:
            return GraphResult(_capped((q.triple for q in ox.parse(data, rdf_format)), cap))
    except SyntaxError as error:
        raise QueryError(f"unreadable answer ({media}): {error}") from None
    raise QueryError(f"the endpoint answered with an unsupported media type {media}")


def open_engine(graph: Path, store_dir: Path | None = None, endpoint: str | None = None) -> Engine:
    """The remote endpoint when one is given, else the embedded store of the graph."""
    if endpoint is not None:
        return RemoteEngine(endpoint)
    return EmbeddedEngine.open(graph, store_dir)
