"""Review a draft against the curated evidence (``curate diff``) and accept records from it
(``curate accept``).

Matching: studies by first author (folded) and year; outcome values by study, outcome type
and timepoint; prognostic statements by study and factor. A draft record is ``new`` when
nothing matches, ``same`` when the match has the same value (or direction and threshold),
``changed`` when a record of the same review differs, and ``contradicts`` when another
review's record differs (or a statement has the opposite direction).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ...ontology.rdfio import atomic_write_bytes
from ..corpus import Corpus
from ..errors import EvidenceError
from ..evidence import (
    EVIDENCE_DIR,
    Evidence,
    check_no_drafts,
    evidence_files,
    load_evidence_file,
    verify_spans,
)
from .draft import dump
from .references import fold

_OPPOSITE = {"favourable": "unfavourable", "unfavourable": "favourable"}


@dataclass(frozen=True)
class Line:
    """One row of the diff: a draft record and how it compares."""

    record: str
    kind: str
    status: str
    detail: str


def load_draft(path: Path, corpus: Corpus | None) -> Evidence:
    """A draft file, validated by the evidence schema and (with the corpus) its spans."""
    if not path.is_file():
        raise EvidenceError(path.name, None, None, f"no such file: {path}")
    draft = load_evidence_file(path)
    if corpus is not None:
        verify_spans(draft, corpus)
    return draft


def _study_key(study: Any) -> tuple[str, int | None]:
    return fold(study.first_author), study.year


def _curated_index(curated: list[Evidence]) -> tuple[dict, dict]:
    """Curated values and statements by (study key, outcome, timepoint) and (study key, factor)."""
    studies = {s.id: _study_key(s) for e in curated for s in e.content.studies}
    values: dict[tuple, list[tuple[str, Any]]] = {}
    statements: dict[tuple, list[tuple[str, Any]]] = {}
    for evidence in curated:
        source = evidence.content.source.file
        for report in evidence.content.reports:
            study = studies.get(report.study)
            for arm in report.arms:
                for m in arm.measurements:
                    key = (study, m.outcome, m.timepoint, m.timepoint_unit)
                    values.setdefault(key, []).append((source, m))
            for a in report.associations:
                statements.setdefault((study, a.factor), []).append((source, a))
    return values, statements


def diff(draft: Evidence, curated: list[Evidence]) -> list[Line]:
    """Each draft value and statement, classified against the curated evidence."""
    values, statements = _curated_index(curated)
    studies = {s.id: _study_key(s) for s in draft.content.studies}
    source = draft.content.source.file
    lines: list[Line] = []
    for report in draft.content.reports:
        study = studies.get(report.study)
        for arm in report.arms:
            for index, m in enumerate(arm.measurements):
                record = f"{report.id}/{arm.id}/{m.id or f'm{index + 1}'}"
                found = values.get((study, m.outcome, m.timepoint, m.timepoint_unit), [])
                lines.append(_value_line(record, m, found, source))
        for index, a in enumerate(report.associations):
            record = f"{report.id}/{a.id or f'a{index + 1}'}"
            lines.append(_statement_line(record, a, statements.get((study, a.factor), [])))
    return lines


def _describe_value(m: Any) -> str:
    value = f"{m.comparator or ''}{m.value}" + (
        f"-{m.value_max}" if m.value_max is not None else ""
    )
    at = f" at {m.timepoint} {m.timepoint_unit}" if m.timepoint is not None else ""
    return f"{m.outcome} {value} {m.unit}{at}"


def _value_line(record: str, m: Any, found: list[tuple[str, Any]], source: str) -> Line:
    text = _describe_value(m)
    if not found:
        return Line(record, "value", "new", text)
    if any((c.value, c.value_max, c.unit) == (m.value, m.value_max, m.unit) for _, c in found):
        return Line(record, "value", "same", text)
    file, other = next(((f, c) for f, c in found if f == source), found[0])
    status = "changed" if file == source else "contradicts"
    return Line(record, "value", status, f"{text}; curated in {file}: {_describe_value(other)}")


def _describe_statement(a: Any) -> str:
    threshold = f" {a.comparator}{a.threshold} {a.unit or ''}".rstrip() if a.threshold else ""
    return f"{a.factor}{threshold} {a.direction}"


def _statement_line(record: str, a: Any, found: list[tuple[str, Any]]) -> Line:
    text = _describe_statement(a)
    if not found:
        return Line(record, "statement", "new", text)
    for _, c in found:
        if (c.direction, c.comparator, c.threshold) == (a.direction, a.comparator, a.threshold):
            return Line(record, "statement", "same", text)
    opposite = [(f, c) for f, c in found if c.direction == _OPPOSITE.get(a.direction)]
    file, other = (opposite or found)[0]
    status = "contradicts" if opposite else "changed"
    return Line(
        record, "statement", status, f"{text}; curated in {file}: {_describe_statement(other)}"
    )


def render_diff(lines: list[Line]) -> str:
    """A readable table, then counts per status."""
    width = max([len(line.record) for line in lines] + [6])
    out = [f"{'record':<{width}}  {'kind':<9}  {'status':<11}  detail"]
    out += [f"{ln.record:<{width}}  {ln.kind:<9}  {ln.status:<11}  {ln.detail}" for ln in lines]
    counts = {
        s: sum(ln.status == s for ln in lines) for s in ("new", "same", "changed", "contradicts")
    }
    out.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(out) + "\n"


# --- accept ------------------------------------------------------------------------------------


def _strip_draft(node: Any) -> Any:
    """The record without its draft marker and confidence, at every level."""
    if isinstance(node, dict):
        return {k: _strip_draft(v) for k, v in node.items() if k not in ("draft", "confidence")}
    if isinstance(node, list):
        return [_strip_draft(v) for v in node]
    return node


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def accept(
    draft_path: Path,
    record_ids: list[str],
    into: Path | None,
    corpus: Corpus | None,
    evidence_dir: Path = EVIDENCE_DIR,
) -> tuple[Path, list[str]]:
    """Move reports (with the studies they need) from a draft into an evidence file.

    ``into`` defaults to the review's file in ``evidence_dir``. The evidence file is validated
    (schema, ids, spans with the corpus) before anything is written; both files are replaced
    atomically. Returns the evidence file and the ids moved.
    """
    draft = load_draft(draft_path, corpus)
    into = into or evidence_dir / f"{Path(draft.content.source.file).stem}.yaml"
    raw = _raw(draft_path)
    reports = {r["id"]: r for r in raw.get("reports", [])}
    unknown = [r for r in record_ids if r not in reports]
    if unknown:
        message = f"no report '{unknown[0]}' in the draft (ids: see 'bclm-kg curate diff')"
        raise EvidenceError(draft_path.name, unknown[0], "id", message)
    target_text = into.read_text(encoding="utf-8") if into.is_file() else ""
    target = yaml.safe_load(target_text) if target_text else None
    declared = _declared_studies(into.parent)
    if target is not None and target["source"]["file"] != raw["source"]["file"]:
        mine, theirs = raw["source"]["file"], target["source"]["file"]
        message = f"the draft is about {mine}, {into.name} about {theirs}"
        raise EvidenceError(into.name, None, "source.file", message)
    studies = {s["id"]: s for s in raw.get("studies", [])}
    new_studies = [
        _strip_draft(studies[sid])
        for sid in dict.fromkeys(reports[r]["study"] for r in record_ids)
        if sid in studies and sid not in declared
    ]
    moved = [_strip_draft(reports[r]) for r in record_ids]
    new_text = _append(target_text, raw["source"], new_studies, moved)
    _validate(into, new_text, corpus)
    raw["reports"] = [r for r in raw["reports"] if r["id"] not in record_ids]
    atomic_write_bytes(into, new_text.encode("utf-8"))
    atomic_write_bytes(draft_path, dump(raw))
    return into, record_ids


def _declared_studies(directory: Path) -> set[str]:
    ids: set[str] = set()
    for path in evidence_files(directory):
        ids |= {s["id"] for s in (_raw(path) or {}).get("studies", [])}
    return ids


def _block(items: list[dict]) -> str:
    return yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100) if items else ""


def _append(text: str, source: dict, studies: list[dict], reports: list[dict]) -> str:
    """The evidence file's text with records added at the end of their sections.

    Text is spliced rather than re-dumped so that curators' comments and layout survive.
    """
    if not text:
        text = yaml.safe_dump({"source": _strip_draft(source)}, sort_keys=False, allow_unicode=True)
    text = _add_to_section(text, "studies", _block(studies))
    return _add_to_section(text, "reports", _block(reports))


def _add_to_section(text: str, section: str, block: str) -> str:
    if not block:
        return text
    header = re.search(rf"^{section}:.*$", text, re.MULTILINE)
    if header is None:
        return text.rstrip("\n") + f"\n{section}:\n{block}"
    following = re.compile(r"^[A-Za-z_]+:", re.MULTILINE).search(text, header.end())
    cut = following.start() if following else len(text)
    head = text[:cut].rstrip("\n")
    if head.endswith(f"{section}: []"):
        head = head[: -len(" []")]
    return f"{head}\n{block}" + (text[cut:] if following else "")


def _validate(into: Path, text: str, corpus: Corpus | None) -> None:
    """Check the would-be evidence file fully before it replaces the old one."""
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / into.name
        probe.write_text(text, encoding="utf-8")
        evidence = load_evidence_file(probe)
        check_no_drafts(evidence)
        if corpus is not None:
            verify_spans(evidence, corpus)
