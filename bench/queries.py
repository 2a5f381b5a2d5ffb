"""Time every template on the embedded Oxigraph store and on rdflib's SPARQL engine.

Both engines hold the same built graph and answer the same template with its default
parameters, in the same run: Oxigraph binds them by substitution, rdflib gets the text with
the VALUES block that remote endpoints get. rdflib runs in a child process per template with
a time limit, so the run is bounded; a template it cannot finish in time is reported as
"> limit" and its ratio as a lower bound. Both answers are compared (numbers by value).
Medians and 95th percentiles go to docs/benchmarks.md. Run by ``make bench``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
import rdflib
from report import machine, spawn, stop, write_section

from bclm_kg.queries.engine import EmbeddedEngine, SelectResult
from bclm_kg.queries.params import Query
from bclm_kg.queries.templates import templates

TARGET_MS = 5.0
TARGET_RATIO = 20.0
Rows = list[tuple[str, ...]]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(run: Callable[[], object], runs: int, budget: float) -> list[float]:
    """Up to ``runs`` CPU times in ms; no new run starts once ``budget`` s (wall) are spent.

    CPU time of this process, not wall time: the machines this runs on are shared, and
    query evaluation here is single-threaded, so on an idle machine the two agree.
    """
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - started < budget):
        t0 = time.process_time()
        run()
        times.append((time.process_time() - t0) * 1000)
    return times


def cell(value: object) -> str:
    """A cell compared across engines: numbers by value, everything else as text."""
    if value is None:
        return ""
    text = value.value if isinstance(value, ox.NamedNode | ox.Literal) else str(value)
    try:
        return str(Decimal(text).normalize())
    except (InvalidOperation, ValueError):
        return text


def rdflib_child(graph: str, text: str, runs: int, budget: float, out: Connection) -> None:
    """In a child process: rdflib's timings and normalised rows, or the error."""
    try:
        g = rdflib.Graph()
        g.parse(graph, format="turtle")
        t0 = time.process_time()
        rows = [tuple(cell(v) for v in row) for row in g.query(text)]
        first = (time.process_time() - t0) * 1000  # rdflib reparses each time: a fair sample
        times = [first, *timed(lambda: list(g.query(text)), runs - 1, budget - first / 1000)]
        out.send(("ok", times, sorted(rows)))
    except Exception as error:  # reported in the table
        out.send(("error", f"{type(error).__name__}: {error}"[:80], []))


def run_rdflib(
    graph: str, text: str, runs: int, budget: float, limit: float
) -> tuple[str, list[float] | str, Rows]:
    process, pipe = spawn(rdflib_child, graph, text, runs, budget)
    try:
        answer = pipe.recv() if pipe.poll(limit) else ("timeout", [], [])
    finally:
        stop(process)
    return answer


