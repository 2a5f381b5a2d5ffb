from __future__ import annotations

import csv
import io
import json
import re

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.queries.conflicts import list_conflicts
from bclm_kg.queries.export import COLUMNS, export_table
from tests.conftest import CORPUS, TABLE_FILE

EVIDENCE_HEADER = (
    "source_file\tstudy_id\tfirst_author\tyear\tn_patients\tarm\tmodality\ttarget_site\toutcome\t"
    "adverse_event\tvalue\tvalue_max\tunit\ttimepoint\tsubgroup\tresponse_criteria\tspan_start\tspan_end"
)
FACTORS_HEADER = (
    "source_file\tstudy_id\tfirst_author\tmodality\tfactor\tthreshold\tdirection\t"
    "outcome_affected\tspan_start\tspan_end"
)
STUDIES_HEADER = "study_id\tfirst_author\tyear\tn_patients\tdesign\tjournal\tdoi\treported_in"


def _tsv(built: BuildResult, table: str) -> list[dict[str, str]]:
    text = export_table(built.graph_path, table, "tsv")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def _table_line_ranges() -> list[tuple[int, int]]:
    """Offsets of the 45 data rows of the two tables of 001, read from the corpus."""
    text = (CORPUS / TABLE_FILE).read_text(encoding="utf-8")
    ranges, offset = [], 0
    for line in text.split("\n"):
        if "\t" in line and not line.startswith("Reference"):
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return ranges


@pytest.fixture(scope="module")
def evidence(built: BuildResult) -> list[dict[str, str]]:
    """The evidence rows curated from the two tables of 001 (prose rows left out)."""
    ranges = _table_line_ranges()
    return [
        r
        for r in _tsv(built, "evidence")
        if r["source_file"] == TABLE_FILE and any(a <= int(r["span_start"]) < b for a, b in ranges)
    ]


def test_headers_are_exact(built: BuildResult):
    for table, header in (
        ("evidence", EVIDENCE_HEADER),
        ("factors", FACTORS_HEADER),
        ("studies", STUDIES_HEADER),
    ):
        assert export_table(built.graph_path, table, "tsv").splitlines()[0] == header


def test_evidence_lists_all_45_table_rows(evidence: list[dict[str, str]]):
    assert len(evidence) == 141
    rows = {(r["first_author"], r["year"], r["n_patients"], r["arm"]) for r in evidence}
    assert len(rows) == 45


def _table_lines() -> list[list[str]]:
    text = (CORPUS / TABLE_FILE).read_text(encoding="utf-8")
    lines = [line.split("\t") for line in text.splitlines() if "\t" in line]
    return [cells for cells in lines if cells[0] != "Reference"]


def test_every_number_of_every_table_row_is_in_the_export(evidence: list[dict[str, str]]):
    """Reads the corpus table itself: no number of a row may be missing from its export."""
    table = _table_lines()
    assert len(table) == 45
    for cells in table:
        author = cells[0].split(" et al")[0]
        year, n = cells[1], cells[2]
        exported = [
            r
            for r in evidence
            if (r["first_author"], r["year"], r["n_patients"]) == (author, year, n)
        ]
        assert exported, cells[:3]
        numbers = set()
        for r in exported:
            fields = (
                r["year"],
                r["n_patients"],
                r["value"],
                r["value_max"],
                r["timepoint"],
                r["outcome"],
                r["response_criteria"],
            )
            numbers |= set(re.findall(r"\d+(?:\.\d+)?", " ".join(fields)))
        printed = set(re.findall(r"\d+(?:\.\d+)?", " ".join(cells[1:])))
        assert printed <= numbers, (author, year, printed - numbers)


def _row(evidence: list[dict[str, str]], author: str, outcome: str, value: str) -> dict[str, str]:
    found = [
        r
        for r in evidence
        if (r["first_author"], r["outcome"], r["value"]) == (author, outcome, value)
    ]
    assert len(found) == 1, (author, outcome, value, found)
    return found[0]


