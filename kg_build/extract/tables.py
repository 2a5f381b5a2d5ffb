"""Evidence tables (tab- or pipe-separated lines) parsed into study rows.

The header names the columns; each row gives a study (author and citation mark), a year,
n, a modality and cells of outcomes such as ``63 mo``, ``2-y OS: 86%``, ``3-mo DC: 44%``,
``<2% grade 3 and higher AE`` or ``9% grade 3 and higher, 71% any AE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import terms
from .numbers import NUM
from .text import is_table_line

COLUMNS = (
    ("author", r"reference|study|author|trial"),
    ("year", r"year"),
    ("n", r"^n$|patients|^no\.?$"),
    ("modality", r"modality|treatment|therapy|intervention"),
    ("criteria", r"criteria"),
    ("ae", r"\bAE\b|adverse|complication|toxicit"),
    ("response", r"response"),
    ("os", r"^OS$|overall survival|median survival"),
    ("other", r"survival|outcome"),
)


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass
class Row:
    """One study row of a table, as offsets and values."""

    table: int
    author: Cell
    year: Cell | None
    n: Cell | None
    modality: Cell | None
    criteria: Cell | None
    outcome_cells: list[tuple[str, Cell]] = field(default_factory=list)


@dataclass(frozen=True)
class TableValue:
    """One value of an outcome cell."""

    start: int
    end: int
    outcome: str
    value: str
    unit: str
    comparator: str | None = None
    timepoint: str | None = None
    timepoint_max: str | None = None
    timepoint_unit: str | None = None
    grade_min: int | None = None
    grade_max: int | None = None


def tables(text: str) -> list[list[tuple[int, int]]]:
    """Blocks of consecutive table lines, each a list of line offsets."""
    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if re.fullmatch(r"\s*\|[\s|:+-]+", bare):
            pass  # a Markdown rule under the header
        elif is_table_line(bare):
            current.append((position, position + len(bare)))
        elif current:
            blocks.append(current)
            current = []
        position += len(line)
    if current:
        blocks.append(current)
    return [b for b in blocks if len(b) >= 2]


def _cells(text: str, start: int, end: int) -> list[Cell]:
    separator = "\t" if "\t" in text[start:end] else "|"
    cells, position = [], start
    for part in text[start:end].split(separator):
        lead = len(part) - len(part.lstrip())
        cells.append(Cell(position + lead, position + len(part.rstrip()), part.strip()))
        position += len(part) + 1
    if separator == "|" and cells and not cells[0].text:
        cells = cells[1:]
    return cells


def _column_roles(header: list[Cell]) -> list[str | None]:
    roles: list[str | None] = []
    for cell in header:
        role = next(
            (name for name, pattern in COLUMNS if re.search(pattern, cell.text, re.IGNORECASE)),
            None,
        )
        roles.append(role if role not in roles or role == "other" else "other")
    return roles


def rows(text: str) -> list[Row]:
    """Study rows of every table whose header names an author column."""
    found: list[Row] = []
    for number, block in enumerate(tables(text), start=1):
        roles = _column_roles(_cells(text, *block[0]))
        if "author" not in roles:
            continue
        for start, end in block[1:]:
            cells = dict(zip(roles, _cells(text, start, end), strict=False))
            author = cells.get("author")
            if author is None or not re.match(r"[A-Za-z]", author.text):
                continue
            row = Row(
                number,
                author,
                cells.get("year"),
                cells.get("n"),
                cells.get("modality"),
                cells.get("criteria"),
            )
            parts = list(zip(roles, _cells(text, start, end), strict=False))
            row.outcome_cells = [(r, c) for r, c in parts if r in ("os", "other", "response", "ae")]
            found.append(row)
    return found


# --- cells -----------------------------------------------------------------------------------

_ITEM = re.compile(
    rf"(?:(?P<t1>\d+)(?:\s*[\u2013-]\s*(?P<t2>\d+))?\s*-?\s*(?P<tu>y|yr|year|mo|month)s?\s+)?"
    r"(?P<label>[A-Za-z][A-Za-z ]*?)\s*:?\s*(?P<cmp>[<>≤≥])?"
    rf"(?P<value>{NUM})\s*(?P<unit>%|mo\b|months?)"
)
_AE = re.compile(
    rf"(?P<cmp>[<>≤≥])?(?P<value>{NUM})\s*%\s*(?P<what>(?:grade\s*(?P<g1>\d)(?:\s*[\u2013-]\s*(?P<g2>\d))?"
    r"(?P<up>\s*and higher|\s*or higher|\+)?|any|major|minor)?)"
)
_RATE_OF = {
    "MedianOverallSurvival": "OverallSurvivalRate",
    "MedianProgressionFreeSurvival": "ProgressionFreeSurvivalRate",
    "MedianDiseaseFreeSurvival": "DiseaseFreeSurvivalRate",
}
_CMP = {"<": "<", ">": ">", "≤": "<=", "≥": ">="}


def cell_values(role: str, cell: Cell) -> list[TableValue]:
    """The values of one outcome cell; the column gives the outcome when the cell does not."""
    if role == "ae":
        return _ae_values(cell)
    if role == "os":
        match = re.search(rf"({NUM})\s*(mo|months?)\b", cell.text)
        if match:
            return [
                TableValue(
                    cell.start + match.start(),
                    cell.start + match.end(),
                    "MedianOverallSurvival",
                    match.group(1),
                    "Month",
                )
            ]
        return []
    return [v for m in _ITEM.finditer(cell.text) if (v := _item_value(cell, m))]


def _item_value(cell: Cell, match: re.Match[str]) -> TableValue | None:
    label = match.group("label").strip()
    unit = "Percent" if match.group("unit") == "%" else "Month"
    outcome = terms.lookup(label, "OutcomeType")
    if outcome is None:
        return None
    if unit == "Percent":
        outcome = _RATE_OF.get(outcome, outcome)
    timepoint_unit = None
    if match.group("tu"):
        timepoint_unit = "Year" if match.group("tu").startswith("y") else "Month"
    return TableValue(
        cell.start + match.start(),
        cell.start + match.end(),
        outcome,
        match.group("value"),
        unit,
        _CMP.get(match.group("cmp") or ""),
        match.group("t1"),
        match.group("t2"),
        timepoint_unit,
    )


def _ae_values(cell: Cell) -> list[TableValue]:
    found = []
    for match in _AE.finditer(cell.text):
        what = (match.group("what") or "").strip().lower()
        outcome = {"major": "MajorComplicationRate", "minor": "MinorComplicationRate"}.get(
            what, "AdverseEventRate"
        )
        grade_min = int(match.group("g1")) if match.group("g1") else None
        grade_max = None
        if match.group("g2"):
            grade_max = int(match.group("g2"))
        elif grade_min is not None and not match.group("up"):
            grade_max = grade_min
        end = match.end()
        if re.match(r"\s*AE\b", cell.text[end:]):
            end += len(re.match(r"\s*AE\b", cell.text[end:]).group(0))  # type: ignore[union-attr]
        found.append(
            TableValue(
                cell.start + match.start(),
                cell.start + end,
                outcome,
                match.group("value"),
                "Percent",
                _CMP.get(match.group("cmp") or ""),
                grade_min=grade_min,
                grade_max=grade_max,
            )
        )
    return found


def row_modalities(cell: Cell | None) -> list[str]:
    """Modalities of a cell such as ``RFA/MWA/ Cryoablation`` or ``Glass and resin TARE``."""
    if cell is None:
        return []
    joined = re.sub(r"(\w)-\s+(\w)", r"\1\2", cell.text)
    parts = [p.strip() for p in re.split(r"/|,|\band\b", joined) if p.strip()]
    last_word = joined.split()[-1] if joined.split() else ""
    found: list[str] = []
    for part in parts:
        term = terms.lookup(part, "Modality") or terms.lookup(f"{part} {last_word}", "Modality")
        if term is None:
            hits = terms.modalities(part)
            term = hits[0].term if hits else None
        if term is not None and term not in found:
            found.append(term)
    return found


def criteria(cell: Cell | None) -> str | None:
    if cell is None or not cell.text:
        return None
    return terms.lookup(cell.text, "ResponseCriteria", individuals=True)
