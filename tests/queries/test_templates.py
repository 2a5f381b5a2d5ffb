"""Every template's exact answer on the curated graph, and the template format's strictness."""

from __future__ import annotations

import re
import statistics
from decimal import Decimal

import pytest

from bclm_kg.kg_build.build import BuildResult
from bclm_kg.ontology.mappings import mapping_set
from bclm_kg.queries.conflicts import conflict_rows
from bclm_kg.queries.engine import EmbeddedEngine
from bclm_kg.queries.params import Query
from bclm_kg.queries.templates import (
    TemplateError,
    UnknownTemplateError,
    parse_template,
    template,
    templates,
)
from tests.queries.conftest import rows

F001, F002, F003, F004 = (
    "001_c55962c33ca41f6d.txt",
    "002_31baa001dd6ede9c.txt",
    "003_a30510250b3ce168.txt",
    "004_47dc2ef9fc666fcd.txt",
)

COLUMNS = {
    "adverse_events": "modality arm_modality outcome grade_min grade_max adverse_event comparator "
    "value value_max unit study n source_file span_start span_end measurement",
    "compare_modalities": "modality_a modality_b outcome group arm_modality study n "
    "reported_outcome comparator value value_max unit timepoint timepoint_max timepoint_unit "
    "criteria subgroup source_file span_start span_end measurement",
    "conflicts": "outcome study reported_outcome timepoint timepoint_unit grade_min grade_max "
    "subgroup value_a max_a comparator_a unit_a source_a span_start_a span_end_a value_b max_b "
    "comparator_b unit_b source_b span_start_b span_end_b",
    "external_mappings": "concept label predicate target target_label",
    "factor_modalities": "factor modality reported_factor factor_value comparator value unit "
    "direction outcome study source_file span_start span_end association",
    "label_search": "text concept label kind matched",
    "modality_factors": "modality arm_modality factor factor_value comparator value unit "
    "direction outcome study source_file span_start span_end association",
    "modality_hierarchy": "root class label parent depth direct_studies studies",
    "modality_outcome_summary": "k modality studies patients median_os_min median_os_median "
    "median_os_max os_rate_min os_rate_median os_rate_max",
    "multi_review_studies": "min_reviews study first_author year reviews source_file reference",
    "provenance": "fact source_file citation span_start span_end span_hash quote",
    "response_criteria": "modality arm_modality criteria studies measurements",
    "size_thresholds": "factor modality reported_factor comparator value unit value_cm direction "
    "outcome study source_file span_start span_end association",
    "studies_by_modality": "modality min_n from_year to_year study year design arm_modality n "
    "median_os median_os_unit source_file arm",
    "subtype_evidence": "subtype population_subtype population study kind finding comparator "
    "value unit timepoint timepoint_unit source_file span_start span_end fact",
}


def run(engine: EmbeddedEngine, name: str, **given: str):
    return engine.run(template(name).query(given))


def test_there_are_fifteen_templates_with_exact_columns(engine: EmbeddedEngine):
    assert sorted(templates()) == sorted(COLUMNS)
    for name, columns in COLUMNS.items():
        assert run(engine, name).variables == tuple(columns.split()), name


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_binding_by_substitution_and_by_values_block_agree(engine: EmbeddedEngine, name: str):
    """The embedded store's substitutions and the remote VALUES block give the same rows."""
    t = template(name)
    for given in ({}, {p.name: p.example for p in t.params}):
        query = t.query(given)
        assert engine.run(query) == engine.run(Query(query.with_values())), (name, given)


