"""The extractor's parts on invented text: tables, references, mentions, numbers, statements."""

from __future__ import annotations

import ast
from pathlib import Path

from bclm_kg.kg_build.extract import mentions, numbers, prognostic, references, tables

TABLE = (
    "Study\tYear\tn\tTreatment modality\tOS\tOther survival outcomes\tAE rate\n"
    "Smith et al <sup>2</sup>\t2010\t40\tRFA\t30 mo\t1-y OS: 90% 3-y PFS: 20%\t5% major AE\n"
    "Jones et al <sup>1</sup>\t2012\t12\tGlass and resin TARE\t\t6-mo OS: 70%\t"
    "<3% grade 3 and higher AE\n"
)
PIPE = (
    "| Author | Year | n | Modality | OS |\n|---|---|---|---|---|\n"
    "| Lee et al | 2015 | 9 | SBRT | 11 mo |\n"
)
REFS = (
    "Body text.\n\nReferences\n\n"
    "- 1 Jones AB, Other C. A made-up trial. Fake J Med 2012;3:1-9\n"
    "- 2 van Smith D, Roe E. Another invented paper. Imag Res 2010;7(2):10-20\n"
)


def test_tab_table_rows_and_cells() -> None:
    rows = tables.rows(TABLE)
    assert [r.author.text for r in rows] == ["Smith et al <sup>2</sup>", "Jones et al <sup>1</sup>"]
    assert [(r.year.text, r.n.text) for r in rows] == [("2010", "40"), ("2012", "12")]
    values = [
        (v.outcome, v.value, v.unit, v.timepoint, v.timepoint_unit, v.comparator, v.grade_min)
        for role, cell in rows[0].outcome_cells + rows[1].outcome_cells
        for v in tables.cell_values(role, cell)
    ]
    assert values == [
        ("MedianOverallSurvival", "30", "Month", None, None, None, None),
        ("OverallSurvivalRate", "90", "Percent", "1", "Year", None, None),
        ("ProgressionFreeSurvivalRate", "20", "Percent", "3", "Year", None, None),
        ("MajorComplicationRate", "5", "Percent", None, None, None, None),
        ("OverallSurvivalRate", "70", "Percent", "6", "Month", None, None),
        ("AdverseEventRate", "3", "Percent", None, None, "<", 3),
    ]
    assert tables.row_modalities(rows[1].modality) == [
        "GlassMicrosphereRadioembolization",
        "ResinMicrosphereRadioembolization",
    ]


def test_pipe_table() -> None:
    (row,) = tables.rows(PIPE)
    assert (row.author.text, row.n.text, tables.row_modalities(row.modality)) == (
        "Lee et al",
        "9",
        ["StereotacticBodyRadiotherapy"],
    )
    (value,) = [v for r, c in row.outcome_cells for v in tables.cell_values(r, c)]
    assert PIPE[value.start : value.end] == "11 mo"


def test_reference_list() -> None:
    entries = references.parse_references(REFS)
    assert [(e.number, e.first_author, e.year, e.journal) for e in entries.values()] == [
        (1, "Jones", 2012, "Fake J Med"),
        (2, "van Smith", 2010, "Imag Res"),
    ]


def test_mentions_resolve_against_the_list() -> None:
    text = REFS.replace("Body text.", "Smith et al.² saw it; others agree.<sup>1</sup>")
    refs = references.parse_references(text)
    found = mentions.mentions(text, 0, text.index("\n"), refs)
    assert [(m.author, m.reference.number if m.reference else None) for m in found] == [
        ("Smith", 2),
        ("Jones", 1),
    ]


def test_numbers_are_classified() -> None:
    text = (
        "Median overall survival was 21.5 months and the 3-year survival rate 40%; "
        "complete ablation was achieved in 88% of lesions, HR 0.61 (95% CI 0.40-0.90, p=0.02)."
    )
    found = [
        (v.outcome, v.value, v.unit, v.timepoint, v.ci_lower, v.p_value)
        for v in numbers.values(text, 0, len(text))
    ]
    assert found == [
        ("MedianOverallSurvival", "21.5", "Month", None, None, None),
        ("OverallSurvivalRate", "40", "Percent", "3", None, None),
        ("CompleteAblationRate", "88", "Percent", None, None, None),
        ("HazardRatio", "0.61", "Ratio", None, "0.40", "0.02"),
    ]


def test_value_pairs_with_timepoint_lists() -> None:
    text = "It gave 2- and 4-year survival rates of 50 and 25%."
    found = [(v.value, v.timepoint) for v in numbers.values(text, 0, len(text))]
    assert found == [("50", "2"), ("25", "4")]


