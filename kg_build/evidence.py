"""Read curated evidence files, validate them, and check their spans against the corpus.

Every failure is an ``EvidenceError`` naming the file, the record (a path of record ids,
such as ``t1-adam-2006/resection/m2``) and the field.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .corpus import Corpus, span_hash
from .errors import EvidenceError
from .schema import Arm, EvidenceFile, Measurement, Report, Span, Study

EVIDENCE_DIR = Path(__file__).resolve().parent / "evidence"
CONTAINERS = ("studies", "reports", "arms", "subgroups", "measurements", "associations")
DEFAULT_PREFIX = {"measurements": "m", "associations": "a"}


@dataclass(frozen=True)
class Evidence:
    """A validated evidence file and the name it is reported under."""

    name: str
    content: EvidenceFile


def measurement_id(measurement: Measurement, index: int) -> str:
    return measurement.id or f"m{index + 1}"


def association_id(association: Any, index: int) -> str:
    return association.id or f"a{index + 1}"


def evidence_files(directory: Path = EVIDENCE_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_evidence(paths: list[Path]) -> list[Evidence]:
    """Parse and validate every file, then check what spans files (studies, ids).

    Curated evidence holds no drafts: a record still marked ``draft`` has not been accepted
    by a curator (``bclm-kg curate accept``), so the build refuses it.
    """
    loaded = [load_evidence_file(path) for path in paths]
    for evidence in loaded:
        check_no_drafts(evidence)
    check_cross_references(loaded)
    return loaded


def draft_records(content: EvidenceFile) -> list[str]:
    """Record paths of every record marked ``draft`` (studies, reports, arms, values, ...)."""
    found = [s.id for s in content.studies if s.draft]
    for report in content.reports:
        found += [report.id] if report.draft else []
        found += [
            f"{report.id}/{association_id(a, i)}"
            for i, a in enumerate(report.associations)
            if a.draft
        ]
        for arm in report.arms:
            found += [f"{report.id}/{arm.id}"] if arm.draft else []
            found += [
                f"{report.id}/{arm.id}/{measurement_id(m, i)}"
                for i, m in enumerate(arm.measurements)
                if m.draft
            ]
    return found


def check_no_drafts(evidence: Evidence) -> None:
    drafts = draft_records(evidence.content)
    if drafts:
        message = "draft record in curated evidence; accept it with 'bclm-kg curate accept'"
        raise EvidenceError(evidence.name, drafts[0], "draft", message)


# libyaml parses large synthetic files many times faster; the pure-Python loader stays the
# default because its error messages are the ones the bad-input tests pin.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_evidence_file(path: Path, fast: bool = False) -> Evidence:
    name = path.name
    loader = _FAST_LOADER if fast else yaml.SafeLoader
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise EvidenceError(name, None, None, f"malformed YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EvidenceError(name, None, None, f"cannot read file: {error}") from None
    if not isinstance(raw, dict):
        raise EvidenceError(name, None, None, "malformed evidence file: expected a mapping")
    try:
        content = EvidenceFile.model_validate(raw)
    except ValidationError as error:
        raise _from_validation_error(name, raw, error) from None
    _check_unique_ids(name, content)
    return Evidence(name, content)


def _from_validation_error(name: str, raw: dict, error: ValidationError) -> EvidenceError:
    first = error.errors()[0]
    record, field = _locate(raw, first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "missing required field"
    elif first["type"] == "extra_forbidden":
        message = "unknown field (not in the evidence schema)"
    elif "input" in first and first["type"] not in ("value_error",):
        message = f"{message} (got {first['input']!r})"
    return EvidenceError(name, record, field, message)


def _locate(raw: Any, loc: tuple) -> tuple[str | None, str | None]:
    """Split a pydantic location into a record path of ids and the field within it."""
    parts: list[str] = []
    node, i = raw, 0
    while i + 1 < len(loc) and loc[i] in CONTAINERS and isinstance(loc[i + 1], int):
        section, index = loc[i], loc[i + 1]
        node = node.get(section, [])[index] if isinstance(node, dict) else {}
        given = node.get("id") if isinstance(node, dict) else None
        parts.append(str(given) if given else f"{DEFAULT_PREFIX.get(section, section)}{index + 1}")
        i += 2
    field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc[i:]).replace(".[", "[")
    return ("/".join(parts) or None), (field or None)


def _check_unique_ids(name: str, content: EvidenceFile) -> None:
    def unique(ids: list[str], scope: str) -> None:
        seen: set[str] = set()
        for record_id in ids:
            if record_id in seen:
                raise EvidenceError(name, f"{scope}{record_id}", "id", "duplicate record id")
            seen.add(record_id)

    unique([s.id for s in content.studies], "")
    unique([r.id for r in content.reports], "")
    unique([m.id for m in content.mechanisms], "mechanisms/")
    for report in content.reports:
        unique([a.id for a in report.arms], f"{report.id}/")
        unique([association_id(a, i) for i, a in enumerate(report.associations)], f"{report.id}/")
        for arm in report.arms:
            scope = f"{report.id}/{arm.id}/"
            unique([measurement_id(m, i) for i, m in enumerate(arm.measurements)], scope)
            unique([g.id for g in arm.subgroups], scope)


IDENTITY_FIELDS = ("first_author", "year", "journal")


def check_cross_references(loaded: list[Evidence]) -> None:
    """A study declared in several files has one identity; reports name declared studies.

    Each file declares the studies it cites from its own reference list, so spans and
    designs may differ between files; author, year and journal (and DOI where both give
    one) may not.
    """
    registry = StudyRegistry()
    for evidence in loaded:
        registry.declare(evidence)
    for evidence in loaded:
        check_report_references(evidence, registry.declared)


class StudyRegistry:
    """The studies and source files declared so far, for checks across evidence files."""

    def __init__(self) -> None:
        self.declared: dict[str, tuple[str, Study]] = {}
        self.sources: dict[str, str] = {}
        self.designs: set[tuple[str, str]] = set()  # (study id, design) from any file

    def declare(self, evidence: Evidence) -> None:
        self.declare_studies(evidence.name, evidence.content.source.file, evidence.content.studies)

    def declare_studies(self, name: str, source_file: str, studies: list[Study]) -> None:
        """Record one file's source and studies; a study declared twice must agree."""
        if source_file in self.sources:
            message = f"{source_file} is also curated in {self.sources[source_file]}"
            raise EvidenceError(name, None, "source.file", message)
        self.sources[source_file] = name
        for study in studies:
            if study.id in self.declared:
                _check_same_study(name, study, *self.declared[study.id])
            self.declared.setdefault(study.id, (name, study))
            if study.design is not None:
                self.designs.add((study.id, study.design))


