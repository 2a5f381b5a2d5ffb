"""Synthetic evidence at any size, in the curated format, for scale tests and benchmarks.

The shapes come from the curated files: which modalities arms receive, how large arms are,
how many arms a report has, which measurements and prognostic associations reports give,
how many reviews report one study, designs and years. Values are curated values jittered.
A study reported by several synthetic reviews keeps one set of figures, except that now
and then a later review prints one figure differently, so conflicts exist as in real data.

Everything is drawn from ``random.Random`` seeded per study and per review, so the same
seed and size give byte-identical files. Spans are synthetic offsets (there is no corpus
behind them): build synthetic evidence without a corpus.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from .evidence import Evidence
from .schema import Association, Measurement

STUDIES_PER_REVIEW = 1000
CONFLICT_RATE = 0.05  # chance that a later review prints one figure of a study differently
PERCENT_UNITS = frozenset({"Percent"})
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Profile:
    """What the curated evidence looks like, as lists to draw from."""

    arm_modalities: tuple[tuple[str, ...], ...]
    arm_sizes: tuple[int, ...]
    arms_per_report: tuple[int, ...]
    measurements: tuple[Measurement, ...]
    associations: tuple[Association, ...]
    reports_per_study: tuple[int, ...]
    designs: tuple[str | None, ...]
    years: tuple[int, ...]
    authors: tuple[str, ...]
    journals: tuple[str, ...]


def learn_profile(loaded: list[Evidence]) -> Profile:
    """The distributions of the curated evidence files (sorted, so the profile is stable)."""
    arms = [a for e in loaded for r in e.content.reports for a in r.arms]
    reports = [r for e in loaded for r in e.content.reports]
    studies = {s.id: s for e in loaded for s in e.content.studies}
    per_study = Counter(r.study for r in reports)
    return Profile(
        arm_modalities=tuple(sorted(a.modality for a in arms)),
        arm_sizes=tuple(sorted(a.n for a in arms if a.n is not None)),
        arms_per_report=tuple(sorted(len(r.arms) for r in reports if r.arms)),
        measurements=tuple(m for a in arms for m in a.measurements),
        associations=tuple(x for r in reports for x in r.associations if x.arm is None),
        reports_per_study=tuple(sorted(per_study.values())),
        designs=tuple(sorted((s.design for s in studies.values()), key=lambda d: d or "")),
        years=tuple(sorted(s.year for s in studies.values() if s.year is not None)),
        authors=tuple(sorted({s.first_author for s in studies.values()})),
        journals=tuple(sorted({s.journal for s in studies.values() if s.journal})),
    )


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _reviews_of(study: int, seed: int, profile: Profile, reviews: int) -> list[int]:
    """The reviews that report a study: its home review and the next ones, cyclically."""
    count = min(_rng(seed, "k", study).choice(profile.reports_per_study), reviews)
    home = study // STUDIES_PER_REVIEW
    return [(home + i) % reviews for i in range(count)]


def _jitter(value: Decimal, rng: random.Random, unit: str) -> Decimal:
    scaled = value * Decimal(str(round(rng.uniform(0.7, 1.3), 2)))
    if unit in PERCENT_UNITS:
        scaled = min(scaled, Decimal(100))
    rounded = scaled.quantize(Decimal("0.1"))
    return rounded.to_integral() if rounded == rounded.to_integral() else rounded


class _Spans:
    """Consecutive synthetic spans of one review, hashed like real ones."""

    def __init__(self, file: str) -> None:
        self.file, self.cursor = file, 0

    def __call__(self, length: int = 40) -> str:
        start, self.cursor = self.cursor, self.cursor + length + 1
        digest = hashlib.sha256(f"{self.file}:{start}".encode()).hexdigest()[:10]
        return f"{start}-{start + length}:{digest}"


def _measurement(m: Measurement, rng: random.Random, span: str) -> dict:
    out: dict = {"outcome": m.outcome, "value": str(_jitter(m.value, rng, m.unit)), "unit": m.unit}
    if m.value_max is not None:
        out["value"] = str(m.value)
        out["value_max"] = str(m.value_max)
    for name in ("comparator", "timepoint_unit", "response_criteria", "adverse_event"):
        if getattr(m, name) is not None:
            out[name] = getattr(m, name)
    for name in ("timepoint", "timepoint_max"):
        if getattr(m, name) is not None:
            out[name] = str(getattr(m, name))
    for name in ("grade_min", "grade_max"):
        if getattr(m, name) is not None:
            out[name] = getattr(m, name)
    out["span"] = span
    return out


def _association(a: Association, span: str) -> dict:
    out: dict = {"factor": a.factor, "direction": a.direction}
    for name in ("factor_value", "comparator", "unit", "outcome"):
        if getattr(a, name) is not None:
            out[name] = getattr(a, name)
    if a.threshold is not None:
        out["threshold"] = str(a.threshold)
    out["span"] = span
    return out


def _study(index: int, seed: int, profile: Profile) -> dict:
    rng = _rng(seed, "study", index)
    study: dict = {
        "id": f"synth-{index:07d}",
        "first_author": rng.choice(profile.authors),
        "year": rng.choice(profile.years),
        "journal": rng.choice(profile.journals),
    }
    design = rng.choice(profile.designs)
    if design is not None:
        study["design"] = design
    return study


def _report(index: int, seed: int, review: int, first: bool, profile: Profile, spans: _Spans):
    """One review's account of a study: the study's own figures, sometimes one changed."""
    rng = _rng(seed, "figures", index)
    arms = []
    for a in range(rng.choice(profile.arms_per_report)):
        arm: dict = {"id": f"a{a + 1}", "modality": list(rng.choice(profile.arm_modalities))}
        arm["n"] = rng.choice(profile.arm_sizes)
        arm["n_span"] = spans(8)
        count = rng.choice((1, 1, 2, 2, 3, 4))
        arm["measurements"] = [
            _measurement(rng.choice(profile.measurements), rng, spans()) for _ in range(count)
        ]
        arms.append(arm)
    associations = [
        _association(rng.choice(profile.associations), spans())
        for _ in range(rng.choice((0, 0, 0, 1, 2)))
    ]
    change = _rng(seed, "conflict", index, review)
    if not first and change.random() < CONFLICT_RATE:
        m = change.choice(arms)["measurements"][0]
        if "value_max" not in m:
            m["value"] = str((Decimal(m["value"]) * Decimal("0.9")).quantize(Decimal("0.1")))
    report: dict = {"id": f"r-{index:07d}", "study": f"synth-{index:07d}", "spans": [spans()]}
    if arms:
        report["arms"] = arms
    if associations:
        report["associations"] = associations
    return report


def review_count(studies: int) -> int:
    return max(2, -(-studies // STUDIES_PER_REVIEW))


def synthesize(studies: int, seed: int, profile: Profile) -> Iterator[tuple[str, dict]]:
    """(file name, evidence-file content) for each synthetic review, in file order."""
    reviews = review_count(studies)
    for review in range(reviews):
        file = f"s{review:05d}_synthetic.txt"
        spans = _Spans(file)
        content: dict = {"source": _source(review, file, seed), "studies": [], "reports": []}
        for index in _candidates(review, reviews, studies, max(profile.reports_per_study)):
            home = _reviews_of(index, seed, profile, reviews)
            if review in home:
                content["studies"].append(_study(index, seed, profile))
                first = home[0] == review
                content["reports"].append(_report(index, seed, review, first, profile, spans))
        yield file, content


def _candidates(review: int, reviews: int, studies: int, most: int) -> Iterator[int]:
    """Studies whose home review is this one or one of the ``most - 1`` before it."""
    span = max(1, min(reviews, most))
    homes = sorted({(review - back) % reviews for back in range(span)})
    for home in homes:
        yield from range(home * STUDIES_PER_REVIEW, min((home + 1) * STUDIES_PER_REVIEW, studies))


def _source(review: int, file: str, seed: int) -> dict:
    return {
        "file": file,
        "sha256": hashlib.sha256(f"{seed}:{file}".encode()).hexdigest(),
        "first_author": "Synthetic",
        "year": 2026,
        "title": f"Synthetic review {review + 1} (seed {seed})",
        "journal": "bclm-kg synthetic evidence",
        "citation": f"bclm-kg synthetic review {review + 1}, seed {seed}",
    }


def write_synthetic(studies: int, seed: int, out: Path, profile: Profile) -> list[Path]:
    """Write one YAML evidence file per synthetic review into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for file, content in synthesize(studies, seed, profile):
        path = out / f"{file.removesuffix('.txt')}.yaml"
        text = yaml.dump(content, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        paths.append(path)
    return paths
