"""Numbers stated in running text, classified by outcome type, unit and timepoint.

A value is kept only when an outcome phrase stands before it in the same clause (or just
after it, as in "a 12% cure rate"); a number with no outcome phrase is not an outcome. Values
joined by "and", commas or "vs." form a list that shares one phrase and pairs with a list of
timepoints ("1-, 3- and 5-year ... 90%, 60% and 40%"); a list a few words after another goes
on with its outcomes; a clause with no phrase of its own takes the sentence's nearest one
that fits its unit. Confidence intervals, ages, time windows and shares of deaths are not
values; events a sentence says did not happen ("no early deaths") are rates of 0%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

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
_CMP = r"<|>|≤|≥|over|more than|less than|up to|at least"
_VS = r"(?:\*?(?:vs\.?|versus)\*?)"
_VALUE = re.compile(
    # "between 10 and 60 months", "between 13% and 58%": a range
    rf"\bbetween\s+(?P<b_lo>{NUM})\s*(?:%|percent)?\s*and\s+(?P<b_hi>{NUM})\s*(?P<b_unit>{_UNIT})"
    # "18-24 months", "5%-12%", "2.9 to 17.0 months", "10-month to 60-month"
    rf"|(?:(?P<r_cmp>{_CMP})\s*)?(?P<r_lo>{NUM})\s*(?:%|percent|-?\s*months?)?\s*(?:-|\u2013|to)\s*"
    rf"(?P<r_hi>{NUM})\s*(?P<r_hyphen>-\s*)?(?P<r_unit>{_UNIT})"
    # "21.5 months", "30 and 17%", "29 vs. 9%"
    rf"|(?:(?P<cmp>{_CMP})\s*)?(?P<num>{NUM})"
    rf"(?P<more>(?:\s*,\s*{NUM})*,?\s+(?:and|{_VS})\s+{NUM})?"
    r"(?:\s*\[[^\]\[]{1,40}\]|\s+or (?:more|longer))?"  # "7.7 [95% CI: 6.5-9.0] months"
    rf"\s*(?P<unit>{_UNIT})"
)
# A timepoint written right after a value: "89% at 3 months", "20% 5-year survival".
_POINT_AFTER = re.compile(
    r"\s*(?:(?:(?:survival|rates?)\s+)?(?:at|after)\s+(\d+)\s*|(\d+)-?\s*)(years?|months?)\b"
    r"(?!\s+old)",
    re.IGNORECASE,
)
# What may stand between the values of one list: "27% and 13%", "88.6%, 59.3%, and 42.8%".
_JOIN = re.compile(rf"\s*(?:,\s*(?:and\s+)?|(?:and|or|{_VS})\s+)\s*")
_HR = re.compile(rf"\b(?:HR|hazard ratio)\b[\s:=,]*(?:of\s+)?({NUM})")
_CI = re.compile(rf"\bCI\b[\s:=,]*({NUM})\s*(?:-|\u2013|to|,)\s*({NUM})")
_P = re.compile(r"\b[Pp]\s*([<>=≤≥])\s*(0?\.\d+)")
_TIMEPOINT = re.compile(
    r"(?<![\d.])(\d+)((?:\s*-?\s*(?:,\s*and|,|and|or)\s*\d+)*)(?:\s*(?:to|-|\u2013)\s*\d+)?"
    r"\s*-?\s*(years?|yr|y|months?|mo)\b(?!\s+old)"
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
    (
        r"disease[- ]free (?:survival|interval)|\bDFS\b|\bDFI\b",
        "MedianDiseaseFreeSurvival",
        "DiseaseFreeSurvivalRate",
    ),
    (r"mean (?:overall )?survival", "MeanOverallSurvival", None),
    (r"time to local (?:tumou?r )?progression", "MedianTimeToLocalProgression", None),
    (r"time to progression|\bTTP\b", "MedianTimeToProgression", None),
    (r"time to recurrence|recurrence (?:occurred|developed) after", "MedianTimeToRecurrence", None),
    (
        r"(?:recurrence|relapse)s?\b[^.;\d]{0,50}?\bmedian (?:interval|time)",
        "MedianTimeToRecurrence",
        None,
    ),
    (
        r"(?:recurrence|relapse)s?\b[^.;\d]{0,50}?\bmean (?:interval|time)",
        "MeanTimeToRecurrence",
        None,
    ),
    (r"(?:extends?|extended|prolongs?|prolonged) survival", "SurvivalOutcome", None),
    (
        r"(?:initial|first) (?:site of )?(?:post-treatment )?(?:progression|recurrence)",
        None,
        "LiverFirstProgressionRate",
    ),
    (r"\beffective in", None, "EffectivenessRate"),
    (
        r"site of (?:metastatic disease|metastas[ie]s)"
        r"|metastases (?:are|were) (?:noted|found|seen) in",
        None,
        "MetastasisSiteFrequency",
    ),
    (r"\b(?:limb )?function(?:ality|al improvement)", None, "FunctionalImprovementRate"),
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
    (
        r"complete ablation|technical effectiveness|complete necrosis|necrosis rate",
        None,
        "CompleteAblationRate",
    ),
    (r"technical(?:ly)? success(?:ful)?", None, "TechnicalSuccessRate"),
    (r"objective response|overall response|\bORR\b", None, "ObjectiveResponseRate"),
    (r"complete response", None, "CompleteResponseRate"),
    (r"partial response", None, "PartialResponseRate"),
    (r"stable disease", None, "StableDiseaseRate"),
    (r"progressive disease|progression of (?:the )?disease", None, "ProgressiveDiseaseRate"),
    (r"disease control|\bDCR\b", None, "DiseaseControlRate"),
    (r"response", None, "ResponseOutcome"),
    (
        r"(?:major|severe|serious) (?:complications?|adverse events?|events)",
        None,
        "MajorComplicationRate",
    ),
    (r"minor (?:complications?|adverse events?|events)", None, "MinorComplicationRate"),
    (r"complications?|adverse events?|toxicit(?:y|ies)|side effects?", None, "AdverseEventRate"),
    (
        r"related (?:deaths?|mortality)|early deaths?|procedural (?:deaths?|mortality)",
        None,
        "TreatmentRelatedMortality",
    ),
    (r"no evidence of (?:the )?disease", None, "NoEvidenceOfDiseaseRate"),
    (r"alive with (?:the )?disease", None, "AliveWithDiseaseRate"),
    (r"died|deaths?|mortality", None, "AllCauseMortalityRate"),
    (r"pain (?:relief|palliation|reduction)|palliative effect", None, "PainReliefRate"),
    (r"\bcure", None, "CureRate"),
    (r"hospital stay|length of stay|hospitali[sz]ation", "LengthOfHospitalStay", None),
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
    index: int = 0  # place in its list of values ("30 and 17%": 0 and 1)
    size: int = 1  # how many values the list holds


@dataclass(frozen=True)
class _Item:
    """One number of a list, with the range end, comparator, unit and own timepoint."""

    value: str
    value_max: str | None
    comparator: str | None
    unit: str
    point: tuple[str, str] | None
    start: int
    end: int


@dataclass(frozen=True)
class _Last:
    """The last list of values kept in a sentence, which a following list may continue."""

    end: int
    outcomes: tuple[str, ...]
    unit: str
    point: tuple[str, str] | None


def values(text: str, start: int, end: int) -> list[Value]:
    """Every classified outcome value of the sentence ``text[start:end]``.

    Values joined by commas, "and" or "vs." form one list that shares the outcome phrase
    written before the first ("2- and 4-year survival of 61% and 38%").
    """
    found: list[Value] = []
    clause_start = start
    previous_end = start
    last: _Last | None = None
    follow_up = _FOLLOW_UP.search(text, start, end)
    for group in _groups(text, start, end):
        first = group[0]
        clause_start = _clause_start(text, clause_start, first.start)
        window = max(clause_start, previous_end)
        classified = _classify(text, group, window, end, last, start)
        if follow_up:
            classified = [_with_follow_up(v, follow_up) for v in classified]
        if classified:
            found.extend(classified)
            previous_end = group[-1].end
            point = (
                (classified[-1].timepoint, classified[-1].timepoint_unit)
                if classified[-1].timepoint
                else None
            )
            outcomes = tuple(v.outcome for v in classified)
            last = _Last(previous_end, outcomes, first.unit, point)  # type: ignore[arg-type]
    found.extend(_hazard_ratios(text, start, end))
    found.extend(_none_reported(text, start, end))
    return found


_EVENT = r"(?:deaths?|mortality|complications?|adverse events?|toxicit(?:y|ies))"
# "no early deaths or major complications", "none of the patients developed grade 4 toxicity"
_NONE_OF = re.compile(
    r"(?<!almost )(?<!nearly )(?<!virtually )"
    r"\b(?:no|none of the (?:\w+ )?patients (?:developed|had|experienced))\s+"
    rf"((?:[\w-]+\s+){{0,5}}?{_EVENT}(?:\s+or\s+(?:[\w-]+\s+){{0,2}}?{_EVENT})*)",
    re.IGNORECASE,
)


def _none_reported(text: str, start: int, end: int) -> list[Value]:
    """Events a sentence says did not happen, as a rate of 0%."""
    found = []
    for match in _NONE_OF.finditer(text, start, end):
        position = match.start(1)
        for piece in re.split(r"(\s+or\s+)", match.group(1)):
            piece_start, position = position, position + len(piece)
            if re.fullmatch(r"\s+or\s+", piece):
                continue
            cue = _cue_before(text, piece_start, position, "Percent")
            if cue is not None:
                found.append(Value(match.start(), position, cue[1], "0", "Percent", confidence=0.5))
    return found


# "after a 19-month follow-up", "at a median follow-up of 9 months": when the status counts
# of a sentence (no evidence of disease, alive with disease, died) were taken.
_FOLLOW_UP = re.compile(
    r"\b(?:after|at) (?:a |an )?(?:median |mean )?(?:(\d+)-?\s*(months?|years?)\s+follow-up"
    r"|follow-up (?:time )?of (\d+)\s*(months?|years?))",
    re.IGNORECASE,
)
_STATUS_RATES = {"NoEvidenceOfDiseaseRate", "AliveWithDiseaseRate", "AllCauseMortalityRate"}


def _with_follow_up(value: Value, follow_up: re.Match[str]) -> Value:
    if value.outcome not in _STATUS_RATES or value.timepoint is not None:
        return value
    number = follow_up.group(1) or follow_up.group(3)
    unit = (follow_up.group(2) or follow_up.group(4)).lower()
    return replace(value, timepoint=number, timepoint_unit="Year" if unit[0] == "y" else "Month")


def _groups(text: str, start: int, end: int) -> list[list[_Item]]:
    """The values of a sentence, in lists of values joined by commas, "and" or "vs."."""
    groups: list[list[_Item]] = []
    skip_to = start
    for match in _VALUE.finditer(text, start, end):
        if match.start() < skip_to or _is_noise(text, match):
            continue
        items = _items(text, match, end)
        skip_to = items[-1].end
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and previous.unit == items[0].unit
            and _JOIN.fullmatch(text, previous.end, match.start())
        ):
            groups[-1].extend(items)
        else:
            groups.append(items)
    return groups


def _clause_start(text: str, current: int, position: int) -> int:
    last = current
    for match in _CLAUSE.finditer(text, current, position):
        last = match.end()
    return last


def _is_noise(text: str, match: re.Match[str]) -> bool:
    """Confidence levels and intervals, ages, counts of years of follow-up, grades, time
    windows ("within the first 6 months") and shares of deaths ("20% of the deaths")."""
    after = text[match.end() : match.end() + 24]
    before = text[max(0, match.start() - 16) : match.start()]
    return bool(
        re.match(r"\s*(?:CI|confidence)", after)
        or re.match(r"\s*(?:or more\s+)?of (?:the |all )?deaths", after)
        or re.search(r"(?:aged?|follow-up of|followed for|grade)\s*$", before, re.IGNORECASE)
        or re.search(r"\b(?:the first|within)\s*$", before, re.IGNORECASE)
        or re.search(r"(?:\bCI|confidence interval)\b[\s:=,]*$", before)
        or re.search(rf"{NUM}\s*(?:%|months?)?\s*[(\[]\s*$", before)
        or re.match(r"[- ]old", after)
    )


def _items(text: str, match: re.Match[str], end: int) -> list[_Item]:
    """The numbers of one match, each with its range end, comparator, unit and timepoint."""
    if match.group("b_lo") is not None:
        listed = [(match.group("b_lo"), match.group("b_hi"))]
        comparator, unit = None, match.group("b_unit")
    elif match.group("r_lo") is not None:
        listed = [(match.group("r_lo"), match.group("r_hi"))]
        comparator, unit = _COMPARATOR.get(match.group("r_cmp") or ""), match.group("r_unit")
    else:
        listed = [(match.group("num"), None)]
        if match.group("more"):
            listed += [(n, None) for n in re.findall(NUM, match.group("more"))]
        comparator, unit = _COMPARATOR.get(match.group("cmp") or ""), match.group("unit")
    point, stop = None, match.end()
    after = _POINT_AFTER.match(text, match.end(), end)
    if after and len(listed) == 1:
        number = after.group(1) or after.group(2)
        point = (number, "Year" if after.group(3).lower().startswith("y") else "Month")
        stop = after.end() if after.group(1) else match.end()
    unit_id = _UNITS[unit.lower()]
    return [
        _Item(value, value_max, comparator, unit_id, point, match.start(), stop)
        for value, value_max in listed
    ]


def _classify(
    text: str,
    group: list[_Item],
    window: int,
    end: int,
    last: _Last | None,
    sentence_start: int,
) -> list[Value]:
    first, unit = group[0], group[0].unit
    if unit not in ("Percent", "Month", "Day", "Night", "Week"):
        return []
    cue = _cue_before(text, window, first.start, unit)
    if cue and cue[1] in _SURVIVAL_RATES and not _has_timepoint(text, window, first, group):
        # "survival of 20 months with 60% response": a survival percentage needs a timepoint
        cue = _cue_before(text, window, first.start, unit, skip=_SURVIVAL_RATES)
    confidence = 0.8 if cue and first.start - cue[0] < 80 else 0.6
    outcomes: tuple[str, ...] = ()
    inherited = None
    if cue is None and last is not None and last.unit == unit and _continues(text, last, first):
        # "89% at 3 months, 74% at 6 months", "72% (one arm) and 73% (the other)"
        cue, confidence, inherited = (last.end, last.outcomes[-1]), 0.5, last
        if len(last.outcomes) == len(group):
            outcomes = last.outcomes
    if cue is None:
        cue = _cue_after(text, group[-1].end, min(end, group[-1].end + 40), unit)
        confidence = 0.5
    if cue is None and window > sentence_start:
        # "higher response and longer PFS (40% vs. 20%; 9 vs. 5 months)": a clause with no
        # outcome phrase takes the nearest one of the sentence that fits its unit
        cue = _cue_before(text, sentence_start, first.start, unit)
        if cue and cue[1] in _SURVIVAL_RATES and not _has_timepoint(text, window, first, group):
            cue = _cue_before(text, sentence_start, first.start, unit, skip=_SURVIVAL_RATES)
        confidence = 0.4
    if cue is None:
        return []
    cue_start, outcome = cue
    if _BY.search(text, max(window, first.start - 24), first.start):
        outcome = _difference(outcome)  # "increased median PFS by about 5 months"
    paired = _PAIRED.search(text, sentence_start, first.start)
    if paired and len(group) == 2 and outcome in _PAIRED_OUTCOMES:
        outcomes = _PAIRED_OUTCOMES  # "median and mean survival times of 13 and 24 months"
    points = _timepoints(text, window, first.start, outcome)
    if len(group) > 1 and len(points) not in (0, 1, len(group)):
        return []
    out = []
    for index, item in enumerate(group):
        if outcomes:
            outcome = outcomes[index]
        point = item.point if outcome in _RATES_WITH_TIME else None
        if point is None and points:
            point = points[index] if len(points) == len(group) else points[-1]
        if point is None and inherited is not None:
            point = inherited.point
        out.append(
            Value(
                min(cue_start, item.start),
                max(item.end, cue_start + 1),
                outcome,
                item.value,
                unit,
                item.value_max,
                item.comparator,
                point[0] if point else None,
                point[1] if point else None,
                confidence=confidence,
                index=index,
                size=len(group),
            )
        )
    return out


_BY = re.compile(r"\bby\s+(?:approximately\s+|about\s+|nearly\s+)?$")


def _difference(outcome: str) -> str:
    """The outcome for a gain in a median, when the ontology has one."""
    from ...ontology.vocab import vocabulary

    gain = f"{outcome}Difference"
    return gain if outcome.startswith("Median") and gain in vocabulary().terms else outcome


_PAIRED = re.compile(r"\bmedian and mean (?:overall )?survival", re.IGNORECASE)
_PAIRED_OUTCOMES = ("MedianOverallSurvival", "MeanOverallSurvival")


def _continues(text: str, last: _Last, first: _Item) -> bool:
    """Whether a list goes on from the last one: close after it, a few words between."""
    gap = text[last.end : first.start]
    return len(gap) < 60 and len(re.findall(r"[A-Za-z]+", gap)) <= 5


def _pick(time: str | None, rate: str | None, unit: str) -> str | None:
    return rate if unit == "Percent" else time


_SURVIVAL_RATES = {
    "OverallSurvivalRate",
    "ProgressionFreeSurvivalRate",
    "DiseaseFreeSurvivalRate",
}


def _has_timepoint(text: str, window: int, first: _Item, group: list[_Item]) -> bool:
    return any(item.point for item in group) or bool(_TIMEPOINT.search(text, window, first.start))


def _cue_before(
    text: str, window: int, position: int, unit: str, skip: set[str] | frozenset = frozenset()
) -> tuple[int, str] | None:
    """The outcome phrase closest before the value; of phrases ending at the same place
    the longest ("partial response" rather than "response")."""
    best: tuple[int, int, str] | None = None
    for pattern, time, rate in _CUE:
        outcome = _pick(time, rate, unit)
        if outcome is None or outcome in skip:
            continue
        for match in pattern.finditer(text, window, position):
            key = (match.end(), -match.start(), outcome)
            if best is None or key[:2] > best[:2]:
                best = key
    return (-best[1], best[2]) if best else None


_GRADES = re.compile(r"grades?\s*\d(?:\s*(?:-|\u2013|to|and|or)\s*\d)?", re.IGNORECASE)


def _cue_after(text: str, start: int, stop: int, unit: str) -> tuple[int, str] | None:
    for pattern, time, rate in _CUE:
        outcome = _pick(time, rate, unit)
        match = pattern.search(text, start, stop)
        between = _GRADES.sub("", text[start : match.start()] if match else "")
        if outcome is not None and match and not re.search(r"\d", between):
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
    "DiseaseControlRate",
    "PainReliefRate",
}


def _timepoints(text: str, window: int, position: int, outcome: str) -> list[tuple[str, str]]:
    """Timepoints written before the value ("5-year", "1-, 2- and 3-year") for rates."""
    if outcome not in _RATES_WITH_TIME:
        return []
    points: list[tuple[str, str]] = []
    for match in _TIMEPOINT.finditer(text, window, position):
        unit = "Year" if match.group(3).startswith("y") else "Month"
        numbers = [match.group(1), *re.findall(r"\d+", match.group(2))]
        points = [(n, unit) for n in numbers]
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
