"""The README's mapping table is a rendering of the SSSOM set, never a second copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bclm_kg.cli import app
from bclm_kg.ontology.mapping_table import (
    BEGIN,
    END,
    ReadmeMarkerError,
    markdown_table,
    readme_section,
    unmapped_table,
    with_table,
)
from bclm_kg.ontology.mappings import COLUMNS, mapping_set, parse_mapping_set
from bclm_kg.ontology.vocab import vocabulary

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = (
    "# curie_map:\n#   bclm: https://w3id.org/bclm-kg/\n"
    "#   NCIT: http://purl.obolibrary.org/obo/NCIT_\n"
)
CURATED = "semapv:ManualMappingCuration"
COLUMN_LINE = "\t".join(COLUMNS) + "\n"


def test_readme_shows_exactly_the_rendered_tables():
    readme = README.read_text(encoding="utf-8")
    assert with_table(readme, readme_section(mapping_set(), vocabulary())) == readme


def test_rows_are_grouped_by_term_and_pipes_escaped():
    text = (
        HEADER
        + COLUMN_LINE
        + (
            f"bclm:B\tb\tskos:closeMatch\tNCIT:C2\tTwo | Three\t{CURATED}\t0.8\tx\n"
            f"bclm:A\ta\tskos:exactMatch\tNCIT:C9\tNine\t{CURATED}\t0.9\tx\n"
            f"bclm:B\tb\tskos:broadMatch\tNCIT:C1\tOne\t{CURATED}\t0.8\tx\n"
        )
    )
    table = markdown_table(parse_mapping_set(text))
    assert table.splitlines()[0].startswith("3 verified mappings for 2 terms ")
    assert table.splitlines()[4:] == [
        "| `bclm:A` | a | exact `NCIT:C9` Nine |",
        "| `bclm:B` | b | broad `NCIT:C1` One; close `NCIT:C2` Two \\| Three |",
    ]


def test_missing_markers_are_named():
    with pytest.raises(ReadmeMarkerError) as error:
        with_table("# README\n", "table\n")
    assert str(error.value) == f"the README needs the lines {BEGIN.strip()} and {END.strip()}"


def test_cli_rewrites_only_the_marked_part(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{BEGIN}stale\n{END}outro\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["mappings", "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    assert readme.read_text(encoding="utf-8") == (
        f"intro\n{BEGIN}{readme_section(mapping_set(), vocabulary())}{END}outro\n"
    )


def test_cli_fails_without_markers_and_leaves_the_file(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text("no markers\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["mappings", "--readme", str(readme)])
    assert result.exit_code == 1
    assert "error: the README needs the lines" in result.output
    assert readme.read_text(encoding="utf-8") == "no markers\n"


def test_unmapped_concepts_are_listed_by_hierarchy_without_modelling_terms():
    table = unmapped_table(mapping_set(), vocabulary())
    lines = table.splitlines()
    assert lines[0].startswith("165 concepts have no verified code yet ")
    assert (
        "| response criteria (6) | PERCIST, RECIST, RECIST 1.1, WHO, mRECIST, response criteria |"
        in lines
    )
    assert "| anatomic site (2) | any metastatic site, several organs |" in lines
    mapped_labels = {m.subject_label for m in mapping_set().mappings}
    listed = {
        label for line in lines[4:] for label in line.split(" | ")[1].rstrip(" |").split(", ")
    }
    assert not listed & mapped_labels
    assert not listed & {"study report", "study arm", "evidence span", "report conflict"}
    assert sum(int(line.split("(")[1].split(")")[0]) for line in lines[4:]) == 165
