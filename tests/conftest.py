"""Shared fixtures: the real build (with the corpus in ../shared/corpus) and a tiny fixture."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml

from bclm_kg.kg_build.build import BuildResult, build
from bclm_kg.kg_build.corpus import span_hash
from bclm_kg.kg_build.reasoning import java_available

REPO = Path(__file__).resolve().parent.parent
# As the command line finds it: $BCLM_CORPUS, else ../shared/corpus.
CORPUS = Path(os.environ.get("BCLM_CORPUS") or REPO.parent / "shared" / "corpus")
TABLE_FILE = "001_c55962c33ca41f6d.txt"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java 17")

# Our own words for the fixture corpus: a made-up cohort description.
FIXTURE_TEXT = (
    "Fixture review. Cohort A was ER-negative, PR-negative and HER2-negative (n = 12); "
    "median OS was 20 months; 2-year OS 45%. Cohort B was ER-positive, PR-positive, "
    "HER2-negative with low Ki-67 (n = 30).\n"
)
FIXTURE_FILE = "900_fixture.txt"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real graph, built once per test session with the corpus."""
    if not CORPUS.is_dir():
        pytest.skip("needs ../shared/corpus")
    out = tmp_path_factory.mktemp("build")
    return build(out, corpus_dir=CORPUS, log=lambda _: None)


def span_of(text: str, needle: str) -> str:
    start = FIXTURE_TEXT.index(needle)
    end = start + len(needle)
    return f"{start}-{end}:{span_hash(text[start:end])}"


def fixture_evidence() -> dict:
    """A small, valid evidence file about the fixture corpus (as plain data to mutate)."""
    t = FIXTURE_TEXT
    return {
        "source": {
            "file": FIXTURE_FILE,
            "sha256": hashlib.sha256(t.encode()).hexdigest(),
            "first_author": "Fixture",
            "year": 2024,
            "title": "Fixture review",
            "journal": "Test J",
            "citation": "Fixture A. Fixture review. Test J 2024",
        },
        "studies": [
            {"id": "doe-2020-test-j", "first_author": "Doe", "year": 2020, "journal": "Test J"}
        ],
        "reports": [
            {
                "id": "r1",
                "study": "doe-2020-test-j",
                "spans": [span_of(t, "Cohort A")],
                "arms": [
                    {
                        "id": "arm",
                        "modality": ["RadiofrequencyAblation"],
                        "n": 12,
                        "n_span": span_of(t, "n = 12"),
                        "biomarkers": [
                            "EstrogenReceptorNegative",
                            "ProgesteroneReceptorNegative",
                            "HER2Negative",
                        ],
                        "measurements": [
                            {
                                "outcome": "MedianOverallSurvival",
                                "value": 20,
                                "unit": "Month",
                                "span": span_of(t, "median OS was 20 months"),
                            },
                            {
                                "outcome": "OverallSurvivalRate",
                                "value": 45,
                                "unit": "Percent",
                                "timepoint": 2,
                                "timepoint_unit": "Year",
                                "span": span_of(t, "2-year OS 45%"),
                            },
                        ],
                    },
                    {
                        "id": "luminal",
                        "modality": "MicrowaveAblation",
                        "n": 30,
                        "biomarkers": [
                            "EstrogenReceptorPositive",
                            "ProgesteroneReceptorPositive",
                            "HER2Negative",
                            "Ki67Low",
                        ],
                    },
                ],
            }
        ],
    }


@pytest.fixture
def fixture_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(evidence dir, corpus dir) holding the fixture; tests overwrite fixture.yaml."""
    evidence, corpus = tmp_path / "evidence", tmp_path / "corpus"
    evidence.mkdir()
    corpus.mkdir()
    (corpus / FIXTURE_FILE).write_text(FIXTURE_TEXT, encoding="utf-8")
    write_evidence(evidence, fixture_evidence())
    return evidence, corpus


def write_evidence(directory: Path, data: dict, name: str = "fixture.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
