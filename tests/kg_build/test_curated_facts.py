"""A sample of curated facts from all five reviews, checked in the graph and in the corpus.

Each fact is looked up in the evidence export (so it is checked as a SPARQL user sees it)
and the printed number must stand in the corpus text of the fact's own span: a fact that
drifts from the review, or a span that drifts from the fact, fails here.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.export import export_table, load_store
from tests.conftest import CORPUS, needs_corpus

# (file key, study id, arm, subgroup, outcome, value, value_max, unit, timepoint); one fact a line.
# ruff: noqa: E501
Fact = tuple[str, str, str, str, str, str, str, str, str]
FACTS: list[Fact] = [
    # 000 Gordon 2016: named series and the review's own ranges
    ("000", "vogl-000-ref30", "MRI-guided LITT", "", "median overall survival", "37.6", "", "month", ""),
    ("000", "collettini-000-ref32", "HDR brachytherapy with an iridium-192 source", "", "complete ablation rate", "100", "", "percent", ""),
    ("000", "collettini-000-ref32", "HDR brachytherapy with an iridium-192 source", "", "median overall survival", "18", "", "month", ""),
    ("000", "collettini-000-ref32", "HDR brachytherapy with an iridium-192 source", "", "median progression-free survival", "8", "", "month", ""),
    ("000", "gordon-2016-intervent-oncol-360", "radiofrequency ablation series", "", "complete ablation rate", ">88", "90", "percent", ""),
    ("000", "gordon-2016-intervent-oncol-360", "radiofrequency ablation series", "", "median overall survival", "29.9", "60", "month", ""),
    ("000", "gordon-2016-intervent-oncol-360", "radiofrequency ablation series", "", "overall survival rate", "20", "32", "percent", "5 year"),
    ("000", "gordon-2016-intervent-oncol-360", "yttrium-90 radioembolization, glass or resin", "hepatic tumour replacement of 25% or less", "median overall survival", "10", "14", "month", ""),
    ("000", "gordon-2016-intervent-oncol-360", "hepatic resection in selected surgical candidates", "", "overall survival rate", "25", "61", "percent", "5 year"),
    # 001 Liberchuk 2020: both tables
    ("001", "vlastos-2004-ann-surg-oncol", "resection", "", "median overall survival", "63", "", "month", ""),
    ("001", "abbott-2012-surgery", "resection", "", "median overall survival", "57", "", "month", ""),
    ("001", "meloni-2009-radiology", "rfa", "", "median overall survival", "42", "", "month", ""),
    ("001", "jakobs-2009-cardiovasc-intervent-radiol", "rfa", "", "median overall survival", "59", "", "month", ""),
    ("001", "bai-2019-int-j-hyperthermia", "rfa", "", "overall survival rate", "50", "", "percent", "2 year"),
    ("001", "wieners-2011-radiother-oncol", "sbrt", "", "adverse event rate (grade >= 3)", "<2", "", "percent", ""),
    ("001", "vogl-2010-eur-radiol", "ctace", "", "disease control rate", "64", "", "percent", "3 month"),
    ("001", "chang-2018-anticancer-res", "DEB-TACE arm", "", "median overall survival", "5", "", "month", ""),
    ("001", "chang-2018-anticancer-res", "TARE arm", "", "median overall survival", "13", "", "month", ""),
    ("001", "haug-2012-j-nucl-med", "tare", "", "median overall survival", "11", "", "month", ""),
    ("001", "gordon-2014-j-vasc-interv-radiol", "tare", "", "disease control rate", "98", "", "percent", "1 month"),
    ("001", "fendler-2016-j-nucl-med", "tare", "", "adverse event rate (grade >= 3)", "<10", "", "percent", ""),
    # 003 Filippiadis 2022
    ("003", "meloni-2009-radiology", "rfa", "", "median overall survival", "29.9", "", "month", ""),
    ("003", "meloni-2009-radiology", "rfa", "", "overall survival rate", "27", "", "percent", "5 year"),
    ("003", "meloni-2009-radiology", "rfa", "", "new intrahepatic metastasis rate", "53", "", "percent", ""),
    ("003", "bai-2019-int-j-hyperthermia", "rfa", "lesions under 3 cm", "complete ablation rate", "81", "", "percent", ""),
    ("003", "bai-2019-int-j-hyperthermia", "rfa", "lesions of 3 cm or more", "complete ablation rate", "43", "", "percent", ""),
    ("003", "vogl-2010-eur-radiol", "mitomycin C only", "", "median overall survival", "13.3", "", "month", ""),
    ("003", "vogl-2010-eur-radiol", "gemcitabine only", "", "median overall survival", "11", "", "month", ""),
    ("003", "vogl-2010-eur-radiol", "mitomycin C with gemcitabine", "", "median overall survival", "24.8", "", "month", ""),
    ("003", "jakobs-2009-cardiovasc-intervent-radiol", "rfa", "", "median overall survival", "58.6", "", "month", ""),
    ("003", "helmlinger-2021-cardiovasc-intervent-radiol", "all registry patients, primary or metastatic liver tumours", "breast cancer liver metastases", "median overall survival", "10.6", "", "month", ""),
    ("003", "wang-2015-j-coll-physicians-surg-pak", "rfa", "", "median overall survival", "33", "", "month", ""),
    ("003", "cazzato-2014-eur-radiol", "cementoplasty", "", "functional improvement rate", "71.8", "", "percent", ""),
    # 004 Liu 2023
    ("004", "zhang-2018-ann-oncol", "cisplatin plus gemcitabine", "homologous recombination deficient", "median progression-free survival", "10.37", "", "month", ""),
    ("004", "zhang-2018-ann-oncol", "paclitaxel plus gemcitabine", "homologous recombination deficient", "median progression-free survival", "4.3", "", "month", ""),
    ("004", "zhang-2018-ann-oncol", "cisplatin plus gemcitabine", "germline BRCA1/2 carriers", "objective response rate", "83.3", "", "percent", ""),
    ("004", "zhang-2018-ann-oncol", "paclitaxel plus gemcitabine", "germline BRCA1/2 carriers", "objective response rate", "37.5", "", "percent", ""),
    ("004", "andre-2021-ann-oncol", "alpelisib plus fulvestrant", "patients with liver metastases", "median overall survival", "37.2", "", "month", ""),
    ("004", "andre-2021-ann-oncol", "placebo plus fulvestrant", "patients with liver metastases", "median overall survival", "22.8", "", "month", ""),
    ("004", "andre-2021-ann-oncol", "alpelisib plus fulvestrant", "patients with liver metastases", "hazard ratio", "0.68", "", "ratio", ""),
    ("004", "orlandi-2021-j-pers-med", "resection", "negative margin (R0)", "median overall survival", "78", "", "month", ""),
    ("004", "orlandi-2021-j-pers-med", "resection", "positive margin", "median overall survival", "16", "", "month", ""),
    ("004", "park-2017-eur-j-cancer", "eribulin plus gemcitabine", "", "progression-free survival rate", "72", "", "percent", "6 month"),
    ("004", "meloni-2009-radiology", "rfa", "", "overall survival rate", "27", "", "percent", "5 year"),
    ("004", "onal-2018-breast", "sbrt", "", "overall survival rate", "57", "", "percent", "2 year"),
    ("004", "adam-2006-ann-surg", "resection", "", "minor complication rate", "15", "19", "percent", ""),
]  # fmt: skip

KEYS = ("arm", "subgroup", "outcome", "value", "value_max", "unit", "timepoint")
# 002 (Bale 2019) prints no outcome numbers; its facts are the modalities its abstract names,
# each an arm of the review's own report, with the span that names it.
REVIEW_002_ARMS = {
    ("systemic-therapy", "SystemicTherapy", "833-851"),
    ("resection", "SurgicalResection", "1004-1032"),
    ("tae", "BlandTransarterialEmbolization", "1342-1374"),
    ("tace", "TransarterialChemoembolization", "1376-1414"),
    ("sirt", "TransarterialRadioembolization", "1420-1458"),
    ("thermal-ablation", "ThermalAblation", "1460-1497"),
    ("rfa", "RadiofrequencyAblation", "1507-1536"),
    ("mwa", "MicrowaveAblation", "1541-1565"),
}
ARMS_002 = """
PREFIX bclm: <https://w3id.org/bclm-kg/>
SELECT ?arm ?modality ?start ?end WHERE {
  ?arm a bclm:StudyArm ; bclm:populationOf/bclm:reportedIn/bclm:fileName ?file ;
       bclm:hasModality ?modality ; bclm:hasEvidence [ bclm:spanStart ?start ; bclm:spanEnd ?end ] .
  FILTER (STRSTARTS(?file, "002_"))
}
"""


@pytest.fixture(scope="module")
def rows(built: BuildResult) -> list[dict[str, str]]:
    text = export_table(built.graph_path, "evidence", "tsv")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def _find(rows: list[dict[str, str]], fact: Fact) -> dict[str, str]:
    key, study, *values = fact
    wanted = dict(zip(KEYS, values, strict=True))
    found = [
        r
        for r in rows
        if r["source_file"].startswith(key)
        and r["study_id"] == study
        and all(r[k] == v for k, v in wanted.items())
    ]
    assert len(found) == 1, (fact, found)
    return found[0]


def test_sample_spans_all_reviews_and_is_large_enough():
    assert len(FACTS) >= 40
    assert len(FACTS) + len(REVIEW_002_ARMS) >= 50
    assert {f[0] for f in FACTS} == {"000", "001", "003", "004"}  # 002: its arms, below


@needs_corpus
@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{f[0]}-{f[1]}-{f[4]}-{f[5]}")
def test_fact_is_in_the_graph_and_in_its_span(rows: list[dict[str, str]], fact: Fact):
    row = _find(rows, fact)
    text = (CORPUS / row["source_file"]).read_text(encoding="utf-8")
    quote = text[int(row["span_start"]) : int(row["span_end"])]
    # Compared as decimals: the store reads "4.30" as the xsd:decimal 4.3.
    printed = {Decimal(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?", quote)}
    for number in (fact[5].lstrip("<>="), fact[6]):
        if number:
            assert Decimal(number) in printed, (number, quote)


def test_review_002_names_its_modalities(built: BuildResult):
    store = load_store(built.graph_path)
    found = {
        (
            s["arm"].value.rsplit("/", 1)[1],
            s["modality"].value.rsplit("/", 1)[1],
            f"{s['start'].value}-{s['end'].value}",
        )
        for s in store.query(ARMS_002)
    }
    assert found >= REVIEW_002_ARMS
    assert {arm for arm, _, _ in found} >= {arm for arm, _, _ in REVIEW_002_ARMS}