def test_factor_modalities(engine: EmbeddedEngine):
    result = run(engine, "factor_modalities")
    assert len(result.rows) == 29
    assert rows(result)[8] == (
        "bclm:LesionSize", "radiofrequency ablation", "lesion size", "", ">", "2.5",
        "centimetre", "unfavourable", "overall survival rate", "Chen 2006 (J Vasc Interv Radiol)",
        F004, "29961", "30033", "bclmd:association/004/chen-2006-ref67/a1",
    )  # fmt: skip
    er = run(engine, "factor_modalities", factor="EstrogenReceptorStatus")
    columns = ("modality", "factor_value", "direction", "outcome", "study", "source_file")
    assert rows(er, *columns) == [
        ("radiofrequency ablation", "oestrogen receptor positive", "favourable",
         "survival outcome", "Bai 2019 (Int J Hyperthermia)", F003),
        ("thermal ablation", "oestrogen receptor positive", "favourable", "",
         "Filippiadis 2022 (Diagn Interv Radiol)", F003),
        ("transarterial radioembolization", "oestrogen receptor positive", "favourable",
         "survival outcome", "Davisson 2020 (J Vasc Interv Radiol)", F003),
    ]  # fmt: skip
    biomarkers = run(engine, "factor_modalities", factor="BiomarkerFactor")
    assert {r[0] for r in rows(biomarkers, "reported_factor")} >= {"oestrogen receptor status"}


def test_modality_factors_cover_narrower_modalities(engine: EmbeddedEngine):
    result = run(engine, "modality_factors")
    assert len(result.rows) == 61
    assert {r[0] for r in rows(result, "arm_modality")} == {
        "cryoablation",
        "microwave ablation",
        "radiofrequency ablation",
        "thermal ablation",
    }
    assert rows(result)[-1] == (
        "bclm:ThermalAblation", "thermal ablation", "tumour burden", "", "<", "4", "centimetre",
        "unfavourable", "", "Barral 2016 (Cardiovasc Intervent Radiol)", F003, "23598", "23618",
        "bclmd:association/003/barral-2016-ref42/burden-lt-4",
    )  # fmt: skip
    rfa_only = run(engine, "modality_factors", modality="RadiofrequencyAblation")
    assert {r[0] for r in rows(rfa_only, "arm_modality")} == {"radiofrequency ablation"}


def test_studies_by_modality_with_filters(engine: EmbeddedEngine):
    assert len(run(engine, "studies_by_modality").rows) == 64
    result = run(
        engine, "studies_by_modality", modality="TransarterialRadioembolization", min_n="30",
        from_year="2010", to_year="2020",
    )  # fmt: skip
    columns = ("study", "year", "design", "arm_modality", "n", "median_os", "source_file")
    glass, resin, tare = (
        "radioembolization with glass microspheres",
        "radioembolization with resin microspheres",
        "transarterial radioembolization",
    )
    assert rows(result, *columns) == [
        ("Haug 2012 (J Nucl Med)", "2012", "clinical study", resin, "58", "11", F001),
        ("Haug 2012 (J Nucl Med)", "2012", "clinical study", tare, "58", "47", F004),
        ("Cianni 2013 (Eur Radiol)", "2013", "clinical study", resin, "77", "11", F001),
        ("Gordon 2014 (J Vasc Interv Radiol)", "2014", "clinical study", resin, "75", "7", F001),
        ("Gordon 2014 (J Vasc Interv Radiol)", "2014", "clinical study", tare, "75", "6.6", F003),
        ("Saxena 2014 (Ann Surg Oncol)", "2014", "clinical study", resin, "40", "11", F001),
        ("Fendler 2016 (J Nucl Med)", "2016", "clinical study", glass, "81", "8", F001),
        ("Fendler 2016 (J Nucl Med)", "2016", "clinical study", resin, "81", "8", F001),
        ("Pieper 2016 (J Vasc Interv Radiol)", "2016", "clinical study", resin, "44", "6", F001),
        ("Chang 2018 (Anticancer Res)", "2018", "retrospective study", glass, "30", "13", F001),
        ("Chang 2018 (Anticancer Res)", "2018", "retrospective study", resin, "30", "13", F001),
        ("Deipolyi 2018 (J Vasc Interv Radiol)", "2018", "retrospective study", glass, "31", "11",
         F001),
        ("Deipolyi 2018 (J Vasc Interv Radiol)", "2018", "retrospective study", resin, "31", "11",
         F001),
        ("Deipolyi 2020 (Cardiovasc Intervent Radiol)", "2020", "clinical study", glass, "49",
         "11", F001),
        ("Deipolyi 2020 (Cardiovasc Intervent Radiol)", "2020", "clinical study", resin, "49",
         "11", F001),
    ]  # fmt: skip
    assert {r[1:4] for r in rows(result)} == {("30", "2010", "2020")}


