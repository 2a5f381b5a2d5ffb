"""Numbers stated in running text, classified by outcome type, unit and timepoint.

A value is kept only when an outcome phrase stands before it in the same clause (or just
after it, as in "a 12% cure rate"); a number with no outcome phrase is not an outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUM = r"\d+(?:\.\d+)?"
_UNITS = {
    "%": "Percent",
    "percent": "Percent",
    "month": "Month",
    "months": "Month",
    "mo": "Month",
    "year": "Year",
    "years": "Year",
    "week": "Week",
    "weeks": "Week",
    "day": "Day",
    "days": "Day",
    "nights": "Night",
    "night": "Night",
}
_UNIT = r"(%|percent\b|months?\b|mo\b|years?\b|weeks?\b|days?\b|nights?\b)"
_COMPARATOR = {
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
    "over": ">",
    "more than": ">",
    "less than": "<",
    "up to": "<=",
    "at least": ">=",
    "nearly": None,
    "approximately": None,
    "about": None,
}
_VALUE = re.compile(
    rf"(?:(<|>|≤|≥|over|more than|less than|up to|at least)\s*)?"
    rf"({NUM})\s*(?:%|percent)?\s*(?:-|\u2013|to)\s*({NUM})\s*{_UNIT}"
    rf"|(?:(<|>|≤|≥|over|more than|less than|up to|at least)\s*)?({NUM})"
    rf"((?:\s*,\s*{NUM})*\s+and\s+{NUM})?\s*{_UNIT}"
)
_HR = re.compile(rf"\b(?:HR|hazard ratio)\b[\s:=,]*(?:of\s+)?({NUM})")
_CI = re.compile(rf"\bCI\b[\s:=,]*({NUM})\s*(?:-|\u2013|to|,)\s*({NUM})")
_P = re.compile(r"\b[Pp]\s*([<>=≤≥])\s*(0?\.\d+)")
_TIMEPOINT = re.compile(
    r"(?<![\d.])(\d+)(?:-?\s*(?:,|and|or)\s*(\d+))?\s*-?\s*(years?|yr|y|months?|mo)\b(?!\s+old)"
)
_CLAUSE = re.compile(r";|\bwhereas\b|\bwhile\b|\bbut\b")

# (phrase, outcome for a time value, outcome for a percentage); first match wins on ties.
CUES: tuple[tuple[str, str | None, str | None], ...] = (
    (r"local (?:progression|disease)[- ]free survival", None, "LocalProgressionFreeSurvivalRate"),
    (
        r"progression[- ]free survival|\bPFS\b",
        "MedianProgressionFreeSurvival",
        "ProgressionFreeSurvivalRate",
    ),
    (r"disease[- ]free survival|\bDFS\b", "MedianDiseaseFreeSurvival", "DiseaseFreeSurvivalRate"),
    (r"mean (?:overall )?survival", "MeanOverallSurvival", None),
    (r"time to local (?:tumou?r )?progression", "MedianTimeToLocalProgression", None),
    (r"time to progression|\bTTP\b", "MedianTimeToProgression", None),
    (r"time to recurrence|recurrence (?:occurred|developed) after", "MedianTimeToRecurrence", None),
    (r"survival|\bOS\b", "MedianOverallSurvival", "OverallSurvivalRate"),
    (r"local (?:tumou?r )?progression|\bLTP\b", None, "LocalTumourProgressionRate"),
    (r"local tumou?r control", None, "LocalTumourControlRate"),
    (r"local control", None, "LocalControlRate"),
    (
        r"new (?:intra-?hepatic|liver|hepatic) (?:metastas[ie]s|lesions|tumou?rs)",
        None,
        "NewIntrahepaticMetastasisRate",
    ),
    (r"recurrence|relapse|recurred", None, "RecurrenceRate"),
    (r"complete ablation|technical effectiveness|complete necrosis", None, "CompleteAblationRate"),
    (r"technical(?:ly)? success(?:ful)?", None, "TechnicalSuccessRate"),
    (r"objective response|overall response|\bORR\b", None, "ObjectiveResponseRate"),
    (r"complete response", None, "CompleteResponseRate"),
    (r"partial response", None, "PartialResponseRate"),
    (r"stable disease", None, "StableDiseaseRate"),
    (r"progressive disease|progression of (?:the )?disease", None, "ProgressiveDiseaseRate"),
    (r"disease control|\bDCR\b", None, "DiseaseControlRate"),
    (r"response", None, "ResponseOutcome"),
    (r"major (?:complications?|adverse events?)", None, "MajorComplicationRate"),
    (r"minor (?:complications?|adverse events?)", None, "MinorComplicationRate"),
    (r"complications?|adverse events?|toxicit(?:y|ies)|side effects?", None, "AdverseEventRate"),
    (r"related (?:deaths?|mortality)", None, "TreatmentRelatedMortality"),
    (r"no evidence of (?:the )?disease", None, "NoEvidenceOfDiseaseRate"),
    (r"alive with (?:the )?disease", None, "AliveWithDiseaseRate"),
    (r"died|deaths?|mortality", None, "AllCauseMortalityRate"),
    (r"pain (?:relief|palliation|reduction)", None, "PainReliefRate"),
    (r"\bcure", None, "CureRate"),
    (r"hospital stay|length of stay", "LengthOfHospitalStay", None),
)
_CUE = [(re.compile(pattern, re.IGNORECASE), time, rate) for pattern, time, rate in CUES]


@dataclass(frozen=True)
class Value:
    """One outcome value found in a sentence."""

    start: int  # where the phrase stating it starts (the cue, or the number)
    end: int
    outcome: str
    value: str
    unit: str
    value_max: str | None = None
    comparator: str | None = None
    timepoint: str | None = None
    timepoint_unit: str | None = None
    ci_lower: str | None = None
    ci_upper: str | None = None
    p_value: str | None = None
    p_comparator: str | None = None
    confidence: float = 0.6


def values(text: str, start: int, end: int) -> list[Value]:
    """Every classified outcome value of the sentence ``text[start:end]``."""
    found: list[Value] = []
    clause_start = start
    previous_end = start
    for match in _VALUE.finditer(text, start, end):
        clause_start = _clause_start(text, clause_start, match.start())
        if _is_noise(text, match):
            previous_end = match.end()
            continue
        window = max(clause_start, previous_end)
        found.extend(_classify(text, match, window, end))
        previous_end = match.end()
    found.extend(_hazard_ratios(text, start, end))
    return found


def _clause_start(text: str, current: int, position: int) -> int:
    last = current
    for match in _CLAUSE.finditer(text, current, position):
        last = match.end()
    return last


def _is_noise(text: str, match: re.Match[str]) -> bool:
    """Confidence levels (95% CI), ages, counts of years of follow-up, grades."""
    after = text[match.end() : match.end() + 6]
    before = text[max(0, match.start() - 12) : match.start()]
    return bool(
        re.match(r"\s*(?:CI|confidence)", after)
        or re.search(r"(?:aged?|follow-up of|followed for|grade)\s*$", before, re.IGNORECASE)
        or re.match(r"[- ]old", after)
    )


def _numbers(match: re.Match[str]) -> tuple[list[str], str | None, str | None, str]:
    """Values, range end, comparator and unit of one match."""
    if match.group(2) is not None:
        comparator = _COMPARATOR.get(match.group(1) or "")
        return [match.group(2)], match.group(3), comparator, _UNITS[match.group(4).lower()]
    comparator = _COMPARATOR.get(match.group(5) or "")
    listed = [match.group(6)]
    if match.group(7):
        listed += re.findall(NUM, match.group(7))
    return listed, None, comparator, _UNITS[match.group(8).lower()]


def _classify(text: str, match: re.Match[str], window: int, end: int) -> list[Value]:
    numbers, value_max, comparator, unit = _numbers(match)
    if unit not in ("Percent", "Month", "Day", "Night", "Week"):
        return []
    cue = _cue_before(text, window, match.start(), unit)
    confidence = 0.8 if cue and match.start() - cue[0] < 80 else 0.6
    if cue is None:
        cue = _cue_after(text, match.end(), min(end, match.end() + 30), unit)
        confidence = 0.5
    if cue is None:
        return []
    cue_start, outcome = cue
    points = _timepoints(text, window, match.start(), outcome)
    if len(numbers) > 1 and len(points) not in (0, 1, len(numbers)):
        return []
    out = []
    for index, number in enumerate(numbers):
        point = points[index] if len(points) == len(numbers) else (points[-1] if points else None)
        out.append(
            Value(
                min(cue_start, match.start()),
                max(match.end(), cue_start + 1),
                outcome,
                number,
                unit,
                value_max,
                comparator,
                point[0] if point else None,
                point[1] if point else None,
                confidence=confidence,
            )
        )
    return out


def _pick(time: str | None, rate: str | None, unit: str) -> str | None:
    return rate if unit == "Percent" else time


def _cue_before(text: str, window: int, position: int, unit: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for pattern, time, rate in _CUE:
        outcome = _pick(time, rate, unit)
        if outcome is None:
            continue
        for match in pattern.finditer(text, window, position):
            if best is None or match.start() > best[0]:
                best = (match.start(), outcome)
    return best


def _cue_after(text: str, start: int, stop: int, unit: str) -> tuple[int, str] | None:
    for pattern, time, rate in _CUE:
        outcome = _pick(time, rate, unit)
        match = pattern.search(text, start, stop)
        if outcome is not None and match and not re.search(r"\d", text[start : match.start()]):
            return (match.start(), outcome)
    return None


_RATES_WITH_TIME = {
    "OverallSurvivalRate",
    "ProgressionFreeSurvivalRate",
    "DiseaseFreeSurvivalRate",
    "LocalProgressionFreeSurvivalRate",
    "LocalTumourControlRate",
    "LocalControlRate",
    "RecurrenceRate",
}


def _timepoints(text: str, window: int, position: int, outcome: str) -> list[tuple[str, str]]:
    """Timepoints written before the value ("5-year", "1- and 3-year") for survival rates."""
    if outcome not in _RATES_WITH_TIME:
        return []
    points: list[tuple[str, str]] = []
    for match in _TIMEPOINT.finditer(text, window, position):
        unit = "Year" if match.group(3).startswith("y") else "Month"
        points = [(match.group(1), unit)] + ([(match.group(2), unit)] if match.group(2) else [])
    return points


def _hazard_ratios(text: str, start: int, end: int) -> list[Value]:
    found = []
    for match in _HR.finditer(text, start, end):
        tail_end = min(end, match.end() + 60)
        ci = _CI.search(text, match.end(), tail_end)
        p = _P.search(text, match.end(), tail_end)
        found.append(
            Value(
                match.start(),
                match.end(),
                "HazardRatio",
                match.group(1),
                "Ratio",
                ci_lower=ci.group(1) if ci else None,
                ci_upper=ci.group(2) if ci else None,
                p_value=p.group(2) if p else None,
                p_comparator=_COMPARATOR.get(p.group(1), p.group(1)) if p else None,
                confidence=0.8,
            )
        )
    return found
