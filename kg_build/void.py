"""A VoID and DCAT description of the built graph, added to the graph itself.

Tools that meet the graph in a catalogue or behind an endpoint read this description first:
what the dataset is, its licence and version, how big it is and where to query it. Counts
are computed at build time from the graph they describe (the description's own triples
included), so they cannot go stale. No dates: the same input must build the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import DCAT, DCTERMS, RDF, VOID, XSD, Graph, Literal, URIRef

from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary

DATASET = URIRef(f"{PREFIXES['bclmd']}dataset")
DISTRIBUTION = URIRef(f"{PREFIXES['bclmd']}dataset/turtle")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; not in rdflib.DCAT
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DEFAULT_ENDPOINT = URIRef("http://127.0.0.1:8000/sparql")
EXAMPLES = ("study/meloni-2009-radiology", "source/001")
TITLE = "bclm-kg: evidence on treating breast cancer liver metastasis"
DESCRIPTION = (
    "Treatment modalities, studies, outcomes, prognostic factors, molecular subtypes and "
    "mechanisms of breast cancer liver metastasis, curated from five review articles; every "
    "fact points to the character span of the review that states it."
)


@dataclass(frozen=True)
class Counts:
    triples: int = 0
    entities: int = 0
    classes: int = 0
    properties: int = 0


def dataset_description(graph: Graph) -> Graph:
    """The VoID/DCAT triples describing ``graph`` together with themselves."""
    examples, sources = (
        present_examples(graph),
        sorted(graph.subjects(RDF.type, vocabulary().iri("SourceDocument"))),
    )
    described = graph + describe(Counts(), examples, sources)  # same shape as the final one
    return describe(_counts(described), examples, sources)


def present_examples(graph: Graph) -> list[URIRef]:
    """The example resources the graph holds (a small or synthetic build may lack them)."""
    data = PREFIXES["bclmd"]
    return [URIRef(f"{data}{p}") for p in EXAMPLES if (URIRef(f"{data}{p}"), None, None) in graph]


def _counts(graph: Graph) -> Counts:
    data = PREFIXES["bclmd"]
    entities = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(data)}
    return Counts(
        triples=len(graph),
        entities=len(entities),
        classes=len(set(graph.objects(None, RDF.type))),
        properties=len(set(graph.predicates())),
    )


def describe(counts: Counts, examples: list[URIRef], sources: list[URIRef]) -> Graph:
    """The description itself, given the counts, example resources and source documents."""
    v, g = vocabulary(), Graph()
    data = PREFIXES["bclmd"]
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal(TITLE)))
    g.add((DATASET, DCTERMS.description, Literal(DESCRIPTION)))
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, DCTERMS.creator, Literal("bclm-kg contributors")))
    g.add((DATASET, DCAT_VERSION, Literal(v.version)))
    g.add((DATASET, VOID.vocabulary, URIRef(v.base)))
    g.add((DATASET, VOID.uriSpace, Literal(data)))
    g.add((DATASET, VOID.sparqlEndpoint, DEFAULT_ENDPOINT))
    for predicate, number in (
        (VOID.triples, counts.triples),
        (VOID.entities, counts.entities),
        (VOID.classes, counts.classes),
        (VOID.properties, counts.properties),
    ):
        g.add((DATASET, predicate, Literal(number, datatype=XSD.integer)))
    for example in examples:
        g.add((DATASET, VOID.exampleResource, example))
    for source in sources:
        g.add((DATASET, DCTERMS.source, source))
    g.add((DATASET, DCAT.distribution, DISTRIBUTION))
    g.add((DISTRIBUTION, RDF.type, DCAT.Distribution))
    g.add((DISTRIBUTION, DCAT.mediaType, Literal("text/turtle")))
    g.add((DISTRIBUTION, DCTERMS.title, Literal("bclm-kg.ttl, the built graph in Turtle")))
    return g
