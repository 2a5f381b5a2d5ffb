"""A quality report of the built graph, in the spirit of ROBOT's ``report``.

The term table makes most of these properties hold by construction; the report checks the
graph itself, so that a hand edit, a broken merge or a bad mapping cannot slip through:
every term has exactly one label and one definition, no two terms share a label, no class
hangs unused outside the hierarchy, no IRI of ours is used without being declared, and every
mapping target is a well-formed IRI. Errors fail the build.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rdflib import OWL, RDF, RDFS, SKOS, VOID, Graph, URIRef

from ..ontology.build import IAO_DEFINITION
from ..ontology.rdfio import PREFIXES
from .errors import BuildError

DECLARATIONS = (OWL.Class, OWL.NamedIndividual, OWL.ObjectProperty, OWL.DatatypeProperty)
MAPPING_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
WELL_FORMED_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    level: Level
    check: str
    subject: str
    message: str


def quality_report(graph: Graph) -> list[Finding]:
    """Every finding about ``graph``, sorted; an empty list means all checks pass."""
    terms = _declared_terms(graph)
    findings = [
        *_annotations(graph, terms),
        *_duplicate_labels(graph, terms),
        *_orphan_classes(graph, terms),
        *_dangling_iris(graph, terms),
        *_mapping_targets(graph),
    ]
    return sorted(findings)


def check_graph_file(path: Path) -> list[Finding]:
    """The quality report of a built graph file."""
    if not path.is_file():
        raise BuildError(f"no built graph at {path}; run 'bclm-kg build' first")
    return quality_report(Graph().parse(path, format="turtle"))


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]


def _declared_terms(graph: Graph) -> set[URIRef]:
    base = PREFIXES["bclm"]
    return {
        s
        for kind in DECLARATIONS
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(base) and not s.startswith(PREFIXES["bclmd"])
    }


def _annotations(graph: Graph, terms: set[URIRef]) -> list[Finding]:
    found = []
    for term in terms:
        for predicate, name in ((RDFS.label, "label"), (URIRef(IAO_DEFINITION), "definition")):
            count = len(set(graph.objects(term, predicate)))
            if count != 1:
                message = f"has {count} {name}s; every term needs exactly one"
                found.append(Finding("error", f"one-{name}", str(term), message))
    return found


def _duplicate_labels(graph: Graph, terms: set[URIRef]) -> list[Finding]:
    labels = Counter(str(label).casefold() for t in terms for label in graph.objects(t, RDFS.label))
    return [
        Finding("error", "unique-label", str(t), f"label '{label}' is shared with another term")
        for t in terms
        for label in graph.objects(t, RDFS.label)
        if labels[str(label).casefold()] > 1
    ]


def _orphan_classes(graph: Graph, terms: set[URIRef]) -> list[Finding]:
    """A root class with no subclass, no member and no use as a value is outside everything."""
    found = []
    for cls in terms:
        if (cls, RDF.type, OWL.Class) not in graph:
            continue
        parents = [p for p in graph.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)]
        used = (
            parents
            or any(graph.subjects(RDFS.subClassOf, cls))
            or any(graph.subjects(RDF.type, cls))
            or any(p != RDF.type for _, p in graph.subject_predicates(cls))
        )
        if not used:
            message = "has no parent, no subclass, no member and is never used as a value"
            found.append(Finding("warning", "orphan-class", str(cls), message))
    return found


def _dangling_iris(graph: Graph, terms: set[URIRef]) -> list[Finding]:
    """An IRI of our namespaces used as an object must be declared (terms) or described (data)."""
    base, data = PREFIXES["bclm"], PREFIXES["bclmd"]
    # Version IRIs and vocabulary namespaces name things outside the graph on purpose.
    described = set(graph.subjects())
    described |= set(graph.objects(None, OWL.versionIRI)) | set(
        graph.objects(None, VOID.vocabulary)
    )
    found = set()
    for obj in graph.objects():
        if not isinstance(obj, URIRef) or not obj.startswith(base):
            continue
        known = obj in described if obj.startswith(data) else obj in terms or obj in described
        if not known:
            found.add(Finding("error", "dangling-iri", str(obj), "is used but never declared"))
    return list(found)


def _mapping_targets(graph: Graph) -> list[Finding]:
    return [
        Finding("error", "mapping-target", str(s), f"maps to a malformed IRI '{o}'")
        for predicate in MAPPING_PREDICATES
        for s, o in graph.subject_objects(predicate)
        if not isinstance(o, URIRef) or not WELL_FORMED_IRI.match(str(o))
    ]


def render_report(findings: list[Finding]) -> str:
    """A TSV report: level, check, subject, message; a summary line at the end."""
    lines = ["level\tcheck\tsubject\tmessage"]
    lines += [f"{f.level}\t{f.check}\t{f.subject}\t{f.message}" for f in findings]
    error_count = len(errors(findings))
    lines.append(f"# {error_count} errors, {len(findings) - error_count} warnings")
    return "\n".join(lines) + "\n"
