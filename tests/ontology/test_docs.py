"""The pyLODE page: deterministic, complete and loading nothing from the network."""

from __future__ import annotations

import re

import pytest

from bclm_kg.ontology.docs import ontology_html
from bclm_kg.ontology.vocab import vocabulary


@pytest.fixture(scope="module")
def page() -> str:
    return ontology_html().decode("utf-8")


def test_same_ontology_same_bytes(page: str):
    assert ontology_html().decode("utf-8") == page


def test_every_class_is_documented_with_its_definition(page: str):
    v = vocabulary()
    for term in v.of_kind("class"):
        assert f'href="{v.base}{term.id}"' in page or f"{v.base}{term.id}" in page, term.id
    rfa = v.get("RadiofrequencyAblation")
    assert rfa.definition in page


def test_page_loads_nothing_from_the_network(page: str):
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+rel=\"stylesheet\"[^>]+href=\"https?:", page)
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert not re.search(r"<img[^>]+src=\"https?:", page)
