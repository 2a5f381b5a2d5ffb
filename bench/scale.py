"""How the cost of bclm-kg grows with the number of studies (``make bench-scale``).

For each size: synthetic evidence (``bclm-kg synth``), the streaming build in a child
process (wall time and its peak RSS), triples, on-disk store size, the time to bulk-load
the N-Triples into a fresh store, and the median / p95 CPU time of every template (default
parameters, up to 10 runs, none started after 10 s) on the on-disk store. Growth exponents
compare consecutive sizes (1.0 = linear). The in-memory build of the same 1k-study evidence
is the baseline of the same run (reasoner off: with HermiT on every individual it does not
finish in minutes). Results go to docs/benchmarks.md. Sizes are arguments; the default is
the issue's 1k, 10k, 100k, 1M.
"""

from __future__ import annotations

import argparse
import math
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from report import machine, write_section

from bclm_kg.queries.engine import EmbeddedEngine
from bclm_kg.queries.templates import templates
from queries import percentile, timed

RESULTS = Path("docs/benchmarks.md")
BIN = Path(sys.executable).parent / "bclm-kg"


def _child(args: list[str]) -> tuple[float, float]:
    """Run ``bclm-kg args`` in a child; its wall seconds and peak RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([str(BIN), *args], check=True, stdout=subprocess.DEVNULL)
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
    return {
        "studies": studies, "synth_s": synth_s, "build_s": build_s, "rss": rss,
        "triples": len(engine.store), "store_mib": _size_mib(store_dir), "load_s": load_s,
        "latency": latency,
    }  # fmt: skip


def baseline(work: Path) -> float:
    """Wall seconds of the in-memory build (rdflib, no reasoner) of the 1k evidence."""
    seconds, _ = _child([
        "build", "--evidence", str(work / "evidence-1000"), "--no-corpus",
        "--reasoner", "none", "--out", str(work / "memory-1000"),
    ])  # fmt: skip
    return seconds


def _exponent(a: dict, b: dict, key: str) -> str:
    ratio = float(b[key]) / max(float(a[key]), 1e-9)  # type: ignore[arg-type]
    return f"{math.log(ratio) / math.log(b['studies'] / a['studies']):.2f}"  # type: ignore[operator]


def table(rows: list[dict], memory_1k: float | None) -> str:
    lines = [
        "## Scale: synthetic studies, streaming build, on-disk store",
        "",
        f"Measured {machine()}. `bench/scale.py`: synthetic evidence (seed 1), "
        "`bclm-kg build --stream` in a child process (wall time, peak RSS), N-Triples "
        "bulk-loaded into a fresh store, every template up to 10 times (no new run after 10 s) "
        "on the on-disk store with its default parameters (CPU ms).",
        "",
        "| studies | triples | build s | peak RSS MiB | store MiB | load s | slowest template "
        "| its median ms | its p95 ms | build growth | load growth |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rows):
        slow = max(r["latency"], key=lambda n: r["latency"][n][0])
        median, p95 = r["latency"][slow]
        growth = ("-", "-") if i == 0 else (
            _exponent(rows[i - 1], r, "build_s"), _exponent(rows[i - 1], r, "load_s")
        )  # fmt: skip
        lines.append(
            f"| {r['studies']} | {r['triples']} | {r['build_s']:.1f} | {r['rss']:.0f} | "
            f"{r['store_mib']:.1f} | {r['load_s']:.2f} | {slow} | {median:.1f} | {p95:.1f} | "
            f"{growth[0]} | {growth[1]} |"
        )
    lines += ["", "Template medians (ms) per size:", ""]
    names = sorted(rows[0]["latency"])
    lines.append("| template | " + " | ".join(f"{r['studies']}" for r in rows) + " |")
    lines.append("|---|" + "---:|" * len(rows))
    for name in names:
        cells = " | ".join(f"{r['latency'][name][0]:.1f}" for r in rows)
        lines.append(f"| {name} | {cells} |")
    if memory_1k is not None and rows and rows[0]["studies"] == 1000:
        ratio = memory_1k / rows[0]["build_s"]
        lines += [
            "",
            f"Baseline, same run: the in-memory build of the 1k evidence (rdflib, "
            f"reasoner off) took {memory_1k:.1f} s, {ratio:.2f}x the streaming build.",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("build/scale"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for studies in args.sizes:
        rows.append(measure(studies, args.work))
        print(f"{studies} studies: build {rows[-1]['build_s']:.1f} s", flush=True)
    memory = baseline(args.work) if 1000 in args.sizes else None
    write_section(RESULTS, "scale", table(rows, memory))
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
