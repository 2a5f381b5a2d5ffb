"""Prognostic statements: factor, threshold, direction and outcome, from reviews' phrasings.

A sentence is a prognostic statement when it uses one of the phrasings below ("worse
prognosis", "positive prognostic factor", "predictor of", "did not affect", "associated
with ..."). Its factors are found through the ontology (labels and synonyms of
``PrognosticFactor``), and their levels through the ``FactorLevel`` individuals (``ER+``,
``R0``); counts ("three or fewer lesions") and sizes written on the lesions ("nodules
>2 cm") are read as number of lesions and lesion size. Each factor takes the threshold
written next to it and the direction phrased nearest to it in its clause. Direction is
given for the presence of a factor or a larger value of it: "absence of X", "smaller X" or
"X < t is favourable" is recorded as X unfavourable when no threshold is written, and as
the stated direction with the threshold when one is. The group a factor is compared against
("compared to R1") is not a finding of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import terms

_BAD_EVENT = (
    r"(?:local (?:tumou?r )?)?(?:progression|recurrence|relapse|leakage|complications?|death)"
)
_FAVOURABLE = (
    r"favou?rable|positive prognostic|better|best|improved|improves|longer|longest|prolonged"
    r"|higher (?:survival|(?:objective )?response)|enhanced|lower risk|(?<!no )survival benefit"
    r"|promising results|success factors?|ideal (?:target|candidates?)|candidates include"
    r"|(?<!not )feasible"
)
_UNFAVOURABLE = (
    r"worse|poor(?:er)?|negative prognostic|shorter|shortest|lower (?:survival|response)"
    r"|reduced survival|adverse prognostic|increased risk|higher risk|unfavou?rable"
    r"|negative impact|aggressive|(?<!not )limited by|not feasible"
    rf"|predict\w*\s+(?:for\s+|of\s+)?(?:\w+\s+){{0,2}}{_BAD_EVENT}"
    r"|(?<!positive )(?<!negative )prognostic factors?\s+(?:were|was|are|included?)\s+the presence"
)
_NONE = (
    r"did not (?:significantly )?(?:affect|influence|impact|correlate|predict)"
    r"|not (?:significantly )?(?:associated|correlated|related)"
    r"|no (?:significant )?(?:association|correlation|impact|effect|"
    r"difference|influence)|independent(?:ly)? (?:of|from)|regardless of"
    r"|no (?:\w+ )?benefit|without (?:a )?significant difference|not limited by"
    r"|no evidence to support (?:the|a) difference"
)
_STATEMENT = re.compile(
    r"prognos|predict|associated (?:with|to)|correlated with|correlates with|related to"
    r"|did not (?:significantly )?(?:affect|influence)|influence|benefit|impact|affect"
    r"|(?:better|worse|shorter|longer|improved|poorer)"
    r" (?:local |overall |median )?(?:survival|outcomes?|results|OS|PFS|control)"
    r"|reduced survival|enhanced|significant difference"
    r"|(?:longest|shortest) (?:median )?(?:OS|PFS|survival)|promising results|success factors?"
    r"|ideal (?:target|candidates?)|candidates include|limited by|feasible"
    r"|difference in (?:overall )?survival|survival difference",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(
    r"(<|>|≤|≥|=|\\geq|\\leq|larger than|greater than|more than|bigger than|over|exceeding|exceeds?"
    r"|above|smaller than|less than|under|below|up to|at least)\s*(\d+(?:\.\d+)?)\$?\s*"
    r"(cm|mm|years?|%|Gy)?",
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
    "\\geq": ">=",
    "\\leq": "<=",
    "exceeds": ">",
    "exceed": ">",
}
_UNIT = {
    "cm": "Centimetre",
    "mm": "Millimetre",
    "year": "Year",
    "years": "Year",
    "%": "Percent",
    "gy": "Gray",
}
_ABSENCE = re.compile(
    r"\b(?:absence of|no|without|lack of|free of)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
_OUTCOMES = (
    (
        r"local (?:tumou?r )?control|local effectiveness|local (?:tumou?r )?progression",
        "LocalTumourControlRate",
    ),
    (r"overall survival|\bOS\b", "MedianOverallSurvival"),
    (r"progression-free survival|\bPFS\b", "MedianProgressionFreeSurvival"),
    (r"disease-free (?:survival|interval)|\bDFS\b|\bDFI\b", "MedianDiseaseFreeSurvival"),
    (r"objective response|\bORR\b", "ObjectiveResponseRate"),
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
    level: str | None = None


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
    for hit_start, hit_end, factor, fixed in _factor_hits(text, start, end):
        if _REFERENCE_GROUP.search(text, max(start, hit_start - 16), hit_start):
            continue  # "compared to positive resection margin": the group compared against
        if _MEASURED.match(text, hit_end, end):
            continue  # an outcome or a point in time, not a factor
        threshold = fixed or _threshold(text, hit_end, end)
        direction = _polarity_at(sentence, hit_start - start, polarity)
        if threshold is None and (
            _ABSENCE.search(text[max(start, hit_start - 30) : hit_start])
            or _SMALL.search(text[max(start, hit_start - 12) : hit_start])
        ):
            direction = _flip(direction)
        key = (factor.partition("/")[0] if "/" in factor else factor, threshold)
        if key in seen:
            continue  # one level of a factor per sentence ("R0 or R1 resection")
        seen.add(key)
        comparator, value, unit = threshold or (None, None, None)
        if factor == "NumberOfLesions" and value is not None and unit is None:
            unit = "Count"
        factor, _, level = factor.partition("/")
        found.append(
            Statement(
                hit_start,
                _end_of(text, hit_end, threshold, end) if not fixed else hit_end,
                factor,
                direction,
                comparator,
                value,
                unit,
                outcome,
                0.7 if threshold else 0.6,
                level or None,
            )
        )
    if found and _BACK_REFERENCE.search(sentence):
        # "X was a negative factor for local control, this did not affect survival"
        found += [
            replace(f, direction="no association") for f in found if f.direction != "no association"
        ]
    pair = _TWO_OUTCOMES.search(sentence)
    if pair:
        # "higher ORR and longer PFS": one finding for each outcome named
        first, second = _outcome(pair.group(1)), _outcome(pair.group(2))
        if first and second and first != second:
            found = [
                r for f in found for r in (replace(f, outcome=first), replace(f, outcome=second))
            ]
    with_threshold = {f.factor for f in found if f.threshold is not None}
    # "BED10 (...) >= 100 Gy": a factor named again with its threshold is one statement
    return [f for f in found if f.threshold is not None or f.factor not in with_threshold]


_REFERENCE_GROUP = re.compile(r"(?:compared (?:to|with)|versus|vs\.?|than)\s+$", re.IGNORECASE)
_BACK_REFERENCE = re.compile(
    r"[,;]\s*(?:but\s+)?(?:this|it|which)\s+did not (?:significantly )?(?:affect|influence|impact)",
    re.IGNORECASE,
)
# "disease-free interval (DFI) [16 vs. 5 months": an outcome; "of liver metastasis diagnosis":
# a point in time
_MEASURED = re.compile(r"\s*(?:\([A-Z]{2,6}\)\s*)?\[\s*\d|\s+diagnosis\b")
_POLE = re.compile(r"\b(positive|negative)\s+$", re.IGNORECASE)
_SMALL = re.compile(r"\b(?:small|smaller|low|lower|fewer|less|short|shorter)\s+$", re.IGNORECASE)
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "single": "1"}
# "three or fewer lesions", "a single metastatic nodule": a count written on the lesions.
_COUNT = re.compile(
    r"\b(?:(one|two|three|four|five|\d)\s+or\s+(fewer|less|more)|(single|solitary))\s+"
    r"(?:\w+\s+)?(?:lesions?|metastas[ie]s|nodules?|tumou?rs?)\b",
    re.IGNORECASE,
)
# "lesions (<2.5 cm)", "metastases >3 cm": a size threshold written on the lesions.
_SIZED = re.compile(
    r"\b(?:lesions?|tumou?rs?|nodules?|metastas[ie]s|masses|mass|BCLM)\s*"
    r"(?=(?:,\s*each\s+)?(?:with (?:a )?(?:diameter|size) (?:of )?)?\(?\s*"
    r"(?:<|>|≤|≥|larger than|greater than|bigger than|smaller than|less than"
    r"|exceeding|exceeds?|over|under)"
    r"\s*\d+(?:\.\d+)?\s*(?:cm|mm)\b)",
    re.IGNORECASE,
)


def _factor_hits(
    text: str, start: int, end: int
) -> list[tuple[int, int, str, tuple[str, str, str | None] | None]]:
    """Factors of the sentence: ontology terms, lesion counts and lesion sizes."""
    levels = [(h, terms.level_factor(h.term)) for h in terms.levels(text, start, end)]
    levels = [(h, f) for h, f in levels if f is not None]
    hits: list[tuple[int, int, str, tuple[str, str, str | None] | None]] = [
        (h.start, h.end, f"{factor}/{h.term}", None) for h, factor in levels
    ]
    for h in terms.factors(text, start, end):
        if any(h.start < lv.end and lv.start < h.end for lv, _ in levels):
            continue
        adjective = _POLE.search(text, max(start, h.start - 12), h.start)
        level = terms.level_of(h.term, adjective.group(1)) if adjective else None
        if adjective and level:
            hits.append((adjective.start(), h.end, f"{h.term}/{level}", None))
        else:
            hits.append((h.start, h.end, h.term, None))
    for match in _COUNT.finditer(text, start, end):
        if match.group(3):
            hits.append((match.start(), match.end(), "NumberOfLesions", ("=", "1", "Count")))
        else:
            number = _WORD_NUMBERS.get(match.group(1).lower(), match.group(1))
            comparator = ">=" if match.group(2).lower() == "more" else "<="
            hits.append(
                (match.start(), match.end(), "NumberOfLesions", (comparator, number, "Count"))
            )
    covered = [(h[0], h[1]) for h in hits if h[2].startswith("LesionSize")]
    for match in _SIZED.finditer(text, start, end):
        if not any(a <= match.start() < b for a, b in covered):
            hits.append((match.start(), match.end(), "LesionSize", None))
    return sorted(hits, key=lambda h: h[0])


_CLAUSE = re.compile(r";|\b(?:whilst|whereas|while|but|although|however)\b", re.IGNORECASE)


def _directions(sentence: str) -> list[tuple[int, int, str]]:
    found = []
    for direction, pattern in (
        ("no association", _NONE),
        ("unfavourable", _UNFAVOURABLE),
        ("favourable", _FAVOURABLE),
    ):
        for match in re.finditer(pattern, sentence, re.IGNORECASE):
            found.append((match.start(), match.end(), direction))
    return found


def _polarity(sentence: str) -> str | None:
    """The direction a sentence states, the first phrasing found deciding."""
    hits = [(-1 if d == "no association" else a, d) for a, _, d in _directions(sentence)]
    return min(hits)[1] if hits else None


def _polarity_at(sentence: str, position: int, default: str) -> str:
    """The direction stated in the clause of the factor at ``position`` (relative to the
    sentence), the phrasing nearest to the factor deciding; else the sentence's."""
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence) + 1]
    low = max(b for b in bounds if b <= position)
    high = min(b for b in bounds if b > position)
    near = [
        (min(abs(a - position), abs(b - position)), d)
        for a, b, d in _directions(sentence)
        if low <= a < high
    ]
    return min(near)[1] if near else default


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


_NAMED_OUTCOME = (
    r"(ORR|objective response(?: rate)?|response rate|PFS|progression-free survival|OS"
    r"|overall survival|DFS|DFI|disease-free (?:survival|interval)|local (?:tumou?r )?control)"
)
_TWO_OUTCOMES = re.compile(
    rf"\b(?:higher|longer|better|improved|enhanced|shorter|worse|lower|poorer|reduced)\s+"
    rf"(?:\w+\s+){{0,2}}?{_NAMED_OUTCOME}\b(?:\s*\([A-Z]{{2,5}}\))?[^.;]{{0,60}}?\band\s+"
    rf"(?:(?:higher|longer|better|improved|enhanced|shorter|worse|lower|poorer|reduced)\s+)?"
    rf"{_NAMED_OUTCOME}\b"
)


def _outcome(sentence: str) -> str | None:
    for pattern, outcome in _OUTCOMES:
        if re.search(pattern, sentence, re.IGNORECASE):
            return outcome
    return None
