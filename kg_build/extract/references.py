"""Parse a review's own reference list into numbered entries (first author, year, journal).

Lists come numbered (``- 12 Author ...``, ``12. Author ...``) or as bullets in citation
order; a list whose numbers do not count up is numbered by position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_HEADING = re.compile(r"^\s*#*\s*\**(References|REFERENCES|Bibliography)\**\s*$", re.MULTILINE)
_ITEM = re.compile(
    r"^[ \t]*(?:[-*•][ \t]+)?(?:\[?(\d{1,3})[.\])]?[ \t]+)?(?=\S)(.+)$", re.MULTILINE
)
_SURNAME = re.compile(
    r"^((?:(?:van|de|der|den|von|da|di|le|la|De|Van|Von|Da|Di|Le|La)\s+)*"
    r"[A-Z][\w'\u2019-]*(?:[ -][A-Z][\w'\u2019-]*(?=[ ,]+[A-Z]{1,3}\b))?)[ ,]+[A-Z][A-Z.]*\b"
)
_YEAR_CITED = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*;)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*[;:(.,]|\s*$)")


@dataclass(frozen=True)
class Reference:
    """One entry of the reference list."""

    number: int
    first_author: str
    year: int | None
    journal: str | None
    start: int
    end: int


def reference_section(text: str) -> int | None:
    """Where the last reference-list heading starts, if the review has one."""
    headings = list(_HEADING.finditer(text))
    return headings[-1].end() if headings else None


def parse_references(text: str) -> dict[int, Reference]:
    """Entries of the reference list by number; empty when the text has none."""
    start = reference_section(text)
    if start is None:
        return {}
    items: list[re.Match[str]] = []
    for match in _ITEM.finditer(text, start):
        if _is_entry(match) and not (items and _is_continuation(match, items[-1])):
            items.append(match)
    printed = [int(m.group(1)) if m.group(1) else None for m in items]
    counted = all(n is not None for n in printed) and printed == sorted(set(printed))  # type: ignore[type-var]
    entries: dict[int, Reference] = {}
    for position, match in enumerate(items, start=1):
        number = printed[position - 1] if counted else position
        entry = _entry(number, match.group(2), match.start(2), match.end(2))  # type: ignore[arg-type]
        entries[entry.number] = entry
    return entries


def _is_entry(match: re.Match[str]) -> bool:
    """A list item (bullet or number), or an unmarked line that starts like an entry."""
    line = match.group(0).lstrip()
    marked = line[:1] in "-*•" or match.group(1) is not None
    return marked or bool(_SURNAME.match(match.group(2).lstrip("*")))


def _is_continuation(match: re.Match[str], previous: re.Match[str]) -> bool:
    """A wrapped line of the entry before it, even when it got a bullet of its own: it has
    no printed number and starts in lower case (not a particle such as ``van``), or starts
    with no surname while the entry before it stops without a full stop."""
    body = match.group(2).lstrip("*")
    if match.group(1) is not None or _SURNAME.match(body):
        return False
    return body[:1].islower() or not previous.group(2).rstrip().endswith(".")


def _entry(number: int, body: str, start: int, end: int) -> Reference:
    surname = _SURNAME.match(body.lstrip("*"))
    author = surname.group(1).strip() if surname else body.split()[0].strip("*,.")
    year_match = _YEAR_CITED.search(body) or _YEAR.search(body)
    year = int(year_match.group(1)) if year_match else None
    journal = _journal(body, year_match.start() if year_match else len(body))
    end = start + len(body.rstrip())
    return Reference(number, author, year, journal, start, end)


def _journal(body: str, year_at: int) -> str | None:
    """The journal: italic text before the year, else the last sentence before it."""
    before = body[:year_at]
    italic = re.findall(r"\*([^*]+)\*", before)
    if italic:
        return italic[-1].strip().rstrip(".").strip() or None
    pieces = [p.strip() for p in re.split(r"(?<=[.?!])\s+", before.strip()) if p.strip()]
    return pieces[-1].rstrip(".").strip() if len(pieces) > 1 else None


def fold(name: str) -> str:
    """A surname reduced for comparison: no accents, no case, ue/oe/ae as u/o/a."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    for digraph, vowel in (("ue", "u"), ("oe", "o"), ("ae", "a")):
        plain = plain.replace(digraph, vowel)
    return re.sub(r"[^a-z]", "", plain)


def slug(*parts: object) -> str:
    """A record id made of words: lower case ASCII, hyphens."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^a-z0-9]+", "-", fold_keep_spaces(text)).strip("-") or "x"


def fold_keep_spaces(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()