def interleaved(runners: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """CPU ms per runner over ``rounds`` rounds, each round running every runner once.

    Round-robin rather than one template after another: a shared machine slows down and
    speeds up over seconds, and interleaving gives every template the same conditions.
    """
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            t0 = time.process_time()
            run()
            times[name].append((time.process_time() - t0) * 1000)
    return times


def oxigraph_times(
    graph: Path, queries: dict[str, Query], rounds: int
) -> tuple[dict[str, SelectResult], dict[str, list[float]], dict[str, list[float]]]:
    """Rows, query times on the graph, and times of the same queries on an empty store.

    On an empty store a query costs what Oxigraph spends before touching data (parsing,
    optimising, setting up the evaluation), so the last column of the table says how much
    of a template's time does not depend on the graph at all.
    """
    engine, empty = EmbeddedEngine.open(graph), EmbeddedEngine(ox.Store())
    results = {}
    for name, query in queries.items():
        for _ in range(3):
            result = engine.run(query)
        assert isinstance(result, SelectResult)
        results[name] = result
    full = interleaved({n: partial(engine.run, q) for n, q in queries.items()}, rounds)
    fixed = interleaved({n: partial(empty.run, q) for n, q in queries.items()}, rounds)
    return results, full, fixed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", type=Path, default=Path("build/bclm-kg.ttl"))
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--runs", type=int, default=200, help="Oxigraph runs per template")
    parser.add_argument("--rdflib-runs", type=int, default=20)
    parser.add_argument("--rdflib-seconds", type=float, default=10.0,
                        help="no new rdflib run starts after this many seconds")  # fmt: skip
    parser.add_argument("--rdflib-limit", type=float, default=60.0,
                        help="seconds before rdflib is stopped on one template")  # fmt: skip
    args = parser.parse_args()

    queries = {name: template.query({}) for name, template in templates().items()}
    results, all_times, fixed_times = oxigraph_times(args.graph, queries, args.runs)
    lines = [
        "## Templates: embedded Oxigraph against rdflib",
        "",
        f"Measured {machine()}. Default parameters; CPU time of the measuring process to a "
        "list of rows (the machine is shared; this single-threaded work takes the same wall "
        "time on an idle machine). Oxigraph: "
        f"{args.runs} rounds after 3 warm-up runs, each round running every template once. "
        "Parse + plan: the same query on an empty store (Oxigraph's fixed cost before it "
        f"reads any data). rdflib: up to {args.rdflib_runs} runs, none "
        f"started after {args.rdflib_seconds:g} s, stopped at {args.rdflib_limit:g} s (then "
        "the ratio is a lower bound). Ratio = rdflib median / Oxigraph median.",
        "",
        "| template | rows | Oxigraph median ms | Oxigraph p95 ms | of which parse + plan ms "
        "| rdflib median ms | rdflib p95 ms | rdflib runs | ratio | same answer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    slow, weak, differ = [], [], []
    for name, query in queries.items():
        result, ox_times = results[name], all_times[name]
        ox_median = statistics.median(ox_times)
        status, rdf_times, rdf_rows = run_rdflib(
            str(args.graph), query.with_values(), args.rdflib_runs, args.rdflib_seconds,
            args.rdflib_limit,
        )  # fmt: skip
        ox_rows = sorted(tuple(cell(v) for v in row) for row in result.rows)
        if status == "ok":
            rdf_median = statistics.median(rdf_times)
            ratio = rdf_median / ox_median
            rdf = (f"{rdf_median:.1f} | {percentile(rdf_times, 0.95):.1f} | {len(rdf_times)} "
                   f"| {ratio:.0f}x")  # fmt: skip
            same = "yes" if rdf_rows == ox_rows else "no"
        elif status == "timeout":
            ratio = args.rdflib_limit * 1000 / ox_median
            rdf = f"> {args.rdflib_limit * 1000:.0f} | - | 0 | > {ratio:.0f}x"
            same = "rdflib did not finish"
        else:
            ratio, rdf, same = 0.0, "- | - | 0 | -", f"rdflib failed ({rdf_times})"
        if ox_median >= TARGET_MS:
            slow.append(name)
        if ratio < TARGET_RATIO:
            weak.append(name)
        if same != "yes":
            differ.append(name)
        lines.append(
            f"| {name} | {len(result.rows)} | {ox_median:.2f} | {percentile(ox_times, 0.95):.2f} "
            f"| {statistics.median(fixed_times[name]):.2f} | {rdf} | {same} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        f"Target: every template under {TARGET_MS:g} ms median on Oxigraph — "
        + ("met." if not slow else f"missed by {', '.join(slow)}."),
        f"Target: at least {TARGET_RATIO:g}x faster than rdflib — "
        + ("met." if not weak else f"not shown for {', '.join(weak)}."),
        "Answers: "
        + (
            "rdflib and Oxigraph agree on every template."
            if not differ
            else f"differ or are missing for {', '.join(differ)}."
        ),
    ]
    write_section(args.out, "queries", "\n".join(lines))
    print("\n".join(lines[-3:]))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
