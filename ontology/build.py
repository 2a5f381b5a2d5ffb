"""Author the OWL ontology with owlready2 from the term table.

The term table (``terms.yaml``) supplies every class, property and individual with its
label and definition; this module adds the logical axioms that a table cannot carry
well: the molecular-subtype defined classes, disjointness of the core classes and the
distinctness of named individuals. ``ontology_graph()`` is what the build uses;
``write_ontology_files()`` refreshes the committed ``bclm.owl`` and ``bclm.ttl``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

import owlready2 as owl
from rdflib import DCTERMS, OWL, RDF, XSD, Graph, Literal, URIRef

from .rdfio import atomic_write_bytes, bind_prefixes, canonical_rdfxml, canonical_turtle
from .vocab import Term, Vocabulary, vocabulary

IAO_DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DATATYPES: dict[str, type] = {"string": str, "integer": int, "decimal": float}
ONTOLOGY_DIR = Path(__file__).resolve().parent

# Top-level kinds of thing in the data; nothing is two of these at once.
DISJOINT_CORE = (
    "Study",
    "StudyReport",
    "SourceDocument",
    "EvidenceSpan",
    "StudyPopulation",
    "OutcomeMeasurement",
    "PrognosticAssociation",
    "MechanismStatement",
    "MolecularFactor",
    "MetastaticStep",
)


class _Builder:
    """Creates owlready2 entities for the terms of one vocabulary in one world."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.world = owl.World()
        self.onto = self.world.get_ontology(vocab.base)
        self.entities: dict[str, object] = {}
        with self.onto:
            self.definition = type("IAO_0000115", (owl.AnnotationProperty,), {})
            self.definition.iri = IAO_DEFINITION
            self.alt_label = type("altLabel", (owl.AnnotationProperty,), {})
            self.alt_label.iri = SKOS_ALT_LABEL

    def build(self) -> owl.Ontology:
        with self.onto:
            for term in self.vocab.of_kind("class"):
                self._class(term)
            for term in self.vocab.of_kind("object_property"):
                self._property(term, owl.ObjectProperty)
            for term in self.vocab.of_kind("data_property"):
                self._property(term, owl.DataProperty)
            for term in self.vocab.of_kind("individual"):
                self._individual(term)
            self._axioms()
        return self.onto

    def _annotate(self, entity: object, term: Term) -> None:
        entity.label = [term.label]
        setattr(entity, self.definition.name, [term.definition])
        if term.synonyms:
            setattr(entity, self.alt_label.name, list(term.synonyms))

    def _class(self, term: Term) -> None:
        if term.id in self.entities:
            return
        for parent in term.parents:
            self._class(self.vocab.get(parent))
        bases = tuple(self.entities[p] for p in term.parents) or (owl.Thing,)
        cls = owl.types.new_class(term.id, bases)
        self._annotate(cls, term)
        self.entities[term.id] = cls

    def _property(self, term: Term, base: type) -> None:
        bases: tuple[type, ...] = (base,)
        if term.functional:
            bases += (owl.FunctionalProperty,)
        prop = owl.types.new_class(term.id, bases)
        if term.domain:
            prop.domain = [self.entities[term.domain]]
        if term.range:
            rng = self.entities[term.range] if base is owl.ObjectProperty else DATATYPES[term.range]
            prop.range = [rng]
        self._annotate(prop, term)
        self.entities[term.id] = prop

    def _individual(self, term: Term) -> None:
        ind = self.entities[term.type](term.id)
        self._annotate(ind, term)
        self.entities[term.id] = ind

    def _axioms(self) -> None:
        e = self.entities
        owl.AllDisjoint([e[c] for c in DISJOINT_CORE])
        owl.AllDifferent([e[t.id] for t in self.vocab.of_kind("individual")])
        for class_id, definition in SUBTYPE_DEFINITIONS.items():
            e[class_id].equivalent_to.append(definition(e))


def _status(e: dict, status: str) -> object:
    return e["hasBiomarkerStatus"].value(e[status])


def _all(e: dict, *statuses: str) -> object:
    return owl.And([e["StudyPopulation"], *(_status(e, s) for s in statuses)])


def _all_and_any(e: dict, required: tuple[str, ...], any_of: tuple[str, ...]) -> object:
    either = owl.Or([_status(e, s) for s in any_of])
    return owl.And([e["StudyPopulation"], *(_status(e, s) for s in required), either])


