"""How the cost of bclm-kg grows with the number of studies (``make bench-scale``).

For each size: synthetic evidence (``bclm-kg synth``), the streaming build in a child
process (wall time, its peak RSS and its seconds per phase), triples, on-disk store size,
the time the build took to bulk-load its N-Triples into a fresh store (its ``load`` phase),
the median / p95 CPU time of every template (default parameters, up to 10
runs, none started after 10 s, each run stopped after --template-seconds) on that store, and
the time to write the network page from it (stopped after --page-seconds). Templates and
the page run in spawned child processes, so a run that hits its limit is stopped and
reported as "> limit" and the benchmark finishes in bounded time at any size. Growth
exponents compare consecutive sizes (1.0 = linear). Baselines of the same run, at 1k and
10k studies only: the in-memory build (rdflib, reasoner off; stopped after
--baseline-limit seconds, then the ratio is a lower bound) and rdflib's SPARQL engine over
the same N-Triples (each template once, stopped after --rdflib-limit seconds). Past the
baseline sizes a size's evidence and outputs are removed once measured (--keep keeps them):
at 1M studies the N-Triples alone are some 20 GB. Each size's row is kept in
docs/bench-scale.json (a run replaces the rows of the sizes it measures) and the table in
docs/benchmarks.md is written from all of them. Sizes are arguments; the default is the
issue's 1k, 10k, 100k, 1M.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from report import machine, spawn, stop, write_section

from bclm_kg.queries.engine import EmbeddedEngine
from bclm_kg.queries.templates import templates
from bclm_kg.viz.build import store_network_html
from queries import percentile

RESULTS = Path("docs/benchmarks.md")
RAW = Path("docs/bench-scale.json")
BIN = Path(sys.executable).parent / "bclm-kg"
RUNS, BUDGET_S = 10, 10.0  # per template: up to 10 runs, none started after 10 s
GRACE_S = 30.0  # past budget + limit, a silent template child is killed


def _child(args: list[str], limit: float | None = None) -> tuple[float | None, float, str]:
    """Run ``bclm-kg args`` in a child; its wall seconds (None past ``limit``), peak RSS MiB
    and output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(BIN), *args], check=True, stdout=subprocess.PIPE, text=True, timeout=limit
        )
    except subprocess.TimeoutExpired:
        return None, 0.0, ""
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, done.stdout


def build_phases(output: str) -> dict[str, float]:
    """Seconds per phase from the streaming build's ``phases:`` line."""
    line = next(line for line in output.splitlines() if line.startswith("phases: "))
    pairs = (part.rsplit(" ", 2)[:2] for part in line.removeprefix("phases: ").split(", "))
    return {phase: float(seconds) for phase, seconds in pairs}


def _size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(studies: int, work: Path, limits: argparse.Namespace) -> dict[str, object]:
    evidence, out = work / f"evidence-{studies}", work / f"out-{studies}"
    shutil.rmtree(evidence, ignore_errors=True)
    synth_s, _, _ = _child(
        ["synth", "--studies", str(studies), "--seed", "1", "--out", str(evidence)]
    )
    build_s, rss, output = _child(
        ["build", "--stream", "--evidence", str(evidence), "--no-corpus", "--out", str(out)]
    )
    phases, store_dir = build_phases(output), out / "store"
    runs = template_runs("oxigraph", str(store_dir), RUNS, BUDGET_S, limits.template_seconds)
    latency = {name: _summary(times) for name, times in runs.items()}
    page = page_time(store_dir, limits.page_seconds)
    return {
        "studies": studies, "synth_s": synth_s, "build_s": build_s, "rss": rss,
        "triples": len(ox.Store.read_only(str(store_dir))), "store_mib": _size_mib(store_dir),
        "load_s": phases["load"], "phases": phases, "latency": latency,
        "page_s": page and page[0], "page_kib": page and page[1], "measured": machine(),
        "commit": _commit(), "template_limit": limits.template_seconds,
        "page_limit": limits.page_seconds,
    }  # fmt: skip


