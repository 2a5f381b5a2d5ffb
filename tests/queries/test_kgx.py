"""KGX export: exact headers, counts and edges, provenance on every edge, determinism, and
validation with the kgx package against the Biolink model shipped in the biolink-model
package, with no network access."""

from __future__ import annotations

import csv
import re
import socket
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bclm_kg.cli import app
from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries import kgx
from bclm_kg.queries.kgx import EDGES_FILE, NODE_PREFIXES, NODES_FILE, KgxOutputError, write_kgx

NODES_HEADER = "id\tcategory\tname\tdescription\txref\tprovided_by"
EDGES_HEADER = (
    "id\tsubject\tpredicate\tobject\tpublications\tprimary_knowledge_source\tknowledge_level\t"
    "agent_type\thas_supporting_studies\tbclm_statement\tbclm_span\tbclm_evidence_level\t"
    "bclm_direction\tbclm_outcome\tbclm_factor_value\tbclm_comparator\tbclm_value\tbclm_value_max\t"
    "bclm_unit\tbclm_timepoint\tbclm_grade\tbclm_adverse_event\tbclm_subgroup\tbclm_sample_size"
)
REVIEW_DOI = {
    "001": "doi:10.1055/s-0040-1720949",
    "003": "doi:10.5152/dir.2022.20911",
    "004": "doi:10.21037/tcr-22-2463",
}
SCHEMA = str(resources.files("biolink_model").joinpath("schema/biolink_model.yaml"))

Table = list[dict[str, str]]


@pytest.fixture(scope="module")
def kgx_dir(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kgx")
    write_kgx(built.graph_path, out)
    return out


def _read(path: Path) -> Table:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def nodes(kgx_dir: Path) -> Table:
    return _read(kgx_dir / NODES_FILE)


@pytest.fixture(scope="module")
def edges(kgx_dir: Path) -> Table:
    return _read(kgx_dir / EDGES_FILE)


def _kind(edge: dict[str, str]) -> str:
    """The kind of graph statement behind an edge: association, measurement, mechanism, report."""
    return edge["bclm_statement"].split(":", 1)[1].split("/", 1)[0]


def _edge(edges: Table, statement: str, subject: str) -> dict[str, str]:
    (found,) = [e for e in edges if e["bclm_statement"] == statement and e["subject"] == subject]
    return found


# --- shape and counts ------------------------------------------------------------------------


def test_headers_are_exact(kgx_dir: Path):
    assert (kgx_dir / NODES_FILE).read_text().split("\n", 1)[0] == NODES_HEADER
    assert (kgx_dir / EDGES_FILE).read_text().split("\n", 1)[0] == EDGES_HEADER


def test_node_counts_by_category(nodes: Table):
    assert len(nodes) == 311
    assert Counter(n["category"] for n in nodes) == {
        "biolink:Study": 105,
        "biolink:ClinicalAttribute": 104,  # 48 prognostic factors less 3 findings + 59 outcomes
        "biolink:Drug": 29,
        "biolink:Procedure": 27,
        "biolink:Treatment": 14,
        "biolink:Protein": 14,
        "biolink:Disease": 7,
        "biolink:Publication": 5,
        "biolink:PhenotypicFeature": 3,
        "biolink:MacromolecularComplex": 1,
        "biolink:CellularComponent": 1,
        "biolink:Pathway": 1,
    }
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)
    assert {n["provided_by"] for n in nodes} == {"infores:bclm-kg"}


def test_edge_counts_by_predicate_and_kind(edges: Table):
    assert len(edges) == 737
    assert Counter((e["predicate"], _kind(e), e["knowledge_level"]) for e in edges) == {
        ("biolink:related_to", "measurement", "observation"): 417,
        ("biolink:related_to", "report", "knowledge_assertion"): 209,
        ("biolink:associated_with", "association", "knowledge_assertion"): 109,
        ("biolink:affects", "mechanism", "knowledge_assertion"): 2,
    }
    # Every measurement; the associations and reports that name a modality (94 of 101, 150 of
    # 155); the two mechanism statements that name a therapy.
    statements = Counter(_kind(e) for e in {e["bclm_statement"]: e for e in edges}.values())
    assert statements == {"measurement": 340, "report": 150, "association": 94, "mechanism": 2}
    key = [(e["subject"], e["predicate"], e["object"], e["id"]) for e in edges]
    assert key == sorted(key)
    assert len({e["id"] for e in edges}) == len(edges)


