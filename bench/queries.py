"""Time every template on the embedded Oxigraph store and on rdflib's SPARQL engine.

Both engines hold the same built graph and answer the same template with its default
parameters, in the same run: Oxigraph binds them by substitution, rdflib gets the text with
the VALUES block that remote endpoints get. Each engine's answer is checked against the
other's row count. Medians and 95th percentiles go to docs/benchmarks.md with the ratio
rdflib / Oxigraph. Run by ``make bench``; bounded by --runs and --rdflib-seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import rdflib
from report import machine, write_section

from bclm_kg.queries.engine import EmbeddedEngine, SelectResult
from bclm_kg.queries.params import Query
from bclm_kg.queries.templates import templates

TARGET_MS = 5.0
TARGET_RATIO = 20.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(run: Callable[[], object], runs: int, budget: float) -> list[float]:
    """Up to ``runs`` timings in ms; no new run starts once ``budget`` s are spent."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", type=Path, default=Path("build/bclm-kg.ttl"))
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--runs", type=int, default=200, help="Oxigraph runs per template")
    parser.add_argument("--rdflib-runs", type=int, default=20)
    parser.add_argument("--rdflib-seconds", type=float, default=10.0, help="budget per template")
    args = parser.parse_args()

    oxigraph = EmbeddedEngine.open(args.graph)
    graph = rdflib.Graph()
    graph.parse(args.graph, format="turtle")
    lines = [
        "## Templates: embedded Oxigraph against rdflib",
        "",
        f"Measured {machine()}. Default parameters; time to a list of rows. Oxigraph: "
        f"{args.runs} runs after 3 warm-up runs; rdflib: up to {args.rdflib_runs} runs, "
        f"none started after {args.rdflib_seconds:g} s per template (so slow ones run once). "
        "Ratio = rdflib median / Oxigraph median.",
        "",
        "| template | rows | Oxigraph median ms | Oxigraph p95 ms | rdflib median ms | "
        "rdflib p95 ms | rdflib runs | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    slow, weak, mismatched = [], [], []
    for name, template in templates().items():
        query = template.query({})
        text = Query(query.with_values()).text
        for _ in range(3):
            result = oxigraph.run(query)
        assert isinstance(result, SelectResult)
        t0 = time.perf_counter()
        rdflib_rows = len(list(graph.query(text)))
        first = (time.perf_counter() - t0) * 1000
        if rdflib_rows != len(result.rows):
            mismatched.append(f"{name} ({len(result.rows)} vs {rdflib_rows} rows)")
        ox_times = timed(lambda q=query: oxigraph.run(q), args.runs, 60.0)
        rdf_times = [first]  # rdflib reparses every time: its first run is a fair sample
        rdf_times += timed(lambda t=text: list(graph.query(t)), args.rdflib_runs - 1,
                           args.rdflib_seconds - first / 1000)  # fmt: skip
        ox_median, rdf_median = statistics.median(ox_times), statistics.median(rdf_times)
        ratio = rdf_median / ox_median
        if ox_median >= TARGET_MS:
            slow.append(name)
        if ratio < TARGET_RATIO:
            weak.append(name)
        lines.append(
            f"| {name} | {len(result.rows)} | {ox_median:.2f} | {percentile(ox_times, 0.95):.2f} "
            f"| {rdf_median:.1f} | {percentile(rdf_times, 0.95):.1f} | {len(rdf_times)} "
            f"| {ratio:.0f}x |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        f"Target: every template under {TARGET_MS:g} ms median on Oxigraph — "
        + ("met." if not slow else f"missed by {', '.join(slow)}."),
        f"Target: at least {TARGET_RATIO:g}x faster than rdflib — "
        + ("met." if not weak else f"missed by {', '.join(weak)}."),
        "Row counts: "
        + ("both engines agree." if not mismatched else f"differ for {', '.join(mismatched)}."),
    ]
    write_section(args.out, "queries", "\n".join(lines))
    print("\n".join(lines[-3:]))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