def test_modality_outcome_summary(engine: EmbeddedEngine):
    result = run(engine, "modality_outcome_summary")
    assert len(result.rows) == 41
    by_modality = {r[1]: r for r in rows(result)}
    assert by_modality["radiofrequency ablation"] == (
        "5", "radiofrequency ablation", "21", "397", "10", "33.5", "70", "11", "27", "32",
    )  # fmt: skip
    assert by_modality["surgical resection"] == (
        "5", "surgical resection", "20", "1242", "30", "56", "82", "25", "37", "69",
    )  # fmt: skip
    assert by_modality["stereotactic radiofrequency ablation"] == (
        "5", "stereotactic radiofrequency ablation", "1", "0", "", "", "", "", "", "",
    )  # fmt: skip
    columns = ("modality", "os_rate_min", "os_rate_median", "os_rate_max")
    three = {r[0]: r[1:] for r in rows(run(engine, "modality_outcome_summary", k="3"), *columns)}
    assert three["radiofrequency ablation"] == ("25", "43.4", "70")
    assert three["surgical resection"] == ("49", "75", "81")
    assert three["microwave ablation"] == ("", "", "")


def test_timepoints_are_written_as_the_k_parameter_binds_them(built: BuildResult):
    """The summary joins ?k with bclm:timepoint as terms; a store that keeps lexical forms
    matches them only if the graph and the parameter spell a number alike."""
    k = template("modality_outcome_summary").params[0]
    turtle = built.graph_path.read_text(encoding="utf-8")
    written = set(re.findall(r"bclm:timepoint ([0-9.]+) ", turtle))
    assert len(written) == 11
    for lexical in written:
        assert k.type.bind("k", lexical).value == lexical


def test_summary_k_without_rates_leaves_rate_columns_empty(engine: EmbeddedEngine):
    columns = ("k", "os_rate_min", "os_rate_median", "os_rate_max")
    for k, shown in (("2.5", "2.5"), ("20", "20")):
        answered = set(rows(run(engine, "modality_outcome_summary", k=k), *columns))
        assert answered == {(shown, "", "", "")}


MEDIAN_OS_VALUES = """
PREFIX bclm: <https://w3id.org/bclm-kg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?modality ?study ?x WHERE {
  ?o bclm:outcomeType bclm:MedianOverallSurvival ; bclm:unit bclm:Month ;
     bclm:value ?x ; bclm:measuredIn ?arm .
  FILTER NOT EXISTS { ?o bclm:comparator ?c . FILTER (?c != bclm:EqualTo) }
  ?arm a bclm:StudyArm ; bclm:hasModality/rdfs:label ?modality ;
       bclm:populationOf/bclm:reportsStudy ?study .
}"""


def test_summary_medians_agree_with_python(engine: EmbeddedEngine):
    """The SPARQL median (ranks by counting) against statistics.median on the same values."""
    values: dict[str, list[Decimal]] = {}
    for modality, _, x in rows(engine.run(Query(MEDIAN_OS_VALUES))):
        values.setdefault(modality, []).append(Decimal(x))
    summary = rows(run(engine, "modality_outcome_summary"), "modality", "median_os_min",
                   "median_os_median", "median_os_max")  # fmt: skip
    checked = 0
    for modality, low, middle, high in summary:
        if modality not in values:
            assert (low, middle, high) == ("", "", ""), modality
            continue
        xs = values[modality]
        assert Decimal(low) == min(xs) and Decimal(high) == max(xs), modality
        assert Decimal(middle) == statistics.median(xs), modality
        checked += 1
    assert checked == 21