def _commit() -> str:
    """The measured commit (with "+changes" when the work tree differs from it, not counting
    the results this benchmark writes itself: a run of two sizes is not dirty at the second)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    own = [f":(exclude){path}" for path in (RESULTS, RAW)]
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", ".", *own]).returncode
    return head.stdout.strip() + ("+changes" if dirty else "")


def _summary(times: list[float]) -> tuple[float, float] | None:
    """(median, p95) of the runs; None when the first run hit the limit."""
    return (statistics.median(times), percentile(times, 0.95)) if times else None


class RunStopped(BaseException):
    """Raised by the alarm: a BaseException, so that no ``except Exception`` or ``OSError``
    on the way (the query engine turns OSError into QueryError) swallows it."""


def _alarm(signum: int, frame: object) -> None:
    raise RunStopped


def limited_ms(run: Callable[[], object], limit: float) -> float | None:
    """CPU ms of ``run()`` in this process; None when SIGALRM stops it after ``limit`` wall
    seconds. The alarm reaches Python code only: the parent also kills a silent child."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    t0 = time.process_time()
    try:
        run()
        return (time.process_time() - t0) * 1000
    except RunStopped:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _runner(engine: str, data: str) -> Callable[[str], object]:
    """Runs one template by name: on the on-disk store (``oxigraph``, read-only) or on
    rdflib's engine over the N-Triples (``rdflib``, parsed once, the text with VALUES). The
    templates are read here, so that no timed run pays for reading them."""
    templates()
    if engine == "oxigraph":
        oxigraph = EmbeddedEngine(ox.Store.read_only(data))
        return lambda name: oxigraph.run(templates()[name].query({}))
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data, format="nt")
    return lambda name: list(graph.query(templates()[name].query({}).with_values()))


def template_child(
    engine: str, data: str, names: list[str], runs: int, budget: float, limit: float,
    out: Connection,
) -> None:  # fmt: skip
    """In a spawned child: 'ready', then per template its CPU ms runs (up to ``runs``, none
    started after ``budget`` s, each stopped after ``limit`` s; [] if one was)."""
    run = _runner(engine, data)
    out.send(("ready", []))
    for name in names:
        times: list[float] = []
        started = time.perf_counter()
        while len(times) < runs and (not times or time.perf_counter() - started < budget):
            ms = limited_ms(lambda n=name: run(n), limit)
            if ms is None:  # a stopped run stops the template: reported as "> limit"
                times = []
                break
            times.append(ms)
        out.send((name, times))
    out.close()


def template_runs(
    engine: str, data: str, runs: int, budget: float, limit: float
) -> dict[str, list[float]]:
    """Every template's CPU ms runs in children. A child silent for ``budget + limit +
    GRACE_S`` seconds on one template (a query busy in native code, out of the alarm's reach)
    is killed, that template counts as stopped, and a new child goes on with the rest."""
    names = sorted(templates())
    answers: dict[str, list[float]] = {}
    while len(answers) < len(names):
        remaining = [n for n in names if n not in answers]
        process, pipe = spawn(template_child, engine, data, remaining, runs, budget, limit)
        try:
            pipe.recv()  # ready: the store opened, or the N-Triples parsed
            for name in remaining:
                if not pipe.poll(budget + limit + GRACE_S):
                    answers[name] = []
                    break
                got, times = pipe.recv()
                answers[got] = times
        except EOFError:  # the child died (e.g. out of memory) on the next template
            answers[next(n for n in remaining if n not in answers)] = []
        finally:
            stop(process)
    return answers


def page_child(store_dir: str, out: Connection) -> None:
    """In a spawned child: seconds to write the network page from the store, its KiB."""
    store = ox.Store.read_only(store_dir)
    started = time.perf_counter()
    page = store_network_html(store)
    out.send((time.perf_counter() - started, len(page.encode()) / 1024))


def page_time(store_dir: Path, limit: float) -> tuple[float, float] | None:
    """(seconds, KiB) of the network page; None when it took longer than ``limit`` s."""
    process, pipe = spawn(page_child, str(store_dir))
    try:
        return pipe.recv() if pipe.poll(limit) else None
    except EOFError:
        return None
    finally:
        stop(process)


