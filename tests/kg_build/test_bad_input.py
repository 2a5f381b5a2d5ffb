"""Bad input fails with one message naming file, record and field, and writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bclm_kg.kg_build.build import build_graph
from bclm_kg.kg_build.errors import EvidenceError
from tests.conftest import REPO, fixture_evidence, write_evidence


def _fails(fixture_dirs: tuple[Path, Path], data: dict) -> str:
    evidence, corpus = fixture_dirs
    write_evidence(evidence, data)
    with pytest.raises(EvidenceError) as info:
        build_graph(evidence, corpus, reasoner="none")
    return str(info.value)


def _arm(data: dict) -> dict:
    return data["reports"][0]["arms"][0]


def test_malformed_yaml(fixture_dirs: tuple[Path, Path]):
    evidence, corpus = fixture_dirs
    (evidence / "fixture.yaml").write_text("source: [unclosed\nreports: {}\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        build_graph(evidence, corpus, reasoner="none")
    assert str(info.value) == (
        "fixture.yaml: malformed YAML at line 2, column 8: expected ',' or ']', but got ':'"
    )


def test_unknown_modality(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    _arm(data)["modality"] = ["RFA"]
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm', field 'modality[0]': unknown modality 'RFA'; "
        "did you mean RadiofrequencyAblation?"
    )


def test_unknown_outcome_type_suggests_the_right_one(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    _arm(data)["measurements"][0]["outcome"] = "MedianOverallSurvivl"
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm/m1', field 'outcome': unknown outcome type "
        "'MedianOverallSurvivl'; did you mean MedianOverallSurvival, MeanOverallSurvival, "
        "OverallSurvivalRate?"
    )


def test_missing_field(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    del _arm(data)["measurements"][1]["unit"]
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm/m2', field 'unit': missing required field"
    )


def test_unknown_field_is_a_typo_not_ignored(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    _arm(data)["sample_size"] = 12
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm', field 'sample_size': "
        "unknown field (not in the evidence schema)"
    )


def test_negative_n(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    _arm(data)["n"] = -5
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm', field 'n': SHACL: expected at most 1 value, "
        "of type xsd:integer, from 1 to 1000000 (value -5)"
    )


def test_percent_over_100(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    _arm(data)["measurements"][1]["value"] = 145
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm/m2', field 'value': SHACL: a percentage must lie "
        "between 0 and 100, got 145"
    )


def test_implausible_year(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    data["studies"][0]["year"] = 1820
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'doe-2020-test-j', field 'year': SHACL: expected at most 1 value, "
        "of type xsd:integer, from 1950 to 2035 (value 1820)"
    )


def test_span_that_does_not_hash(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    span = _arm(data)["measurements"][0]["span"]
    _arm(data)["measurements"][0]["span"] = span[:-10] + "0123456789"
    message = _fails(fixture_dirs, data)
    offsets = span.split(":")[0]
    assert message == (
        f"fixture.yaml: record 'r1/arm/m1', field 'span': span {offsets}:0123456789 does not "
        f"match 900_fixture.txt: the text there hashes to {span.split(':')[1]}"
    )


def test_malformed_span(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    _arm(data)["n_span"] = "12-10:abc"
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1/arm', field 'n_span': span '12-10:abc' is not START-END:HASH "
        "(10 lowercase hex digits)"
    )


def test_report_of_an_undeclared_study(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    data["reports"][0]["study"] = "nobody-1999"
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml: record 'r1', field 'study': no study 'nobody-1999' is declared"
    )


def test_cli_exits_non_zero_and_leaves_previous_output_untouched(
    fixture_dirs: tuple[Path, Path], tmp_path: Path
):
    evidence, corpus = fixture_dirs
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "bclm-kg.ttl"
    previous.write_text("previous build\n", encoding="utf-8")
    data = fixture_evidence()
    _arm(data)["n"] = -5
    write_evidence(evidence, data)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bclm_kg",
            "build",
            "--out",
            str(out),
            "--evidence",
            str(evidence),
            "--corpus",
            str(corpus),
            "--reasoner",
            "none",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: fixture.yaml: record 'r1/arm', field 'n': SHACL:")
    assert previous.read_text(encoding="utf-8") == "previous build\n"
    assert sorted(p.name for p in out.iterdir()) == ["bclm-kg.ttl"]


def test_one_study_declared_with_two_identities(fixture_dirs: tuple[Path, Path]):
    evidence, _ = fixture_dirs
    other = fixture_evidence()
    other["source"]["file"] = "901_other.txt"
    other["studies"][0]["year"] = 2021
    write_evidence(evidence, other, name="other.yaml")
    with pytest.raises(EvidenceError) as info:
        build_graph(evidence, use_corpus=False, reasoner="none")
    assert str(info.value) == (
        "other.yaml: record 'doe-2020-test-j', field 'year': fixture.yaml declares this study "
        "with year 2020, here 2021"
    )


def test_one_study_declared_by_two_files_with_own_spans_is_fine(fixture_dirs: tuple[Path, Path]):
    evidence, _ = fixture_dirs
    other = fixture_evidence()
    other["source"]["file"] = "901_other.txt"
    other["studies"][0]["reference_span"] = "0-7:0123456789"
    write_evidence(evidence, other, name="other.yaml")
    _graph, summary = build_graph(evidence, use_corpus=False, reasoner="none")
    assert summary.counts["Study"] == 1
    assert summary.counts["StudyReport"] == 2


def test_source_needs_exactly_one_of_title_and_title_span(fixture_dirs: tuple[Path, Path]):
    data = fixture_evidence()
    data["source"]["title_span"] = data["reports"][0]["spans"][0]
    assert _fails(fixture_dirs, data) == (
        "fixture.yaml, field 'source': give exactly one of title and title_span"
    )
