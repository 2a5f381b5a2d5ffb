"""Every lesion-size statement of the five reviews, with its direction, as the factors table
shows it; and categorical factor values beyond biomarker statuses."""

from __future__ import annotations

import csv
import io

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.export import export_table
from tests.conftest import needs_corpus

# (file key, study, modality, threshold, direction, outcome affected); one statement a line.
# ruff: noqa: E501
LESION_SIZE = [
    ("000", "gordon-2016-intervent-oncol-360", "cryoablation; microwave ablation; radiofrequency ablation", "", "unfavourable", "complete ablation rate"),
    ("001", "bale-2019-cancers-basel", "external beam radiotherapy", "", "unfavourable", ""),
    ("001", "bale-2019-cancers-basel", "surgical resection", "", "unfavourable", ""),
    ("001", "bale-2019-cancers-basel", "thermal ablation", "", "unfavourable", ""),
    ("001", "barral-2016-cardiovasc-intervent-radiol", "thermal ablation", "> 3 cm", "unfavourable", ""),
    ("001", "kucharczyk-2017-breast-cancer-res-treat", "microwave ablation; radiofrequency ablation", "< 3 cm", "favourable", ""),
    ("002", "bale-2019-cancers-basel", "thermal ablation", "", "unfavourable", ""),
    ("003", "bai-2019-int-j-hyperthermia", "radiofrequency ablation", "< 3 cm", "favourable", "complete ablation rate"),
    ("003", "bai-2019-int-j-hyperthermia", "radiofrequency ablation", "< 3 cm", "favourable", "survival outcome"),
    ("003", "cazzato-2018-int-j-hyperthermia", "cryoablation; radiofrequency ablation", "> 2 cm", "unfavourable", "local tumour progression rate"),
    ("003", "de-baere-2015-ann-oncol", "radiofrequency ablation", "< 2 cm", "favourable", ""),
    ("003", "filippiadis-2022-diagn-interv-radiol", "thermal ablation", "< 3.5 cm", "favourable", ""),
    ("003", "filippiadis-2022-diagn-interv-radiol", "thermal ablation", "< 4 cm", "favourable", ""),
    ("003", "ierardi-2018-gland-surg", "thermal ablation", "", "unfavourable", "local tumour progression rate"),
    ("003", "ierardi-2018-gland-surg", "thermal ablation", "<= 5 cm", "favourable", "tumour response outcome"),
    ("003", "kumler-2015-radiol-med-torino", "radiofrequency ablation", "< 2.5 cm", "favourable", "survival outcome"),
    ("003", "meloni-2009-radiology", "radiofrequency ablation", "> 2.5 cm", "unfavourable", "survival outcome"),
    ("003", "sofocleous-2007-ajr-am-j-roentgenol", "radiofrequency ablation", "< 4 cm", "favourable", "local tumour progression rate"),
    ("003", "veltri-2014-radiol-med-torino", "radiofrequency ablation", "> 3 cm", "no association", "overall survival rate"),
    ("003", "veltri-2014-radiol-med-torino", "radiofrequency ablation", "> 3 cm", "unfavourable", "local tumour progression rate"),
    ("003", "wang-2015-j-coll-physicians-surg-pak", "radiofrequency ablation", "> 2 cm", "unfavourable", "local tumour progression rate"),
    ("004", "chen-2006-j-vasc-interv-radiol", "radiofrequency ablation", "> 2.5 cm", "unfavourable", "overall survival rate"),
    ("004", "meloni-2009-radiology", "radiofrequency ablation", "> 2.5 cm", "unfavourable", "overall survival rate"),
    ("004", "tasci-2013-hpb-oxford", "radiofrequency ablation", "", "unfavourable", "recurrence rate"),
    ("004", "vogl-2013-eur-radiol", "radiofrequency ablation", "", "unfavourable", "recurrence rate"),
]  # fmt: skip


@pytest.fixture(scope="module")
def factors(built: BuildResult) -> list[dict[str, str]]:
    text = export_table(built.graph_path, "factors", "tsv")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


@needs_corpus
def test_every_lesion_size_statement_and_its_direction(factors: list[dict[str, str]]):
    found = sorted(
        (
            r["source_file"][:3],
            r["study_id"],
            r["modality"],
            r["threshold"],
            r["direction"],
            r["outcome_affected"],
        )
        for r in factors
        if r["factor"] == "lesion size"
    )
    assert found == sorted(LESION_SIZE)


@needs_corpus
def test_direction_follows_the_side_of_the_threshold(factors: list[dict[str, str]]):
    """Above a cut-off is worse, below it better: no statement says otherwise."""
    for row in factors:
        if row["factor"] == "lesion size" and row["direction"] != "no association":
            if row["threshold"].startswith(">"):
                assert row["direction"] == "unfavourable", row
            elif row["threshold"].startswith("<"):
                assert row["direction"] == "favourable", row


@needs_corpus
def test_resection_margin_uses_a_factor_level(factors: list[dict[str, str]]):
    margins = sorted(
        (r["study_id"], r["threshold"], r["direction"], r["outcome_affected"])
        for r in factors
        if r["factor"] == "resection margin status"
    )
    assert margins == [
        ("elias-2003-am-j-surg", "negative resection margin", "no association", "median overall survival"),
        ("orlandi-2021-j-pers-med", "negative resection margin", "favourable", "median disease-free survival"),
        ("orlandi-2021-j-pers-med", "negative resection margin", "favourable", "median overall survival"),
    ]  # fmt: skip
