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