def test_categories_of_modalities(nodes: Table):
    by_category: dict[str, list[str]] = {}
    for n in nodes:
        by_category.setdefault(n["category"], []).append(n["id"].removeprefix("bclm:"))
    assert by_category["biolink:Drug"] == [
        "Alpelisib", "Anastrozole", "Atezolizumab", "Bevacizumab", "Capecitabine", "Carboplatin",
        "Cisplatin", "Doxorubicin", "Eribulin", "Exemestane", "Fluorouracil", "Fulvestrant",
        "Gemcitabine", "Lapatinib", "Letrozole", "MitomycinC", "NabPaclitaxel", "Neratinib",
        "Oxaliplatin", "Paclitaxel", "Palbociclib", "Pertuzumab", "Pyrotinib", "Ribociclib",
        "Tamoxifen", "Trastuzumab", "TrastuzumabDeruxtecan", "TrastuzumabEmtansine", "Vinorelbine",
    ]  # fmt: skip
    assert by_category["biolink:Treatment"] == [
        "Anthracycline", "AntiHER2Therapy", "AntiVEGFTherapy", "Antimetabolite",
        "AromataseInhibitor", "CDK46Inhibitor", "Chemotherapy", "EndocrineTherapy",
        "Immunotherapy", "PI3KInhibitor", "PlatinumAgent", "SystemicTherapy", "Taxane",
        "UnspecifiedTreatment",
    ]  # fmt: skip
    phenotypic = ["Ascites", "Cirrhosis", "HepaticDysfunction"]
    assert by_category["biolink:PhenotypicFeature"] == phenotypic
    assert by_category["biolink:Disease"] == [
        "HER2Enriched", "HER2PositiveBreastCancer", "HormoneReceptorPositiveBreastCancer",
        "HormoneReceptorPositiveHER2NegativeBreastCancer", "LuminalA", "LuminalB",
        "TripleNegativeBreastCancer",
    ]  # fmt: skip
    assert "RadiofrequencyAblation" in by_category["biolink:Procedure"]


def test_nodes_carry_names_descriptions_and_verified_xrefs(nodes: Table):
    by_id = {n["id"]: n for n in nodes}
    assert by_id["bclm:TripleNegativeBreastCancer"]["xref"] == (
        "MESH:D064726|MONDO:0005494|NCIT:C71732"
    )
    assert by_id["bclm:Bevacizumab"]["xref"] == "NCIT:C2039"
    assert by_id["bclm:CCL5"]["xref"] == "HGNC:10632"
    # Broad and narrow matches name another concept: no xref.
    assert by_id["bclm:SurgicalResection"]["xref"] == ""
    assert by_id["bclm:VEGF"]["xref"] == ""
    assert by_id["bclm:RadiofrequencyAblation"] == {
        "id": "bclm:RadiofrequencyAblation",
        "category": "biolink:Procedure",
        "name": "radiofrequency ablation",
        "description": "Thermal ablation that heats tissue with alternating electric current "
        "delivered by an electrode.",
        "xref": "SNOMEDCT:879916008",
        "provided_by": "infores:bclm-kg",
    }
    assert by_id["bclmd.study:adam-2006-ann-surg"]["xref"] == (
        "doi:10.1097/01.sla.0000246847.02058.1b"
    )
    assert by_id["bclmd.source:003"]["category"] == "biolink:Publication"
    assert by_id["bclmd.source:003"]["xref"] == REVIEW_DOI["003"]
    assert by_id["bclmd.source:000"]["xref"] == ""
    assert sum(1 for n in nodes if n["xref"]) == 71


# --- exact edges -----------------------------------------------------------------------------


def test_rfa_lesion_size_association_for_meloni_2009_from_review_003(edges: Table):
    edge = _edge(edges, "bclmd:association/003/meloni-2009-ref7/a1", "bclm:RadiofrequencyAblation")
    assert edge == {
        "id": "urn:uuid:a0696a95-4fb2-5771-9dc1-b3043d85e313",
        "subject": "bclm:RadiofrequencyAblation",
        "predicate": "biolink:associated_with",
        "object": "bclm:LesionSize",
        "publications": REVIEW_DOI["003"],
        "primary_knowledge_source": "infores:bclm-kg",
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "has_supporting_studies": "bclmd.study:meloni-2009-radiology",
        "bclm_statement": "bclmd:association/003/meloni-2009-ref7/a1",
        "bclm_span": "003_a30510250b3ce168.txt:7679-7747",
        "bclm_evidence_level": "evidence of unreported design",
        "bclm_direction": "unfavourable",
        "bclm_outcome": "bclm:SurvivalOutcome",
        "bclm_factor_value": "",
        "bclm_comparator": ">",
        "bclm_value": "2.5",
        "bclm_value_max": "",
        "bclm_unit": "centimetre",
        "bclm_timepoint": "",
        "bclm_grade": "",
        "bclm_adverse_event": "",
        "bclm_subgroup": "",
        "bclm_sample_size": "",
    }


