"""The typed schema of curated evidence files (one YAML file per source document).

The models check structure, types and vocabulary: every modality, outcome type, unit,
factor and criteria id must be a term of the ontology (``ontology/terms.yaml``). Value
ranges (n >= 1, percentages within 0-100, plausible years) are checked once, on the
built graph, by the SHACL shapes in ``shapes.py``, so that any producer of the graph
is held to the same rules.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..ontology.vocab import UnknownTermError, vocabulary

SPAN_PATTERN = re.compile(r"^(\d+)-(\d+):([0-9a-f]{10})$")
RECORD_ID = r"^[a-z0-9][a-z0-9.-]*$"


class Span(BaseModel):
    """Character offsets ``[start, end)`` into a corpus file and a short hash of the text."""

    model_config = ConfigDict(frozen=True)
    start: int
    end: int
    sha: str

    def __str__(self) -> str:
        return f"{self.start}-{self.end}:{self.sha}"


def _parse_span(raw: Any) -> Any:
    if isinstance(raw, Span | dict):
        return raw
    match = SPAN_PATTERN.match(str(raw))
    if not match:
        raise ValueError(f"span '{raw}' is not START-END:HASH (10 lowercase hex digits)")
    start, end = int(match[1]), int(match[2])
    if end <= start:
        raise ValueError(f"span '{raw}' ends before it starts")
    return {"start": start, "end": end, "sha": match[3]}


SpanField = Annotated[Span, BeforeValidator(_parse_span)]


def _term_under(root: str, what: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        try:
            vocabulary().require(str(value), root, what)
        except UnknownTermError as error:
            raise ValueError(str(error)) from None
        return value

    return BeforeValidator(check)


def _individual_of(class_id: str, what: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        try:
            vocabulary().require_individual(str(value), class_id, what)
        except UnknownTermError as error:
            raise ValueError(str(error)) from None
        return value

    return BeforeValidator(check)


ModalityId = Annotated[str, _term_under("Modality", "modality")]
OutcomeId = Annotated[str, _term_under("OutcomeType", "outcome type")]
FactorId = Annotated[str, _term_under("PrognosticFactor", "prognostic factor")]
DesignId = Annotated[str, _term_under("Study", "study design")]
AdverseEventId = Annotated[str, _term_under("AdverseEvent", "adverse event type")]
UnitId = Annotated[str, _individual_of("UnitOfMeasure", "unit")]
CriteriaId = Annotated[str, _individual_of("ResponseCriteria", "response criteria")]
SiteId = Annotated[str, _individual_of("AnatomicSite", "anatomic site")]
BiomarkerId = Annotated[str, _individual_of("BiomarkerStatus", "biomarker status")]
FactorValueId = Annotated[str, _individual_of("FactorLevel", "factor value")]
MolecularFactorId = Annotated[str, _individual_of("MolecularFactor", "molecular factor")]
MetastaticStepId = Annotated[str, _individual_of("MetastaticStep", "metastatic step")]
ComparatorSymbol = Literal["<", "<=", ">", ">=", "="]
Direction = Literal["favourable", "unfavourable", "no association"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Draftable(_Record):
    """A record that ``bclm-kg extract`` may write as a draft for a curator to review.

    ``draft: true`` marks a machine-extracted record and ``confidence`` (0 to 1) says how
    sure the extractor was. Curated files never carry them: ``bclm-kg curate accept`` drops
    both when it moves a record into an evidence file, and the build refuses drafts.
    """

    draft: bool | None = None
    confidence: Decimal | None = Field(default=None, ge=0, le=1)


class Measurement(_Draftable):
    """One value of one outcome, as the source prints it."""

    id: str | None = Field(default=None, pattern=RECORD_ID)
    outcome: OutcomeId
    value: Decimal
    value_max: Decimal | None = None
    comparator: ComparatorSymbol | None = None
    unit: UnitId
    timepoint: Decimal | None = None
    timepoint_max: Decimal | None = None
    timepoint_unit: UnitId | None = None
    grade_min: int | None = None
    grade_max: int | None = None
    response_criteria: CriteriaId | None = None
    adverse_event: AdverseEventId | None = None
    ci_lower: Decimal | None = None
    ci_upper: Decimal | None = None
    p_value: Decimal | None = None
    p_comparator: ComparatorSymbol | None = None
    span: SpanField
    note: str | None = None

    @model_validator(mode="after")
    def _timepoint_has_unit(self) -> Measurement:
        if self.timepoint is not None and self.timepoint_unit is None:
            raise ValueError("timepoint is given without timepoint_unit")
        return self


class Subgroup(_Record):
    """A part of an arm selected by a characteristic, e.g. lesions < 3 cm."""

    id: str = Field(pattern=RECORD_ID)
    label: str
    n: int | None = None
    n_span: SpanField | None = None
    biomarkers: tuple[BiomarkerId, ...] = ()
    measurements: tuple[Measurement, ...] = ()


class Arm(_Draftable):
    """A cohort that received one treatment regimen."""

    id: str = Field(pattern=RECORD_ID)
    label: str | None = None
    modality: tuple[ModalityId, ...] = Field(min_length=1)
    modality_span: SpanField | None = None
    n: int | None = None
    n_span: SpanField | None = None
    site: SiteId = "Liver"
    response_criteria: CriteriaId | None = None
    criteria_span: SpanField | None = None
    biomarkers: tuple[BiomarkerId, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    subgroups: tuple[Subgroup, ...] = ()

    @field_validator("modality", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Association(_Draftable):
    """A prognostic statement: factor (and threshold), direction, outcome affected."""

    id: str | None = Field(default=None, pattern=RECORD_ID)
    factor: FactorId
    factor_value: FactorValueId | None = None
    comparator: ComparatorSymbol | None = None
    threshold: Decimal | None = None
    unit: UnitId | None = None
    direction: Direction
    outcome: OutcomeId | None = None
    arm: str | None = None
    p_value: Decimal | None = None
    p_comparator: ComparatorSymbol | None = None
    span: SpanField
    note: str | None = None


class Report(_Draftable):
    """One source document's account of one study."""

    id: str = Field(pattern=RECORD_ID)
    study: str = Field(pattern=RECORD_ID)
    reference: int | None = None
    reported_year: int | None = None
    spans: tuple[SpanField, ...] = Field(min_length=1)
    note: str | None = None
    arms: tuple[Arm, ...] = ()
    associations: tuple[Association, ...] = ()


