"""Disagreements between reviews about one study: both numbers, both sources, never merged."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .export import STUDY_PREFIX, Format, load_store, outcome_label, render, solutions

COLUMNS = (
    "study_id", "outcome", "timepoint", "subgroup",
    "value_a", "source_a", "span_a", "value_b", "source_b", "span_b",
)  # fmt: skip


def _shown(value: str, maximum: str, comparator: str, unit: str) -> str:
    prefix = comparator if comparator not in ("", "=") else ""
    number = f"{prefix}{value}-{maximum}" if maximum else f"{prefix}{value}"
    return f"{number} {unit}"


def _outcome_rows(store: ox.Store) -> list[dict[str, str]]:
    rows = []
    for s in solutions(store, "conflicts.rq"):
        rows.append({
            "study_id": s["study"].removeprefix(STUDY_PREFIX),
            "outcome": outcome_label(s["outcome"], s["grade_min"], s["grade_max"]),
            "timepoint": f"{s['timepoint']} {s['timepoint_unit']}" if s["timepoint"] else "",
            "subgroup": s["subgroup"],
            "value_a": _shown(s["value_a"], s["max_a"], s["cmp_a"], s["unit_a"]),
            "source_a": s["file_a"],
            "span_a": f"{s['start_a']}-{s['end_a']}",
            "value_b": _shown(s["value_b"], s["max_b"], s["cmp_b"], s["unit_b"]),
            "source_b": s["file_b"],
            "span_b": f"{s['start_b']}-{s['end_b']}",
        })  # fmt: skip
    return rows


def _sample_size_rows(store: ox.Store) -> list[dict[str, str]]:
    return [
        {
            "study_id": s["study"].removeprefix(STUDY_PREFIX),
            "outcome": "sample size",
            "timepoint": "",
            "subgroup": "",
            "value_a": s["n_a"],
            "source_a": s["file_a"],
            "span_a": "",
            "value_b": s["n_b"],
            "source_b": s["file_b"],
            "span_b": "",
        }
        for s in solutions(store, "sample_size_conflicts.rq")
    ]


def conflict_rows(store: ox.Store) -> list[dict[str, str]]:
    """Every disagreement, sorted by study, outcome and sources."""
    rows = _outcome_rows(store) + _sample_size_rows(store)
    unique = {tuple(r[c] for c in COLUMNS): r for r in rows}
    return [unique[k] for k in sorted(unique)]


def list_conflicts(graph_path: Path, fmt: Format) -> str:
    return render(conflict_rows(load_store(graph_path)), COLUMNS, fmt)