def _check_same_study(name: str, study: Study, other_file: str, other: Study) -> None:
    fields = [*IDENTITY_FIELDS]
    if study.doi and other.doi:
        fields.append("doi")
    for field in fields:
        mine, theirs = getattr(study, field), getattr(other, field)
        if mine != theirs:
            message = f"{other_file} declares this study with {field} {theirs!r}, here {mine!r}"
            raise EvidenceError(name, study.id, field, message)


def check_report_references(evidence: Evidence, declared: Collection[str]) -> None:
    """Every report names a declared study; associations name arms of their report."""
    for report in evidence.content.reports:
        if report.study not in declared:
            message = f"no study '{report.study}' is declared"
            raise EvidenceError(evidence.name, report.id, "study", message)
        arm_ids = {arm.id for arm in report.arms}
        for index, association in enumerate(report.associations):
            if association.arm is not None and association.arm not in arm_ids:
                record = f"{report.id}/{association_id(association, index)}"
                message = f"report has no arm '{association.arm}'"
                raise EvidenceError(evidence.name, record, "arm", message)


def iter_spans(content: EvidenceFile) -> Iterator[tuple[str, str, Span]]:
    """Every span of a file with the record path and field it belongs to."""
    if content.source.title_span is not None:
        yield "source", "title_span", content.source.title_span
    for study in content.studies:
        for field in ("reference_span", "design_span"):
            if (span := getattr(study, field)) is not None:
                yield study.id, field, span
    for report in content.reports:
        yield from _report_spans(report)
    for mechanism in content.mechanisms:
        yield f"mechanisms/{mechanism.id}", "span", mechanism.span


def _report_spans(report: Report) -> Iterator[tuple[str, str, Span]]:
    for index, span in enumerate(report.spans):
        yield report.id, f"spans[{index}]", span
    for arm in report.arms:
        yield from _arm_spans(report.id, arm)
    for index, association in enumerate(report.associations):
        yield f"{report.id}/{association_id(association, index)}", "span", association.span


def _arm_spans(report_id: str, arm: Arm) -> Iterator[tuple[str, str, Span]]:
    record = f"{report_id}/{arm.id}"
    for field in ("modality_span", "n_span", "criteria_span"):
        if (span := getattr(arm, field)) is not None:
            yield record, field, span
    for index, measurement in enumerate(arm.measurements):
        yield f"{record}/{measurement_id(measurement, index)}", "span", measurement.span
    for group in arm.subgroups:
        if group.n_span is not None:
            yield f"{record}/{group.id}", "n_span", group.n_span
        for index, measurement in enumerate(group.measurements):
            yield (
                f"{record}/{group.id}/{measurement_id(measurement, index)}",
                "span",
                measurement.span,
            )


def verify_spans(evidence: Evidence, corpus: Corpus) -> int:
    """Check the source file's digest and every span's hash; return how many spans."""
    source = evidence.content.source
    if source.file not in corpus.texts:
        raise EvidenceError(
            evidence.name, None, "source.file", f"{source.file} is not in corpus {corpus.directory}"
        )
    if corpus.sha256(source.file) != source.sha256:
        raise EvidenceError(
            evidence.name,
            None,
            "source.sha256",
            f"{source.file} in {corpus.directory} is not the text this file was curated from",
        )
    text, count = corpus.text(source.file), 0
    for record, field, span in iter_spans(evidence.content):
        if span.end > len(text):
            raise EvidenceError(
                evidence.name,
                record,
                field,
                f"span {span} runs past the end of {source.file} ({len(text)} characters)",
            )
        actual = span_hash(text[span.start : span.end])
        if actual != span.sha:
            raise EvidenceError(
                evidence.name,
                record,
                field,
                f"span {span} does not match {source.file}: the text there hashes to {actual}",
            )
        count += 1
    return count
