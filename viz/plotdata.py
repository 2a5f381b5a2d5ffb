"""The numbers behind the static figures, read from the graph, kept apart from drawing so
that a test can compare them with the graph exactly.

- Median overall survival: one point per measurement of the evidence export whose unit is
  months (values in weeks are counted, not converted), with its arm's modalities, study
  and patients.
- Directions: for every modality and factor of the page (the factor with its level or
  threshold, as the page labels it), the direction of its links, or "mixed".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..queries.export import Row
from .context import Context
from .links import Link
from .network import PROGNOSTIC_FACTOR, factor_label

MEDIAN_OS = "median overall survival"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class OSPoint:
    modality: str  # the arm's modalities joined with "; ", as in the evidence export
    study: str  # "Meloni 2009"
    n: int | None
    months: float
    months_max: float | None
    source_file: str


@dataclass(frozen=True)
class MedianOS:
    points: tuple[OSPoint, ...]
    rows: tuple[str, ...]  # modalities, highest median of their points first
    other_units: int  # measurements not in months, left out of the figure


def _number(text: str) -> float:
    return float(NUMBER.search(text).group())


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_os(evidence: list[Row]) -> MedianOS:
    """Median OS points from the rows of the evidence export."""
    rows = [r for r in evidence if r["outcome"] == MEDIAN_OS]
    points = tuple(
        OSPoint(
            modality=r["modality"],
            study=f"{r['first_author']} {r['year']}".strip(),
            n=int(r["n_patients"]) if r["n_patients"].isdigit() else None,
            months=_number(r["value"]),
            months_max=_number(r["value_max"]) if r["value_max"] else None,
            source_file=r["source_file"],
        )
        for r in rows
        if r["unit"] == "month"
    )
    by_modality: dict[str, list[float]] = defaultdict(list)
    for point in points:
        by_modality[point.modality].append(point.months)
    order = sorted(by_modality, key=lambda m: (-_median(by_modality[m]), m))
    return MedianOS(points, tuple(order), sum(1 for r in rows if r["unit"] != "month"))


@dataclass(frozen=True)
class DirectionGrid:
    modalities: tuple[str, ...]
    factors: tuple[str, ...]  # grouped by factor kind, then by label
    cells: dict[tuple[str, str], str]  # (modality, factor) -> direction or "mixed"


def direction_grid(links: list[Link], context: Context) -> DirectionGrid:
    """The direction of every modality-factor pair the links name."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for link in links:
        factor = factor_label(link, context)
        kinds[factor] = context.label(context.top(link.factor, PROGNOSTIC_FACTOR))
        seen[(context.label(link.modality), factor)].add(context.label(link.direction))
    cells = {key: d.pop() if len(d) == 1 else "mixed" for key, d in sorted(seen.items())}
    return DirectionGrid(
        modalities=tuple(sorted({m for m, _ in cells})),
        factors=tuple(sorted(kinds, key=lambda f: (kinds[f], f))),
        cells=cells,
    )
