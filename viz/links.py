"""The modality-factor links of the network page, read from the graph by ``links.rq``.

One ``Link`` per prognostic association and modality. The query is the page's only source
of links, and the test compares the page's edges with its rows, so that the page shows
exactly what SPARQL returns. When the SPARQL template library lands, ``links.rq`` is swapped
for the template ``modality_factors``; nothing else here changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..queries.export import UNIT_SYMBOLS
from .sparql import Row, select

LINKS_QUERY = "links.rq"


@dataclass(frozen=True)
class Link:
    """One prognostic association seen through one modality of the arm it was found in."""

    association: str
    modality: str
    factor: str
    level: str  # a factor level (e.g. bclm:EstrogenReceptorPositive), or ""
    threshold: str  # e.g. "> 2.5 cm", or ""
    direction: str
    outcome: str  # label of the outcome affected, or ""
    study: str
    report: str
    source_file: str
    target_sites: tuple[str, ...]
    arms: tuple[str, ...]
    span: str  # "START-END" in the source file
    quote: str  # "" when the graph was built without the corpus

    @property
    def factor_key(self) -> str:
        """Identity of the factor node: the factor with its level or threshold."""
        return f"{self.factor}|{self.level or self.threshold}"


def threshold_text(comparator: str, value: str, unit: str) -> str:
    """'> 2.5 cm' from the parts the graph keeps apart, as the factors export prints it."""
    if not value:
        return ""
    return " ".join(filter(None, (comparator, value, UNIT_SYMBOLS.get(unit, unit))))


def link_rows(store: ox.Store) -> list[Row]:
    """The raw solutions of the link query (one per association, modality and arm)."""
    return select(store, LINKS_QUERY)


def links_from_rows(rows: list[Row]) -> list[Link]:
    """One link per (association, modality); the arms of a report are merged."""
    merged: dict[tuple[str, str], Row] = {}
    sites: dict[tuple[str, str], set[str]] = {}
    arms: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        key = (row["association"], row["modality"])
        merged.setdefault(key, row)
        sites.setdefault(key, set()).add(row["target_site"])
        arms.setdefault(key, set()).add(row["arm"])
    return [
        Link(
            association=row["association"],
            modality=row["modality"],
            factor=row["factor"],
            level=row["factor_value"],
            threshold=threshold_text(row["comparator"], row["threshold"], row["unit"]),
            direction=row["direction"],
            outcome=row["outcome"],
            study=row["study"],
            report=row["report"],
            source_file=row["source_file"],
            target_sites=tuple(sorted(sites[key])),
            arms=tuple(sorted(arms[key])),
            span=f"{row['span_start']}-{row['span_end']}",
            quote=row["quote"],
        )
        for key, row in sorted(merged.items())
    ]


def modality_factor_links(store: ox.Store) -> list[Link]:
    return links_from_rows(link_rows(store))