def test_compare_modalities(engine: EmbeddedEngine):
    result = run(engine, "compare_modalities")
    assert len(result.rows) == 22
    columns = ("group", "arm_modality", "study", "value", "timepoint", "timepoint_max",
               "timepoint_unit", "criteria")  # fmt: skip
    table = rows(result, *columns)
    assert table[2] == (
        "transarterial chemoembolization", "drug-eluting bead transarterial chemoembolization",
        "Duan 2011 (J Cancer Res Clin Oncol)", "84", "1", "3", "month", "RECIST",
    )  # fmt: skip
    assert table[-1] == (
        "transarterial radioembolization", "radioembolization with resin microspheres",
        "Saxena 2014 (Ann Surg Oncol)", "70", "3", "", "month", "RECIST",
    )  # fmt: skip
    assert [r[0] for r in table].count("transarterial chemoembolization") == 12
    os = run(engine, "compare_modalities", modality_a="RadiofrequencyAblation",
             modality_b="MicrowaveAblation", outcome="MedianOverallSurvival")  # fmt: skip
    assert rows(os, "group", "study", "value") == [
        ("microwave ablation", "Liu 2023 (Transl Cancer Res)", "32"),
        ("microwave ablation", "Ridouani 2020 (J Vasc Interv Radiol)", "70"),
        ("microwave ablation", "Vogl 2018 (Int J Hyperthermia)", "41.8"),
        ("radiofrequency ablation", "Bai 2019 (Int J Hyperthermia)", "26"),
        ("radiofrequency ablation", "Gordon 2016 (Intervent Oncol 360)", "29.9"),
        ("radiofrequency ablation", "Jakobs 2009 (Cardiovasc Intervent Radiol)", "59"),
        ("radiofrequency ablation", "Jakobs 2009 (Cardiovasc Intervent Radiol)", "58.6"),
        ("radiofrequency ablation", "Kümler 2015 (Radiol Med (Torino))", "34"),
        ("radiofrequency ablation", "Meloni 2009 (Radiology)", "42"),
        ("radiofrequency ablation", "Meloni 2009 (Radiology)", "29.9"),
        ("radiofrequency ablation", "Ridouani 2020 (J Vasc Interv Radiol)", "70"),
        ("radiofrequency ablation", "Sofocleous 2007 (AJR Am J Roentgenol)", "60"),
        ("radiofrequency ablation", "Ta\u015f\u00e7\u0131 2013 (HPB (Oxford))", "10"),
        ("radiofrequency ablation", "Vogl 2013 (Eur Radiol)", "10"),
        ("radiofrequency ablation", "Wang 2015 (J Coll Physicians Surg Pak)", "33"),
    ]