def test_exact_rows(evidence: list[dict[str, str]]):
    vlastos = _row(evidence, "Vlastos", "median overall survival", "63")
    assert vlastos == {
        "source_file": TABLE_FILE,
        "study_id": "vlastos-2004-ann-surg-oncol",
        "first_author": "Vlastos",
        "year": "2004",
        "n_patients": "31",
        "arm": "resection",
        "modality": "surgical resection",
        "target_site": "liver",
        "outcome": "median overall survival",
        "adverse_event": "",
        "value": "63",
        "value_max": "",
        "unit": "month",
        "timepoint": "",
        "subgroup": "",
        "response_criteria": "",
        "span_start": "4696",
        "span_end": "4701",
    }
    wieners = _row(evidence, "Wieners", "adverse event rate (grade >= 3)", "<2")
    assert (wieners["unit"], wieners["modality"]) == ("percent", "stereotactic body radiotherapy")
    assert _row(evidence, "Abbott", "median progression-free survival", "14.2")["unit"] == "month"
    assert _row(evidence, "Ridouani", "median time to progression", "11")["n_patients"] == "35"
    duan = _row(evidence, "Duan", "disease control rate", "84")
    assert (duan["timepoint"], duan["response_criteria"]) == ("1-3 month", "RECIST")
    deipolyi = _row(evidence, "Deipolyi", "objective response rate", "75")
    assert (deipolyi["year"], deipolyi["timepoint"], deipolyi["response_criteria"]) == (
        "2019",
        "3-5 month",
        "PERCIST",
    )
    assert _row(evidence, "Cianni", "adverse event rate (grade 3)", "3")["n_patients"] == "77"
    assert _row(evidence, "Cianni", "adverse event rate (grade 1-2)", "7")["unit"] == "percent"
    assert _row(evidence, "Vogl", "major complication rate", "0")["modality"] == (
        "conventional transarterial chemoembolization"
    )
    barral = _row(evidence, "Barral", "overall survival rate", "96")
    assert barral["modality"] == "cryoablation; microwave ablation; radiofrequency ablation"
    assert barral["timepoint"] == "2 year"
    milano = _row(evidence, "Milano", "progression-free survival rate", "20")
    assert (milano["year"], milano["timepoint"]) == ("2012", "5 year")


def test_chang_arms_stay_apart(evidence: list[dict[str, str]]):
    chang = {
        (r["arm"], r["n_patients"], r["outcome"], r["value"])
        for r in evidence
        if r["first_author"] == "Chang"
    }
    assert chang == {
        ("DEB-TACE arm", "17", "median overall survival", "5"),
        ("DEB-TACE arm", "17", "disease control rate", "29"),
        ("DEB-TACE arm", "17", "adverse event rate (grade >= 3)", "9"),
        ("DEB-TACE arm", "17", "adverse event rate", "71"),
        ("TARE arm", "30", "median overall survival", "13"),
        ("TARE arm", "30", "disease control rate", "47"),
        ("TARE arm", "30", "adverse event rate (grade >= 3)", "0"),
        ("TARE arm", "30", "adverse event rate", "44"),
    }


def test_studies_table(built: BuildResult):
    studies = {r["study_id"]: r for r in _tsv(built, "studies")}
    assert len(studies) == 105
    assert studies["meloni-2009-radiology"]["reported_in"] == (
        "001_c55962c33ca41f6d.txt;003_a30510250b3ce168.txt;004_47dc2ef9fc666fcd.txt"
    )
    assert studies["chang-2018-anticancer-res"]["n_patients"] == "47"
    assert studies["eichler-2013-eur-j-radiol"]["design"] == "phase II trial"
    assert studies["milano-2018"] == {
        "study_id": "milano-2018",
        "first_author": "Milano",
        "year": "2018",
        "n_patients": "48",
        "design": "",
        "journal": "",
        "doi": "",
        "reported_in": TABLE_FILE,
    }
    assert {"ruiz-2018-breast-cancer-res-treat", "ruiz-2018-eur-j-cancer"} <= studies.keys()
    assert studies["bai-2019-int-j-hyperthermia"]["year"] == "2019"
    # The DOI comes from 002's reference list, the reports from 001 and 004.
    assert studies["adam-2006-ann-surg"]["doi"] == "10.1097/01.sla.0000246847.02058.1b"
    assert studies["adam-2006-ann-surg"]["reported_in"] == f"{TABLE_FILE};004_47dc2ef9fc666fcd.txt"


