"""Flat tables (evidence, factors, studies) exported from the built graph by SPARQL.

The tables are read from the graph, never from the evidence files, so they show exactly
what a SPARQL user of the graph sees. Each query returns one row per combination of
multi-valued fields; ``_collapse`` joins those values in a fixed order, so that output is
deterministic.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

TableName = Literal["evidence", "factors", "studies"]
Format = Literal["tsv", "csv", "json"]
STUDY_PREFIX = "https://w3id.org/bclm-kg/data/study/"

COLUMNS: dict[str, tuple[str, ...]] = {
    "evidence": (
        "source_file",
        "study_id",
        "first_author",
        "year",
        "n_patients",
        "arm",
        "modality",
        "target_site",
        "outcome",
        "adverse_event",
        "value",
        "value_max",
        "unit",
        "timepoint",
        "subgroup",
        "response_criteria",
        "span_start",
        "span_end",
    ),
    "factors": (
        "source_file",
        "study_id",
        "first_author",
        "modality",
        "factor",
        "threshold",
        "direction",
        "outcome_affected",
        "span_start",
        "span_end",
    ),
    "studies": (
        "study_id",
        "first_author",
        "year",
        "n_patients",
        "design",
        "journal",
        "doi",
        "reported_in",
    ),
}

Row = dict[str, str]
Solution = dict[str, str]


class GraphNotBuiltError(FileNotFoundError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"no built graph at {path}; run 'bclm-kg build' first")


def load_store(graph_path: Path) -> ox.Store:
    """An in-memory Oxigraph store holding the built graph."""
    if not graph_path.is_file():
        raise GraphNotBuiltError(graph_path)
    store = ox.Store()
    store.bulk_load(path=str(graph_path), format=ox.RdfFormat.TURTLE)
    return store


def select_rows(store: ox.Store, text: str) -> list[Solution]:
    """Run a SELECT query; each solution is a dict of plain strings, unbound cells ""."""
    results = store.query(text)
    names = [v.value for v in results.variables]
    return [
        {
            name: (term.value if term is not None else "")
            for name, term in zip(names, row, strict=True)
        }
        for row in results
    ]


def solutions(store: ox.Store, query_file: str) -> list[Solution]:
    """Run a packaged .rq file (path relative to this package); unbound cells become ""."""
    text = resources.files(__package__).joinpath(query_file).read_text(encoding="utf-8")
    return select_rows(store, text)


def _collapse(solutions: Iterable[Solution], key: str, multi: str) -> list[Solution]:
    """Merge solutions that share ``key``, joining the distinct values of ``multi``."""
    merged: dict[str, Solution] = {}
    values: dict[str, set[str]] = {}
    for solution in solutions:
        merged.setdefault(solution[key], solution)
        if solution[multi]:
            values.setdefault(solution[key], set()).add(solution[multi])
    for k, solution in merged.items():
        solution[multi] = "; ".join(sorted(values.get(k, ())))
    return list(merged.values())


def _range(low: str, high: str) -> str:
    return f"{low}-{high}" if high and high != low else low


def outcome_label(outcome: str, grade_min: str, grade_max: str) -> str:
    """The outcome type's label with its adverse-event grades, e.g. '... (grade >= 3)'."""
    if not grade_min:
        return outcome
    grades = f"grade {_range(grade_min, grade_max)}" if grade_max else f"grade >= {grade_min}"
    return f"{outcome} ({grades})"


def _evidence_row(s: Solution) -> Row:
    comparator = s["comparator"] if s["comparator"] not in ("", "=") else ""
    timepoint = ""
    if s["timepoint"]:
        timepoint = f"{_range(s['timepoint'], s['timepoint_max'])} {s['timepoint_unit']}"
    return {
        "source_file": s["source_file"],
        "study_id": s["study"].removeprefix(STUDY_PREFIX),
        "first_author": s["first_author"],
        "year": s["reported_year"] or s["pub_year"],
        "n_patients": s["pop_n"] or s["arm_n"],
        "arm": s["arm"],
        "modality": s["modality"],
        "target_site": s["target_site"],
        "outcome": outcome_label(s["outcome"], s["grade_min"], s["grade_max"]),
        "adverse_event": s["adverse_event"],
        "value": comparator + s["value"],
        "value_max": s["value_max"],
        "unit": s["unit"],
        "timepoint": timepoint,
        "subgroup": s["subgroup"],
        "response_criteria": s["m_criteria"] or s["arm_criteria"],
        "span_start": s["span_start"],
        "span_end": s["span_end"],
    }