def test_subtype_evidence_includes_inferred_subtypes(engine: EmbeddedEngine):
    tnbc = run(engine, "subtype_evidence")
    columns = ("population", "kind", "finding", "value", "unit", "span_start")
    assert {r[0] for r in rows(tnbc, "population_subtype")} == {"triple-negative breast cancer"}
    assert rows(tnbc, *columns) == [
        ("bevacizumab, paclitaxel and carboplatin", "measurement", "duration of response", "5",
         "year", "22943"),
        ("cisplatin plus gemcitabine", "association", "germline BRCA mutation: favourable", "",
         "", "17843"),
        ("cisplatin plus gemcitabine", "association", "germline BRCA mutation: favourable", "",
         "", "17843"),
        ("cisplatin plus gemcitabine", "association",
         "homologous recombination deficiency: favourable", "", "", "17596"),
        ("cisplatin plus gemcitabine", "association",
         "homologous recombination deficiency: favourable", "", "", "17596"),
        ("cisplatin plus gemcitabine", "measurement", "median progression-free survival", "7.73",
         "month", "17344"),
        ("germline BRCA1/2 carriers", "measurement", "median progression-free survival", "8.9",
         "month", "18008"),
        ("germline BRCA1/2 carriers", "measurement", "median progression-free survival", "3.2",
         "month", "18008"),
        ("germline BRCA1/2 carriers", "measurement", "objective response rate", "83.3", "percent",
         "17976"),
        ("germline BRCA1/2 carriers", "measurement", "objective response rate", "37.5", "percent",
         "17976"),
        ("homologous recombination deficient", "measurement", "median progression-free survival",
         "10.37", "month", "17804"),
        ("homologous recombination deficient", "measurement", "median progression-free survival",
         "4.3", "month", "17804"),
        ("homologous recombination deficient", "measurement", "objective response rate", "71.9",
         "percent", "17772"),
        ("homologous recombination deficient", "measurement", "objective response rate", "38.7",
         "percent", "17772"),
        ("paclitaxel plus gemcitabine", "measurement", "median progression-free survival", "6.07",
         "month", "17479"),
    ]  # fmt: skip
    her2 = run(engine, "subtype_evidence", subtype="HER2PositiveBreastCancer")
    assert rows(her2, "population", "study", "finding", "value", "unit") == [
        ("hormone receptor positive, HER2 positive", "Ji 2021 (BMC Cancer)", "hazard ratio",
         "0.74", "ratio"),
        ("pyrotinib, trastuzumab and one chemotherapy drug", "Xie 2023 (Breast Cancer Res Treat)",
         "median progression-free survival", "7.5", "month"),
        ("pyrotinib, trastuzumab and one chemotherapy drug", "Xie 2023 (Breast Cancer Res Treat)",
         "objective response rate", "50.5", "percent"),
    ]  # fmt: skip


def test_adverse_events(engine: EmbeddedEngine):
    assert len(run(engine, "adverse_events").rows) == 76
    tare = run(engine, "adverse_events", modality="TransarterialRadioembolization")
    columns = ("arm_modality", "outcome", "grade_min", "grade_max", "adverse_event", "value",
               "unit", "study")  # fmt: skip
    table = rows(tare, *columns)
    assert len(table) == 20
    assert table[0] == ("radioembolization with glass microspheres", "adverse event rate", "", "",
                        "", "44", "percent", "Chang 2018 (Anticancer Res)")  # fmt: skip
    assert table[7] == ("radioembolization with resin microspheres", "adverse event rate", "1",
                        "2", "", "7", "percent", "Cianni 2013 (Eur Radiol)")  # fmt: skip
    assert table[-1] == ("transarterial radioembolization", "treatment-related mortality", "", "",
                         "radiation-induced liver disease", "2", "count",
                         "Fendler 2016 (J Nucl Med)")  # fmt: skip


def test_response_criteria(engine: EmbeddedEngine):
    deb = "drug-eluting bead transarterial chemoembolization"
    glass = "radioembolization with glass microspheres"
    resin = "radioembolization with resin microspheres"
    assert rows(run(engine, "response_criteria"), "arm_modality", "criteria", "studies",
                "measurements") == [
        ("conventional transarterial chemoembolization", "RECIST", "1", "3"),
        (deb, "PERCIST", "1", "4"),
        (deb, "RECIST", "5", "15"),
        (deb, "RECIST 1.1", "2", "7"),
        (deb, "WHO", "1", "3"),
        (deb, "mRECIST", "1", "4"),
        (glass, "PERCIST", "3", "9"),
        (glass, "WHO", "1", "3"),
        (glass, "mRECIST", "1", "4"),
        (resin, "PERCIST", "3", "9"),
        (resin, "RECIST", "3", "10"),
        (resin, "RECIST 1.1", "2", "5"),
        (resin, "mRECIST", "1", "4"),
        ("transarterial chemoembolization", "RECIST", "2", "2"),
        ("transarterial radioembolization", "RECIST", "2", "2"),
    ]  # fmt: skip
    assert run(engine, "response_criteria", modality="SurgicalResection").rows == []


