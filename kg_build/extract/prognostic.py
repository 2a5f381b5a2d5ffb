"""Prognostic statements: factor, threshold, direction and outcome, from reviews' phrasings.

A sentence is a prognostic statement when it uses one of the phrasings below ("worse
prognosis", "positive prognostic factor", "predictor of", "did not affect", "associated
with ..."). Its factors are found through the ontology (labels and synonyms of
``PrognosticFactor``); each factor takes the threshold written next to it. Direction is
given for the presence of a factor or a larger value of it: "absence of X" or "X < t is
favourable" is recorded as X unfavourable when no threshold is written, and as the stated
direction with the threshold when one is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import terms

_FAVOURABLE = r"favou?rable|positive prognostic|better|improved|longer|prolonged|higher survival"
_UNFAVOURABLE = (
    r"worse|poor(?:er)?|negative prognostic|shorter|lower (?:survival|response)|reduced survival"
    r"|adverse prognostic|increased risk|higher risk|unfavou?rable"
)
_NONE = (
    r"did not (?:significantly )?(?:affect|influence|impact|correlate|predict)"
    r"|not (?:significantly )?(?:associated|correlated|related)"
    r"|no (?:significant )?(?:association|correlation|impact|effect|"
    r"difference|influence)|independent(?:ly)? of|regardless of"
)
_STATEMENT = re.compile(
    r"prognos|predict|associated with|correlated with"
    r"|did not (?:significantly )?(?:affect|influence)"
    r"|(?:better|worse|shorter|longer|improved|poorer)"
    r" (?:survival|outcomes?|overall survival|results)",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(
    r"(<|>|≤|≥|=|larger than|greater than|more than|bigger than|over|exceeding|above|"
    r"smaller than|less than|under|below|up to|at least)\s*(\d+(?:\.\d+)?)\s*(cm|mm|years?|%)?",
    re.IGNORECASE,
)
_COMPARATOR = {
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
    "=": "=",
    "larger than": ">",
    "greater than": ">",
    "more than": ">",
    "bigger than": ">",
    "over": ">",
    "exceeding": ">",
    "above": ">",
    "smaller than": "<",
    "less than": "<",
    "under": "<",
    "below": "<",
    "up to": "<=",
    "at least": ">=",
}
_UNIT = {"cm": "Centimetre", "mm": "Millimetre", "year": "Year", "years": "Year", "%": "Percent"}
_ABSENCE = re.compile(
    r"\b(?:absence of|no|without|lack of|free of)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
_OUTCOMES = (
    (
        r"local (?:tumou?r )?control|local effectiveness|local (?:tumou?r )?progression",
        "LocalTumourControlRate",
    ),
    (r"overall survival", "MedianOverallSurvival"),
    (r"survival|prognosis", "SurvivalOutcome"),
    (r"response", "ResponseOutcome"),
    (r"complete ablation", "CompleteAblationRate"),
)


@dataclass(frozen=True)
class Statement:
    """One prognostic association found in a sentence."""

    start: int
    end: int
    factor: str
    direction: str
    comparator: str | None = None
    threshold: str | None = None
    unit: str | None = None
    outcome: str | None = None
    confidence: float = 0.6


def statements(text: str, start: int, end: int) -> list[Statement]:
    """The prognostic associations of the sentence ``text[start:end]``."""
    sentence = text[start:end]
    if not _STATEMENT.search(sentence):
        return []
    polarity = _polarity(sentence)
    if polarity is None:
        return []
    outcome = _outcome(sentence)
    found, seen = [], set()
    for hit in terms.factors(text, start, end):
        threshold = _threshold(text, hit.end, end)
        direction = polarity
        if threshold is None and _ABSENCE.search(text[max(start, hit.start - 30) : hit.start]):
            direction = _flip(direction)
        key = (hit.term, threshold)
        if key in seen:
            continue
        seen.add(key)
        comparator, value, unit = threshold or (None, None, None)
        if hit.term == "NumberOfLesions" and value is not None and unit is None:
            unit = "Count"
        found.append(
            Statement(
                hit.start,
                _end_of(text, hit.end, threshold, end),
                hit.term,
                direction,
                comparator,
                value,
                unit,
                outcome,
                0.7 if threshold else 0.6,
            )
        )
    return found


def _polarity(sentence: str) -> str | None:
    """The direction a sentence states, the first phrasing found deciding."""
    hits = []
    for direction, pattern in (
        ("no association", _NONE),
        ("unfavourable", _UNFAVOURABLE),
        ("favourable", _FAVOURABLE),
    ):
        match = re.search(pattern, sentence, re.IGNORECASE)
        if match:
            hits.append((match.start() if direction != "no association" else -1, direction))
    return min(hits)[1] if hits else None


def _flip(direction: str) -> str:
    return {"favourable": "unfavourable", "unfavourable": "favourable"}.get(direction, direction)


def _threshold(text: str, position: int, end: int) -> tuple[str, str, str | None] | None:
    """A comparator and value written within a few characters after the factor."""
    match = _THRESHOLD.search(text, position, min(end, position + 25))
    if match is None or re.search(r"[;.]", text[position : match.start()]):
        return None
    unit = _UNIT.get((match.group(3) or "").lower())
    return _COMPARATOR[match.group(1).lower()], match.group(2), unit


def _end_of(text: str, position: int, threshold: object, end: int) -> int:
    if threshold is None:
        return position
    match = _THRESHOLD.search(text, position, min(end, position + 25))
    return match.end() if match else position


def _outcome(sentence: str) -> str | None:
    for pattern, outcome in _OUTCOMES:
        if re.search(pattern, sentence, re.IGNORECASE):
            return outcome
    return None
