"""RDF terms spelled two ways for one triple writer: rdflib objects or N-Triples text.

The evidence writer (``triples.py``) and the level rules (``levels.py``) make every term
through a ``Terms`` factory, so the in-memory build (an rdflib graph, checked by pyshacl)
and the streaming build share one mapping from records to triples. The streaming build
uses ``NTRIPLES``: each term is already the text of an N-Triples term, because making
rdflib objects only to format them again cost more than all the rest of converting a file.

``NTRIPLES`` spells every term as rdflib's own N-Triples writer does, so the two builds
write the same bytes: integers in decimal digits, decimals in positional notation
(rdflib formats them with ``f"{value:f}"``), language tags as given, and in literal text
exactly the four escapes rdflib writes (backslash, double quote, line feed, carriage
return); every other character, non-ASCII and tab included, is written as itself, which
the N-Triples grammar allows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_INTEGER = f"^^<{XSD.integer}>"
_DECIMAL = f"^^<{XSD.decimal}>"


class Terms(Protocol[T_co]):
    """Makes the terms of triples; ``T_co`` is the type of a term."""

    def iri(self, iri: str) -> T_co: ...

    def literal(
        self, lexical: str, datatype: str | None = None, language: str | None = None
    ) -> T_co: ...

    def integer(self, value: int) -> T_co: ...

    def decimal(self, value: Decimal) -> T_co: ...


class RdflibTerms:
    """Terms as rdflib makes them, for graphs that rdflib and pyshacl read."""

    def iri(self, iri: str) -> Node:
        return URIRef(iri)

    def literal(
        self, lexical: str, datatype: str | None = None, language: str | None = None
    ) -> Node:
        return Literal(lexical, datatype=datatype and URIRef(datatype), lang=language)

    def integer(self, value: int) -> Node:
        return Literal(value, datatype=XSD.integer)

    def decimal(self, value: Decimal) -> Node:
        return Literal(value, datatype=XSD.decimal)


class NTriplesTerms:
    """Terms as N-Triples text, byte for byte what rdflib's writer gives for the same term."""

    def iri(self, iri: str) -> str:
        return f"<{iri}>"

    def literal(
        self, lexical: str, datatype: str | None = None, language: str | None = None
    ) -> str:
        text = f'"{lexical.translate(_ESCAPES)}"'
        if language:
            return f"{text}@{language}"
        if datatype:
            return f"{text}^^<{datatype}>"
        return text

    def integer(self, value: int) -> str:
        return f'"{value}"{_INTEGER}'

    def decimal(self, value: Decimal) -> str:
        return f'"{value:f}"{_DECIMAL}'


RDFLIB = RdflibTerms()
NTRIPLES = NTriplesTerms()


class TermCache(Generic[T]):
    """IRIs made once each: the writer names the same few hundred classes over and over."""

    def __init__(self, terms: Terms[T]) -> None:
        self.terms = terms
        self._iris: dict[str, T] = {}

    def iri(self, iri: str) -> T:
        found = self._iris.get(iri)
        if found is None:
            found = self._iris[iri] = self.terms.iri(iri)
        return found
