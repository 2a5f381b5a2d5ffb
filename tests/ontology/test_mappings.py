from __future__ import annotations

import re
from importlib import resources

import pytest
from rdflib import SKOS, URIRef

from bclm_kg.ontology.mappings import (
    ALLOWED_PREDICATES,
    COLUMNS,
    MANUAL_CURATION,
    MappingFileError,
    mapping_set,
    mappings_text,
    parse_mapping_set,
)
from bclm_kg.ontology.vocab import vocabulary

# Local-id patterns of the target vocabularies, pinned from bioregistry (its offline data)
# so that a code of the wrong shape fails here even without the dev extras.
PATTERNS = {
    "HGNC": r"^\d{1,5}$",
    "MESH": r"^(C|D|Q)\d+$",
    "MONDO": r"^\d{7}$",
    "NCIT": r"^(C|R|P|A|NHC)\d+$",
    "SNOMEDCT": r"^(\w+)?\d+$",
    "STATO": r"^\d{7}$",
    "UBERON": r"^\d+$",
    "UO": r"^\d{7}$",
}

# The bioregistry prefix each CURIE prefix of the file stands for.
BIOREGISTRY_PREFIX = {
    "HGNC": "hgnc",
    "MESH": "mesh",
    "MONDO": "mondo",
    "NCIT": "ncit",
    "SNOMEDCT": "snomedct",
    "STATO": "stato",
    "UBERON": "uberon",
    "UO": "uo",
    "semapv": "semapv",
    "skos": "skos",
}

# A sample of rows, each checked by hand against the source named in its comment.
SAMPLE = [
    ("bclm:Month", "skos:exactMatch", "UO:0000035", "month"),
    ("bclm:Percent", "skos:exactMatch", "UO:0000187", "percent"),
    (
        "bclm:EstrogenReceptorPositive",
        "skos:exactMatch",
        "NCIT:C15492",
        "Estrogen Receptor Positive",
    ),
    ("bclm:HER2Positive", "skos:closeMatch", "NCIT:C68748", "HER2/Neu Positive"),
    (
        "bclm:TripleNegativeBreastCancer",
        "skos:closeMatch",
        "MONDO:0005494",
        "triple-negative breast carcinoma",
    ),
    (
        "bclm:TripleNegativeBreastCancer",
        "skos:closeMatch",
        "MESH:D064726",
        "Triple Negative Breast Neoplasms",
    ),
    ("bclm:LuminalA", "skos:closeMatch", "NCIT:C53554", "Luminal A Breast Carcinoma"),
    ("bclm:HazardRatio", "skos:exactMatch", "NCIT:C93150", "Hazard Ratio"),
    ("bclm:PhaseIIIRandomizedControlledTrial", "skos:broadMatch", "NCIT:C15602", "Phase III Trial"),
    ("bclm:Liver", "skos:exactMatch", "UBERON:0002107", "liver"),
    ("bclm:CXCR4", "skos:closeMatch", "HGNC:2561", "CXCR4"),
    ("bclm:VEGF", "skos:narrowMatch", "HGNC:12680", "VEGFA"),
    ("bclm:Chemotherapy", "skos:exactMatch", "NCIT:C15632", "Chemotherapy"),
    ("bclm:Cisplatin", "skos:exactMatch", "NCIT:C376", "Cisplatin"),
    ("bclm:Oxaliplatin", "skos:exactMatch", "NCIT:C1181", "Oxaliplatin"),
    ("bclm:RetrospectiveStudy", "skos:exactMatch", "NCIT:C53312", "Retrospective Study"),
    ("bclm:Interleukin6", "skos:closeMatch", "HGNC:6018", "IL6"),
]


def rows() -> list[tuple[str, str, str, str]]:
    return [
        (m.subject_id, m.predicate_id, m.object_id, m.object_label) for m in mapping_set().mappings
    ]


def test_exact_number_of_mappings_and_of_mapped_terms():
    assert len(mapping_set().mappings) == 154
    assert len({m.term_id for m in mapping_set().mappings}) == 129


def test_sample_rows_are_present_exactly():
    present = set(rows())
    for row in SAMPLE:
        assert row in present, row