class Mechanism(_Record):
    """A source's statement that a molecular factor acts in a metastatic step or is targeted.

    Biology sections name factors without a study behind them, so a mechanism belongs to the
    source document, not to a study report.
    """

    id: str = Field(pattern=RECORD_ID)
    factor: MolecularFactorId
    steps: tuple[MetastaticStepId, ...] = ()
    targeted_by: tuple[ModalityId, ...] = ()
    span: SpanField
    note: str | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Mechanism:
        if not self.steps and not self.targeted_by:
            raise ValueError("a mechanism needs steps, targeted_by or both")
        return self


class Study(_Draftable):
    """A study's bibliographic identity, taken from a reference list."""

    id: str = Field(pattern=RECORD_ID)
    first_author: str
    year: int | None = None  # None only when the source prints no year and has no reference list
    journal: str | None = None
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    design: DesignId | None = None
    design_span: SpanField | None = None
    reference_span: SpanField | None = None


class Source(_Record):
    """The review article the file was curated from."""

    file: str = Field(pattern=r"^[\w.-]+\.txt$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    first_author: str
    year: int
    # A title the text itself prints is pointed to (title_span), not copied; the build
    # quotes it from the corpus. A short title the text does not print may be written out.
    title: str | None = None
    title_span: SpanField | None = None
    journal: str
    citation: str
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")

    @model_validator(mode="after")
    def _has_a_title(self) -> Source:
        if (self.title is None) == (self.title_span is None):
            raise ValueError("give exactly one of title and title_span")
        return self


class EvidenceFile(_Record):
    """The whole content of one evidence file."""

    source: Source
    studies: tuple[Study, ...] = ()
    reports: tuple[Report, ...] = ()
    mechanisms: tuple[Mechanism, ...] = ()
