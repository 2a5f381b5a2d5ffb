"""The page's nodes and links are exactly the modality-factor links the SPARQL query returns."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.export import load_store
from bclm_kg.viz.build import network_html
from bclm_kg.viz.links import link_rows, threshold_text
from bclm_kg.viz.network import FocusError, View
from tests.conftest import CORPUS
from tests.viz.pagefile import embedded_data


def _corpus_text(file: str, start: int, end: int) -> str:
    """The quote the page must show: the review's own text at the association's span."""
    return (CORPUS / file).read_text(encoding="utf-8")[start:end]


BCLM = "https://w3id.org/bclm-kg/"
DIRECTIONS = {BCLM + "Favourable": "favourable", BCLM + "Unfavourable": "unfavourable",
              BCLM + "NoAssociation": "no association"}  # fmt: skip


def _local(iri: str) -> str:
    return iri.removeprefix(BCLM)


def _expected_links(graph_path: Path) -> set[tuple[str, str, str]]:
    """(modality node, factor node, direction) from the query's rows, computed here."""
    links = set()
    for r in link_rows(load_store(graph_path)):
        level = _local(r["factor_value"]) or threshold_text(
            r["comparator"], r["threshold"], r["unit"]
        )
        links.add((
            f"modality:{_local(r['modality'])}",
            f"factor:{_local(r['factor'])}|{level}",
            DIRECTIONS[r["direction"]],
        ))  # fmt: skip
    return links


@pytest.fixture(scope="module")
def factors_page(built: BuildResult) -> dict:
    return embedded_data(network_html(built.graph_path))


def test_query_rows(built: BuildResult):
    rows = link_rows(load_store(built.graph_path))
    assert len(rows) == 109
    assert len({r["association"] for r in rows}) == 94
    # as many as the factors export gives, counting each modality of its modality cells
    assert Counter(DIRECTIONS[r["direction"]] for r in rows) == {
        "unfavourable": 47,
        "favourable": 49,
        "no association": 13,
    }


def test_page_links_equal_query_rows(built: BuildResult, factors_page: dict):
    expected = _expected_links(built.graph_path)
    edges = factors_page["edges"]
    shown = {(e["from"], e["to"], e["direction"]) for e in edges if e["kind"] == "factor"}
    assert shown == expected
    assert len(edges) == len(expected) == 87
    assert Counter(e["direction"] for e in edges) == {
        "unfavourable": 37,
        "favourable": 38,
        "no association": 12,
    }
    expected_nodes = {m for m, _, _ in expected} | {f for _, f, _ in expected}
    assert {n["id"] for n in factors_page["nodes"]} == expected_nodes
    assert Counter(n["kind"] for n in factors_page["nodes"]) == {"modality": 15, "factor": 58}
    assert factors_page["omitted_associations"] == 7


def test_rfa_lesion_size_link(factors_page: dict):
    nodes = {n["id"]: n for n in factors_page["nodes"]}
    rfa = nodes["modality:RadiofrequencyAblation"]
    assert (rfa["label"], rfa["group"], rfa["shape"]) == (
        "radiofrequency ablation",
        "image-guided ablation",
        "dot",
    )
    size = nodes["factor:LesionSize|> 2.5 cm"]
    assert (size["label"], size["group"], size["factor"]) == (
        "lesion size > 2.5 cm",
        "tumour characteristic",
        "lesion size",
    )
    [edge] = [
        e
        for e in factors_page["edges"]
        if (e["from"], e["to"]) == ("modality:RadiofrequencyAblation", "factor:LesionSize|> 2.5 cm")
    ]
    assert (edge["direction"], edge["studies"], edge["color"]) == ("unfavourable", 2, "#d7191c")
    assert edge["sources"] == ["003_a30510250b3ce168.txt", "004_47dc2ef9fc666fcd.txt"]
    panel = factors_page["panels"]["modality:RadiofrequencyAblation"]
    assert panel["subtitle"] == "image-guided ablation · 21 studies · 397 patients"
    first = panel["sections"][0]
    assert first["heading"] == "Unfavourable: goes with worse outcome"
    item = next(i for i in first["items"] if i["text"] == "lesion size > 2.5 cm")
    assert [(r["text"], r["quote"]) for r in item["refs"]] == [
        (
            "survival outcome · Meloni 2009 (n = 52) — in Filippiadis 2022 (Diagn Interv Radiol)",
            _corpus_text("003_a30510250b3ce168.txt", 7679, 7747),
        ),
        (
            "overall survival rate · Chen 2006 — in Liu 2023 (Transl Cancer Res)",
            _corpus_text("004_47dc2ef9fc666fcd.txt", 29961, 30033),
        ),
        (
            "overall survival rate · Meloni 2009 (n = 52) — in Liu 2023 (Transl Cancer Res)",
            _corpus_text("004_47dc2ef9fc666fcd.txt", 30163, 30204),
        ),
    ]


def test_other_views_keep_the_factor_links(built: BuildResult):
    expected = _expected_links(built.graph_path)
    for view, kinds in (
        (View.studies, {"modality": 41, "factor": 58, "study": 102}),
        (View.subtypes, {"modality": 23, "factor": 58, "subtype": 4, "molecular": 17, "step": 5}),
    ):
        data = embedded_data(network_html(built.graph_path, view))
        shown = {
            (e["from"], e["to"], e["direction"]) for e in data["edges"] if e["kind"] == "factor"
        }
        assert shown == expected, view
        assert Counter(n["kind"] for n in data["nodes"]) == kinds, view
    bevacizumab = data["panels"]["modality:Bevacizumab"]  # the subtypes view
    assert bevacizumab["subtitle"] == "systemic therapy · 1 study · 1 patient"
    assert [s["heading"] for s in bevacizumab["sections"]] == [
        "Molecular subtypes treated",
        "Molecular factors it acts on",
        "Studies and key outcomes",
    ]
    assert bevacizumab["sections"][1]["items"][0]["text"] == "vascular endothelial growth factor"


def test_focus_keeps_one_modality_and_its_neighbours(built: BuildResult):
    data = embedded_data(network_html(built.graph_path, View.factors, "RFA"))
    modalities = [n["id"] for n in data["nodes"] if n["kind"] == "modality"]
    assert modalities == ["modality:RadiofrequencyAblation"]
    expected = {f for m, f, _ in _expected_links(built.graph_path) if m == modalities[0]}
    assert {n["id"] for n in data["nodes"] if n["kind"] == "factor"} == expected
    assert data["focus"] == "RFA"


def test_focus_errors_are_exact(built: BuildResult):
    with pytest.raises(FocusError) as error:
        network_html(built.graph_path, View.factors, "laser surgery")
    assert str(error.value) == (
        "unknown modality 'laser surgery'; give a label, synonym or id such as RFA"
    )
    with pytest.raises(FocusError) as error:
        network_html(built.graph_path, View.factors, "bevacizumab")
    assert str(error.value) == "modality 'bevacizumab' has no links in this view"