def _factor_row(s: Solution) -> Row:
    if s["threshold"]:
        threshold = " ".join(
            filter(None, (s["comparator"], s["threshold"], _unit_symbol(s["unit"])))
        )
    else:
        threshold = s["factor_value"]
    return {
        "source_file": s["source_file"],
        "study_id": s["study"].removeprefix(STUDY_PREFIX),
        "first_author": s["first_author"],
        "modality": s["modality"],
        "factor": s["factor"],
        "threshold": threshold,
        "direction": s["direction"],
        "outcome_affected": s["outcome_affected"],
        "span_start": s["span_start"],
        "span_end": s["span_end"],
    }


UNIT_SYMBOLS = {"centimetre": "cm", "millimetre": "mm", "percent": "%", "gray": "Gy", "count": ""}


def _unit_symbol(label: str) -> str:
    return UNIT_SYMBOLS.get(label, label)


def _numeric_key(*values: str) -> tuple:
    return tuple(int(v) if v.isdigit() else 0 for v in values)


def _by_span(rows: list[Row], tie: str) -> list[Row]:
    """Rows in source order: file, then span offsets, then ``tie``."""

    def key(r: Row) -> tuple:
        return (r["source_file"], *_numeric_key(r["span_start"], r["span_end"]), r[tie])

    return sorted(rows, key=key)


def evidence_table(store: ox.Store) -> list[Row]:
    merged = _collapse(solutions(store, "export/evidence.rq"), "m", "modality")
    return _by_span([_evidence_row(s) for s in merged], "outcome")


def factors_table(store: ox.Store) -> list[Row]:
    merged = _collapse(solutions(store, "export/factors.rq"), "a", "modality")
    return _by_span([_factor_row(s) for s in merged], "factor")


def studies_table(store: ox.Store) -> list[Row]:
    studies: dict[str, Row] = {}
    sizes: dict[str, dict[str, int]] = {}
    sources: dict[str, set[str]] = {}
    for s in solutions(store, "export/studies.rq"):
        study_id = s["study"].removeprefix(STUDY_PREFIX)
        studies.setdefault(
            study_id,
            {
                "study_id": study_id,
                "first_author": s["first_author"],
                "year": s["year"],
                "design": s["design"],
                "journal": s["journal"],
                "doi": s["doi"],
            },
        )
        if s["source_file"]:
            sources.setdefault(study_id, set()).add(s["source_file"])
        if s["arm_n"]:
            per_report = sizes.setdefault(study_id, {})
            per_report.setdefault(s["report"], 0)
            per_report[s["report"]] += int(s["arm_n"])
    for study_id, row in studies.items():
        totals = sorted(set(sizes.get(study_id, {}).values()))
        row["n_patients"] = ";".join(str(t) for t in totals)
        row["reported_in"] = ";".join(sorted(sources.get(study_id, ())))
    return [{c: row[c] for c in COLUMNS["studies"]} for _, row in sorted(studies.items())]


TABLES: dict[str, Callable[[ox.Store], list[Row]]] = {
    "evidence": evidence_table,
    "factors": factors_table,
    "studies": studies_table,
}


def export_table(graph_path: Path, table: TableName, fmt: Format) -> str:
    """The table as text in the chosen format, with the table's exact column headers."""
    rows = TABLES[table](load_store(graph_path))
    return render(rows, COLUMNS[table], fmt)


def render(rows: list[Row], columns: tuple[str, ...], fmt: Format) -> str:
    if fmt == "json":
        return (
            json.dumps([{c: r[c] for c in columns} for r in rows], ensure_ascii=False, indent=2)
            + "\n"
        )
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([r[c] for c in columns] for r in rows)
    else:
        buffer.write("\t".join(columns) + "\n")
        for r in rows:
            buffer.write("\t".join(_tsv_cell(r[c]) for c in columns) + "\n")
    return buffer.getvalue()


def _tsv_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
