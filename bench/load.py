"""Bounded load test of ``bclm-kg serve`` on 127.0.0.1: 8 clients, 500 template queries each.

Starts the real server command on a free loopback port, sends every client's queries over
one keep-alive HTTP connection (each template with its default and its example parameters,
in turn), checks every answer against the embedded engine's, and samples the memory of the
server and its worker processes. It stops by itself: a fixed number of requests, a socket
timeout and an overall deadline. Throughput and latency go to docs/benchmarks.md, with the
same queries run in this process on the embedded store as the baseline of the same run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from report import machine, write_section

from bclm_kg.queries.engine import EmbeddedEngine
from bclm_kg.queries.render import wire
from bclm_kg.queries.templates import templates

HOST = "127.0.0.1"
ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (from /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmRSS:"))  # fmt: skip
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            pending += [int(child) for child in task.read_text().split()]
    return total / 1024


def requests() -> list[tuple[str, dict]]:
    """(path, expected W3C JSON) for every template with default and example parameters."""
    engine = EmbeddedEngine.open(Path(ARGS.graph))
    found = []
    for t in templates().values():
        for given in ({}, {p.name: p.example for p in t.params}):
            path = f"/templates/{t.name}?{urllib.parse.urlencode(given)}".rstrip("?")
            found.append((path, json.loads(wire(engine.run(t.query(given)), "json"))))
    return found


def baseline(count: int) -> float:
    """Queries per second for the same template queries in this process, one after another."""
    engine = EmbeddedEngine.open(Path(ARGS.graph))
    queries = [t.query(given) for t in templates().values()
               for given in ({}, {p.name: p.example for p in t.params})]  # fmt: skip
    started = time.perf_counter()
    for i in range(count):
        engine.run(queries[i % len(queries)])
    return count / (time.perf_counter() - started)


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


class Client(threading.Thread):
    def __init__(self, number: int, port: int, work: list[tuple[str, dict]], count: int) -> None:
        super().__init__(daemon=True)
        self.number, self.port, self.work, self.count = number, port, work, count
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.wrong = 0

    def run(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=ARGS.socket_timeout)
        for i in range(self.count):
            if time.monotonic() > DEADLINE:
                self.errors.append("deadline reached")
                return
            path, expected = self.work[(self.number * 7 + i) % len(self.work)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": ACCEPT})
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"{path}: {error}")
                connection.close()
                connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=ARGS.socket_timeout
                )
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                self.errors.append(f"{path}: HTTP {response.status} {body[:200]!r}")
            elif json.loads(body) != expected:
                self.wrong += 1
        connection.close()


def main() -> int:
    work = requests()
    port = free_port()
    command = [str(Path(sys.executable).parent / "bclm-kg"), "serve", "--port", str(port),
               "--graph", ARGS.graph, "--workers", str(ARGS.workers)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, server)
        warm = Client(0, port, work, len(work))  # every query once, so caches are filled
        warm.run()
        memory_before = rss_mb(server.pid)
        clients = [Client(n, port, work, ARGS.queries) for n in range(ARGS.clients)]
        started = time.perf_counter()
        for c in clients:
            c.start()
        samples = []
        while any(c.is_alive() for c in clients):
            samples.append(rss_mb(server.pid))
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        memory_after = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(x for c in clients for x in c.latencies)
    errors = [e for c in clients for e in c.errors] + warm.errors
    wrong = sum(c.wrong for c in clients) + warm.wrong
    answered = len(latencies)
    throughput = answered / elapsed
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    local = baseline(ARGS.clients * ARGS.queries)
    growth = memory_after - memory_before
    flat = growth <= max(16.0, 0.10 * memory_before)
    text = "\n".join([
        "## Load: `bclm-kg serve` on 127.0.0.1",
        "",
        f"Measured {machine()}. {ARGS.clients} concurrent clients x {ARGS.queries} template "
        f"queries each (keep-alive HTTP, SPARQL JSON), server with {ARGS.workers} query "
        "workers; every answer compared with the embedded engine's. Baseline: the same "
        "queries one after another in one process on the embedded store, same run.",
        "",
        "| queries | errors | wrong answers | throughput q/s | p50 ms | p99 ms | baseline q/s "
        "| server / baseline | memory before MiB | after MiB | peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {answered} | {len(errors)} | {wrong} | {throughput:.0f} | {p50:.1f} | {p99:.1f} "
        f"| {local:.0f} | {throughput / local:.2f} | {memory_before:.0f} | {memory_after:.0f} "
        f"| {max(samples or [memory_after]):.0f} |",
        "",
        f"Memory {'flat' if flat else 'GREW'}: {growth:+.1f} MiB over the run.",
    ])  # fmt: skip
    write_section(Path(ARGS.out), "load", text)
    print(text)
    for error in errors[:10]:
        print("error:", error)
    ok = not errors and not wrong and flat and answered == ARGS.clients * ARGS.queries
    return 0 if ok else 1


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--graph", default="build/bclm-kg.ttl")
parser.add_argument("--out", default="docs/benchmarks.md")
parser.add_argument("--clients", type=int, default=8)
parser.add_argument("--queries", type=int, default=500)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--socket-timeout", type=float, default=30.0)
parser.add_argument("--deadline", type=float, default=600.0, help="seconds for the whole run")
ARGS = parser.parse_args()
DEADLINE = time.monotonic() + ARGS.deadline

if __name__ == "__main__":
    sys.exit(main())
