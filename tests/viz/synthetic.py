"""Synthetic input for the page: links and context records of any size, no RDF needed."""

from __future__ import annotations

from bclm_kg.viz.context import BCLM, Arm, Context, Report, Term
from bclm_kg.viz.links import Link

DIRECTIONS = ("Favourable", "Unfavourable", "NoAssociation")
DIRECTION_LABELS = {"Favourable": "favourable", "Unfavourable": "unfavourable",
                    "NoAssociation": "no association"}  # fmt: skip


def synthetic(
    modalities: int, factors: int, labels: dict[str, str] | None = None, quote: str = "q"
) -> tuple[list[Link], Context]:
    """``modalities`` modality nodes and ``factors`` factor nodes; factor i links to modality
    i % modalities (and i * 7 % modalities), with directions cycling. ``labels`` overrides the
    labels of terms, e.g. {"M0": "<script>...</script>"}."""
    labels = labels or {}
    terms = {
        BCLM + "Modality": Term(BCLM + "Modality", "treatment modality", "", ()),
        BCLM + "PrognosticFactor": Term(BCLM + "PrognosticFactor", "prognostic factor", "", ()),
    }
    for family in range(4):
        iri = f"{BCLM}Family{family}"
        label = labels.get(f"Family{family}", f"family {family}")
        terms[iri] = Term(iri, label, BCLM + "Modality", ())
    for m in range(modalities):
        iri = f"{BCLM}M{m}"
        terms[iri] = Term(iri, labels.get(f"M{m}", f"modality {m}"), f"{BCLM}Family{m % 4}", ())
    for f in range(factors):
        iri = f"{BCLM}F{f}"
        terms[iri] = Term(iri, labels.get(f"F{f}", f"factor {f}"), BCLM + "PrognosticFactor", ())
    for d, label in DIRECTION_LABELS.items():
        terms[BCLM + d] = Term(BCLM + d, label, "", ())
    terms[BCLM + "Liver"] = Term(BCLM + "Liver", "liver", "", ())
    reports, arms, links = {}, {}, []
    for f in range(factors):
        study = f"{BCLM}data/study/s{f}"
        report = f"{BCLM}data/report/900/s{f}"
        arm = f"{BCLM}data/population/900/s{f}/arm"
        targets = sorted({f % modalities, f * 7 % modalities})
        reports[report] = Report(report, study, f"Author{f}", "2020", "900_synthetic.txt",
                                 "Synthetic 2024 (Test J)")  # fmt: skip
        arms[arm] = Arm(arm, f"arm {f}", report, tuple(f"{BCLM}M{m}" for m in targets),
                        BCLM + "Liver", 10 + f % 50)  # fmt: skip
        for m in targets:
            links.append(Link(
                association=f"{BCLM}data/association/900/s{f}", modality=f"{BCLM}M{m}",
                factor=f"{BCLM}F{f}", level="", threshold="",
                direction=BCLM + DIRECTIONS[f % 3], outcome="overall survival", study=study,
                report=report, source_file="900_synthetic.txt", target_sites=(BCLM + "Liver",),
                arms=(arm,), span="0-1", quote=quote,
            ))  # fmt: skip
    return links, Context(terms=terms, reports=reports, arms=arms)


def synthetic_studies(
    studies: int, modalities: int = 3, factors: int = 4, reviews: int = 30
) -> tuple[list[Link], Context]:
    """``studies`` studies over a fixed vocabulary: study s has one arm of modality
    s % modalities and one association with factor (s // modalities) % factors and direction
    (s // (modalities * factors)) % 3, reported by review s % reviews; so every (modality,
    factor, direction) occurs once studies >= 3 * modalities * factors."""
    terms = synthetic(modalities, factors)[1].terms
    reports, arms, links = {}, {}, []
    for s in range(studies):
        m, f = s % modalities, (s // modalities) % factors
        direction = DIRECTIONS[(s // (modalities * factors)) % 3]
        study, source = f"{BCLM}data/study/t{s}", f"{s % reviews:03d}_review.txt"
        report = f"{BCLM}data/report/{source[:3]}/t{s}"
        arm = f"{BCLM}data/population/{source[:3]}/t{s}/arm"
        reports[report] = Report(report, study, f"Author{s:04d}", "2020", source,
                                 f"Review {s % reviews} 2024")  # fmt: skip
        arms[arm] = Arm(arm, "arm", report, (f"{BCLM}M{m}",), BCLM + "Liver", 20 + s % 30)
        links.append(Link(
            association=f"{BCLM}data/association/t{s}", modality=f"{BCLM}M{m}",
            factor=f"{BCLM}F{f}", level="", threshold="", direction=BCLM + direction,
            outcome="overall survival", study=study, report=report, source_file=source,
            target_sites=(BCLM + "Liver",), arms=(arm,), span="0-1", quote="",
        ))  # fmt: skip
    return links, Context(terms=terms, reports=reports, arms=arms)