def test_size_thresholds(engine: EmbeddedEngine):
    result = run(engine, "size_thresholds")
    columns = ("modality", "comparator", "value", "value_cm", "direction", "study")
    table = rows(result, *columns)
    assert len(table) == 19
    assert table[4] == ("radiofrequency ablation", ">", "2.5", "2.5", "unfavourable",
                        "Chen 2006 (J Vasc Interv Radiol)")  # fmt: skip
    assert table[-1] == ("thermal ablation", "<=", "5", "5", "favourable",
                         "Ierardi 2018 (Gland Surg)")  # fmt: skip
    margin = run(engine, "size_thresholds", factor="AblationMargin")
    assert rows(margin, "modality", "comparator", "value", "unit", "value_cm", "study") == [
        ("thermal ablation", ">", "5", "millimetre", "0.5", "Ridouani 2020 (J Vasc Interv Radiol)"),
        ("radiofrequency ablation", ">", "10", "millimetre", "1", "Bai 2019 (Int J Hyperthermia)"),
    ]


def test_conflicts_template_matches_the_conflicts_command(engine: EmbeddedEngine):
    result = run(engine, "conflicts")
    columns = ("study", "reported_outcome", "timepoint", "value_a", "unit_a", "source_a",
               "value_b", "unit_b", "source_b")  # fmt: skip
    assert rows(result, *columns) == [
        ("Fendler 2016 (J Nucl Med)", "median overall survival", "", "8", "month", F001, "35",
         "week", F003),
        ("Gordon 2014 (J Vasc Interv Radiol)", "median overall survival", "", "7", "month", F001,
         "6.6", "month", F003),
        ("Haug 2012 (J Nucl Med)", "median overall survival", "", "11", "month", F001, "47",
         "week", F004),
        ("Jakobs 2009 (Cardiovasc Intervent Radiol)", "median overall survival", "", "59",
         "month", F001, "58.6", "month", F003),
        ("Livraghi 2001 (Radiology)", "complete ablation rate", "", "75", "percent", F003, "90",
         "percent", F004),
        ("Meloni 2009 (Radiology)", "median overall survival", "", "42", "month", F001, "29.9",
         "month", F003),
        ("Meloni 2009 (Radiology)", "overall survival rate", "5", "32", "percent", F001, "27",
         "percent", F003),
        ("Meloni 2009 (Radiology)", "overall survival rate", "5", "32", "percent", F001, "27",
         "percent", F004),
    ]  # fmt: skip
    spans = {(r[0], r[1]) for r in rows(result, "span_start_a", "span_start_b")}
    command = {
        (r["span_a"].split("-")[0], r["span_b"].split("-")[0])
        for r in conflict_rows(engine.store)
        if r["outcome"] != "sample size"
    }
    assert spans == command
    only_os = run(engine, "conflicts", outcome="OverallSurvivalRate")
    assert [r[0] for r in rows(only_os, "study")] == ["Meloni 2009 (Radiology)"] * 2


def test_provenance_gives_file_span_and_quote(engine: EmbeddedEngine):
    assert rows(run(engine, "provenance")) == [
        ("bclmd:measurement/001/t1-meloni-2009-ref23/rfa/m1", F001,
         "Liberchuk AN, Deipolyi AR. Semin Intervent Radiol. 2020;37:518-526", "6114", "6119",
         "cd59fd9ad8", "42 mo"),
    ]  # fmt: skip
    association = run(engine, "provenance", fact="bclmd:association/003/meloni-2009-ref7/a1")
    assert rows(association, "source_file", "span_start", "span_end") == [(F003, "7679", "7747")]
    assert run(engine, "provenance", fact="measurement/000/no-such/m1").rows == []