def test_meloni_median_os_differs_between_reviews_on_separate_edges(edges: Table):
    rfa = "bclm:RadiofrequencyAblation"
    in_001 = _edge(edges, "bclmd:measurement/001/t1-meloni-2009-ref23/rfa/m1", rfa)
    in_003 = _edge(edges, "bclmd:measurement/003/meloni-2009-ref7/rfa/m1", rfa)
    for edge, value, review in ((in_001, "42", "001"), (in_003, "29.9", "003")):
        assert edge["predicate"] == "biolink:related_to"
        assert edge["object"] == "bclm:MedianOverallSurvival"
        assert (edge["bclm_value"], edge["bclm_unit"]) == (value, "month")
        assert edge["publications"] == REVIEW_DOI[review]
        assert edge["knowledge_level"] == "observation"
        assert edge["bclm_sample_size"] == "52"
    assert in_001["bclm_span"] == "001_c55962c33ca41f6d.txt:6114-6119"


def test_study_doi_is_a_publication_of_the_edge(edges: Table):
    edge = _edge(
        edges, "bclmd:measurement/001/t1-adam-2006-ref4/resection/m1", "bclm:SurgicalResection"
    )
    assert edge["publications"] == f"{REVIEW_DOI['001']}|doi:10.1097/01.sla.0000246847.02058.1b"
    assert (edge["object"], edge["bclm_value"], edge["bclm_unit"]) == (
        "bclm:MedianOverallSurvival",
        "32",
        "month",
    )
    report = [
        e
        for e in edges
        if e["bclm_statement"].startswith("bclmd:report/001/")
        and e["subject"] == "bclmd.study:adam-2006-ann-surg"
    ]
    assert [(e["predicate"], e["object"]) for e in report] == [
        ("biolink:related_to", "bclm:SurgicalResection")
    ]
    assert report[0]["publications"] == edge["publications"]


def test_review_without_doi_is_cited_by_its_node(edges: Table):
    edge = _edge(edges, "bclmd:association/000/review-ablation/a1", "bclm:Cryoablation")
    assert (edge["object"], edge["publications"]) == ("bclm:LesionSize", "bclmd.source:000")
    assert sum(1 for e in edges if e["publications"] == "bclmd.source:000") == 46


def test_bevacizumab_affects_vegf(edges: Table):
    edge = _edge(edges, "bclmd:mechanism/004/vegf-bevacizumab", "bclm:Bevacizumab")
    assert (edge["predicate"], edge["object"]) == ("biolink:affects", "bclm:VEGF")
    assert edge["publications"] == REVIEW_DOI["004"]
    assert edge["bclm_span"] == "004_47dc2ef9fc666fcd.txt:22597-22687"
    assert edge["has_supporting_studies"] == ""


# --- provenance on every edge ----------------------------------------------------------------

PUBLICATION = re.compile(r"^(doi:10\.\d{4,9}/\S+|bclmd\.source:\d{3})$")
SPAN = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt:\d+-\d+$")


def test_every_edge_has_publications_and_provenance(nodes: Table, edges: Table):
    node_ids = {n["id"] for n in nodes}
    for edge in edges:
        publications = edge["publications"].split("|")
        assert publications and all(PUBLICATION.match(p) for p in publications), edge
        assert publications == sorted(set(publications))
        assert edge["primary_knowledge_source"] == "infores:bclm-kg"
        assert edge["agent_type"] == "manual_agent"
        assert edge["bclm_span"] and all(SPAN.match(s) for s in edge["bclm_span"].split("|"))
        assert {edge["subject"], edge["object"]} <= node_ids
        assert all(s in node_ids for s in filter(None, [edge["has_supporting_studies"]]))
    assert Counter(len(e["publications"].split("|")) for e in edges) == {1: 719, 2: 18}


