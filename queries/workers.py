"""Query worker processes for the server: a time limit that really stops a query.

pyoxigraph cannot cancel a running query, so the server runs queries in a few worker
processes, each with its own read-only copy of the graph, and kills a worker whose query
outlives the time limit (a fresh one takes its place). A worker answers a request with
the finished response body, already negotiated and capped at ``row_cap`` rows, so the
HTTP process only moves bytes.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .engine import AskResult, EmbeddedEngine, GraphResult, Result, RowCapError, open_disk_store
from .export import load_store
from .page import html_result
from .params import Query, QueryError
from .render import MEDIA_TYPES, choose_format, wire
from .templates import UnknownTemplateError, template

START_TIMEOUT = 120.0


@dataclass(frozen=True)
class Reply:
    """An HTTP status, media type and body."""

    status: int
    media_type: str
    body: bytes


def error_reply(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def answer(engine: EmbeddedEngine, request: dict[str, Any], row_cap: int) -> Reply:
    """Run one request ({'query'| 'template' + 'params', 'accept'}) and format the result."""
    try:
        if "template" in request:
            query = template(request["template"]).query(request["params"])
        else:
            query = Query(request["query"])
        result = engine.run(query, row_cap)
    except UnknownTemplateError as error:
        return error_reply(404, str(error))
    except RowCapError as error:
        return error_reply(400, str(error))
    except QueryError as error:
        return error_reply(400, str(error))
    return _formatted(result, request["accept"], request.get("format"), request.get("title", ""))


def _kind(result: Result) -> str:
    if isinstance(result, GraphResult):
        return "graph"
    return "ask" if isinstance(result, AskResult) else "select"


def _formatted(result: Result, accept: str, fmt: str | None, title: str) -> Reply:
    chosen = choose_format(accept, _kind(result), fmt)
    if chosen is None:
        return error_reply(406, f"cannot answer this {_kind(result)} query as {fmt or accept}")
    if chosen == "html":
        body = html_result(result, title)
        return Reply(200, "text/html; charset=utf-8", body.encode("utf-8"))
    try:
        text = wire(result, chosen)  # type: ignore[arg-type]
    except ValueError as error:
        return error_reply(406, str(error))
    return Reply(200, f"{MEDIA_TYPES[chosen]}; charset=utf-8", text.encode("utf-8"))


def _worker_main(
    conn: Connection, graph: str, store_dir: str | None, row_cap: int
) -> None:  # pragma: no cover - runs in a child process
    store = (
        open_disk_store(Path(graph), Path(store_dir), read_only=True)
        if store_dir
        else load_store(Path(graph))
    )
    engine = EmbeddedEngine(store)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        conn.send(answer(engine, request, row_cap))


class _Worker:
    def __init__(self, context: Any, graph: Path, store_dir: Path | None, row_cap: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, str(graph), str(store_dir) if store_dir else None, row_cap),
            daemon=True,
        )
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(START_TIMEOUT) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise RuntimeError(f"a query worker did not start (exit code {self.process.exitcode})")

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; ``run`` waits at most ``timeout`` s for an answer."""

    def __init__(
        self, graph: Path, store_dir: Path | None, size: int, timeout: float, row_cap: int
    ) -> None:
        self.graph, self.store_dir = graph, store_dir
        self.size, self.timeout, self.row_cap = size, timeout, row_cap
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._context, self.graph, self.store_dir, self.row_cap)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def run(self, request: dict[str, Any]) -> Reply:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return error_reply(503, f"all {self.size} query workers are busy; try again later")
        try:
            worker.conn.send(request)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (OSError, EOFError):
            pass
        self._retire(worker)
        return error_reply(
            503, f"the query ran longer than the time limit of {self.timeout:g} s and was stopped"
        )

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        threading.Thread(target=self._add, daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
