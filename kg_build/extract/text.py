"""Read a review safely and cut it into paragraphs and sentences, keeping offsets.

Offsets are Python ``str`` indices into the decoded text, as evidence spans require.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..corpus import span_hash


class ExtractError(Exception):
    """Input the extractor cannot work with; the message names the file (and record)."""


def read_review(path: Path) -> str:
    """The decoded text of a review; a missing, empty or non-UTF-8 file is an error."""
    if not path.is_file():
        raise ExtractError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExtractError(f"{path}: not UTF-8 text (byte {error.start}: {error.reason})") from None
    if not text.strip():
        raise ExtractError(f"{path}: the file is empty")
    return text


def span(text: str, start: int, end: int) -> str:
    """The evidence span string ``START-END:HASH`` of ``text[start:end]``."""
    return f"{start}-{end}:{span_hash(text[start:end])}"


@dataclass(frozen=True)
class Sentence:
    """A sentence of running text: offsets and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


# A sentence ends at . ! or ? (plus any citation marks written after it) before a capital.
_CITE_TAIL = r"(?:<sup>[^<]*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻,]+|\^\{[^}]*\}|\d+(?:[-\u2013,]\d+)*)?"
# A full stop after a digit ends a sentence only without bare digits after it ("HR 0.68 (").
_BOUNDARY = re.compile(
    r"(?<!\bet al)(?<!\bvs)(?<!\bFig)(?:(?<!\d)[.!?]"
    + _CITE_TAIL
    + r"|[.!?](?:<sup>[^<]*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻,]+)?)\s+(?=[A-Z\"“(])"
)
_PARAGRAPH = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of blank-line separated blocks."""
    blocks, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        blocks.append((start, match.start()))
        start = match.end()
    blocks.append((start, len(text)))
    return [(s, e) for s, e in blocks if text[s:e].strip()]


def sentences(text: str) -> list[Sentence]:
    """Sentences of every paragraph that is running text (table lines are left out)."""
    found: list[Sentence] = []
    for number, (start, end) in enumerate(_running_blocks(text)):
        position = start
        for match in _BOUNDARY.finditer(text, start, end):
            found.append(Sentence(position, match.end(), number))
            position = match.end()
        if text[position:end].strip():
            found.append(Sentence(position, end, number))
    return found


def _running_blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs of running text; a blank line inside a sentence (a page break in the
    source: the block before it ends without a full stop and the next starts in lower case
    or with a digit) does not end the paragraph."""
    blocks: list[tuple[int, int]] = []
    follows = False  # whether the last block kept is the paragraph just before
    for start, end in paragraphs(text):
        if is_table_block(text[start:end]):
            follows = False
            continue
        if (
            follows
            and re.match(r"[a-z0-9]", text[start])
            and not re.search(r"[.!?:]\W*$", text[blocks[-1][0] : blocks[-1][1]])
            and not text[blocks[-1][0] : blocks[-1][1]].lstrip().startswith("#")
        ):
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
        follows = True
    return blocks


def is_table_line(line: str) -> bool:
    """A tab- or pipe-separated line of at least three cells."""
    return line.count("\t") >= 2 or (line.count("|") >= 3 and not line.lstrip().startswith("-"))


def is_table_block(block: str) -> bool:
    lines = [line for line in block.splitlines() if line.strip()]
    return bool(lines) and sum(is_table_line(line) for line in lines) * 2 > len(lines)


def line_at(text: str, offset: int) -> str:
    """The whole line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]