def test_exports_are_byte_identical(built: BuildResult, kgx_dir: Path, tmp_path: Path):
    write_kgx(built.graph_path, tmp_path)
    for name in (NODES_FILE, EDGES_FILE):
        assert (tmp_path / name).read_bytes() == (kgx_dir / name).read_bytes()


# --- command line and atomic writing ---------------------------------------------------------


def _export_kgx(graph: Path, out: Path) -> Any:
    arguments = ["export", "graph", "--format", "kgx", "--graph", str(graph), "--out", str(out)]
    return CliRunner().invoke(app, arguments)


def test_cli_writes_both_files(built: BuildResult, tmp_path: Path):
    out = tmp_path / "new" / "kgx"
    result = _export_kgx(built.graph_path, out)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {out / NODES_FILE} (311 nodes)\nwrote {out / EDGES_FILE} (737 edges)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [EDGES_FILE, NODES_FILE]


def test_cli_out_must_be_a_directory(built: BuildResult, tmp_path: Path):
    target = tmp_path / "graph.ttl"
    target.write_text("keep me")
    result = _export_kgx(built.graph_path, target)
    assert result.exit_code == 1
    assert result.output == (
        f"error: --out {target} is a file; KGX writes nodes.tsv and edges.tsv into a directory\n"
    )
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_cli_kgx_is_a_graph_format_only():
    result = CliRunner().invoke(app, ["export", "evidence", "--format", "kgx"])
    assert result.exit_code == 1
    assert result.output == (
        "error: format 'kgx' does not fit 'evidence'; use one of tsv, csv, json\n"
    )


def test_a_failed_write_leaves_the_old_files(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / NODES_FILE).write_text("old nodes")
    (tmp_path / EDGES_FILE).write_text("old edges")

    def fail(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kgx.os, "replace", fail)
    with pytest.raises(KgxOutputError, match="No space left on device"):
        write_kgx(built.graph_path, tmp_path)
    assert (tmp_path / NODES_FILE).read_text() == "old nodes"
    assert (tmp_path / EDGES_FILE).read_text() == "old edges"
    assert sorted(p.name for p in tmp_path.iterdir()) == [EDGES_FILE, NODES_FILE]


# --- validation with kgx and the local Biolink model ------------------------------------------


@pytest.fixture(scope="module")
def offline_kgx() -> Iterator[Any]:
    """The kgx package, set up to use the Biolink model of the biolink-model package, offline.

    By default bmt.Toolkit() downloads biolink-model.yaml and predicate_mapping.yaml from
    GitHub, kgx builds one such toolkit when kgx.utils.kgx_utils is imported, and the kgx
    Validator downloads the Biolink JSON-LD context. Here Toolkit defaults to the packaged
    schema (and an empty predicate map, which validation does not use) before kgx is imported,
    the JSON-LD context is made from the prefixes of that schema, and sockets are closed so that
    nothing can reach the network. Yields a function (nodes, edges, extra prefixes) -> errors.
    """
    import bmt
    import bmt.toolkit

    class LocalToolkit(bmt.toolkit.Toolkit):
        def __init__(self, schema: Any = SCHEMA, predicate_map: Any = None, **kwargs: Any):
            super().__init__(schema, {"predicate mappings": []}, **kwargs)

    def no_network(*_: Any) -> None:
        raise RuntimeError("the kgx test tried to reach the network")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", no_network)
        patch.setattr(bmt, "Toolkit", LocalToolkit)
        patch.setattr(bmt.toolkit, "Toolkit", LocalToolkit)
        import kgx.config
        import kgx.utils.kgx_utils as kgx_utils
        from kgx.transformer import Transformer
        from kgx.validator import Validator

        toolkit = LocalToolkit()
        assert toolkit.get_model_version() == "4.4.6"
        # In case kgx was imported before this fixture ran: use the local toolkit everywhere.
        patch.setattr(kgx_utils, "tk", toolkit)
        patch.setattr(kgx_utils, "_default_toolkit", toolkit)
        patch.setattr(Validator, "_currently_active_toolkit", toolkit)
        kgx_utils._get_all_multivalued_slots.cache_clear()
        biolink_context = {
            name: prefix.prefix_reference for name, prefix in toolkit.view.schema.prefixes.items()
        }

        def validate(nodes: Path, edges: Path, extra_prefixes: dict[str, str]) -> dict:
            patch.setitem(
                kgx.config.jsonld_context_map, "biolink", {**biolink_context, **extra_prefixes}
            )
            validator = Validator()
            Transformer(stream=True).transform(
                input_args={"filename": [str(nodes), str(edges)], "format": "tsv"},
                output_args={"format": "null"},
                inspector=validator,
            )
            return validator.get_errors()

        yield validate


