"""Find the studies a sentence is about: "X et al." mentions and citation marks.

Citation marks come as ``<sup>4,12</sup>``, Unicode superscripts (``⁴⁻⁶``), brackets
(``[7]``), parentheses (``(12)``) or digits glued to punctuation (``lesions.24-29``). Each
mention or mark is resolved against the review's own reference list when it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .references import Reference, fold

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_MARKS = re.compile(
    r"<sup>\s*([\d,\s\u2013-]+)\s*</sup>"
    r"|([⁰¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹⁻,]*)"
    r"|\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]"
    r"|\((\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\)"
    r"|(?<=[a-z)%][.,])(\d{1,3}(?:[,\u2013-]\d{1,3})*)(?=\s|$)"
    r"|\^\{\s*([\d,\s\u2013-]+)\s*\}"  # LaTeX superscript: ^{18,19}
)
_PARTICLE = r"(?:(?:van|de|der|den|von|da|di|De|Van|Von|Da|Di)\s+)?"
_ET_AL = re.compile(
    rf"\b({_PARTICLE}[A-Z][\w'\u2019-]+(?:\s(?:and|&)\s[A-Z][\w'\u2019-]+)?)\s+\**et\s+al\b\.?\**,?\s*"
)
_TRIAL = re.compile(r"\b([A-Z][A-Z0-9]{3,}(?:-[A-Za-z0-9]+)+|[A-Z]{4,}-?\d+)\b")


@dataclass(frozen=True)
class Mention:
    """A study named or cited in the text, resolved to a reference entry where possible."""

    start: int
    end: int
    author: str | None
    reference: Reference | None
    number: int | None = None


def _numbers(raw: str) -> list[int]:
    """``4,12`` -> [4, 12]; ``24-29`` -> 24..29 (short ranges only)."""
    found: list[int] = []
    for part in re.split(r"\s*,\s*", raw.translate(_SUPERSCRIPT).strip()):
        bounds = [int(b) for b in re.split(r"\s*[\u2013-]\s*", part) if b.isdigit()]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= 10:
            found.extend(range(bounds[0], bounds[1] + 1))
        elif bounds:
            found.append(bounds[0])
    return found


def citation_marks(text: str, start: int, end: int, known: int) -> list[tuple[int, int, list[int]]]:
    """Citation marks within ``[start, end)``: offsets and the reference numbers they give.

    Bare numbers in parentheses or after punctuation count only when every number is a
    reference of the list (``known`` entries); otherwise they are data, like ``(n=12)``.
    """
    marks = []
    for match in _MARKS.finditer(text, start, end):
        group = next(i for i in range(1, 7) if match.group(i) is not None)
        numbers = _numbers(match.group(group))
        if not numbers:
            continue
        if group in (4, 5) and (known == 0 or max(numbers) > known):
            continue
        marks.append((match.start(), match.end(), numbers))
    return marks


def mentions(text: str, start: int, end: int, references: dict[int, Reference]) -> list[Mention]:
    """The studies of one sentence: named ones first, then those only cited by number."""
    marks = citation_marks(text, start, end, len(references) or 999)
    found: list[Mention] = []
    used: set[int] = set()
    for match in _ET_AL.finditer(text, start, end):
        author = match.group(1).split(" and ")[0].split(" & ")[0]
        number = _mark_after(marks, match.end())
        reference = _resolve(author, number, references)
        if reference is not None:
            used.add(reference.number)
        found.append(Mention(match.start(1), match.end(), author, reference, number))
    for mark_start, mark_end, numbers in marks:
        for number in numbers:
            if number in used:
                continue
            used.add(number)
            reference = references.get(number)
            author = reference.first_author if reference else None
            found.append(Mention(mark_start, mark_end, author, reference, number))
    return found


def trial_names(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Trial acronyms such as ``NAME-2`` (capitals, with a number or a hyphenated part)."""
    return [(m.start(1), m.end(1), m.group(1)) for m in _TRIAL.finditer(text, start, end)]


def _mark_after(marks: list[tuple[int, int, list[int]]], position: int) -> int | None:
    for mark_start, _, numbers in marks:
        if mark_start - position <= 3 and mark_start >= position - 1:
            return numbers[0]
    return None


def _resolve(author: str, number: int | None, references: dict[int, Reference]) -> Reference | None:
    """The entry a mention points to: its own mark if the surname agrees, else by surname."""
    wanted = fold(author)
    if number is not None and number in references:
        entry = references[number]
        if _same_author(wanted, fold(entry.first_author)):
            return entry
    named = [r for r in references.values() if _same_author(wanted, fold(r.first_author))]
    if number is not None and number in references and not named:
        return references[number]
    return named[0] if len(named) == 1 else None


def _same_author(a: str, b: str) -> bool:
    return a == b or (len(a) > 3 and len(b) > 3 and (a.startswith(b) or b.startswith(a)))
