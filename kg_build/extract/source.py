"""The ``source`` block of a draft: the review's identity, from the corpus index.

The corpus directory's README lists each file with its SHA-256 and citation
(``| file | sha256 | citation | DOI |``). When a review is not listed, the draft says so in
placeholder fields for the curator to fill in.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .references import slug
from .text import span

UNKNOWN = "unknown (fill in from the review)"


def index_row(path: Path) -> list[str] | None:
    """The cells of the corpus README's table row for this file, if there is one."""
    readme = path.parent / "README.md"
    if not readme.is_file():
        return None
    for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == path.name:
            return cells
    return None


def source_block(path: Path, text: str) -> dict:
    """The source fields of the evidence schema for the review at ``path``."""
    row = index_row(path)
    citation = row[2] if row and len(row) > 2 else ""
    doi = row[3] if row and len(row) > 3 and row[3].startswith("10.") else None
    pieces = [p.strip() for p in re.split(r"\.\s+", citation) if p.strip()]
    year = re.search(r"\b(19|20)\d\d\b", citation)
    block: dict = {
        "file": path.name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "first_author": pieces[0].split()[0] if pieces else UNKNOWN,
        "year": int(year.group(0)) if year else 0,
    }
    block.update(_title(text, pieces[1] if len(pieces) > 1 else None))
    journal = re.split(r"[.;]?\s*(?:19|20)\d\d", pieces[2])[0] if len(pieces) > 2 else ""
    block["journal"] = journal.strip(" .") or UNKNOWN
    block["citation"] = citation or UNKNOWN
    if doi:
        block["doi"] = doi
    return block


def _title(text: str, title: str | None) -> dict:
    """Point at the title where the text prints it (never copy it); else name it."""
    if not title:
        return {"title": UNKNOWN}
    at = text.casefold().find(title.casefold())
    if at < 0:
        return {"title": title}
    return {"title_span": span(text, at, at + len(title))}


def review_study_id(source: dict, given: str | None) -> str:
    """The study id of the review itself, for its own claims (``--source-id`` wins)."""
    if given:
        return slug(given)
    return slug(
        source["first_author"],
        source["year"] or None,
        source["journal"] if source["journal"] != UNKNOWN else None,
    )
