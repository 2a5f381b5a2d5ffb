"""The README's table of mapped concepts, rendered from the SSSOM set.

The SSSOM file is the one place mappings are written; the README shows them through this
rendering, and a test keeps the two equal (``bclm-kg mappings`` prints it).
"""

from __future__ import annotations

from itertools import groupby

from .mappings import MappingSet

SHORT_PREDICATE = {
    "skos:exactMatch": "exact",
    "skos:closeMatch": "close",
    "skos:broadMatch": "broad",
    "skos:narrowMatch": "narrow",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(mappings: MappingSet) -> str:
    """A count line and one table row per mapped term, terms and targets sorted by id."""
    rows = sorted(mappings.mappings, key=lambda m: (m.subject_id, m.object_id))
    terms = {m.subject_id for m in rows}
    lines = [
        f"{len(rows)} verified mappings for {len(terms)} terms (`ontology/mappings.sssom.tsv`). "
        "Predicate abbreviations: exact = skos:exactMatch, close = skos:closeMatch, "
        "broad = skos:broadMatch, narrow = skos:narrowMatch.",
        "",
        "| bclm-kg term | label | mappings |",
        "|---|---|---|",
    ]
    for subject, group in groupby(rows, key=lambda m: m.subject_id):
        targets = list(group)
        shown = "; ".join(
            f"{SHORT_PREDICATE[m.predicate_id]} `{m.object_id}` {_cell(m.object_label)}"
            for m in targets
        )
        lines.append(f"| `{subject}` | {_cell(targets[0].subject_label)} | {shown} |")
    return "\n".join(lines) + "\n"


BEGIN = "<!-- mappings:begin (written by `bclm-kg mappings --readme`) -->\n"
END = "<!-- mappings:end -->\n"


class ReadmeMarkerError(ValueError):
    """The README lacks the markers around the mappings table."""


def with_table(readme: str, table: str) -> str:
    """The README text with the part between the mapping markers replaced by ``table``."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ReadmeMarkerError(f"the README needs the lines {BEGIN.strip()} and {END.strip()}")
    return readme[: start + len(BEGIN)] + table + readme[end:]