def test_every_subject_is_a_term_with_its_label():
    terms = vocabulary().terms
    for m in mapping_set().mappings:
        assert m.term_id in terms, m.subject_id
        assert terms[m.term_id].kind in {"class", "individual"}, m.subject_id
        assert m.subject_label == terms[m.term_id].label, m.subject_id


def test_every_object_id_matches_its_prefix_pattern():
    for m in mapping_set().mappings:
        assert m.object_prefix in PATTERNS, m.object_id
        assert re.fullmatch(PATTERNS[m.object_prefix], m.object_local_id), m.object_id


def test_predicates_justification_and_provenance():
    for m in mapping_set().mappings:
        assert m.predicate_id in ALLOWED_PREDICATES
        assert m.mapping_justification == MANUAL_CURATION
        assert 0.5 <= m.confidence <= 1.0
        assert m.comment.strip(), m.subject_id
        assert m.object_label.strip(), m.subject_id


def test_file_is_sorted_and_has_no_duplicate_rows():
    keys = [(m.subject_id, m.object_id) for m in mapping_set().mappings]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    body = [line for line in mappings_text().splitlines() if not line.startswith("#")]
    assert body[0].split("\t") == list(COLUMNS)
    assert len(set(body)) == len(body)


def test_header_metadata():
    meta = mapping_set().metadata
    assert meta["mapping_set_id"] == "https://w3id.org/bclm-kg/mappings.sssom.tsv"
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["mapping_set_version"] == vocabulary().version
    assert meta["curie_map"]["bclm"] == vocabulary().base


def test_curie_map_is_the_bioregistry_one():
    bioregistry = pytest.importorskip("bioregistry")
    curie_map = mapping_set().prefix_map
    for prefix, name in BIOREGISTRY_PREFIX.items():
        assert bioregistry.normalize_prefix(prefix) == name
        assert curie_map[prefix] == _uri_prefix(bioregistry, name), prefix
    for prefix, pattern in PATTERNS.items():
        assert bioregistry.get_pattern(BIOREGISTRY_PREFIX[prefix]) == pattern


def _uri_prefix(bioregistry, name: str) -> str:
    """SNOMED CT concepts are linked by SNOMED International's own IRIs (bioregistry's RDF
    URI format), not the BioPortal PURLs bioregistry gives as its default."""
    if name == "snomedct":
        return bioregistry.get_resource(name).get_rdf_uri_format().removesuffix("$1")
    return bioregistry.get_uri_prefix(name)


def test_triples_expand_every_curie_with_the_one_prefix_map():
    triples = list(mapping_set().triples())
    assert len(triples) == len(mapping_set().mappings)
    assert {p for _, p, _ in triples} <= {
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
    }
    assert (
        URIRef("https://w3id.org/bclm-kg/Liver"),
        SKOS.exactMatch,
        URIRef("http://purl.obolibrary.org/obo/UBERON_0002107"),
    ) in triples
    for s, _, o in triples:
        assert s.startswith(vocabulary().base)
        assert not o.startswith(vocabulary().base)


@pytest.mark.filterwarnings("ignore:The (inplace|copy) keyword")
def test_sssom_validation_passes():
    sssom_parsers = pytest.importorskip("sssom.parsers")
    validators = pytest.importorskip("sssom.validators")
    path = resources.files("bclm_kg.ontology").joinpath("mappings.sssom.tsv")
    msdf = sssom_parsers.parse_sssom_table(str(path))
    assert len(msdf.df) == 154
    reports = validators.validate(msdf, fail_on_error=True)
    assert all(not report.results for report in reports.values())


def test_malformed_rows_are_rejected():
    text = mappings_text()
    with pytest.raises(MappingFileError, match="predicate 'owl:sameAs' is not allowed"):
        parse_mapping_set(text.replace("skos:exactMatch", "owl:sameAs", 1))
    with pytest.raises(MappingFileError, match="not valid YAML"):
        parse_mapping_set("\n".join(line for line in text.splitlines() if "curie_map" not in line))
    with pytest.raises(MappingFileError, match="no curie_map"):
        parse_mapping_set("# license: x\n" + "\t".join(COLUMNS) + "\n")
    with pytest.raises(MappingFileError, match="confidence must lie"):
        parse_mapping_set(text.replace("\t0.95\t", "\t1.5\t", 1))