def test_factors_table_rows(built: BuildResult):
    factors = _tsv(built, "factors")
    by_study = {(r["study_id"], r["factor"]): r for r in factors}
    margin = by_study[("ridouani-2020-j-vasc-interv-radiol", "ablation margin")]
    assert (margin["threshold"], margin["direction"], margin["outcome_affected"]) == (
        "> 5 mm",
        "favourable",
        "local tumour progression rate",
    )
    size = by_study[("barral-2016-cardiovasc-intervent-radiol", "lesion size")]
    assert (size["threshold"], size["direction"], size["modality"]) == (
        "> 3 cm",
        "unfavourable",
        "thermal ablation",
    )
    lesions = by_study[("kucharczyk-2017-breast-cancer-res-treat", "number of lesions")]
    assert (lesions["threshold"], lesions["direction"]) == ("<= 3", "favourable")


def test_csv_and_json_carry_the_same_rows(built: BuildResult):
    as_csv = list(csv.DictReader(io.StringIO(export_table(built.graph_path, "evidence", "csv"))))
    as_json = json.loads(export_table(built.graph_path, "evidence", "json"))
    assert as_csv == _tsv(built, "evidence") == as_json
    assert list(as_json[0]) == list(COLUMNS["evidence"])


def test_conflicts_between_reviews_keep_both_numbers_and_sources(built: BuildResult):
    text = list_conflicts(built.graph_path, "tsv")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    meloni = [
        (r["outcome"], r["timepoint"], r["value_a"], r["source_a"], r["value_b"], r["source_b"])
        for r in rows
        if r["study_id"] == "meloni-2009-radiology"
    ]
    review_003, review_004 = "003_a30510250b3ce168.txt", "004_47dc2ef9fc666fcd.txt"
    assert meloni == [
        ("median overall survival", "", "42 month", TABLE_FILE, "29.9 month", review_003),
        ("overall survival rate", "5 year", "32 percent", TABLE_FILE, "27 percent", review_003),
        ("overall survival rate", "5 year", "32 percent", TABLE_FILE, "27 percent", review_004),
    ]
    haug = [r for r in rows if r["study_id"] == "haug-2012-j-nucl-med"]
    assert [(r["value_a"], r["value_b"]) for r in haug] == [("11 month", "47 week")]


def test_conflicts_pair_like_populations_only(built: BuildResult):
    text = list_conflicts(built.graph_path, "tsv")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = sorted((r["study_id"], r["outcome"], r["value_a"], r["value_b"]) for r in rows)
    assert pairs == [
        ("fendler-2016-j-nucl-med", "median overall survival", "8 month", "35 week"),
        ("gordon-2014-j-vasc-interv-radiol", "median overall survival", "7 month", "6.6 month"),
        ("haug-2012-j-nucl-med", "median overall survival", "11 month", "47 week"),
        ("jakobs-2009-cardiovasc-intervent-radiol", "median overall survival", "59 month",
         "58.6 month"),
        ("livraghi-2001-radiology", "complete ablation rate", "75 percent", ">90 percent"),
        ("livraghi-2001-radiology", "sample size", "34", "24"),
        ("meloni-2009-radiology", "median overall survival", "42 month", "29.9 month"),
        ("meloni-2009-radiology", "overall survival rate", "32 percent", "27 percent"),
        ("meloni-2009-radiology", "overall survival rate", "32 percent", "27 percent"),
    ]  # fmt: skip
    # Vogl 2010: 001 gives the whole cohort, 003 three protocol arms; not a disagreement.
    assert not [r for r in rows if r["study_id"] == "vogl-2010-eur-radiol"]


def test_adverse_event_types_keep_rates_apart(built: BuildResult):
    niu = sorted(
        (r["adverse_event"], r["value"])
        for r in _tsv(built, "evidence")
        if r["study_id"] == "niu-000-ref31"
    )
    assert niu == [
        ("haemorrhage", "15"),
        ("liver abscess", "7"),
        ("liver capsular rupture", "5"),
        ("thrombocytopenia", "17"),
    ]
