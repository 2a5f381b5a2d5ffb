from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic

from bclm_kg.ontology.build import ONTOLOGY_DIR, ontology_graph, write_ontology_files
from bclm_kg.ontology.vocab import vocabulary

BCLM = vocabulary().ns
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")


def test_committed_ontology_files_are_up_to_date(tmp_path: Path):
    write_ontology_files(tmp_path)
    for name in ("bclm.owl", "bclm.ttl"):
        assert (tmp_path / name).read_bytes() == (ONTOLOGY_DIR / name).read_bytes(), (
            f"ontology/{name} is stale: run 'make ontology'"
        )


def test_rdfxml_and_turtle_hold_the_same_graph():
    xml = Graph().parse(ONTOLOGY_DIR / "bclm.owl", format="xml")
    ttl = Graph().parse(ONTOLOGY_DIR / "bclm.ttl", format="turtle")
    assert isomorphic(xml, ttl)
    assert len(xml) == len(ontology_graph())


def test_every_class_is_declared_with_label_and_definition():
    g = ontology_graph()
    classes = set(g.subjects(RDF.type, OWL.Class)) - set(g.subjects(RDF.type, OWL.Restriction))
    named = {c for c in classes if str(c).startswith(vocabulary().base)}
    assert len(named) == 233
    for cls in named:
        assert g.value(cls, RDFS.label) is not None, cls
        assert g.value(cls, IAO_DEFINITION) is not None, cls


def test_ontology_header_has_version_and_licence():
    g = ontology_graph()
    onto = next(iter(g.subjects(RDF.type, OWL.Ontology)))
    assert str(onto) == "https://w3id.org/bclm-kg/ontology"
    assert str(g.value(onto, OWL.versionInfo)) == "0.1.0"


def test_triple_negative_is_a_defined_class():
    g = ontology_graph()
    assert (BCLM.TripleNegativeBreastCancer, RDFS.subClassOf, BCLM.MolecularSubtype) in g
    assert g.value(BCLM.TripleNegativeBreastCancer, OWL.equivalentClass) is not None