def test_modality_hierarchy(engine: EmbeddedEngine):
    result = run(engine, "modality_hierarchy")
    assert len(result.rows) == 71
    assert rows(result)[0] == ("bclm:Modality", "bclm:Modality", "treatment modality", "", "0",
                               "0", "102")  # fmt: skip
    transarterial = run(engine, "modality_hierarchy", root="TransarterialTherapy")
    assert rows(transarterial, "class", "parent", "depth", "direct_studies", "studies") == [
        ("bclm:TransarterialTherapy", "", "0", "0", "34"),
        ("bclm:BlandTransarterialEmbolization", "bclm:TransarterialTherapy", "1", "1", "1"),
        ("bclm:HepaticArterialInfusion", "bclm:TransarterialTherapy", "1", "1", "1"),
        ("bclm:TransarterialChemoembolization", "bclm:TransarterialTherapy", "1", "13", "19"),
        ("bclm:TransarterialRadioembolization", "bclm:TransarterialTherapy", "1", "14", "20"),
        ("bclm:ConventionalTACE", "bclm:TransarterialChemoembolization", "2", "1", "1"),
        ("bclm:DrugElutingBeadTACE", "bclm:TransarterialChemoembolization", "2", "10", "10"),
        ("bclm:RadiationSegmentectomy", "bclm:TransarterialRadioembolization", "2", "2", "2"),
        ("bclm:GlassMicrosphereRadioembolization", "bclm:TransarterialRadioembolization", "2",
         "5", "5"),
        ("bclm:ResinMicrosphereRadioembolization", "bclm:TransarterialRadioembolization", "2",
         "10", "10"),
    ]  # fmt: skip


def test_external_mappings_list_every_mapping_of_the_sssom_set(engine: EmbeddedEngine):
    result = run(engine, "external_mappings")
    assert result.variables == ("concept", "label", "predicate", "target", "target_label")
    assert len(result.rows) == 154
    table = rows(result, "concept", "label", "predicate", "target")
    assert table[0] == ("bclm:AdrenalGland", "adrenal gland", "skos:exactMatch",
                        "http://purl.obolibrary.org/obo/UBERON_0002369")  # fmt: skip
    assert ("bclm:Bone", "bone", "skos:closeMatch",
            "http://purl.obolibrary.org/obo/UBERON_0001474") in table  # fmt: skip
    assert ("bclm:Cirrhosis", "cirrhosis", "skos:exactMatch",
            "http://purl.obolibrary.org/obo/NCIT_C2951") in table  # fmt: skip
    iris = {
        (r[0].value, r[2].value, r[3].value)  # type: ignore[union-attr]
        for r in result.rows
    }
    assert iris == {tuple(str(t) for t in triple) for triple in mapping_set().triples()}


def test_multi_review_studies(engine: EmbeddedEngine):
    assert len(run(engine, "multi_review_studies").rows) == 47
    assert rows(run(engine, "multi_review_studies", min_reviews="3")) == [
        ("3", "Bale 2019 (Cancers (Basel))", "Bale", "2019", "3", F001, "29"),
        ("3", "Bale 2019 (Cancers (Basel))", "Bale", "2019", "3", F002, ""),
        ("3", "Bale 2019 (Cancers (Basel))", "Bale", "2019", "3", F004, "54"),
        ("3", "Meloni 2009 (Radiology)", "Meloni", "2009", "3", F001, "23"),
        ("3", "Meloni 2009 (Radiology)", "Meloni", "2009", "3", F003, "7"),
        ("3", "Meloni 2009 (Radiology)", "Meloni", "2009", "3", F004, "68"),
    ]


def test_label_search_is_case_insensitive(engine: EmbeddedEngine):
    assert rows(run(engine, "label_search"), "concept", "matched") == [
        ("bclm:AblationMargin", "ablation margin"),
        ("bclm:AblationMargin", "margins of ablation"),
        ("bclm:CompleteAblationRate", "complete ablation rate"),
        ("bclm:Cryoablation", "cryoablation"),
        ("bclm:Ablation", "image-guided ablation"),
        ("bclm:LaserInducedInterstitialThermotherapy", "laser ablation"),
        ("bclm:MicrowaveAblation", "microwave ablation"),
        ("bclm:NonThermalAblation", "non-thermal ablation"),
        ("bclm:RadiofrequencyAblation", "radiofrequency ablation"),
        ("bclm:StereotacticRadiofrequencyAblation", "stereotactic radiofrequency ablation"),
        ("bclm:ThermalAblation", "thermal ablation"),
    ]
    assert rows(run(engine, "label_search", text="tace"), "concept", "matched") == [
        ("bclm:ConventionalTACE", "cTACE"),
        ("bclm:ConventionalTACE", "conventional TACE"),
        ("bclm:DrugElutingBeadTACE", "DEB-TACE"),
        ("bclm:DrugElutingBeadTACE", "drug-eluting bead TACE"),
        ("bclm:TransarterialChemoembolization", "TACE"),
    ]
    # "e.g" as a regular expression would match "image-guided"; as text it matches nothing
    assert run(engine, "label_search", text="e.g").rows == []


