"""Assemble a draft evidence file from the tables, mentions, numbers and statements found.

Every record carries ``draft: true`` and a ``confidence``; every fact points at its span.
The draft holds numbers, names and offsets, never the review's sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from . import mentions as mentions_mod
from . import numbers, prognostic, tables, terms
from .mentions import Mention
from .references import Reference, parse_references, reference_section, slug
from .source import review_study_id, source_block
from .text import Sentence, read_review, sentences, span

Record = dict


def number(raw: str | int | None) -> int | float | None:
    """A printed number as YAML writes it: ``63`` stays an int, ``14.2`` a float."""
    if raw is None:
        return None
    text = str(raw)
    return int(text) if text.lstrip("-").isdigit() else float(Decimal(text))


def _ref(number: int | None) -> str | None:
    return f"ref{number}" if number is not None else None


def term_slug(term_ids: list[str]) -> str:
    """An arm id from its modalities: ``RadiofrequencyAblation`` -> ``radiofrequency-ablation``."""
    words = [re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", t) for t in term_ids[:3]]
    return slug(*words)


def _clean(record: Record) -> Record:
    return {k: v for k, v in record.items() if v is not None}


@dataclass
class DraftBuilder:
    """Collects studies and reports while the review is read, then renders the draft."""

    text: str
    references: dict[int, Reference]
    review_id: str
    review: dict
    studies: dict[str, Record] = field(default_factory=dict)
    reports: dict[str, Record] = field(default_factory=dict)

    # --- studies ---------------------------------------------------------------------------

    def study_for(self, mention: Mention) -> str:
        """The study id of a mention, declaring the study on first use."""
        ref = mention.reference
        if ref is None:
            study_id = slug(mention.author or "study", _ref(mention.number))
            self.studies.setdefault(
                study_id,
                {
                    "id": study_id,
                    "first_author": mention.author or "unknown",
                    "draft": True,
                    "confidence": 0.4,
                },
            )
            return study_id
        study_id = slug(ref.first_author, ref.year, ref.journal)
        self.studies.setdefault(
            study_id,
            _clean(
                {
                    "id": study_id,
                    "first_author": ref.first_author,
                    "year": ref.year,
                    "journal": ref.journal,
                    "reference_span": span(self.text, ref.start, ref.end),
                    "draft": True,
                    "confidence": 0.8,
                }
            ),
        )
        return study_id

    def review_study(self) -> str:
        self.studies.setdefault(
            self.review_id,
            _clean(
                {
                    "id": self.review_id,
                    "first_author": self.review["first_author"],
                    "year": self.review["year"] or None,
                    "design": "NarrativeReview",
                    "draft": True,
                    "confidence": 0.9,
                }
            ),
        )
        return self.review_id

    # --- reports ---------------------------------------------------------------------------

    def report(
        self, report_id: str, study: str, reference: int | None, confidence: float
    ) -> Record:
        if report_id not in self.reports:
            self.reports[report_id] = _clean(
                {
                    "id": report_id,
                    "study": study,
                    "reference": reference,
                    "spans": [],
                    "draft": True,
                    "confidence": confidence,
                    "arms": [],
                    "associations": [],
                }
            )
        return self.reports[report_id]

    def arm(self, report: Record, modality: list[str], confidence: float) -> Record:
        modality = modality or ["UnspecifiedTreatment"]
        arm_id = term_slug(modality)
        for arm in report["arms"]:
            if arm["id"] == arm_id:
                return arm
        arm = {
            "id": arm_id,
            "modality": modality,
            "draft": True,
            "confidence": confidence,
            "measurements": [],
        }
        report["arms"].append(arm)
        return arm

    def render(self) -> dict:
        reports = []
        for report in self.reports.values():
            report["spans"] = sorted(set(report["spans"]), key=lambda s: int(s.split("-")[0]))
            report["arms"] = [a for a in report["arms"] if a["measurements"] or a.get("n")]
            for key in ("arms", "associations"):
                if not report[key]:
                    del report[key]
            if "arms" in report or "associations" in report:
                reports.append(report)
        used = {r["study"] for r in reports}
        studies = [s for sid, s in sorted(self.studies.items()) if sid in used]
        return {"source": self.review, "studies": studies, "reports": reports}


def measurement(text: str, value: numbers.Value | tables.TableValue, confidence: float) -> Record:
    """A measurement record from a found value."""
    fields = {
        "outcome": value.outcome,
        "value": number(value.value),
        "value_max": number(getattr(value, "value_max", None)),
        "comparator": value.comparator,
        "unit": value.unit,
        "timepoint": number(value.timepoint),
        "timepoint_max": number(getattr(value, "timepoint_max", None)),
        "timepoint_unit": value.timepoint_unit,
        "grade_min": getattr(value, "grade_min", None),
        "grade_max": getattr(value, "grade_max", None),
        "ci_lower": number(getattr(value, "ci_lower", None)),
        "ci_upper": number(getattr(value, "ci_upper", None)),
        "p_value": number(getattr(value, "p_value", None)),
        "p_comparator": getattr(value, "p_comparator", None),
        "span": span(text, value.start, value.end),
        "draft": True,
        "confidence": confidence,
    }
    return _clean(fields)


# --- tables ------------------------------------------------------------------------------------


def add_table_rows(builder: DraftBuilder) -> None:
    """One report per cited study of each table, one arm per row."""
    text = builder.text
    for row in tables.rows(text):
        found = mentions_mod.mentions(text, row.author.start, row.author.end, builder.references)
        mention = (
            found[0]
            if found
            else Mention(row.author.start, row.author.end, row.author.text.split()[0], None)
        )
        study = builder.study_for(mention)
        year = row.year.text if row.year and row.year.text.isdigit() else None
        report_id = slug(f"t{row.table}", mention.author, year, _ref(mention.number))
        report = builder.report(report_id, study, mention.number, 0.9)
        if year:
            report["reported_year"] = int(year)
        report["spans"] += [
            span(text, c.start, c.end) for c in (row.author, row.year) if c and c.text
        ]
        _table_arm(builder, report, row)


def _table_arm(builder: DraftBuilder, report: Record, row: tables.Row) -> None:
    text = builder.text
    modality = tables.row_modalities(row.modality)
    modality = modality or ["UnspecifiedTreatment"]
    arm = {"id": term_slug(modality), "modality": modality}
    existing = {a["id"] for a in report["arms"]}
    if arm["id"] in existing:
        arm["id"] = f"{arm['id']}-{len(existing) + 1}"
    if row.modality and row.modality.text:
        arm["modality_span"] = span(text, row.modality.start, row.modality.end)
    if row.n and row.n.text.isdigit():
        arm["n"] = int(row.n.text)
        arm["n_span"] = span(text, row.n.start, row.n.end)
    criteria = tables.criteria(row.criteria)
    if criteria and row.criteria:
        arm["response_criteria"] = criteria
        arm["criteria_span"] = span(text, row.criteria.start, row.criteria.end)
    arm.update({"draft": True, "confidence": 0.9 if modality else 0.5})
    arm["measurements"] = [
        measurement(text, value, 0.9)
        for role, cell in row.outcome_cells
        for value in tables.cell_values(role, cell)
    ]
    report["arms"].append(arm)


# --- running text ------------------------------------------------------------------------------


@dataclass
class Reading:
    """What the running text said last: the studies and modalities a sentence refers back to."""

    paragraph: int = -1
    named: list[Mention] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    previous: list[Mention] = field(default_factory=list)  # the one study of the last sentence
    caption: bool = False  # whether the paragraph is a figure caption


def add_running_text(builder: DraftBuilder) -> None:
    """Outcome values and prognostic statements of every sentence, by study."""
    text = builder.text
    stop = reference_section(text) or len(text)
    reading = Reading()
    for sentence in sentences(text):
        if sentence.start >= stop:
            break
        _read_sentence(builder, sentence, reading)


def _read_sentence(builder: DraftBuilder, sentence: Sentence, reading: Reading) -> None:
    text, start, end = builder.text, sentence.start, sentence.end
    found = mentions_mod.mentions(text, start, end, builder.references)
    named = [m for m in found if m.start < m.end and _is_named(text, m)]
    # A citation number that no reference list resolves names no study: the review
    # itself is then the source of what the sentence says.
    cited = [m for m in found if m not in named and m.reference is not None]
    if sentence.paragraph != reading.paragraph:
        reading.paragraph, reading.named = sentence.paragraph, []
        reading.caption = bool(_CAPTION.match(text, start))
    if reading.caption:
        return  # a figure caption describes an image, not the findings of a study
    hits = terms.modalities(text, start, end)
    modality = list(dict.fromkeys(h.term for h in hits))[:3] or reading.modality
    if not named and not cited and reading.previous and _ANAPHORA.search(text, start, end):
        reading.named = reading.previous  # "In this trial, ...": the study just cited
    inherited = not named and not cited and bool(reading.named)
    for value in numbers.values(text, start, end):
        targets = _targets(value.start, named, cited, reading.named if inherited else [], text)
        if (
            not named
            and 1 < value.size == len(cited)
            and value.timepoint is None  # else "respectively" pairs values and timepoints
            and _RESPECTIVELY.search(text, start, end)
        ):
            targets = [cited[value.index]]  # "47 and 17 months ..., respectively [1, 2]"
        elif _TABLE_POINTER.match(text, value.end, min(end, value.end + 40)) or (
            not named and len(cited) >= SUMMARY_CITES
        ):
            # "(Table 1)", or a figure cited to several studies at once: the review's summary
            targets = []
        confidence = round(value.confidence * (0.8 if inherited else 1.0), 2)
        for report in _reports_for(builder, targets, sentence):
            arm = builder.arm(report, modality, confidence)
            record = measurement(text, value, confidence)
            if record not in arm["measurements"]:
                arm["measurements"].append(record)
    for statement in prognostic.statements(text, start, end):
        targets = _targets(statement.start, named, cited, reading.named if inherited else [], text)
        if not named and len(cited) >= SUMMARY_CITES:
            targets = []  # a finding cited to several studies at once: the review's summary
        for report in _reports_for(builder, targets, sentence):
            report["associations"].append(
                _association(text, statement, len(report["associations"]))
            )
    if named:
        reading.named = named
    reading.previous = named[-1:] if named else (cited if len(cited) == 1 else [])
    if hits:
        reading.modality = modality


def _is_named(text: str, mention: Mention) -> bool:
    return "et al" in text[mention.start : mention.end + 1] or (
        "et al" in text[mention.start : mention.start + 60].split(".")[0]
        and mention.author is not None
        and text.startswith(mention.author, mention.start)
    )


SUMMARY_CITES = 3
_CAPTION = re.compile(r"\s*[*_]*(?:Figure|Fig\.)\s*\d")
_RESPECTIVELY = re.compile(r"\brespectively\b")
_ANAPHORA = re.compile(
    r"\b(?:this|that|the same|the) (?:trial|study|series|cohort|analysis)\b"
    r"|\bthe (?:same )?authors\b",
    re.IGNORECASE,
)
_TABLE_POINTER = re.compile(r"[\s(\[►*~-]*Table\s*\d")
_MARK_TEXT = re.compile(r"<sup>[^<]*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+|[(\[][\d,\s\u2013-]*[)\]]|[*.]")


def _targets(
    position: int,
    named: list[Mention],
    cited: list[Mention],
    inherited: list[Mention],
    text: str = "",
) -> list[Mention]:
    """The studies a value at ``position`` belongs to: the named study before it (with those
    named together with it: "A et al. and B et al. found"), else the cited ones, else those
    named by the previous sentence; none means the review itself."""
    if named:
        before = [m for m in named if m.start <= position]
        if not before:
            return [named[0]]
        chosen = [before[-1]]
        for mention in reversed(before[:-1]):
            gap = _MARK_TEXT.sub("", text[mention.end : chosen[0].start])
            if not re.fullmatch(r"[\s,]*(?:and|&)?\s*", gap):
                break
            chosen.insert(0, mention)
        return chosen
    return cited or inherited[-1:]


def _reports_for(builder: DraftBuilder, targets: list[Mention], sentence: Sentence) -> list[Record]:
    sentence_span = span(builder.text, sentence.start, sentence.end)
    reports = []
    if not targets:
        study = builder.review_study()
        report = builder.report(slug("review", builder.review_id), study, None, 0.5)
        report["spans"].append(sentence_span)
        return [report]
    for mention in targets:
        study = builder.study_for(mention)
        confidence = 0.8 if mention.reference else 0.5
        report = builder.report(
            slug("p", study, _ref(mention.number)), study, mention.number, confidence
        )
        report["spans"].append(sentence_span)
        reports.append(report)
    return reports


def _association(text: str, statement: prognostic.Statement, index: int) -> Record:
    return _clean(
        {
            "id": f"a{index + 1}",
            "factor": statement.factor,
            "factor_value": statement.level,
            "comparator": statement.comparator,
            "threshold": number(statement.threshold),
            "unit": statement.unit,
            "direction": statement.direction,
            "outcome": statement.outcome,
            "span": span(text, statement.start, statement.end),
            "draft": True,
            "confidence": statement.confidence,
        }
    )


# --- entry points ------------------------------------------------------------------------------


def extract(path: Path, source_id: str | None = None) -> dict:
    """The draft evidence of the review at ``path`` as plain data (schema-shaped)."""
    text = read_review(path)
    review = source_block(path, text)
    builder = DraftBuilder(text, parse_references(text), review_study_id(review, source_id), review)
    add_table_rows(builder)
    add_running_text(builder)
    return builder.render()


HEADER = (
    "# Draft evidence written by `bclm-kg extract` from {file}. Every record is a draft with a\n"
    "# confidence; review it with `bclm-kg curate diff` and move records into the curated\n"
    "# evidence with `bclm-kg curate accept`.\n"
)


def dump(draft: dict) -> bytes:
    """The draft as YAML, byte-identical for identical input."""
    body = yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=100)
    return (HEADER.format(file=draft["source"]["file"]) + body).encode("utf-8")
