"""The verified mapping set: read ``mappings.sssom.tsv`` and turn it into SKOS triples.

The SSSOM file beside this module says which external concept (NCIt, Mondo, MeSH, Uberon,
UO, HGNC) each bclm-kg term corresponds to, with the label the target vocabulary gives the
code and where that pair was checked. This module reads it with the standard library and
PyYAML only (no network): the ``#``-prefixed YAML header becomes the set's metadata, the
rows become ``Mapping`` records, and every CURIE is expanded with one ``curies.Converter``
built from the header's ``curie_map``, the single prefix map of the project's mappings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, cast, get_args

import curies
import yaml
from rdflib import URIRef

MAPPINGS_FILE: Final = "mappings.sssom.tsv"
SUBJECT_PREFIX: Final = "bclm"

Predicate = Literal["skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch"]
ALLOWED_PREDICATES: Final[frozenset[str]] = frozenset(get_args(Predicate))
MANUAL_CURATION: Final = "semapv:ManualMappingCuration"

COLUMNS: Final = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "comment",
)

Triple = tuple[URIRef, URIRef, URIRef]


class MappingFileError(ValueError):
    """The mapping file is not a well-formed bclm-kg SSSOM table."""


@dataclass(frozen=True)
class Mapping:
    """One row of the mapping set: our term, a SKOS predicate and an external concept."""

    subject_id: str
    subject_label: str
    predicate_id: Predicate
    object_id: str
    object_label: str
    mapping_justification: str
    confidence: float
    comment: str

    @property
    def term_id(self) -> str:
        """The local id of the subject in the term table (``bclm:Liver`` -> ``Liver``)."""
        return self.subject_id.split(":", 1)[1]

    @property
    def object_prefix(self) -> str:
        return self.object_id.split(":", 1)[0]

    @property
    def object_local_id(self) -> str:
        return self.object_id.split(":", 1)[1]


@dataclass(frozen=True)
class MappingSet:
    """The parsed SSSOM file: its metadata, its rows and the converter for its CURIEs."""

    metadata: dict[str, Any] = field(repr=False)
    mappings: tuple[Mapping, ...]
    converter: curies.Converter = field(repr=False)

    @property
    def prefix_map(self) -> dict[str, str]:
        return dict(self.converter.prefix_map)

    def expand(self, curie: str) -> URIRef:
        """The IRI of a CURIE; raises ``MappingFileError`` for an unknown prefix."""
        iri = self.converter.expand(curie)
        if iri is None:
            raise MappingFileError(f"{MAPPINGS_FILE}: no prefix in curie_map for '{curie}'")
        return URIRef(iri)

    def for_term(self, term_id: str) -> tuple[Mapping, ...]:
        """The mappings whose subject is the bclm-kg term ``term_id``."""
        return tuple(m for m in self.mappings if m.term_id == term_id)

    def triples(self) -> Iterator[Triple]:
        """(subject IRI, SKOS predicate IRI, object IRI) for every mapping, in file order."""
        for m in self.mappings:
            yield self.expand(m.subject_id), self.expand(m.predicate_id), self.expand(m.object_id)


def split_header(text: str) -> tuple[dict[str, Any], str]:
    """The YAML metadata of the ``#`` header lines and the TSV body that follows them."""
    lines = text.splitlines(keepends=True)
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line[1:])
    try:
        metadata = yaml.safe_load("".join(header)) or {}
    except yaml.YAMLError as err:
        raise MappingFileError(f"{MAPPINGS_FILE}: the header is not valid YAML") from err
    if not isinstance(metadata, dict):
        raise MappingFileError(f"{MAPPINGS_FILE}: the header is not a YAML mapping")
    return metadata, "".join(lines[len(header) :])


def parse_mapping_set(text: str) -> MappingSet:
    """Build a mapping set from the text of an SSSOM TSV file, checking its shape."""
    metadata, body = split_header(text)
    curie_map = metadata.get("curie_map")
    if not isinstance(curie_map, dict) or not curie_map:
        raise MappingFileError(f"{MAPPINGS_FILE}: the header has no curie_map")
    converter = curies.Converter.from_prefix_map({str(k): str(v) for k, v in curie_map.items()})
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise MappingFileError(f"{MAPPINGS_FILE}: columns must be {', '.join(COLUMNS)}")
    mappings = tuple(_mapping(row, reader.line_num) for row in reader)
    return MappingSet(metadata, mappings, converter)


def _mapping(row: dict[str, str], line: int) -> Mapping:
    predicate = row["predicate_id"]
    if predicate not in ALLOWED_PREDICATES:
        raise MappingFileError(f"{MAPPINGS_FILE}:{line}: predicate '{predicate}' is not allowed")
    if not row["subject_id"].startswith(f"{SUBJECT_PREFIX}:"):
        raise MappingFileError(f"{MAPPINGS_FILE}:{line}: subject must be a {SUBJECT_PREFIX} term")
    if ":" not in row["object_id"]:
        raise MappingFileError(f"{MAPPINGS_FILE}:{line}: object '{row['object_id']}' is no CURIE")
    try:
        confidence = float(row["confidence"])
    except ValueError as err:
        raise MappingFileError(f"{MAPPINGS_FILE}:{line}: confidence is not a number") from err
    if not 0.0 <= confidence <= 1.0:
        raise MappingFileError(f"{MAPPINGS_FILE}:{line}: confidence must lie in [0, 1]")
    return Mapping(
        subject_id=row["subject_id"],
        subject_label=row["subject_label"],
        predicate_id=cast(Predicate, predicate),
        object_id=row["object_id"],
        object_label=row["object_label"],
        mapping_justification=row["mapping_justification"],
        confidence=confidence,
        comment=row["comment"],
    )


def mappings_text() -> str:
    """The text of the packaged SSSOM file."""
    return resources.files(__package__).joinpath(MAPPINGS_FILE).read_text(encoding="utf-8")


@cache
def mapping_set() -> MappingSet:
    """The project's mapping set, read once from the packaged SSSOM file."""
    return parse_mapping_set(mappings_text())


def converter() -> curies.Converter:
    """The project-wide prefix map of the mappings, as a ``curies`` converter."""
    return mapping_set().converter


def mapping_triples() -> Iterator[Triple]:
    """The SKOS triples of the packaged mapping set, ready to add to a graph."""
    return mapping_set().triples()
