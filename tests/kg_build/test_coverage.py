"""Coverage of the real corpus: every number of every review is curated or ignored with a reason."""

from __future__ import annotations

import yaml

from bclm_kg.kg_build.corpus import load_corpus
from bclm_kg.kg_build.coverage import IGNORE_FILE, coverage, file_coverage, load_ignore_rules
from bclm_kg.kg_build.evidence import evidence_files, load_evidence
from tests.conftest import CORPUS, needs_corpus

# file -> (covered, ignored); uncovered must be 0 everywhere.
EXPECTED = {
    "000_c8aa52b1b2784241.txt": (47, 20),
    "001_c55962c33ca41f6d.txt": (460, 101),
    "002_31baa001dd6ede9c.txt": (0, 6),
    "003_a30510250b3ce168.txt": (147, 75),
    "004_47dc2ef9fc666fcd.txt": (180, 161),
}


@needs_corpus
def test_every_number_of_the_corpus_is_covered_or_ignored():
    results = coverage(load_corpus(CORPUS), load_evidence(evidence_files()), load_ignore_rules())
    uncovered = {r.file: r.uncovered for r in results if r.uncovered}
    assert uncovered == {}
    assert {r.file: (r.covered, r.ignored) for r in results} == EXPECTED


def test_every_ignore_rule_has_a_reason_and_a_valid_pattern():
    rules = load_ignore_rules()
    assert rules
    for rule in rules:
        assert rule.reason.strip(), rule.pattern.pattern
        assert rule.pattern.pattern.strip()
        assert rule.file is None or rule.file.endswith(".txt")


def test_ignore_file_has_only_known_keys():
    raw = yaml.safe_load(IGNORE_FILE.read_text(encoding="utf-8"))
    for entry in raw["rules"]:
        assert set(entry) <= {"pattern", "reason", "file"}, entry
        assert isinstance(entry["reason"], str) and entry["reason"].strip(), entry


def test_a_word_that_contains_tel_does_not_hide_a_number():
    # 'approximately' contains 'tel'; the metadata rule must need a whole word.
    text = "Liver metastases occur in approximately 30% of patients.\n"
    result = file_coverage(text, "x.txt", [], load_ignore_rules())
    assert [number for _, _, number in result.uncovered] == ["30"]


def test_rules_scoped_to_one_file_do_not_apply_to_another():
    text = "A series of patients (10) was treated.\n"
    rules = load_ignore_rules()
    assert any(r.file == "004_47dc2ef9fc666fcd.txt" and r.pattern.search(text) for r in rules)
    other = file_coverage(text, "x.txt", [], rules)
    scoped = file_coverage(text, "004_47dc2ef9fc666fcd.txt", [], rules)
    assert [n for _, _, n in other.uncovered] == ["10"]
    assert scoped.uncovered == [] and scoped.ignored == 1


def test_numbers_inside_a_span_count_as_covered():
    text = "Median OS was 20 months.\n"
    start = text.index("20")
    result = file_coverage(text, "x.txt", [(start, start + len("20 months"))], [])
    assert (result.covered, result.ignored, result.uncovered) == (1, 0, [])
