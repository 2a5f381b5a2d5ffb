from __future__ import annotations

import pytest

from bclm_kg.ontology.vocab import UnknownTermError, parse_vocabulary, vocabulary


def test_every_term_has_a_label_and_a_definition_of_our_own():
    for term in vocabulary().terms.values():
        assert term.label.strip(), term.id
        assert len(term.definition) >= 10, term.id


def test_term_counts_by_kind():
    counts = {
        kind: len(list(vocabulary().of_kind(kind)))
        for kind in ("class", "individual", "object_property", "data_property")
    }
    assert counts == {"class": 233, "individual": 82, "object_property": 32, "data_property": 26}


def test_labels_are_unique():
    labels = [t.label.lower() for t in vocabulary().terms.values()]
    assert len(labels) == len(set(labels))


def test_modality_hierarchy_covers_the_reviewed_treatments():
    thermal = vocabulary().subclasses("ThermalAblation")
    assert thermal == [
        "ThermalAblation",
        "RadiofrequencyAblation",
        "StereotacticRadiofrequencyAblation",
        "MicrowaveAblation",
        "LaserInducedInterstitialThermotherapy",
        "Cryoablation",
    ]
    assert vocabulary().subclasses("TransarterialRadioembolization") == [
        "TransarterialRadioembolization",
        "ResinMicrosphereRadioembolization",
        "GlassMicrosphereRadioembolization",
        "RadiationSegmentectomy",
    ]
    assert vocabulary().is_a("Alpelisib", "SystemicTherapy")
    assert not vocabulary().is_a("Alpelisib", "Ablation")


def test_unknown_modality_suggests_close_ids():
    with pytest.raises(UnknownTermError) as info:
        vocabulary().require("RadiofrequencyAblaton", "Modality", "modality")
    assert str(info.value) == (
        "unknown modality 'RadiofrequencyAblaton'; did you mean RadiofrequencyAblation, "
        "StereotacticRadiofrequencyAblation?"
    )


def test_a_term_outside_the_branch_is_rejected():
    with pytest.raises(UnknownTermError, match="unknown outcome type 'RadiofrequencyAblation'"):
        vocabulary().require("RadiofrequencyAblation", "OutcomeType", "outcome type")


def test_term_table_rejects_a_dangling_parent():
    text = (
        "ontology: x\nbase: https://e.org/\nversion: 1\nclasses:\n"
        "  - {id: A, parent: Nope, label: a, definition: d}\n"
    )
    with pytest.raises(ValueError, match="term 'A' refers to unknown class 'Nope'"):
        parse_vocabulary(text)


def test_term_table_rejects_a_duplicate_id():
    text = (
        "ontology: x\nbase: https://e.org/\nversion: 1\nclasses:\n"
        "  - {id: A, label: a, definition: d}\n  - {id: A, label: b, definition: d}\n"
    )
    with pytest.raises(ValueError, match="term 'A' is defined twice"):
        parse_vocabulary(text)
