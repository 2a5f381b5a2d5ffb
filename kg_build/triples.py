"""Turn validated evidence into RDF triples under the data namespace.

Every node gets a readable IRI built from record ids (``bclmd:population/001/t1-adam-2006-
ref4/resection``), and ``RecordIndex`` remembers which file and record each node came
from, so that a SHACL violation found later can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from rdflib import RDF, RDFS, Graph

from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary
from .corpus import Corpus
from .evidence import Evidence, association_id, measurement_id
from .ntriples import TripleList
from .schema import (
    Arm,
    Association,
    EvidenceFile,
    Measurement,
    Mechanism,
    Report,
    Source,
    Span,
    Study,
    Subgroup,
)
from .terms import RDFLIB, TermCache, Terms

DATA = PREFIXES["bclmd"]


def study_path(study_id: str) -> str:
    """Where a study's node lives under the data namespace (one place: the streaming build
    names studies by it too)."""
    return f"study/{study_id}"


T = TypeVar("T")
COMPARATORS = {
    "<": "LessThan",
    "<=": "LessThanOrEqual",
    ">": "GreaterThan",
    ">=": "GreaterThanOrEqual",
    "=": "EqualTo",
}
DIRECTIONS = {
    "favourable": "Favourable",
    "unfavourable": "Unfavourable",
    "no association": "NoAssociation",
}


def source_key(file: str) -> str:
    """The short key of a corpus file in IRIs: its leading number, e.g. ``001``."""
    return file.split("_", 1)[0]


@dataclass
class RecordIndex:
    """Where each node came from: node IRI (as text) -> (evidence file, record path)."""

    origin: dict[str, tuple[str, str]] = field(default_factory=dict)

    def note(self, iri: str, file: str, record: str) -> None:
        self.origin.setdefault(iri, (file, record))


class TripleSink(Protocol[T]):
    """Where the writer puts triples: an rdflib graph, or a ``TripleList``."""

    def add(self, triple: tuple[T, T, T], /) -> object: ...


class _Writer(Generic[T]):
    """Adds the triples of one evidence file to a sink, making terms with ``terms``."""

    def __init__(
        self,
        graph: TripleSink[T],
        index: RecordIndex,
        evidence: Evidence,
        corpus: Corpus | None,
        terms: Terms[T],
    ):
        self.g, self.index, self.name = graph, index, evidence.name
        self.source = evidence.content.source
        self.key = source_key(self.source.file)
        self.quotes = corpus is not None
        self.corpus = corpus
        self.v = vocabulary()
        self.terms, self.iris = terms, TermCache(terms)
        self.type = self.iris.iri(str(RDF.type))
        self.label = self.iris.iri(str(RDFS.label))
        self.see_also = self.iris.iri(str(RDFS.seeAlso))

    def t(self, term_id: str) -> T:
        """The term of an ontology class, property or individual."""
        return self.iris.iri(self.v.iri(term_id))

    def link(self, subject: T, predicate: str, obj: T | None) -> None:
        """Add one triple whose object is an IRI term, unless it is None."""
        if obj is not None:
            self.g.add((subject, self.t(predicate), obj))

    def refer(self, subject: T, predicate: str, term_id: str | None) -> None:
        """Add one triple whose object is the ontology term ``term_id``, unless it is None."""
        if term_id is not None:
            self.g.add((subject, self.t(predicate), self.t(term_id)))

    def add(self, subject: T, predicate: str, value: object) -> None:
        """Add one triple unless ``value`` is None; plain values become typed literals.

        IRI objects go through ``link`` or ``refer``: as N-Triples text an IRI term is a
        ``str`` like any string value, so ``add`` could not tell them apart.
        """
        if value is None:
            return
        if isinstance(value, bool):
            raise TypeError("booleans are not used in the graph")
        elif isinstance(value, int):
            obj = self.terms.integer(value)
        elif isinstance(value, Decimal):
            obj = self.terms.decimal(value)
        else:
            obj = self.terms.literal(str(value))
        self.g.add((subject, self.t(predicate), obj))

    def labelled(self, subject: T, label: str) -> None:
        """The node's rdfs:label."""
        self.g.add((subject, self.label, self.terms.literal(label)))

    def data(self, path: str) -> T:
        """The term of a node under the data namespace."""
        return self.terms.iri(DATA + path)

    def node(self, path: str, record: str, *types: str) -> T:
        self.index.note(DATA + path, self.name, record)
        subject = self.data(path)
        for type_id in types:
            self.g.add((subject, self.type, self.t(type_id)))
        return subject

    def span(self, owner: T, span: Span | None, record: str) -> None:
        if span is None:
            return
        node = self.node(f"span/{self.key}/{span.start}-{span.end}", record, "EvidenceSpan")
        self.link(node, "inDocument", self.source_node())
        self.add(node, "spanStart", span.start)
        self.add(node, "spanEnd", span.end)
        self.add(node, "spanHash", span.sha)
        if self.corpus is not None:
            self.add(node, "quote", self.corpus.quote(self.source.file, span.start, span.end))
        self.link(owner, "hasEvidence", node)

    def source_node(self) -> T:
        return self.data(f"source/{self.key}")

    def write(self, content: EvidenceFile) -> None:
        self.write_source(self.source)
        for study in content.studies:
            self.write_study(study)
        for report in content.reports:
            self.write_report(report)
        for mechanism in content.mechanisms:
            self.write_mechanism(mechanism)

    def write_source(self, source: Source) -> None:
        node = self.node(f"source/{self.key}", "source", "SourceDocument")
        self.labelled(node, f"{source.first_author} {source.year} ({source.journal})")
        for prop, value in (
            ("title", self.title(source)),
            ("journal", source.journal),
            ("publicationYear", source.year),
            ("citation", source.citation),
            ("fileName", source.file),
            ("sha256", source.sha256),
            ("firstAuthor", source.first_author),
        ):
            self.add(node, prop, value)
        self.add_doi(node, source.doi)
        self.span(node, source.title_span, "source")

    def title(self, source: Source) -> str | None:
        """The title as written out, or quoted from the corpus at its span (None without)."""
        if source.title is not None or source.title_span is None or self.corpus is None:
            return source.title
        return self.corpus.quote(source.file, source.title_span.start, source.title_span.end)

    def add_doi(self, node: T, doi: str | None) -> None:
        """The DOI as printed (bclm:doi) and as a resolvable IRI (rdfs:seeAlso)."""
        if doi is not None:
            self.add(node, "doi", doi)
            self.g.add((node, self.see_also, self.terms.iri(f"https://doi.org/{doi}")))

    def write_study(self, study: Study) -> None:
        node = self.node(study_path(study.id), study.id, study.design or "Study")
        venue = f" ({study.journal})" if study.journal else ""
        year = study.year or "(year not printed)"
        self.labelled(node, f"{study.first_author} {year}{venue}")
        self.add(node, "firstAuthor", study.first_author)
        self.add(node, "publicationYear", study.year)
        self.add(node, "journal", study.journal)
        self.add_doi(node, study.doi)
        self.span(node, study.reference_span, study.id)
        self.span(node, study.design_span, study.id)

    def write_report(self, report: Report) -> None:
        path = f"report/{self.key}/{report.id}"
        node = self.node(path, report.id, "StudyReport")
        self.labelled(node, f"{report.id} in {self.source.file}")
        self.link(node, "reportsStudy", self.data(study_path(report.study)))
        self.link(node, "reportedIn", self.source_node())
        self.add(node, "referenceNumber", report.reference)
        self.add(node, "reportedYear", report.reported_year)
        self.add(node, "curatorNote", report.note)
        for span in report.spans:
            self.span(node, span, report.id)
        arms = {arm.id: self.write_arm(report, node, arm) for arm in report.arms}
        for index, association in enumerate(report.associations):
            self.write_association(report, node, arms, association, index)

    def write_arm(self, report: Report, report_node: T, arm: Arm) -> T:
        record = f"{report.id}/{arm.id}"
        node = self.node(f"population/{self.key}/{record}", record, "StudyArm")
        self.labelled(node, arm.label or arm.id)
        self.link(node, "populationOf", report_node)
        for modality in arm.modality:
            self.refer(node, "hasModality", modality)
        self.add(node, "sampleSize", arm.n)
        self.refer(node, "targetSite", arm.site)
        self.refer(node, "responseCriteria", arm.response_criteria)
        for status in arm.biomarkers:
            self.refer(node, "hasBiomarkerStatus", status)
        for span in (arm.modality_span, arm.n_span, arm.criteria_span):
            self.span(node, span, record)
        self.write_measurements(node, record, arm.measurements)
        for group in arm.subgroups:
            self.write_subgroup(report_node, node, record, group)
        return node

    def write_subgroup(self, report_node: T, arm_node: T, arm_record: str, group: Subgroup) -> None:
        record = f"{arm_record}/{group.id}"
        node = self.node(f"population/{self.key}/{record}", record, "Subgroup")
        self.labelled(node, group.label)
        self.link(node, "subgroupOf", arm_node)
        self.link(node, "populationOf", report_node)
        self.add(node, "sampleSize", group.n)
        for status in group.biomarkers:
            self.refer(node, "hasBiomarkerStatus", status)
        self.span(node, group.n_span, record)
        self.write_measurements(node, record, group.measurements)

    def write_measurements(
        self, population: T, record: str, items: tuple[Measurement, ...]
    ) -> None:
        for index, m in enumerate(items):
            mrec = f"{record}/{measurement_id(m, index)}"
            node = self.node(f"measurement/{self.key}/{mrec}", mrec, "OutcomeMeasurement")
            self.link(node, "measuredIn", population)
            self.refer(node, "outcomeType", m.outcome)
            self.add(node, "value", m.value)
            self.add(node, "valueMax", m.value_max)
            self.refer(node, "comparator", m.comparator and COMPARATORS[m.comparator])
            self.refer(node, "unit", m.unit)
            self.add(node, "timepoint", m.timepoint)
            self.add(node, "timepointMax", m.timepoint_max)
            self.refer(node, "timepointUnit", m.timepoint_unit)
            self.add(node, "gradeMin", m.grade_min)
            self.add(node, "gradeMax", m.grade_max)
            self.refer(node, "responseCriteria", m.response_criteria)
            self.refer(node, "aboutAdverseEvent", m.adverse_event)
            self.add(node, "ciLower", m.ci_lower)
            self.add(node, "ciUpper", m.ci_upper)
            self.add(node, "pValue", m.p_value)
            self.refer(node, "pValueComparator", m.p_comparator and COMPARATORS[m.p_comparator])
            self.add(node, "curatorNote", m.note)
            self.span(node, m.span, mrec)

    def write_association(
        self,
        report: Report,
        report_node: T,
        arms: dict[str, T],
        a: Association,
        index: int,
    ) -> None:
        record = f"{report.id}/{association_id(a, index)}"
        node = self.node(f"association/{self.key}/{record}", record, "PrognosticAssociation")
        self.link(node, "fromReport", report_node)
        only_arm = next(iter(arms.values())) if len(arms) == 1 else None
        self.link(node, "associationIn", arms[a.arm] if a.arm else only_arm)
        self.refer(node, "factor", a.factor)
        self.refer(node, "factorValue", a.factor_value)
        self.refer(node, "comparator", a.comparator and COMPARATORS[a.comparator])
        self.add(node, "value", a.threshold)
        self.refer(node, "unit", a.unit)
        self.refer(node, "direction", DIRECTIONS[a.direction])
        self.refer(node, "outcomeAffected", a.outcome)
        self.add(node, "pValue", a.p_value)
        self.refer(node, "pValueComparator", a.p_comparator and COMPARATORS[a.p_comparator])
        self.add(node, "curatorNote", a.note)
        self.span(node, a.span, record)

    def write_mechanism(self, m: Mechanism) -> None:
        record = f"mechanisms/{m.id}"
        node = self.node(f"mechanism/{self.key}/{m.id}", record, "MechanismStatement")
        factor = self.v.get(m.factor)
        self.labelled(node, f"{factor.label} ({self.source.file})")
        self.refer(node, "molecularFactor", m.factor)
        self.link(node, "statedIn", self.source_node())
        for step in m.steps:
            self.refer(node, "metastaticStep", step)
        for modality in m.targeted_by:
            self.refer(node, "targetedBy", modality)
        self.add(node, "curatorNote", m.note)
        self.span(node, m.span, record)


def evidence_graph(loaded: list[Evidence], corpus: Corpus | None) -> tuple[Graph, RecordIndex]:
    """The data triples of all evidence files, and where each node came from."""
    graph, index = Graph(), RecordIndex()
    for evidence in loaded:
        _Writer(graph, index, evidence, corpus, RDFLIB).write(evidence.content)
    return graph, index


def evidence_triples(
    evidence: Evidence, corpus: Corpus | None, terms: Terms[T]
) -> tuple[TripleList[T], RecordIndex]:
    """The data triples of one evidence file, as ``evidence_graph`` gives them, in a list.

    With ``terms=NTRIPLES`` each term is N-Triples text: no rdflib objects are made.
    """
    triples: TripleList[T] = TripleList()
    index = RecordIndex()
    _Writer(triples, index, evidence, corpus, terms).write(evidence.content)
    return triples, index
