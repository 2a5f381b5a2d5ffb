"""SHACL shapes for the built graph, and validation that names the offending record.

The shapes are generated from the term table (allowed outcome types, modalities and
factors are exactly the ontology's classes), so they cannot drift from the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from pyshacl import validate
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from ..ontology.vocab import vocabulary
from .errors import EvidenceError
from .triples import RecordIndex

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/bclm-kg/shapes/")
# Publication years outside this window are typos; widen it when the literature does.
YEAR_RANGE = (1950, 2035)
SAMPLE_SIZE_RANGE = (1, 1_000_000)
GRADE_RANGE = (0, 5)

# The evidence-file field each graph property comes from, for error messages.
FIELD_OF_PROPERTY = {
    "sampleSize": "n",
    "value": "value",
    "valueMax": "value_max",
    "publicationYear": "year",
    "reportedYear": "reported_year",
    "outcomeType": "outcome",
    "unit": "unit",
    "hasModality": "modality",
    "hasEvidence": "span",
    "firstAuthor": "first_author",
    "gradeMin": "grade_min",
    "gradeMax": "grade_max",
    "factor": "factor",
    "direction": "direction",
    "molecularFactor": "factor",
    "targetedBy": "targeted_by",
}


@dataclass(frozen=True)
class _Property:
    path: str
    min: int | None = None
    max: int | None = None
    datatype: URIRef | None = None
    allowed_root: str | None = None  # values must be this class or a subclass
    min_inclusive: int | None = None
    max_inclusive: int | None = None
    pattern: str | None = None


ONE = {"min": 1, "max": 1}
INTEGER, DECIMAL, STRING = XSD.integer, XSD.decimal, XSD.string

NODE_SHAPES: dict[str, tuple[_Property, ...]] = {
    "OutcomeMeasurement": (
        _Property("outcomeType", **ONE, allowed_root="OutcomeType"),
        _Property("value", **ONE, datatype=DECIMAL),
        _Property("valueMax", max=1, datatype=DECIMAL),
        _Property("unit", **ONE),
        _Property("hasEvidence", min=1),
        _Property("measuredIn", **ONE),
        _Property(
            "gradeMin",
            max=1,
            datatype=INTEGER,
            min_inclusive=GRADE_RANGE[0],
            max_inclusive=GRADE_RANGE[1],
        ),
        _Property(
            "gradeMax",
            max=1,
            datatype=INTEGER,
            min_inclusive=GRADE_RANGE[0],
            max_inclusive=GRADE_RANGE[1],
        ),
    ),
    "StudyPopulation": (
        _Property(
            "sampleSize",
            max=1,
            datatype=INTEGER,
            min_inclusive=SAMPLE_SIZE_RANGE[0],
            max_inclusive=SAMPLE_SIZE_RANGE[1],
        ),
        _Property("populationOf", **ONE),
    ),
    "StudyArm": (_Property("hasModality", min=1, allowed_root="Modality"),),
    "Study": (
        _Property("firstAuthor", **ONE, datatype=STRING),
        _Property(
            "publicationYear",
            max=1,
            datatype=INTEGER,
            min_inclusive=YEAR_RANGE[0],
            max_inclusive=YEAR_RANGE[1],
        ),
    ),
    "StudyReport": (
        _Property("reportsStudy", **ONE),
        _Property("reportedIn", **ONE),
        _Property(
            "reportedYear",
            max=1,
            datatype=INTEGER,
            min_inclusive=YEAR_RANGE[0],
            max_inclusive=YEAR_RANGE[1],
        ),
        _Property("hasEvidence", min=1),
    ),
    "EvidenceSpan": (
        _Property("spanStart", **ONE, datatype=INTEGER, min_inclusive=0),
        _Property("spanEnd", **ONE, datatype=INTEGER, min_inclusive=1),
        _Property("spanHash", **ONE, datatype=STRING, pattern="^[0-9a-f]{10}$"),
        _Property("inDocument", **ONE),
    ),
    "PrognosticAssociation": (
        _Property("factor", **ONE, allowed_root="PrognosticFactor"),
        _Property("direction", **ONE),
        _Property("fromReport", **ONE),
        _Property("hasEvidence", min=1),
    ),
    "MechanismStatement": (
        _Property("molecularFactor", **ONE),
        _Property("statedIn", **ONE),
        _Property("targetedBy", allowed_root="Modality"),
        _Property("hasEvidence", min=1),
    ),
    "SourceDocument": (
        _Property("fileName", **ONE, datatype=STRING),
        _Property("sha256", **ONE, datatype=STRING, pattern="^[0-9a-f]{64}$"),
    ),
}

PERCENT_QUERY = """
SELECT $this ?value ?path WHERE {{
    $this <{unit}> <{percent}> .
    {{ $this <{value}> ?value . BIND(<{value}> AS ?path) }}
    UNION
    {{ $this <{value_max}> ?value . BIND(<{value_max}> AS ?path) }}
    FILTER (?value < 0 || ?value > 100)
}}
"""


def shapes_graph() -> Graph:
    """The SHACL shapes, built from the term table."""
    v, g = vocabulary(), Graph()
    g.bind("sh", SH)
    for class_id, properties in NODE_SHAPES.items():
        shape = SHAPES[class_id]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, v.iri(class_id)))
        for prop in properties:
            g.add((shape, SH.property, _property_shape(g, prop)))
    _percent_constraint(g)
    return g


def _property_shape(g: Graph, prop: _Property) -> BNode:
    v, node = vocabulary(), BNode()
    g.add((node, SH.path, v.iri(prop.path)))
    for predicate, value in (
        (SH.minCount, prop.min),
        (SH.maxCount, prop.max),
        (SH.minInclusive, prop.min_inclusive),
        (SH.maxInclusive, prop.max_inclusive),
    ):
        if value is not None:
            g.add((node, predicate, Literal(value)))
    if prop.datatype is not None:
        g.add((node, SH.datatype, prop.datatype))
    if prop.pattern is not None:
        g.add((node, SH.pattern, Literal(prop.pattern)))
    g.add((node, SH.message, Literal(_describe(prop))))
    if prop.allowed_root is not None:
        members = BNode()
        Collection(g, members, [v.iri(c) for c in v.subclasses(prop.allowed_root)])
        g.add((node, SH["in"], members))
    return node


def _describe(prop: _Property) -> str:
    """A plain-words statement of what the property shape requires, for error messages."""
    parts = []
    if prop.min == prop.max == 1:
        parts.append("exactly one value")
    elif prop.min:
        parts.append(f"at least {prop.min} value{'s' if prop.min > 1 else ''}")
    elif prop.max is not None:
        parts.append(f"at most {prop.max} value{'s' if prop.max > 1 else ''}")
    if prop.datatype is not None:
        parts.append(f"of type xsd:{prop.datatype.removeprefix(str(XSD))}")
    if prop.min_inclusive is not None and prop.max_inclusive is not None:
        parts.append(f"from {prop.min_inclusive} to {prop.max_inclusive}")
    elif prop.min_inclusive is not None:
        parts.append(f"of at least {prop.min_inclusive}")
    if prop.pattern is not None:
        parts.append(f"matching {prop.pattern}")
    if prop.allowed_root is not None:
        parts.append(f"that is bclm:{prop.allowed_root} or a subclass")
    return "expected " + ", ".join(parts)


def _percent_constraint(g: Graph) -> None:
    constraint = BNode()
    g.add((SHAPES.OutcomeMeasurement, SH.sparql, constraint))
    g.add((SHAPES.PrognosticAssociation, SH.sparql, constraint))
    g.add((constraint, SH.select, Literal(_percent_query())))
    g.add((constraint, SH.message, Literal(PERCENT_MESSAGE.format(value="{?value}"))))


PERCENT_MESSAGE = "a percentage must lie between 0 and 100, got {value}"


def _percent_query() -> str:
    v = vocabulary()
    return PERCENT_QUERY.format(
        unit=v.iri("unit"),
        percent=v.iri("Percent"),
        value=v.iri("value"),
        value_max=v.iri("valueMax"),
    )


def check_shapes(graph: Graph, index: RecordIndex) -> None:
    """Validate ``graph``; raise ``EvidenceError`` for the first violation (in a stable order)."""
    conforms, report, _ = validate(
        graph, shacl_graph=shapes_graph(), inference="none", advanced=True
    )
    if not conforms:
        _raise_first(_violations(report, index))


def _raise_first(violations: list[Violation]) -> None:
    if not violations:
        return
    violations.sort()
    file, record, field, message = violations[0]
    more = len(violations) - 1
    suffix = f" (and {more} more violation{'s' if more > 1 else ''})" if more else ""
    raise EvidenceError(file, record, field, message + suffix)


Violation = tuple[str, str, str, str]  # file, record, field, message


def _violation(
    index: RecordIndex, focus: object, path: object, text: str, value: object
) -> Violation:
    """One violation as the error shows it: where it came from, the field, the message."""
    file, record = index.origin.get(str(focus), ("<graph>", str(focus)))
    local = str(path).removeprefix(vocabulary().base) if path is not None else ""
    shown = f" (value {value})" if value is not None and str(value) not in text else ""
    return file, record, FIELD_OF_PROPERTY.get(local, local), f"SHACL: {text}{shown}"


def _violations(report: Graph, index: RecordIndex) -> list[Violation]:
    return [
        _violation(
            index,
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            str(report.value(result, SH.resultMessage) or "violates a shape"),
            report.value(result, SH.value),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


# The same shapes read as SHACL-SPARQL: one query per constraint, answered by Oxigraph.
# pyshacl needs about 0.1 ms per triple, which is hours for a million studies; the
# streaming build checks each file with these queries instead, and a test holds the two
# readings to the same verdicts on every bad-input case.
TARGET = "?this a ?type . ?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> ."


def _conditions(prop: _Property) -> list[tuple[str, bool]]:
    """(graph pattern over ?this, whether it binds ?value) for each constraint of ``prop``."""
    v = vocabulary()
    p = f"<{v.iri(prop.path)}>"
    out = []
    if prop.min:
        out.append((f"FILTER NOT EXISTS {{ ?this {p} ?any }}", False))
    if prop.max is not None:
        out.append((f"?this {p} ?a , ?b . FILTER (!sameTerm(?a, ?b))", False))
    tests = []
    if prop.datatype is not None:
        tests.append(f"!isLiteral(?value) || datatype(?value) != <{prop.datatype}>")
    if prop.min_inclusive is not None:
        tests.append(f"COALESCE(?value < {prop.min_inclusive}, true)")
    if prop.max_inclusive is not None:
        tests.append(f"COALESCE(?value > {prop.max_inclusive}, true)")
    if prop.pattern is not None:
        tests.append(f'COALESCE(!REGEX(STR(?value), "{prop.pattern}"), true)')
    if prop.allowed_root is not None:
        allowed = ", ".join(f"<{v.iri(c)}>" for c in v.subclasses(prop.allowed_root))
        tests.append(f"?value NOT IN ({allowed})")
    for test in tests:
        out.append((f"?this {p} ?value . FILTER ({test})", True))
    return out


def shape_queries() -> list[tuple[str, str, bool]]:
    """(property local name, SELECT query of its violations, whether rows carry ?value)."""
    queries = []
    for class_id, properties in NODE_SHAPES.items():
        target = TARGET.format(cls=vocabulary().iri(class_id))
        for prop in properties:
            for pattern, has_value in _conditions(prop):
                select = "?this ?value" if has_value else "?this"
                query = f"SELECT DISTINCT {select} WHERE {{ {target} {pattern} }}"
                queries.append((prop.path, query, has_value))
    return queries


def check_shapes_by_query(store: ox.Store, index: RecordIndex) -> None:
    """``check_shapes`` for a graph in an Oxigraph store; the same errors, far faster."""
    v = vocabulary()
    messages = {p.path: _describe(p) for props in NODE_SHAPES.values() for p in props}
    violations = []
    for path, query, has_value in shape_queries():
        for row in store.query(query):  # type: ignore[union-attr]
            value = row["value"].value if has_value else None
            focus = URIRef(row["this"].value)
            violations.append(_violation(index, focus, v.iri(path), messages[path], value))
    for row in store.query(_percent_query()):  # type: ignore[union-attr]
        focus, message = URIRef(row["this"].value), PERCENT_MESSAGE.format(value=row["value"].value)
        violations.append(_violation(index, focus, row["path"].value, message, None))
    _raise_first(violations)
