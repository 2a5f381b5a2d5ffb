"""Find the review corpus and check evidence spans against it.

The corpus is reference material that lives beside the repository (``../shared/corpus``);
it is never copied in. With it, every span's hash is verified and its quote can be shown;
without it, the build still runs and says that spans were not checked.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

CORPUS_ENV = "BCLM_CORPUS"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCATIONS = (Path("../shared/corpus"), PROJECT_ROOT.parent / "shared" / "corpus")
HASH_LENGTH = 10


def span_hash(text: str) -> str:
    """The short hash recorded with every span: 10 hex digits of SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class Corpus:
    """The source texts, decoded, keyed by file name."""

    directory: Path
    texts: dict[str, str]

    def text(self, file: str) -> str:
        if file not in self.texts:
            raise BuildError(f"corpus {self.directory} has no file {file}")
        return self.texts[file]

    def sha256(self, file: str) -> str:
        return hashlib.sha256(self.text(file).encode("utf-8")).hexdigest()

    def quote(self, file: str, start: int, end: int) -> str:
        return self.text(file)[start:end]


def load_corpus(directory: Path) -> Corpus:
    files = sorted(directory.glob("*.txt"))
    if not files:
        raise BuildError(f"no corpus .txt files in {directory}")
    return Corpus(directory, {f.name: f.read_text(encoding="utf-8") for f in files})


def locate_corpus(explicit: Path | None = None) -> Path | None:
    """The corpus directory: ``--corpus``, else ``$BCLM_CORPUS``, else ``../shared/corpus``.

    An explicitly named directory that does not exist is an error; the defaults are
    optional and ``None`` means "build without the corpus".
    """
    named = explicit or (Path(os.environ[CORPUS_ENV]) if os.environ.get(CORPUS_ENV) else None)
    if named is not None:
        if not named.is_dir():
            raise BuildError(f"corpus directory {named} does not exist")
        return named
    for candidate in DEFAULT_LOCATIONS:
        if candidate.is_dir():
            return candidate.resolve()
    return None
