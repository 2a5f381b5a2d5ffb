"""Parameter types: exact values, exact refusals, and a property test that no value can change
a template's structure."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from bclm_kg.queries.params import ParameterError, Query, parse_type, values_block
from bclm_kg.queries.templates import Template, template, templates

XSD = "http://www.w3.org/2001/XMLSchema#"
BCLM = "https://w3id.org/bclm-kg/"
HOSTILE = [
    '"',
    "'",
    "{",
    "}",
    "} DROP ALL {",
    '"} ; DROP ALL ; {"',
    "RadiofrequencyAblation> } UNION { ?s ?p ?o",
    "<https://w3id.org/bclm-kg/Radiofrequency Ablation>",
    "https://w3id.org/bclm-kg/Radiofrequency Ablation",
    "5 } UNION { ?s ?p ?o",
    "5\n}",
    "x" * 100_000,
    "ThermalAblation\u0000",
    "?modality",
    "# comment",
]


def bind(type_text: str, value: str) -> ox.NamedNode | ox.Literal:
    return parse_type(type_text).bind("p", value)


def refusal(type_text: str, value: str) -> str:
    with pytest.raises(ParameterError) as error:
        bind(type_text, value)
    return str(error.value)


def test_terms_accept_id_prefixed_name_and_iri():
    expected = ox.NamedNode(BCLM + "RadiofrequencyAblation")
    for value in ("RadiofrequencyAblation", "bclm:RadiofrequencyAblation", BCLM +
                  "RadiofrequencyAblation", " RadiofrequencyAblation "):  # fmt: skip
        assert bind("term ThermalAblation", value) == expected


def test_terms_are_checked_against_the_ontology():
    assert refusal("term ThermalAblation", "thermal ablation") == (
        "parameter 'p': unknown thermal ablation 'thermal ablation'; did you mean ThermalAblation?"
    )
    assert refusal("term ThermalAblation", "SurgicalResection") == (
        "parameter 'p': unknown thermal ablation 'SurgicalResection'"
    )
    assert refusal("term Modality", "RFA") == (
        "parameter 'p': unknown treatment modality 'RFA'; did you mean RadiofrequencyAblation?"
    )
    assert refusal("term Modality", "Radiofrequency Ablation") == (
        "parameter 'p': unknown treatment modality 'Radiofrequency Ablation'; did you mean "
        "RadiofrequencyAblation?"
    )
    assert refusal("term Modality", "http://example.org/RadiofrequencyAblation") == (
        "parameter 'p': unknown treatment modality 'http://example.org/RadiofrequencyAblation'; "
        "did you mean RadiofrequencyAblation, StereotacticRadiofrequencyAblation?"
    )


def test_nodes():
    iri = "https://w3id.org/bclm-kg/data/measurement/001/t1-meloni-2009-ref23/rfa/m1"
    for value in (iri, "bclmd:measurement/001/t1-meloni-2009-ref23/rfa/m1",
                  "measurement/001/t1-meloni-2009-ref23/rfa/m1"):  # fmt: skip
        assert bind("node fact", value) == ox.NamedNode(iri)
    assert refusal("node study", "measurement/001/x") == (
        "parameter 'p': 'measurement/001/x' is not a study"
    )
    assert refusal("node fact", "measurement/001/a b") == (
        "parameter 'p': 'measurement/001/a b' is not a data node path such as "
        "measurement/001/t1-meloni-2009-ref23/rfa/m1"
    )


def test_numbers():
    assert bind("integer 0..10", "7") == ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))
    assert bind("integer 0..10", "+07") == ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))
    assert bind("year", "2009") == ox.Literal("2009", datatype=ox.NamedNode(XSD + "integer"))
    assert bind("decimal 0..5", "2.50") == ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal"))
    assert bind("decimal 0..5", "3") == ox.Literal("3.0", datatype=ox.NamedNode(XSD + "decimal"))
    assert refusal("integer 0..10", "11") == "parameter 'p': 11 is not between 0 and 10"
    assert refusal("integer 0..10", "2.5") == "parameter 'p': '2.5' is not an integer"
    assert refusal("integer 0..10", "1e3") == "parameter 'p': '1e3' is not an integer"
    assert refusal("year", "1850") == "parameter 'p': 1850 is not between 1900 and 2100"
    assert refusal("decimal 0..5", "NaN") == "parameter 'p': 'NaN' is not a decimal"
    assert refusal("integer 0..10", "9" * 41) == (
        "parameter 'p': value of 41 characters; at most 40 allowed"
    )


def test_enums_and_text():
    assert bind("enum any,severe", "severe") == ox.Literal("severe")
    assert refusal("enum any,severe", "Severe") == (
        "parameter 'p': 'Severe' is not one of any, severe"
    )
    assert bind(r"text 20 /[\w ]+/", "Kümler 2015") == ox.Literal("Kümler 2015")
    assert refusal(r"text 20 /[\w ]+/", "") == r"parameter 'p': '' does not match /[\w ]+/"
    assert refusal(r"text 5 /[\w ]+/", "abcdef") == (
        "parameter 'p': value of 6 characters; at most 5 allowed"
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_refused_by_every_parameter(value: str):
    for t in templates().values():
        for p in t.params:
            with pytest.raises(ParameterError) as error:
                t.query({p.name: value})
            message = str(error.value)
            assert message.startswith(f"parameter '{p.name}': "), message
            assert len(message) < 200, message  # huge values are never echoed in full


def test_hostile_value_messages_are_exact():
    search = template("label_search")
    with pytest.raises(ParameterError) as error:
        search.query({"text": "} DROP ALL {"})
    assert str(error.value) == r"parameter 'text': '} DROP ALL {' does not match /[\w .,()+\/-]+/"
    with pytest.raises(ParameterError) as error:
        template("modality_factors").query({"modality": "x" * 100_000})
    assert str(error.value) == (
        "parameter 'modality': value of 100000 characters; at most 200 allowed"
    )
    with pytest.raises(ParameterError) as error:
        search.query({"txt": "a"})
    assert str(error.value) == "template 'label_search' has no parameter 'txt' (parameters: text)"


def test_values_block_holds_pyoxigraph_terms():
    bindings = {
        "m": ox.NamedNode(BCLM + "Cryoablation"),
        "t": ox.Literal('a "b" \\ c'),
        "n": ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
    }
    assert values_block(bindings) == (
        ' VALUES (?m ?t ?n) { (<https://w3id.org/bclm-kg/Cryoablation> "a \\"b\\" \\\\ c" '
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>) } '
    )
    assert Query("SELECT * WHERE { }").with_values() == "SELECT * WHERE { }"


# --- property: no value changes a template's structure ----------------------------------------


def _rdflib(term: ox.NamedNode | ox.Literal) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.datatype.value == XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _split_values(node: object, names: set[str]) -> tuple[object, list | None]:
    """The algebra with the VALUES rows of exactly ``names`` blanked, and those rows.

    Blank nodes (rdflib names them at random on each parse) are renumbered in order.
    """
    found: list | None = None
    blanks: dict[BNode, str] = {}

    def walk(n: object) -> object:
        nonlocal found
        if isinstance(n, CompValue):
            if n.name == "values" and {str(v) for row in n["res"] for v in row} == names:
                found = n["res"]
                return "VALUES"
            return (n.name, tuple((k, walk(v)) for k, v in n.items()))
        if isinstance(n, BNode):
            return blanks.setdefault(n, f"_:b{len(blanks)}")
        if isinstance(n, list | tuple):
            return tuple(walk(x) for x in n)
        if isinstance(n, set | frozenset):
            return tuple(sorted(str(walk(x)) for x in n))
        return n

    return walk(node), found


def _algebra(text: str) -> object:
    return translateQuery(parseQuery(text)).algebra


_DEFAULT_ALGEBRA: dict[str, object] = {}


def _assert_structure_kept(t: Template, given: dict[str, str]) -> None:
    query = t.query(given)
    assert query.text is t.text  # the embedded engine sends the template text unchanged
    block = values_block(dict(query.bindings))
    bound = query.with_values()
    assert bound == t.text[: t.values_at] + block + t.text[t.values_at :]
    names = {p.name for p in t.params}
    shape, res = _split_values(_algebra(bound), names)
    assert res == [{Variable(n): _rdflib(term) for n, term in query.bindings.items()}]
    if t.name not in _DEFAULT_ALGEBRA:
        _DEFAULT_ALGEBRA[t.name] = _split_values(_algebra(t.query({}).with_values()), names)[0]
    assert shape == _DEFAULT_ALGEBRA[t.name]


def _cases() -> list[tuple[str, str]]:
    return [(t.name, p.name) for t in templates().values() for p in t.params]


values = st.one_of(
    st.text(max_size=80),
    st.sampled_from(HOSTILE),
    st.from_regex(r"[\w .,()+/\"'{}<>?#\\-]{1,40}", fullmatch=True),
    st.integers(-10, 3000).map(str),
    st.sampled_from(["ThermalAblation", "bclm:LesionSize", "MedianOverallSurvival", "2.5"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(_cases()), value=values)
def test_no_parameter_value_changes_a_template_structure(case: tuple[str, str], value: str):
    name, param = case
    t = template(name)
    try:
        t.query({param: value})
    except ParameterError:
        return
    _assert_structure_kept(t, {param: value})


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_free_text_is_always_one_literal(text: str):
    """Whatever passes the text pattern is bound as one string literal and nothing else."""
    t = template("label_search")
    try:
        query = t.query({"text": text})
    except ParameterError:
        return
    assert query.bindings == {"text": ox.Literal(text)}
    _assert_structure_kept(t, {"text": text})


def test_every_template_with_values_parses_in_oxigraph_and_rdflib():
    store = ox.Store()
    for t in templates().values():
        for chosen in ({}, {p.name: p.example for p in t.params}):
            text = t.query(chosen).with_values()
            store.query(text)  # raises SyntaxError if oxigraph cannot parse it
            _algebra(text)
