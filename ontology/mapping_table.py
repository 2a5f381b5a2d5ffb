"""The README's table of mapped concepts, rendered from the SSSOM set.

The SSSOM file is the one place mappings are written; the README shows them through this
rendering, and a test keeps the two equal (``bclm-kg mappings`` prints it).
"""

from __future__ import annotations

from itertools import groupby

from .mappings import MappingSet
from .vocab import Term, Vocabulary

# Roots of bclm-kg's own modelling constructs (reports, arms, spans, ...): no outside
# vocabulary has a counterpart, so their unmapped terms are not listed as gaps.
MODELLING_ROOTS = frozenset({
    "AssociationDirection", "Comparator", "EvidenceSpan", "MechanismStatement",
    "OutcomeMeasurement", "PrognosticAssociation", "ReportConflict", "SourceDocument",
    "StudyPopulation", "StudyReport",
})  # fmt: skip

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


def _root(vocab: Vocabulary, term: Term) -> str:
    current = vocab.terms[term.type] if term.kind == "individual" and term.type else term
    while current.parents:
        current = vocab.terms[current.parents[0]]
    return current.id


def unmapped_table(mappings: MappingSet, vocab: Vocabulary) -> str:
    """The classes and individuals outside the modelling constructs that have no verified
    mapping, grouped by the root of their hierarchy."""
    mapped = {m.term_id for m in mappings.mappings}
    groups: dict[str, list[Term]] = {}
    for term in vocab.terms.values():
        if term.kind in ("class", "individual") and term.id not in mapped:
            root = _root(vocab, term)
            if root not in MODELLING_ROOTS:
                groups.setdefault(root, []).append(term)
    total = sum(len(terms) for terms in groups.values())
    lines = [
        f"{total} concepts have no verified code yet (none could be checked with its label "
        "in a stored copy of the target vocabulary), by the root of their hierarchy:",
        "",
        "| root | concepts without a verified code |",
        "|---|---|",
    ]
    for root in sorted(groups, key=lambda r: vocab.terms[r].label):
        labels = sorted(_cell(t.label) for t in groups[root])
        lines.append(f"| {_cell(vocab.terms[root].label)} ({len(labels)}) | {', '.join(labels)} |")
    return "\n".join(lines) + "\n"


def readme_section(mappings: MappingSet, vocab: Vocabulary) -> str:
    """What the README shows between its mapping markers: mapped and unmapped concepts."""
    return markdown_table(mappings) + "\n" + unmapped_table(mappings, vocab)


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