# --- the template format -------------------------------------------------------------------

GOOD = """#+ name: t
#+ summary: A test.
#+ param: n | integer 1..9 | default: 2 | example: 3 | a number
SELECT ?n ?s WHERE { ?s ?p ?n }
"""


def test_a_good_template_parses_and_knows_where_values_go():
    t = parse_template(GOOD, "t.rq")
    assert (t.name, t.summary, [p.name for p in t.params]) == ("t", "A test.", ["n"])
    assert t.text[t.values_at - 1] == "{"
    assert t.query({}).with_values() == GOOD.replace(
        "WHERE {", 'WHERE { VALUES (?n) { ("2"^^<http://www.w3.org/2001/XMLSchema#integer>) } '
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("#+ name: t\n", ""), "t.rq: the header has no 'name'"),
        (GOOD.replace("name: t", "name: u"), "t.rq: name 'u' differs from the file name"),
        (GOOD.replace("#+ summary: A test.", "#+ summary A test."),
         "t.rq:2: expected '#+ KEY: VALUE'"),
        (GOOD.replace("#+ summary", "#+ title"),
         "t.rq:2: unknown header key 'title'; expected name, summary or param"),
        (GOOD.replace(" | a number", ""),
         "t.rq:3: a param has five fields 'NAME | TYPE | default: V | example: V | DESCRIPTION', "
         "got 4"),
        (GOOD.replace("integer 1..9", "integer 1-9"),
         "t.rq:3: type 'integer' needs bounds MIN..MAX, got '1-9'"),
        (GOOD.replace("integer 1..9", "colour"),
         "t.rq:3: unknown parameter type 'colour'; expected term ROOT, node KIND, integer "
         "MIN..MAX, decimal MIN..MAX, year, enum A,B or text MAX /REGEX/"),
        (GOOD.replace("default: 2", "default: 10"),
         "t.rq:3: default: parameter 'n': 10 is not between 1 and 9"),
        (GOOD.replace("example: 3", "sample: 3"), "t.rq:3: expected 'example: VALUE', got "
         "'sample: 3'"),
        (GOOD.replace("integer 1..9", "term Modalty"),
         "t.rq:3: type 'term': unknown class 'Modalty'; did you mean Modality?"),
        (GOOD.replace("?n ?s WHERE { ?s ?p ?n }", "?s WHERE { ?s ?p ?o }"),
         "t.rq: parameter 'n' is not used as ?n"),
        (GOOD + "#+ name: again\n", "t.rq:5: header lines must come first"),
        (GOOD.replace("param: n |", "param: N |"),
         "t.rq:3: parameter name 'N' must match [a-z][a-z0-9_]*"),
    ],
)  # fmt: skip
def test_bad_headers_name_file_and_line(text: str, message: str):
    with pytest.raises(TemplateError) as error:
        parse_template(text, "t.rq")
    assert str(error.value) == message


def test_unknown_template_suggests_names():
    with pytest.raises(UnknownTemplateError) as error:
        template("provenence")
    assert str(error.value) == (
        "unknown template 'provenence'; did you mean provenance? (see 'bclm-kg query --list')"
    )


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_template_parses_as_standard_sparql_11(name: str):
    """rdflib's parser knows only SPARQL 1.1: no engine extensions slip into a template."""
    from rdflib.plugins.sparql import prepareQuery

    t = template(name)
    for given in ({}, {p.name: p.example for p in t.params}):
        prepareQuery(t.query(given).with_values())
