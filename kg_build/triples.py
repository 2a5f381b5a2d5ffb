"""Turn validated evidence into RDF triples under the data namespace.

Every node gets a readable IRI built from record ids (``bclmd:population/001/t1-adam-2006-
ref4/resection``), and ``RecordIndex`` remembers which file and record each node came
from, so that a SHACL violation found later can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from ..ontology.rdfio import PREFIXES
from ..ontology.vocab import vocabulary
from .corpus import Corpus
from .evidence import Evidence, association_id, measurement_id
from .ntriples import Triple, TripleList
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

DATA = Namespace(PREFIXES["bclmd"])
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
    """Where each node came from: node IRI -> (evidence file, record path)."""

    origin: dict[URIRef, tuple[str, str]] = field(default_factory=dict)

    def note(self, node: URIRef, file: str, record: str) -> URIRef:
        self.origin.setdefault(node, (file, record))
        return node


class TripleSink(Protocol):
    """Where the writer puts triples: an rdflib graph, or a ``TripleList`` when streaming."""

    def add(self, triple: Triple, /) -> object: ...


class _Writer:
    """Adds the triples of one evidence file to a sink."""

    def __init__(
        self, graph: TripleSink, index: RecordIndex, evidence: Evidence, corpus: Corpus | None
    ):
        self.g, self.index, self.name = graph, index, evidence.name
        self.source = evidence.content.source
        self.key = source_key(self.source.file)
        self.quotes = corpus is not None
        self.corpus = corpus
        self.v = vocabulary()

    def t(self, term_id: str) -> URIRef:
        return self.v.iri(term_id)

    def add(self, subject: URIRef, predicate: str, value: object) -> None:
        """Add one triple unless ``value`` is None; plain values become typed literals."""
        if value is None:
            return
        if isinstance(value, URIRef):
            obj = value
        elif isinstance(value, bool):
            raise TypeError("booleans are not used in the graph")
        elif isinstance(value, int):
            obj = Literal(value, datatype=XSD.integer)
        elif isinstance(value, Decimal):
            obj = Literal(value, datatype=XSD.decimal)
        else:
            obj = Literal(str(value))
        self.g.add((subject, self.t(predicate), obj))

    def node(self, path: str, record: str, *types: str) -> URIRef:
        subject = self.index.note(DATA[path], self.name, record)
        for type_id in types:
            self.g.add((subject, RDF.type, self.t(type_id)))
        return subject

    def span(self, owner: URIRef, span: Span | None, record: str) -> None:
        if span is None:
            return
        node = self.node(f"span/{self.key}/{span.start}-{span.end}", record, "EvidenceSpan")
        self.add(node, "inDocument", self.source_node())
        self.add(node, "spanStart", span.start)
        self.add(node, "spanEnd", span.end)
        self.add(node, "spanHash", span.sha)
        if self.corpus is not None:
            self.add(node, "quote", self.corpus.quote(self.source.file, span.start, span.end))
        self.add(owner, "hasEvidence", node)

    def source_node(self) -> URIRef:
        return DATA[f"source/{self.key}"]

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
        self.g.add(
            (node, RDFS.label, Literal(f"{source.first_author} {source.year} ({source.journal})"))
        )
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

    def add_doi(self, node: URIRef, doi: str | None) -> None:
        """The DOI as printed (bclm:doi) and as a resolvable IRI (rdfs:seeAlso)."""
        if doi is not None:
            self.add(node, "doi", doi)
            self.g.add((node, RDFS.seeAlso, URIRef(f"https://doi.org/{doi}")))

    def write_study(self, study: Study) -> None:
        node = self.node(f"study/{study.id}", study.id, study.design or "Study")
        venue = f" ({study.journal})" if study.journal else ""
        year = study.year or "(year not printed)"
        self.g.add((node, RDFS.label, Literal(f"{study.first_author} {year}{venue}")))
        self.add(node, "firstAuthor", study.first_author)
        self.add(node, "publicationYear", study.year)
        self.add(node, "journal", study.journal)
        self.add_doi(node, study.doi)
        self.span(node, study.reference_span, study.id)
        self.span(node, study.design_span, study.id)

    def write_report(self, report: Report) -> None:
        path = f"report/{self.key}/{report.id}"
        node = self.node(path, report.id, "StudyReport")
        self.g.add((node, RDFS.label, Literal(f"{report.id} in {self.source.file}")))
        self.add(node, "reportsStudy", DATA[f"study/{report.study}"])
        self.add(node, "reportedIn", self.source_node())
        self.add(node, "referenceNumber", report.reference)
        self.add(node, "reportedYear", report.reported_year)
        self.add(node, "curatorNote", report.note)
        for span in report.spans:
            self.span(node, span, report.id)
        arms = {arm.id: self.write_arm(report, node, arm) for arm in report.arms}
        for index, association in enumerate(report.associations):
            self.write_association(report, node, arms, association, index)

    def write_arm(self, report: Report, report_node: URIRef, arm: Arm) -> URIRef:
        record = f"{report.id}/{arm.id}"
        node = self.node(f"population/{self.key}/{record}", record, "StudyArm")
        self.g.add((node, RDFS.label, Literal(arm.label or arm.id)))
        self.add(node, "populationOf", report_node)
        for modality in arm.modality:
            self.add(node, "hasModality", self.t(modality))
        self.add(node, "sampleSize", arm.n)
        self.add(node, "targetSite", self.t(arm.site))
        self.add(node, "responseCriteria", arm.response_criteria and self.t(arm.response_criteria))
        for status in arm.biomarkers:
            self.add(node, "hasBiomarkerStatus", self.t(status))
        for span in (arm.modality_span, arm.n_span, arm.criteria_span):
            self.span(node, span, record)
        self.write_measurements(node, record, arm.measurements)
        for group in arm.subgroups:
            self.write_subgroup(report_node, node, record, group)
        return node

    def write_subgroup(
        self, report_node: URIRef, arm_node: URIRef, arm_record: str, group: Subgroup
    ) -> None:
        record = f"{arm_record}/{group.id}"
        node = self.node(f"population/{self.key}/{record}", record, "Subgroup")
        self.g.add((node, RDFS.label, Literal(group.label)))
        self.add(node, "subgroupOf", arm_node)
        self.add(node, "populationOf", report_node)
        self.add(node, "sampleSize", group.n)
        for status in group.biomarkers:
            self.add(node, "hasBiomarkerStatus", self.t(status))
        self.span(node, group.n_span, record)
        self.write_measurements(node, record, group.measurements)

    def write_measurements(
        self, population: URIRef, record: str, items: tuple[Measurement, ...]
    ) -> None:
        for index, m in enumerate(items):
            mrec = f"{record}/{measurement_id(m, index)}"
            node = self.node(f"measurement/{self.key}/{mrec}", mrec, "OutcomeMeasurement")
            self.add(node, "measuredIn", population)
            self.add(node, "outcomeType", self.t(m.outcome))
            self.add(node, "value", m.value)
            self.add(node, "valueMax", m.value_max)
            self.add(node, "comparator", m.comparator and self.t(COMPARATORS[m.comparator]))
            self.add(node, "unit", self.t(m.unit))
            self.add(node, "timepoint", m.timepoint)
            self.add(node, "timepointMax", m.timepoint_max)
            self.add(node, "timepointUnit", m.timepoint_unit and self.t(m.timepoint_unit))
            self.add(node, "gradeMin", m.grade_min)
            self.add(node, "gradeMax", m.grade_max)
            self.add(node, "responseCriteria", m.response_criteria and self.t(m.response_criteria))
            self.add(node, "aboutAdverseEvent", m.adverse_event and self.t(m.adverse_event))
            self.add(node, "ciLower", m.ci_lower)
            self.add(node, "ciUpper", m.ci_upper)
            self.add(node, "pValue", m.p_value)
            self.add(
                node, "pValueComparator", m.p_comparator and self.t(COMPARATORS[m.p_comparator])
            )
            self.add(node, "curatorNote", m.note)
            self.span(node, m.span, mrec)

    def write_association(
        self,
        report: Report,
        report_node: URIRef,
        arms: dict[str, URIRef],
        a: Association,
        index: int,
    ) -> None:
        record = f"{report.id}/{association_id(a, index)}"
        node = self.node(f"association/{self.key}/{record}", record, "PrognosticAssociation")
        self.add(node, "fromReport", report_node)
        only_arm = next(iter(arms.values())) if len(arms) == 1 else None
        self.add(node, "associationIn", arms[a.arm] if a.arm else only_arm)
        self.add(node, "factor", self.t(a.factor))
        self.add(node, "factorValue", a.factor_value and self.t(a.factor_value))
        self.add(node, "comparator", a.comparator and self.t(COMPARATORS[a.comparator]))
        self.add(node, "value", a.threshold)
        self.add(node, "unit", a.unit and self.t(a.unit))
        self.add(node, "direction", self.t(DIRECTIONS[a.direction]))
        self.add(node, "outcomeAffected", a.outcome and self.t(a.outcome))
        self.add(node, "pValue", a.p_value)
        self.add(node, "pValueComparator", a.p_comparator and self.t(COMPARATORS[a.p_comparator]))
        self.add(node, "curatorNote", a.note)
        self.span(node, a.span, record)

    def write_mechanism(self, m: Mechanism) -> None:
        record = f"mechanisms/{m.id}"
        node = self.node(f"mechanism/{self.key}/{m.id}", record, "MechanismStatement")
        factor = self.v.get(m.factor)
        self.g.add((node, RDFS.label, Literal(f"{factor.label} ({self.source.file})")))
        self.add(node, "molecularFactor", self.t(m.factor))
        self.add(node, "statedIn", self.source_node())
        for step in m.steps:
            self.add(node, "metastaticStep", self.t(step))
        for modality in m.targeted_by:
            self.add(node, "targetedBy", self.t(modality))
        self.add(node, "curatorNote", m.note)
        self.span(node, m.span, record)


def evidence_graph(loaded: list[Evidence], corpus: Corpus | None) -> tuple[Graph, RecordIndex]:
    """The data triples of all evidence files, and where each node came from."""
    graph, index = Graph(), RecordIndex()
    for evidence in loaded:
        writer = _Writer(graph, index, evidence, corpus)
        writer.write(evidence.content)
    return graph, index


def evidence_triples(evidence: Evidence, corpus: Corpus | None) -> tuple[TripleList, RecordIndex]:
    """The data triples of one evidence file, as ``evidence_graph`` gives them, in a list."""
    triples, index = TripleList(), RecordIndex()
    _Writer(triples, index, evidence, corpus).write(evidence.content)
    return triples, index
