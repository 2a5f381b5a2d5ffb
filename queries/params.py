"""Template parameter types: check a value given as text and bind it as a typed RDF term.

A value never becomes query text. Each type turns the user's string into one pyoxigraph
term (an IRI from the ontology's whitelist, an ``xsd:integer``, an ``xsd:decimal`` or a
plain string literal) or refuses it with a message that says what is allowed. The type of
a parameter is declared in the template header by one of::

    term ROOT            an ontology class at or below ROOT, e.g. `term Modality`;
                         given as an id (ThermalAblation), bclm:Id or the full IRI
    node KIND            a data node of the built graph under bclmd:KIND/ (e.g. `node fact`
                         allows any kind), given as a path, bclmd:path or the full IRI
    integer MIN..MAX     an integer within the bounds
    decimal MIN..MAX     a decimal number within the bounds
    year                 an integer from 1900 to 2100
    enum A,B,C           one of the listed words, bound as a string literal
    text MAX /REGEX/     at most MAX characters, all matching the regular expression

Values longer than ``MAX_VALUE_LENGTH`` are refused before any other check, and error
messages show at most ``SHOWN`` characters of a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import pyoxigraph as ox

from ..ontology.vocab import UnknownTermError, vocabulary

XSD = "http://www.w3.org/2001/XMLSchema#"
DATA_BASE = "https://w3id.org/bclm-kg/data/"
MAX_VALUE_LENGTH = 200
SHOWN = 40
NUMBER = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
NODE_PATH = re.compile(r"[a-z]+(/[A-Za-z0-9._-]+)+")

Term = ox.NamedNode | ox.Literal


class QueryError(ValueError):
    """A query that could not be answered: bad syntax, bad parameter, unreachable endpoint."""


class ParameterError(QueryError):
    """A parameter value (or a parameter declaration) that cannot be used."""


def shown(value: str) -> str:
    """The value quoted for an error message, escaped and cut to ``SHOWN`` characters."""
    cut = value if len(value) <= SHOWN else value[:SHOWN] + "..."
    return repr(cut)


class ParamType(Protocol):
    """What every parameter type offers: a description and checked binding."""

    def describe(self) -> str: ...

    def bind(self, name: str, value: str) -> Term: ...


def _check_length(name: str, value: str, limit: int = MAX_VALUE_LENGTH) -> None:
    if len(value) > limit:
        raise ParameterError(
            f"parameter '{name}': value of {len(value)} characters; at most {limit} allowed"
        )


@dataclass(frozen=True)
class TermType:
    """An ontology class at or below ``root``, bound as its IRI."""

    root: str

    def describe(self) -> str:
        return f"ontology class id at or below {self.root}"

    def bind(self, name: str, value: str) -> Term:
        _check_length(name, value)
        vocab = vocabulary()
        term_id = value.strip().removeprefix(vocab.base).removeprefix("bclm:")
        what = vocab.get(self.root).label
        try:
            vocab.require(term_id, self.root, what)
        except UnknownTermError as error:
            raise ParameterError(f"parameter '{name}': {error}") from None
        return ox.NamedNode(vocab.base + term_id)


@dataclass(frozen=True)
class NodeType:
    """A data node IRI under ``bclmd:KIND/`` (any kind when ``kind`` is 'fact')."""

    kind: str

    def describe(self) -> str:
        where = "bclmd:" if self.kind == "fact" else f"bclmd:{self.kind}/"
        return f"data node under {where} (path, bclmd:path or IRI)"

    def bind(self, name: str, value: str) -> Term:
        _check_length(name, value)
        path = value.strip().removeprefix(DATA_BASE).removeprefix("bclmd:")
        if not NODE_PATH.fullmatch(path):
            raise ParameterError(
                f"parameter '{name}': {shown(value)} is not a data node path such as "
                "measurement/001/t1-meloni-2009-ref23/rfa/m1"
            )
        if self.kind != "fact" and not path.startswith(f"{self.kind}/"):
            raise ParameterError(f"parameter '{name}': {shown(value)} is not a {self.kind}")
        return ox.NamedNode(DATA_BASE + path)


@dataclass(frozen=True)
class NumberType:
    """An integer or decimal within inclusive bounds."""

    datatype: str  # "integer" or "decimal"
    low: Decimal
    high: Decimal

    def describe(self) -> str:
        return f"{self.datatype} from {self.low} to {self.high}"

    def bind(self, name: str, value: str) -> Term:
        _check_length(name, value, 40)
        text = value.strip()
        pattern = NUMBER if self.datatype == "integer" else DECIMAL
        article = "an" if self.datatype == "integer" else "a"
        if not pattern.fullmatch(text):
            raise ParameterError(f"parameter '{name}': {shown(value)} is not {article} "
                                 f"{self.datatype}")  # fmt: skip
        number = Decimal(text)
        if not self.low <= number <= self.high:
            raise ParameterError(
                f"parameter '{name}': {text} is not between {self.low} and {self.high}"
            )
        lexical = str(int(number)) if self.datatype == "integer" else _decimal_lexical(number)
        return ox.Literal(lexical, datatype=ox.NamedNode(XSD + self.datatype))


def _decimal_lexical(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text if "." in text else text + ".0"


@dataclass(frozen=True)
class EnumType:
    """One of a fixed list of words, bound as a plain string literal."""

    choices: tuple[str, ...]

    def describe(self) -> str:
        return f"one of {', '.join(self.choices)}"

    def bind(self, name: str, value: str) -> Term:
        _check_length(name, value, 40)
        if value not in self.choices:
            raise ParameterError(
                f"parameter '{name}': {shown(value)} is not one of {', '.join(self.choices)}"
            )
        return ox.Literal(value)


@dataclass(frozen=True)
class TextType:
    """Free text of at most ``max_length`` characters matching ``pattern``; a string literal."""

    max_length: int
    pattern: str

    def describe(self) -> str:
        return f"text of 1 to {self.max_length} characters matching /{self.pattern}/"

    def bind(self, name: str, value: str) -> Term:
        _check_length(name, value, self.max_length)
        if not value or not re.fullmatch(self.pattern, value):
            raise ParameterError(
                f"parameter '{name}': {shown(value)} does not match /{self.pattern}/"
            )
        return ox.Literal(value)


def parse_type(text: str) -> ParamType:
    """The parameter type declared by ``text`` (see the module docstring)."""
    kind, _, rest = text.strip().partition(" ")
    rest = rest.strip()
    if kind == "term":
        try:
            vocabulary().get(rest, "class")
        except UnknownTermError as error:
            raise ParameterError(f"type 'term': {error}") from None
        return TermType(rest)
    if kind == "node" and re.fullmatch(r"[a-z]+", rest):
        return NodeType(rest)
    if kind in ("integer", "decimal"):
        low, sep, high = rest.partition("..")
        pattern = NUMBER if kind == "integer" else DECIMAL
        if not (sep and pattern.fullmatch(low) and pattern.fullmatch(high)):
            raise ParameterError(f"type '{kind}' needs bounds MIN..MAX, got {shown(rest)}")
        return NumberType(kind, Decimal(low), Decimal(high))
    if kind == "year" and not rest:
        return NumberType("integer", Decimal(1900), Decimal(2100))
    if kind == "enum":
        choices = tuple(c.strip() for c in rest.split(","))
        if not all(re.fullmatch(r"[\w+<>=.-]+", c) for c in choices):
            raise ParameterError(f"type 'enum' needs words separated by commas, got {shown(rest)}")
        return EnumType(choices)
    if kind == "text":
        match = re.fullmatch(r"(\d+) /(.+)/", rest)
        if not match:
            raise ParameterError(f"type 'text' needs 'MAX /REGEX/', got {shown(rest)}")
        try:
            re.compile(match[2])
        except re.error as error:
            raise ParameterError(f"type 'text': bad regular expression: {error}") from None
        return TextType(int(match[1]), match[2])
    raise ParameterError(
        f"unknown parameter type {shown(text)}; expected term ROOT, node KIND, integer MIN..MAX, "
        "decimal MIN..MAX, year, enum A,B or text MAX /REGEX/"
    )


def values_block(bindings: dict[str, Term]) -> str:
    """A one-row VALUES block of the bound terms in N-Triples syntax (pyoxigraph's own)."""
    if not bindings:
        return ""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f" VALUES ({names}) {{ ({terms}) }} "


@dataclass(frozen=True)
class Query:
    """Query text with typed bindings; ``values_at`` is where a VALUES block may go."""

    text: str
    bindings: Mapping[str, Term] = field(default_factory=dict)
    values_at: int | None = None

    def with_values(self) -> str:
        """The text with the bindings as a VALUES block opening the outermost group.

        For endpoints that cannot bind variables: every character of the query stays as it
        is, and the block holds only terms serialised by pyoxigraph.
        """
        if not self.bindings:
            return self.text
        if self.values_at is None:
            raise QueryError("bindings need a place for their VALUES block")
        block = values_block(dict(self.bindings))
        return self.text[: self.values_at] + block + self.text[self.values_at :]
