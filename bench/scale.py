"""How the cost of bclm-kg grows with the number of studies (``make bench-scale``).

For each size: synthetic evidence (``bclm-kg synth``), the streaming build in a child
process (wall time and its peak RSS), triples, on-disk store size, the time to bulk-load
the N-Triples into a fresh store, the median / p95 CPU time of every template (default
parameters, up to 10 runs, none started after 10 s) on the on-disk store, and the time to
write the network page from that store. Growth exponents compare consecutive sizes (1.0 =
linear). Baselines of the same run, at 1k and 10k studies only: the in-memory build
(rdflib, reasoner off; stopped after --baseline-limit seconds, then the ratio is a lower
bound) and rdflib's SPARQL engine over the same N-Triples (each template once, stopped
after --rdflib-limit seconds). Results go to docs/benchmarks.md. Sizes are arguments; the
default is the issue's 1k, 10k, 100k, 1M.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from report import machine, write_section

from bclm_kg.queries.engine import EmbeddedEngine
from bclm_kg.queries.templates import templates
from bclm_kg.viz.build import store_network_html
from queries import percentile, timed

RESULTS = Path("docs/benchmarks.md")
BIN = Path(sys.executable).parent / "bclm-kg"


def _child(args: list[str], limit: float | None = None) -> tuple[float | None, float]:
    """Run ``bclm-kg args`` in a child; its wall seconds (None past ``limit``), peak RSS MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        subprocess.run([str(BIN), *args], check=True, stdout=subprocess.DEVNULL, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, 0.0
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def _size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(studies: int, work: Path) -> dict[str, object]:
    evidence, out = work / f"evidence-{studies}", work / f"out-{studies}"
    shutil.rmtree(evidence, ignore_errors=True)
    synth_s, _ = _child(["synth", "--studies", str(studies), "--seed", "1", "--out", str(evidence)])
    build_s, rss = _child(
        ["build", "--stream", "--evidence", str(evidence), "--no-corpus", "--out", str(out)]
    )
    nt, store_dir = out / "bclm-kg.nt", out / "store"
    fresh = work / f"load-{studies}"
    shutil.rmtree(fresh, ignore_errors=True)
    started = time.perf_counter()
    ox.Store(str(fresh)).bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    load_s = time.perf_counter() - started
    shutil.rmtree(fresh, ignore_errors=True)
    engine = EmbeddedEngine(ox.Store.read_only(str(store_dir)))
    latency = {}
    for name, template in sorted(templates().items()):
        query = template.query({})
        times = timed(lambda q=query: engine.run(q), runs=10, budget=10.0)
        latency[name] = (statistics.median(times), percentile(times, 0.95))
    started = time.perf_counter()
    page = store_network_html(engine.store)
    page_s = time.perf_counter() - started
    return {
        "studies": studies, "synth_s": synth_s, "build_s": build_s, "rss": rss,
        "triples": len(engine.store), "store_mib": _size_mib(store_dir), "load_s": load_s,
        "latency": latency, "page_s": page_s, "page_kib": len(page.encode()) / 1024,
    }  # fmt: skip


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError


def rdflib_child(nt: str, limit: float, out: Connection) -> None:
    """In a child: rdflib parses the N-Triples once, then runs each template once."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(nt, format="nt")
    signal.signal(signal.SIGALRM, _alarm)
    for name, template in sorted(templates().items()):
        text = template.query({}).with_values()
        signal.setitimer(signal.ITIMER_REAL, limit)
        t0 = time.process_time()
        try:
            list(graph.query(text))
            out.send((name, (time.process_time() - t0) * 1000))
        except TimeoutError:
            out.send((name, None))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    out.close()


def rdflib_latency(nt: Path, limit: float) -> dict[str, float | None]:
    """rdflib's CPU ms per template on the same N-Triples; None where it hit ``limit``."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=rdflib_child, args=(str(nt), limit, child))
    process.start()
    child.close()
    answers: dict[str, float | None] = {}
    while len(answers) < len(templates()):
        try:
            name, ms = parent.recv()
        except EOFError:
            break
        answers[name] = ms
    process.join()
    return answers


def baseline(work: Path, studies: int, limit: float) -> float | None:
    """Wall seconds of the in-memory build (rdflib, no reasoner); None past ``limit``."""
    seconds, _ = _child([
        "build", "--evidence", str(work / f"evidence-{studies}"), "--no-corpus",
        "--reasoner", "none", "--out", str(work / f"memory-{studies}"),
    ], limit)  # fmt: skip
    return seconds


def _exponent(a: dict, b: dict, key: str) -> str:
    ratio = float(b[key]) / max(float(a[key]), 1e-9)  # type: ignore[arg-type]
    return f"{math.log(ratio) / math.log(b['studies'] / a['studies']):.2f}"  # type: ignore[operator]


BASELINE_SIZES = (1000, 10_000)
TARGETS = {100_000: (120.0, 4096.0), 1_000_000: (1200.0, 16384.0)}  # build s, RSS MiB
TEMPLATE_TARGET_MS = 500.0


def _ms(value: float | None, limit: float) -> str:
    return f"> {limit * 1000:.0f}" if value is None else f"{value:.1f}"


def table(rows: list[dict], limits: argparse.Namespace) -> str:
    lines = [
        "## Scale: synthetic studies, streaming build, on-disk store",
        "",
        f"Measured {machine()}. `bench/scale.py`: synthetic evidence (seed 1), "
        "`bclm-kg build --stream` (one worker per CPU) in a child process (wall time, peak "
        "RSS), N-Triples bulk-loaded into a fresh store, every template up to 10 times (no new "
        "run after 10 s) on the on-disk store with its default parameters (CPU ms), and the "
        "network page written from that store.",
        "",
        "| studies | triples | build s | peak RSS MiB | store MiB | load s | network page s "
        "| slowest template | its median ms | build growth | load growth |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for i, r in enumerate(rows):
        slow = max(r["latency"], key=lambda n: r["latency"][n][0])
        growth = ("-", "-") if i == 0 else (
            _exponent(rows[i - 1], r, "build_s"), _exponent(rows[i - 1], r, "load_s")
        )  # fmt: skip
        lines.append(
            f"| {r['studies']} | {r['triples']} | {r['build_s']:.1f} | {r['rss']:.0f} | "
            f"{r['store_mib']:.1f} | {r['load_s']:.2f} | {r['page_s']:.2f} | {slow} | "
            f"{r['latency'][slow][0]:.1f} | {growth[0]} | {growth[1]} |"
        )
    lines += ["", "Template medians (ms) per size; rdflib's one run where measured:", ""]
    names = sorted(rows[0]["latency"])
    based = [r for r in rows if "rdflib" in r]
    header = [f"{r['studies']}" for r in rows] + [f"rdflib {r['studies']}" for r in based]
    lines.append("| template | " + " | ".join(header) + " |")
    lines.append("|---|" + "---:|" * len(header))
    for name in names:
        cells = [f"{r['latency'][name][0]:.1f}" for r in rows]
        cells += [_ms(r["rdflib"].get(name), limits.rdflib_limit) for r in based]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    lines += ["", *_baselines(rows, limits), "", *_verdicts(rows)]
    return "\n".join(lines)


def _baselines(rows: list[dict], limits: argparse.Namespace) -> list[str]:
    out = ["Baselines, same run (ratio = baseline / streaming build or Oxigraph):", ""]
    for r in rows:
        if "memory_s" not in r:
            continue
        memory = r["memory_s"]
        build = (
            f"the in-memory build did not finish in {limits.baseline_limit:.0f} s "
            f"(> {limits.baseline_limit / r['build_s']:.1f}x)"
            if memory is None
            else f"the in-memory build took {memory:.1f} s ({memory / r['build_s']:.1f}x)"
        )
        ratios = [
            (ms if ms is not None else limits.rdflib_limit * 1000) / r["latency"][name][0]
            for name, ms in r["rdflib"].items()
        ]
        out.append(
            f"- {r['studies']} studies: {build}; rdflib's SPARQL engine was "
            f"{min(ratios):.0f}x to {max(ratios):.0f}x slower than Oxigraph per template "
            f"(median {statistics.median(ratios):.0f}x; lower bounds where it hit the limit)."
        )
    return out


def _verdicts(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        if r["studies"] in TARGETS:
            seconds, mib = TARGETS[r["studies"]]
            met = r["build_s"] < seconds and r["rss"] < mib
            out.append(
                f"Target {r['studies']} studies built and loaded in under {seconds:.0f} s and "
                f"{mib / 1024:.0f} GiB: {'met' if met else 'missed'} ({r['build_s']:.0f} s, "
                f"{r['rss'] / 1024:.1f} GiB)."
            )
        if r["studies"] == 1_000_000:
            slow = [n for n, (m, _) in r["latency"].items() if m >= TEMPLATE_TARGET_MS]
            out.append(f"Templates under {TEMPLATE_TARGET_MS:.0f} ms at 1M: " + (
                "met." if not slow else f"missed by {', '.join(sorted(slow))}."
            ))  # fmt: skip
    missing = sorted({1000, 10_000, 100_000, 1_000_000} - {r["studies"] for r in rows})
    if missing:
        out.append(f"Not run in this measurement: {', '.join(map(str, missing))} studies.")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("build/scale"))
    parser.add_argument("--baseline-limit", type=float, default=300.0,
                        help="seconds before the in-memory build baseline is stopped")  # fmt: skip
    parser.add_argument("--rdflib-limit", type=float, default=10.0,
                        help="seconds before rdflib is stopped on one template")  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for studies in args.sizes:
        row = measure(studies, args.work)
        if studies in BASELINE_SIZES:
            row["memory_s"] = baseline(args.work, studies, args.baseline_limit)
            row["rdflib"] = rdflib_latency(args.work / f"out-{studies}" / "bclm-kg.nt",
                                           args.rdflib_limit)  # fmt: skip
        rows.append(row)
        print(f"{studies} studies: build {row['build_s']:.1f} s", flush=True)
        write_section(RESULTS, "scale", table(rows, args))  # a long run keeps what it has
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
