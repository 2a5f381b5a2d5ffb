"""Prove completeness: every number in a review's text is covered by a recorded span.

A number counts when it stands in the review's own text (before its reference list, not on
a heading line). It is covered when it lies inside a span of the evidence file for that
review, and ignored when a rule of ``coverage_ignore.yaml`` (each with a reason) matches it.
Whatever is neither is listed, so curation gaps cannot hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .corpus import Corpus
from .evidence import Evidence, iter_spans

IGNORE_FILE = Path(__file__).resolve().parent / "coverage_ignore.yaml"
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
REFERENCES_HEADING = re.compile(r"^\W*references\W*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class IgnoreRule:
    pattern: re.Pattern[str]
    reason: str
    file: str | None = None


@dataclass
class FileCoverage:
    file: str
    covered: int = 0
    ignored: int = 0
    uncovered: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.covered + self.ignored + len(self.uncovered)


def load_ignore_rules(path: Path = IGNORE_FILE) -> list[IgnoreRule]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [IgnoreRule(re.compile(r["pattern"]), r["reason"], r.get("file")) for r in raw["rules"]]


def evidence_end(text: str) -> int:
    """Offset where the review's own text ends: its last reference-list heading."""
    headings = list(REFERENCES_HEADING.finditer(text))
    return headings[-1].start() if headings else len(text)


def _heading_lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"^#+ .*$", text, re.MULTILINE)]


def _inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def file_coverage(
    text: str, file: str, spans: list[tuple[int, int]], rules: list[IgnoreRule]
) -> FileCoverage:
    stop = evidence_end(text)
    ignored = _heading_lines(text) + [
        (m.start(), m.end())
        for rule in rules
        if rule.file in (None, file)
        for m in rule.pattern.finditer(text)
    ]
    result = FileCoverage(file)
    for match in NUMBER.finditer(text, 0, stop):
        start, end = match.span()
        if _inside(start, end, spans):
            result.covered += 1
        elif _inside(start, end, ignored):
            result.ignored += 1
        else:
            result.uncovered.append((start, end, match.group()))
    return result


def coverage(corpus: Corpus, loaded: list[Evidence], rules: list[IgnoreRule]) -> list[FileCoverage]:
    """Coverage of every corpus file by the evidence files that curate it."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for evidence in loaded:
        own = spans.setdefault(evidence.content.source.file, [])
        own.extend((span.start, span.end) for _, _, span in iter_spans(evidence.content))
    return [
        file_coverage(text, file, spans.get(file, []), rules)
        for file, text in sorted(corpus.texts.items())
    ]


def context(text: str, start: int, end: int, width: int = 30) -> str:
    """A one-line window around a number, for the terminal report (never stored)."""
    window = text[max(0, start - width) : end + width]
    return " ".join(window.split())