ER_POS, ER_NEG = "EstrogenReceptorPositive", "EstrogenReceptorNegative"
PR_POS, PR_NEG = "ProgesteroneReceptorPositive", "ProgesteroneReceptorNegative"
HER2_POS, HER2_NEG = "HER2Positive", "HER2Negative"

HR_POS, HR_NEG = "HormoneReceptorPositive", "HormoneReceptorNegative"
HR_POS_HER2_POS = "HormoneReceptorPositiveHER2Positive"


def _any_of(e: dict, *alternatives: tuple[str, ...]) -> object:
    """A population that has every status of at least one of ``alternatives``."""
    branches = [owl.And([_status(e, s) for s in statuses]) for statuses in alternatives]
    return owl.And([e["StudyPopulation"], owl.Or(branches)])


# Receptor-status definitions of the subtype populations (surrogate clinical definitions).
# Sources record either the single receptors or a summary status (HR+, triple negative);
# both spellings classify the same population.
SUBTYPE_DEFINITIONS: dict[str, Callable[[dict], object]] = {
    "TripleNegativeBreastCancer": lambda e: _any_of(
        e, (ER_NEG, PR_NEG, HER2_NEG), (HR_NEG, HER2_NEG), ("TripleNegative",)
    ),
    "HormoneReceptorPositiveBreastCancer": lambda e: _any_of(
        e, (ER_POS,), (PR_POS,), (HR_POS,), (HR_POS_HER2_POS,)
    ),
    "HormoneReceptorPositiveHER2NegativeBreastCancer": lambda e: _any_of(
        e, (ER_POS, HER2_NEG), (PR_POS, HER2_NEG), (HR_POS, HER2_NEG)
    ),
    "HER2PositiveBreastCancer": lambda e: _any_of(e, (HER2_POS,), (HR_POS_HER2_POS,)),
    "LuminalA": lambda e: _all(e, ER_POS, PR_POS, HER2_NEG, "Ki67Low"),
    "LuminalB": lambda e: _all_and_any(e, (ER_POS,), (HER2_POS, "Ki67High")),
    "HER2Enriched": lambda e: _any_of(e, (ER_NEG, PR_NEG, HER2_POS), (HR_NEG, HER2_POS)),
}


def _metadata(graph: Graph, vocab: Vocabulary) -> None:
    onto = URIRef(vocab.ontology_iri)
    graph.add((onto, RDF.type, OWL.Ontology))
    graph.add((onto, OWL.versionIRI, URIRef(f"{vocab.ontology_iri}/{vocab.version}")))
    graph.add((onto, OWL.versionInfo, Literal(vocab.version)))
    graph.add((onto, DCTERMS.title, Literal("bclm-kg ontology")))
    graph.add(
        (
            onto,
            DCTERMS.description,
            Literal(
                "Treatment modalities, studies, outcomes, prognostic factors and molecular "
                "subtypes for the evidence on breast cancer liver metastasis."
            ),
        )
    )
    graph.add((onto, DCTERMS.license, URIRef(LICENSE)))


@cache
def _ontology_ntriples() -> bytes:
    vocab = vocabulary()
    onto = _Builder(vocab).build()
    buffer = io.BytesIO()
    onto.save(file=buffer, format="ntriples")
    return buffer.getvalue()


def ontology_graph() -> Graph:
    """A fresh rdflib graph holding the whole ontology (a copy; callers may add to it)."""
    graph = Graph()
    graph.parse(data=_ontology_ntriples().decode("utf-8"), format="nt")
    # owlready2 declares the ontology under its namespace IRI; we give it a proper one.
    for header in list(graph.subjects(RDF.type, OWL.Ontology)):
        graph.remove((header, None, None))
    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            graph.remove((s, p, o))
            graph.add((s, p, Literal(str(o))))
    _metadata(graph, vocabulary())
    return graph


def write_ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """Write ``bclm.owl`` (RDF/XML, for Protégé) and ``bclm.ttl``; return their paths."""
    graph = bind_prefixes(ontology_graph())
    owl_path, ttl_path = directory / "bclm.owl", directory / "bclm.ttl"
    atomic_write_bytes(owl_path, canonical_rdfxml(graph))
    atomic_write_bytes(ttl_path, canonical_turtle(graph))
    return [owl_path, ttl_path]