def test_prognostic_statements() -> None:
    text = "Patients with a lesion size >4 cm had a worse prognosis after ablation."
    (statement,) = prognostic.statements(text, 0, len(text))
    assert (statement.factor, statement.comparator, statement.threshold, statement.unit) == (
        "LesionSize",
        ">",
        "4",
        "Centimetre",
    )
    assert statement.direction == "unfavourable"
    none = "Age did not affect survival."
    assert [s.direction for s in prognostic.statements(none, 0, len(none))] == ["no association"]


def test_extractor_never_imports_curated_evidence() -> None:
    """Only the scorer and the curation commands may read kg_build/evidence."""
    package = Path(tables.__file__).parent
    for module in sorted(package.glob("*.py")):
        if module.stem in ("evaluate", "curate"):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not [
            name
            for name in imported
            if name.endswith("evidence") or ".evaluate" in name or name.endswith("curate")
        ], module.name


def _values(text: str) -> list[tuple]:
    return [
        (v.outcome, v.value, v.value_max, v.timepoint, v.timepoint_unit)
        for v in numbers.values(text, 0, len(text))
    ]


def test_value_lists_ranges_and_timepoints_after() -> None:
    listed = "Its 1-, 3-, and 5-year survival rates came to 91%, 62%, and 40%, respectively."
    assert [(v[1], v[3]) for v in _values(listed)] == [("91", "1"), ("62", "3"), ("40", "5")]
    ranged = "Median survival lay between 8 and 20 months in the pooled series."
    assert _values(ranged) == [("MedianOverallSurvival", "8", "20", None, None)]
    after = "Local control stood at 95% at 6 months and 80% at 2 years."
    assert _values(after) == [
        ("LocalControlRate", "95", None, "6", "Month"),
        ("LocalControlRate", "80", None, "2", "Year"),
    ]


def test_most_specific_outcome_and_confidence_intervals() -> None:
    text = (
        "A partial response rate of 30% and a median PFS of 9.1 months (95% CI: 7.0-11.2 months)."
    )
    assert _values(text) == [
        ("PartialResponseRate", "30", None, None, None),
        ("MedianProgressionFreeSurvival", "9.1", None, None, None),
    ]


def _statements(text: str) -> list[tuple]:
    return [
        (s.factor, s.level, s.comparator, s.threshold, s.unit, s.direction)
        for s in prognostic.statements(text, 0, len(text))
    ]


def test_statement_counts_levels_and_small_sizes() -> None:
    counted = "Two or fewer lesions and ER+ status were positive prognostic factors."
    assert _statements(counted) == [
        ("NumberOfLesions", None, "<=", "2", "Count", "favourable"),
        ("EstrogenReceptorStatus", "EstrogenReceptorPositive", None, None, None, "favourable"),
    ]
    small = "Smaller tumour size correlated with better local control."
    assert _statements(small) == [("LesionSize", None, None, None, None, "unfavourable")]
    sized = "In that series, patients with nodules exceeding 2 cm had reduced survival."
    assert _statements(sized) == [("LesionSize", None, ">", "2", "Centimetre", "unfavourable")]


def test_statement_direction_per_clause_and_reference_groups() -> None:
    text = (
        "Extrahepatic disease went with shorter survival, whereas a positive hormone receptor "
        "status was a favourable factor compared to HER2 negative disease."
    )
    assert _statements(text) == [
        ("ExtrahepaticDisease", None, None, None, None, "unfavourable"),
        ("HormoneReceptorStatus", "HormoneReceptorPositive", None, None, None, "favourable"),
    ]
    levels = "Survival after R0 or R1 resection showed no significant difference."
    assert _statements(levels) == [
        ("ResectionMargin", "NegativeResectionMargin", None, None, None, "no association")
    ]


def test_sentences_across_page_breaks_and_decimals() -> None:
    from bclm_kg.kg_build.extract.text import sentences

    text = (
        "The hazard ratio was 0.55 (0.30-0.90) in favour of it. The median was\n\n14 months here."
    )
    found = [text[s.start : s.end].strip() for s in sentences(text)]
    assert found == [
        "The hazard ratio was 0.55 (0.30-0.90) in favour of it.",
        "The median was\n\n14 months here.",
    ]


