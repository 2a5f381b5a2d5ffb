"""Fixtures for the query tests: the embedded engine over the session's built graph, and a
helper that turns results into rows of displayed cells."""

from __future__ import annotations

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.engine import EmbeddedEngine, Result, SelectResult
from bclm_kg.queries.render import display


@pytest.fixture(scope="session")
def engine(built: BuildResult) -> EmbeddedEngine:
    return EmbeddedEngine.open(built.graph_path)


def rows(result: Result, *columns: str) -> list[tuple[str, ...]]:
    """The result's rows as displayed cells, all columns or just the named ones."""
    assert isinstance(result, SelectResult)
    names = columns or result.variables
    index = [result.variables.index(c) for c in names]
    return [tuple(display(row[i]) for i in index) for row in result.rows]
