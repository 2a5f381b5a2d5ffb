"""Terms as N-Triples text: exact spellings, and the same bytes as rdflib writes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDFS, XSD, Graph, Literal, URIRef

from bclm_kg.kg_build.evidence import load_evidence_file
from bclm_kg.kg_build.ntriples import ntriples, text_ntriples
from bclm_kg.kg_build.terms import NTRIPLES, RDFLIB
from bclm_kg.kg_build.triples import evidence_triples
from tests.conftest import fixture_evidence, write_evidence

A = "https://example.org/a"
XSD_INTEGER = "^^<http://www.w3.org/2001/XMLSchema#integer>"
XSD_DECIMAL = "^^<http://www.w3.org/2001/XMLSchema#decimal>"


def test_iris_are_written_in_angle_brackets():
    assert NTRIPLES.iri(A) == "<https://example.org/a>"


def test_literal_text_gets_exactly_the_four_escapes():
    text = 'say "hi"\nback\\slash\r\ttab café 東京 \u2028'
    assert NTRIPLES.literal(text) == '"say \\"hi\\"\\nback\\\\slash\\r\ttab café 東京 \u2028"'


def test_language_tags_and_datatypes():
    assert NTRIPLES.literal("chat", language="fr") == '"chat"@fr'
    assert NTRIPLES.literal("x", language="EN-gb") == '"x"@EN-gb'
    assert NTRIPLES.literal("5", str(XSD.integer)) == f'"5"{XSD_INTEGER}'
    assert (
        NTRIPLES.literal("a", str(XSD.string)) == '"a"^^<http://www.w3.org/2001/XMLSchema#string>'
    )


def test_numbers_are_spelled_as_rdflib_spells_them():
    assert NTRIPLES.integer(-42) == f'"-42"{XSD_INTEGER}'
    assert NTRIPLES.integer(10**30) == f'"1{"0" * 30}"{XSD_INTEGER}'
    assert NTRIPLES.decimal(Decimal("3.50")) == f'"3.50"{XSD_DECIMAL}'
    assert NTRIPLES.decimal(Decimal("1E+2")) == f'"100"{XSD_DECIMAL}'
    assert NTRIPLES.decimal(Decimal("1E-7")) == f'"0.0000001"{XSD_DECIMAL}'
    assert NTRIPLES.decimal(Decimal("-0.00")) == f'"-0.00"{XSD_DECIMAL}'


def _rdflib_line(obj: Literal) -> str:
    """The line rdflib's own N-Triples writer gives for one triple."""
    graph = Graph()
    graph.add((URIRef(A), RDFS.label, obj))
    return graph.serialize(format="nt").strip()


def _line(obj: str) -> str:
    return text_ntriples([(NTRIPLES.iri(A), NTRIPLES.iri(str(RDFS.label)), obj)]).decode().strip()


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
languages = st.sampled_from(["en", "de-CH", "EN-gb", "zh-Hant"])
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=texts, language=languages)
def test_text_is_written_as_rdflib_writes_it(text: str, language: str):
    assert _line(NTRIPLES.literal(text)) == _rdflib_line(Literal(text))
    tagged = _line(NTRIPLES.literal(text, language=language))
    assert tagged == _rdflib_line(Literal(text, lang=language))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(integer=st.integers(min_value=-(10**40), max_value=10**40), decimal=decimals)
def test_numbers_are_written_as_rdflib_writes_them(integer: int, decimal: Decimal):
    assert _line(NTRIPLES.integer(integer)) == _rdflib_line(RDFLIB.integer(integer))
    assert _line(NTRIPLES.decimal(decimal)) == _rdflib_line(RDFLIB.decimal(decimal))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=texts, language=languages)
def test_pyoxigraph_reads_back_the_same_literal(text: str, language: str):
    lines = text_ntriples([
        (NTRIPLES.iri(A), NTRIPLES.iri(f"{A}/plain"), NTRIPLES.literal(text)),
        (NTRIPLES.iri(A), NTRIPLES.iri(f"{A}/tagged"), NTRIPLES.literal(text, language=language)),
    ])  # fmt: skip
    plain, tagged = (t.object for t in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
    assert plain == ox.Literal(text)
    assert tagged == ox.Literal(text, language=language.lower())


def test_both_spellings_of_an_evidence_file_give_the_same_bytes(tmp_path: Path):
    evidence = load_evidence_file(write_evidence(tmp_path, fixture_evidence()))
    as_text, text_index = evidence_triples(evidence, None, NTRIPLES)
    as_rdflib, rdflib_index = evidence_triples(evidence, None, RDFLIB)
    assert text_ntriples(as_text) == ntriples(as_rdflib)
    assert len(as_text) == len(as_rdflib) == 73
    assert text_index.origin == rdflib_index.origin
    study = "https://w3id.org/bclm-kg/data/study/doe-2020-test-j"
    assert text_index.origin[study] == ("fixture.yaml", "doe-2020-test-j")
