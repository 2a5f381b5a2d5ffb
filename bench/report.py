"""Write one section of docs/benchmarks.md, between its begin and end markers, so the query
benchmark and the load test can each refresh their own table."""

from __future__ import annotations

import multiprocessing
import platform
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph
import rdflib

TITLE = "# Benchmarks\n\nWritten by `make bench`; every number comes from the run that wrote it.\n"


def machine() -> str:
    """One line saying where and with what the numbers were measured."""
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, "
        f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} CPUs"
    )


def write_section(path: Path, name: str, text: str) -> None:
    """Replace the section ``name`` of the file (appending it if new)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    current = path.read_text(encoding="utf-8") if path.is_file() else TITLE
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        after = rest.split(end, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current, encoding="utf-8")


def spawn(target: Callable[..., None], *args: object) -> tuple[BaseProcess, Connection]:
    """``target(*args, pipe)`` in a spawned child; the parent's end of the pipe."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(*args, child))
    process.start()
    child.close()
    return process, parent


def stop(process: BaseProcess) -> None:
    """Kill a child (finished or not) and reap it."""
    process.kill()
    process.join()
