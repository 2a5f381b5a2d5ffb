"""``bclm-kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

Routes: ``/sparql`` (GET ``?query=``, POST form or ``application/sparql-query``), with
content negotiation (SPARQL JSON, XML, CSV, TSV, HTML; Turtle or N-Triples for graphs)
or a ``format`` parameter; ``/templates`` (JSON list), ``/templates/NAME?param=value``
(a template, same negotiation); ``/`` (the HTML query page). Updates are refused with 403.
Queries run in worker processes (``workers.WorkerPool``) under a time limit and a row cap.
The server binds 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .page import query_page
from .templates import templates
from .workers import Reply, WorkerPool, error_reply

ENDPOINT_PATH = "/sparql"
NETWORK_PATH = "/network"
MAX_BODY = 1_000_000
FORM = "application/x-www-form-urlencoded"
UPDATE_REFUSED = "this endpoint is read-only: SPARQL updates are refused"
# The first keyword after the prologue of a SPARQL update request.
UPDATE_KEYWORD = re.compile(
    r"^\s*(?:(?:#[^\n]*\n|PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|DROP|CLEAR|LOAD|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    row_cap: int = 10_000
    workers: int = 2
    network_page: Path | None = None  # served at /network when the file exists


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        self.server.log(f"{self.address_string()} {format % args}")

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self._route(url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True), None)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(error_reply(413, f"request body over {MAX_BODY} bytes"))
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        media = self.headers.get_content_type()
        if media == FORM:
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                fields.setdefault(key, []).extend(values)
        elif media == "application/sparql-update":
            self._send(error_reply(403, UPDATE_REFUSED))
            return
        elif media == "application/sparql-query":
            fields["query"] = [body]
        else:
            self._send(error_reply(415, f"unsupported content type {media}"))
            return
        self._route(url.path, fields, "POST")

    def do_PUT(self) -> None:
        self._send(error_reply(405, UPDATE_REFUSED))

    do_DELETE = do_PATCH = do_PUT

    def _route(self, path: str, fields: dict[str, list[str]], method: str | None) -> None:
        if path in ("/", "/index.html"):
            network = NETWORK_PATH if self._network_page() is not None else None
            page = query_page(templates(), ENDPOINT_PATH, network)
            self._send(Reply(200, "text/html; charset=utf-8", page.encode("utf-8")))
        elif path == NETWORK_PATH:
            self._network()
        elif path == ENDPOINT_PATH:
            self._sparql(fields)
        elif path == "/templates":
            self._send(Reply(200, "application/json", _template_list().encode("utf-8")))
        elif path.startswith("/templates/"):
            self._template(path.removeprefix("/templates/"), fields)
        else:
            self._send(error_reply(404, f"no such page: {path}"))

    def _network_page(self) -> Path | None:
        page = self.server.settings.network_page
        return page if page is not None and page.is_file() else None

    def _network(self) -> None:
        page = self._network_page()
        if page is None:
            self._send(error_reply(404, "no network page: write it with `bclm-kg viz` first"))
            return
        self._send(Reply(200, "text/html; charset=utf-8", page.read_bytes()))

    def _sparql(self, fields: dict[str, list[str]]) -> None:
        if "update" in fields:
            self._send(error_reply(403, UPDATE_REFUSED))
            return
        queries = fields.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(error_reply(400, "give exactly one non-empty 'query'"))
            return
        if UPDATE_KEYWORD.match(queries[0]):
            self._send(error_reply(403, UPDATE_REFUSED))
            return
        self._send(self.server.pool.run(self._request(fields, query=queries[0])))

    def _template(self, name: str, fields: dict[str, list[str]]) -> None:
        params = {}
        for key, values in fields.items():
            if key == "format":
                continue
            if len(values) != 1:
                self._send(error_reply(400, f"parameter '{key}' given more than once"))
                return
            params[key] = values[0]
        request = self._request(fields, template=name, params=params, title=name)
        self._send(self.server.pool.run(request))

    def _request(self, fields: dict[str, list[str]], **request: object) -> dict[str, object]:
        fmt = fields.get("format", [""])[0] or None
        return {**request, "accept": self.headers.get("Accept", "*/*"), "format": fmt}

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status, HTTPStatus(reply.status).phrase)
        self.send_header("Content-Type", reply.media_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(reply.body)


def _template_list() -> str:
    listed = [
        {
            "name": t.name,
            "summary": t.summary,
            "params": [
                {
                    "name": p.name,
                    "type": p.type.describe(),
                    "default": p.default,
                    "example": p.example,
                    "description": p.description,
                }
                for p in t.params
            ],
        }
        for t in templates().values()
    ]
    return json.dumps(listed, ensure_ascii=False, indent=1) + "\n"


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its worker pool; ``close`` stops both."""

    daemon_threads = True

    def __init__(
        self, pool: WorkerPool, settings: ServerSettings, log: Callable[[str], None]
    ) -> None:
        super().__init__((settings.host, settings.port), _Handler)
        self.pool = pool
        self.settings = settings
        self.log = log

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self.pool.close()


def make_server(
    graph: Path,
    store_dir: Path | None,
    settings: ServerSettings,
    log: Callable[[str], None] = lambda _: None,
) -> SparqlServer:
    """A server over the graph (or the on-disk store), not yet serving."""
    from .engine import prepare_disk_store
    from .export import GraphNotBuiltError

    if store_dir is not None:
        prepare_disk_store(graph, store_dir)
    elif not graph.is_file():
        raise GraphNotBuiltError(graph)
    pool = WorkerPool(graph, store_dir, settings.workers, settings.timeout, settings.row_cap)
    try:
        return SparqlServer(pool, settings, log)
    except OSError:
        pool.close()
        raise


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    """Serve on a daemon thread (for tests and the load benchmark)."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