def test_kgx_validation_passes_with_zero_errors(offline_kgx: Any, kgx_dir: Path):
    errors = offline_kgx(kgx_dir / NODES_FILE, kgx_dir / EDGES_FILE, NODE_PREFIXES)
    assert errors == {}


def test_without_our_prefixes_kgx_only_asks_for_them(offline_kgx: Any, kgx_dir: Path):
    """Our namespaces are not Biolink's; that is the only thing kgx finds without them."""
    errors = offline_kgx(kgx_dir / NODES_FILE, kgx_dir / EDGES_FILE, {})
    assert set(errors) == {"ERROR"}
    assert set(errors["ERROR"]) == {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}
    prefixes = set()
    for messages in errors["ERROR"].values():
        for message in messages:
            found = re.search(r"CURIE prefix '([^']+)'", message)
            assert found and "not represented in Biolink Model JSON-LD context" in message
            prefixes.add(found.group(1))
    assert prefixes == set(NODE_PREFIXES)


def test_kgx_validator_catches_bad_categories_and_predicates(
    offline_kgx: Any, kgx_dir: Path, tmp_path: Path
):
    """The same validator set-up does find errors (it is not silently validating nothing)."""
    nodes = (kgx_dir / NODES_FILE).read_text()
    edges = (kgx_dir / EDGES_FILE).read_text()
    (tmp_path / NODES_FILE).write_text(
        nodes.replace("bclm:VEGF\tbiolink:Protein", "bclm:VEGF\tbiolink:GeneOrGeneProduct")
    )
    (tmp_path / EDGES_FILE).write_text(edges.replace("biolink:affects", "biolink:targeted_by"))
    errors = offline_kgx(tmp_path / NODES_FILE, tmp_path / EDGES_FILE, NODE_PREFIXES)
    assert {k: sorted(v) for k, v in errors["ERROR"].items()} == {
        "INVALID_CATEGORY": ["Category 'GeneOrGeneProduct' is a mixin in the Biolink Model"],
        "INVALID_EDGE_PREDICATE": ["Edge predicate 'targeted_by' is not in Biolink Model"],
    }


def _descendants(toolkit: Any, element: str | None) -> set[str]:
    """The Biolink classes below ``element`` (mixin users too); empty when there is none."""
    return set(toolkit.get_descendants(element, formatted=True)) if element else set()


def test_categories_predicates_and_slots_in_the_local_biolink_model(nodes: Table, edges: Table):
    """Checks kgx does not make: classes are concrete, predicates canonical, domains and ranges
    hold, enum values and required association slots are Biolink's."""
    from bmt import Toolkit

    toolkit = Toolkit(SCHEMA, {"predicate mappings": []})
    categories = {n["id"]: n["category"] for n in nodes}
    for category in set(categories.values()):
        element = toolkit.get_element(category)
        assert toolkit.is_category(category) and not element.mixin and not element.abstract
        assert not element.deprecated
    required = {
        slot.replace(" ", "_")
        for slot in toolkit.get_all_edge_properties()
        if getattr(toolkit.get_element(slot), "required", False)
    }
    assert required == {"agent_type", "knowledge_level", "predicate", "subject", "object", "id"}
    enums = {
        "knowledge_level": toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values,
        "agent_type": toolkit.view.get_enum("AgentTypeEnum").permissible_values,
    }
    for predicate in {e["predicate"] for e in edges}:
        element = toolkit.get_element(predicate)
        assert toolkit.is_predicate(predicate) and not element.deprecated
        assert "canonical_predicate" in element.annotations
        domain = _descendants(toolkit, element.domain)
        range_ = _descendants(toolkit, element.range)
        for edge in (e for e in edges if e["predicate"] == predicate):
            assert not domain or categories[edge["subject"]] in domain, edge
            assert not range_ or categories[edge["object"]] in range_, edge
    for edge in edges:
        assert all(edge[slot] for slot in required)
        assert all(edge[slot] in values for slot, values in enums.items())
    for slot in ("publications", "has_supporting_studies", "primary_knowledge_source"):
        assert toolkit.get_element(slot).name == slot.replace("_", " ")