def test_wrapped_reference_line_is_not_an_entry() -> None:
    text = (
        REFS.replace(
            "- 2 van Smith",
            "- in a second line of the first entry\n- Plus its title.\n- 2 van Smith",
        )
        .replace("- 1 ", "- ")
        .replace("- 2 ", "- ")
    )
    entries = references.parse_references(text)
    assert [(e.number, e.first_author) for e in entries.values()] == [
        (1, "Jones"),
        (2, "van Smith"),
    ]


def test_survival_percentages_need_a_timepoint_and_lists_continue() -> None:
    text = "They reported 30 and 12 months survival with 40% and 25% response, respectively."
    assert [(v[0], v[1]) for v in _values(text)] == [
        ("MedianOverallSurvival", "30"),
        ("MedianOverallSurvival", "12"),
        ("ResponseOutcome", "40"),
        ("ResponseOutcome", "25"),
    ]
    arms = "The 1-year PFS rates were 64% (first arm) and 58% (second arm)."
    assert [(v[0], v[1], v[3]) for v in _values(arms)] == [
        ("ProgressionFreeSurvivalRate", "64", "1"),
        ("ProgressionFreeSurvivalRate", "58", "1"),
    ]
    paired = "It gave median and mean survival times of 9.5 and 15 months."
    assert [(v[0], v[1]) for v in _values(paired)] == [
        ("MedianOverallSurvival", "9.5"),
        ("MeanOverallSurvival", "15"),
    ]


def test_clause_without_outcome_phrase_and_follow_up() -> None:
    text = "Responses were higher and PFS longer with it (52% vs. 31%; 8.1 vs. 5.5 months)."
    assert [(v[0], v[1]) for v in _values(text)][2:] == [
        ("MedianProgressionFreeSurvival", "8.1"),
        ("MedianProgressionFreeSurvival", "5.5"),
    ]
    status = "After a 20-month follow-up, 5 patients (50%) had no evidence of disease."
    assert _values(status) == [("NoEvidenceOfDiseaseRate", "50", None, "20", "Month")]


def test_respectively_gives_each_cited_study_its_value() -> None:
    from bclm_kg.kg_build.extract.draft import extract

    review = (
        "# A made-up review\n\nTwo series gave 40 and 22 months overall survival, "
        "respectively.^{1,2}\n\nReferences\n\n"
        "- 1 Jones AB, Other C. A made-up trial. Fake J Med 2012;3:1-9\n"
        "- 2 Smith D, Roe E. Another invented paper. Imag Res 2010;7(2):10-20\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.txt"
        path.write_text(review, encoding="utf-8")
        draft = extract(path)
    found = {
        (report["study"].split("-")[0], m["value"])
        for report in draft["reports"]
        for arm in report.get("arms", [])
        for m in arm["measurements"]
    }
    assert found == {("jones", 40), ("smith", 22)}


def test_events_that_did_not_happen_and_new_outcome_phrases() -> None:
    none = "There were no early deaths or major complications after the procedure."
    assert [(v[0], v[1]) for v in _values(none)] == [
        ("TreatmentRelatedMortality", "0"),
        ("MajorComplicationRate", "0"),
    ]
    almost = "Almost no complications were seen."
    assert _values(almost) == []
    recurrence = "Relapses were found at a mean interval of 14 months after surgery."
    assert _values(recurrence) == [("MeanTimeToRecurrence", "14", None, None, None)]
    share = "Liver failure causes 12% of the deaths in this disease."
    assert _values(share) == []
    graded = "The device is tied to less than 8% grade 3 and higher adverse events."
    assert _values(graded) == [("AdverseEventRate", "8", None, None, None)]


def test_statement_phrasings_feasible_and_back_references() -> None:
    feasible = "Ablation is not feasible when the lesion exceeds 4 cm."
    assert _statements(feasible) == [("LesionSize", None, ">", "4", "Centimetre", "unfavourable")]
    back = (
        "A nodule larger than 2 cm was a negative prognostic factor for local control, "
        "but this did not affect overall survival."
    )
    assert _statements(back) == [
        ("LesionSize", None, ">", "2", "Centimetre", "unfavourable"),
        ("LesionSize", None, ">", "2", "Centimetre", "no association"),
    ]
    shared = "Node negativity was a favourable prognostic factor."
    assert _statements(shared) == [
        ("AxillaryNodalStatus", "AxillaryNodeNegative", None, None, None, "favourable")
    ]


def test_latex_superscript_citations() -> None:
    text = REFS.replace("Body text.", "Two series agree.^{1,2} More text.")
    marks = mentions.citation_marks(text, 0, text.index("More"), 2)
    assert [numbers for _, _, numbers in marks] == [[1, 2]]