def rdflib_latency(nt: Path, limit: float) -> dict[str, float | None]:
    """rdflib's CPU ms per template (one run) on the same N-Triples; None past ``limit``."""
    runs = template_runs("rdflib", str(nt), 1, 0.0, limit)
    return {name: times[0] if times else None for name, times in runs.items()}


def baseline(work: Path, studies: int, limit: float) -> float | None:
    """Wall seconds of the in-memory build (rdflib, no reasoner); None past ``limit``."""
    seconds, _, _ = _child([
        "build", "--evidence", str(work / f"evidence-{studies}"), "--no-corpus",
        "--reasoner", "none", "--out", str(work / f"memory-{studies}"),
    ], limit)  # fmt: skip
    return seconds


def remove_outputs(work: Path, studies: int) -> None:
    """Free the disk a measured size used (its evidence, N-Triples and store)."""
    for name in (f"evidence-{studies}", f"out-{studies}"):
        shutil.rmtree(work / name, ignore_errors=True)


def _exponent(a: dict, b: dict, key: str) -> str:
    ratio = float(b[key]) / max(float(a[key]), 1e-9)  # type: ignore[arg-type]
    return f"{math.log(ratio) / math.log(b['studies'] / a['studies']):.2f}"  # type: ignore[operator]


BASELINE_SIZES = (1000, 10_000)
TARGETS = {100_000: (120.0, 4096.0), 1_000_000: (1200.0, 16384.0)}  # build s, RSS MiB
TEMPLATE_TARGET_MS = 500.0


def _ms(value: float | None, limit: float) -> str:
    return f"> {limit * 1000:.0f}" if value is None else f"{value:.1f}"


def _median(row: dict, name: str) -> float | None:
    """A template's median ms at one size; None when it hit the limit."""
    summary = row["latency"][name]
    return summary[0] if summary else None


def _slowest(row: dict) -> str:
    """The template with the largest median, a stopped one counting as the largest."""
    return max(sorted(row["latency"]), key=lambda n: _median(row, n) or math.inf)


def _seconds(value: float | None, limit: float) -> str:
    return f"> {limit:.0f}" if value is None else f"{value:.2f}"


def table(rows: list[dict]) -> str:
    """The section: one row per size, each from the run that last measured that size."""
    lines = [
        "## Scale: synthetic studies, streaming build, on-disk store",
        "",
        "`bench/scale.py`: synthetic evidence (seed 1), `bclm-kg build --stream` (one worker "
        "per CPU) in a child process (wall time, peak RSS; load s is the build's bulk load "
        "of its N-Triples into a fresh on-disk store), every template up to 10 times (no new "
        "run after 10 s, a run stopped after the row's limit) on that store with its default "
        "parameters (CPU ms), and the network page written from that store (stopped after the "
        "row's limit); each in a child process. A run measures the sizes it is given and keeps "
        "the other rows (raw data: `docs/bench-scale.json`); where each row was measured:",
        "",
        *[
            f"- {r['studies']} studies: {r['measured']}, commit {r['commit']}; template limit "
            f"{r['template_limit']:g} s, page limit {r['page_limit']:g} s; build phases: "
            f"{_phases(r)}{'; ' + r['note'] if r.get('note') else ''}"
            for r in rows
        ],
        "",
        "| studies | triples | build s | peak RSS MiB | store MiB | load s | network page s "
        "| slowest template | its median ms | build growth | load growth |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for i, r in enumerate(rows):
        slow = _slowest(r)
        growth = ("-", "-") if i == 0 else (
            _exponent(rows[i - 1], r, "build_s"), _exponent(rows[i - 1], r, "load_s")
        )  # fmt: skip
        lines.append(
            f"| {r['studies']} | {r['triples']} | {r['build_s']:.1f} | {r['rss']:.0f} | "
            f"{r['store_mib']:.1f} | {r['load_s']:.2f} | "
            f"{_seconds(r['page_s'], r['page_limit'])} | {slow} | "
            f"{_ms(_median(r, slow), r['template_limit'])} | {growth[0]} | {growth[1]} |"
        )
    lines += ["", "Template medians (ms) per size; rdflib's one run where measured:", ""]
    names = sorted(rows[0]["latency"])
    based = [r for r in rows if "rdflib" in r]
    header = [f"{r['studies']}" for r in rows] + [f"rdflib {r['studies']}" for r in based]
    lines.append("| template | " + " | ".join(header) + " |")
    lines.append("|---|" + "---:|" * len(header))
    for name in names:
        cells = [_ms(_median(r, name), r["template_limit"]) for r in rows]
        cells += [_ms(r["rdflib"].get(name), r["rdflib_limit"]) for r in based]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    lines += ["", *_baselines(rows), "", *_verdicts(rows)]
    return "\n".join(lines)


def _phases(row: dict) -> str:
    phases = row.get("phases")
    return ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()) if phases else "not recorded"


def _baselines(rows: list[dict]) -> list[str]:
    out = ["Baselines, same run (ratio = baseline / streaming build or Oxigraph):", ""]
    for r in rows:
        if "memory_s" not in r:
            continue
        memory = r["memory_s"]
        build = (
            f"the in-memory build did not finish in {r['baseline_limit']:.0f} s "
            f"(> {r['baseline_limit'] / r['build_s']:.1f}x)"
            if memory is None
            else f"the in-memory build took {memory:.1f} s ({memory / r['build_s']:.1f}x)"
        )
        ratios = [
            (ms if ms is not None else r["rdflib_limit"] * 1000) / median
            for name, ms in r["rdflib"].items()
            if (median := _median(r, name))  # a template Oxigraph did not finish has no ratio
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
            slow = [n for n in r["latency"] if (_median(r, n) or math.inf) >= TEMPLATE_TARGET_MS]
            out.append(f"Templates under {TEMPLATE_TARGET_MS:.0f} ms at 1M: " + (
                "met." if not slow else f"missed by {', '.join(sorted(slow))}."
            ))  # fmt: skip
    missing = sorted({1000, 10_000, 100_000, 1_000_000} - {r["studies"] for r in rows})
    if missing:
        out.append(f"Not run in this measurement: {', '.join(map(str, missing))} studies.")
    return out


def load_rows() -> dict[int, dict]:
    """The rows measured so far, by size."""
    if not RAW.is_file():
        return {}
    return {int(size): row for size, row in json.loads(RAW.read_text(encoding="utf-8")).items()}


def save_rows(rows: dict[int, dict]) -> None:
    """The raw rows and the section rendered from all of them."""
    ordered = {str(size): rows[size] for size in sorted(rows)}
    RAW.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
    write_section(RESULTS, "scale", table([rows[size] for size in sorted(rows)]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("build/scale"))
    parser.add_argument("--baseline-limit", type=float, default=300.0,
                        help="seconds before the in-memory build baseline is stopped")  # fmt: skip
    parser.add_argument("--rdflib-limit", type=float, default=10.0,
                        help="seconds before rdflib is stopped on one template")  # fmt: skip
    parser.add_argument("--template-seconds", type=float, default=60.0,
                        help="seconds before one run of a template is stopped")  # fmt: skip
    parser.add_argument("--page-seconds", type=float, default=600.0,
                        help="seconds before writing the network page is stopped")  # fmt: skip
    parser.add_argument("--keep", action="store_true",
                        help="keep evidence and outputs of sizes above 10k studies")  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = load_rows()
    for studies in args.sizes:
        row = measure(studies, args.work, args)
        if studies in BASELINE_SIZES:
            row["memory_s"] = baseline(args.work, studies, args.baseline_limit)
            row["rdflib"] = rdflib_latency(args.work / f"out-{studies}" / "bclm-kg.nt",
                                           args.rdflib_limit)  # fmt: skip
            row["baseline_limit"], row["rdflib_limit"] = args.baseline_limit, args.rdflib_limit
        rows[studies] = row
        if studies > max(BASELINE_SIZES) and not args.keep:
            remove_outputs(args.work, studies)
        print(f"{studies} studies: build {row['build_s']:.1f} s", flush=True)
        save_rows(rows)  # a long run keeps what it has
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
