"""The built graph as KGX TSV (``nodes.tsv``, ``edges.tsv``) with Biolink Model categories.

KGX is the flat exchange format of Biolink-compliant graphs (Translator, Monarch, KG-Hub).
Our evidence becomes edges that each carry their own provenance: ``publications`` (the DOI of
the review that states the fact and, when the review prints one, the DOI of the study),
``primary_knowledge_source``, ``knowledge_level``, ``agent_type`` and the exact character span
of the review (``bclm_span``). Other graphs usually keep provenance on nodes only; a merged
graph then cannot tell which paper supports which edge.

Everything is read from the built graph by the SPARQL files ``export/kgx_*.rq``, so the
export shows what a SPARQL user sees. One graph statement (a prognostic association, an
outcome measurement, a mechanism statement, a study report) gives one edge per modality it
names. Rows are sorted and the columns fixed, so two exports of one graph are byte-identical;
both files are written to temporary files first and only then moved into place.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final, NamedTuple

import curies
import pyoxigraph as ox

from ..ontology.mappings import converter as mapping_converter
from ..ontology.rdfio import PREFIXES
from .export import Row, Solution, load_store, solutions

NODES_FILE: Final = "nodes.tsv"
EDGES_FILE: Final = "edges.tsv"
LIST_DELIMITER: Final = "|"
INFORES: Final = "infores:bclm-kg"

NODE_COLUMNS: Final = ("id", "category", "name", "description", "xref", "provided_by")
EDGE_COLUMNS: Final = (
    "id",
    "subject",
    "predicate",
    "object",
    "publications",
    "primary_knowledge_source",
    "knowledge_level",
    "agent_type",
    "has_supporting_studies",
    "bclm_statement",
    "bclm_span",
    "bclm_evidence_level",
    "bclm_direction",
    "bclm_outcome",
    "bclm_factor_value",
    "bclm_comparator",
    "bclm_value",
    "bclm_value_max",
    "bclm_unit",
    "bclm_timepoint",
    "bclm_grade",
    "bclm_adverse_event",
    "bclm_subgroup",
    "bclm_sample_size",
)

# Kinds of systemic therapy (classes of drugs); every other systemic-therapy term names one
# drug. The tests list the drugs, so a new term shows up there.
SYSTEMIC_THERAPY_CLASSES: Final = frozenset(
    {
        "SystemicTherapy",
        "Chemotherapy",
        "Anthracycline",
        "Taxane",
        "PlatinumAgent",
        "Antimetabolite",
        "EndocrineTherapy",
        "AromataseInhibitor",
        "AntiHER2Therapy",
        "AntiVEGFTherapy",
        "CDK46Inhibitor",
        "PI3KInhibitor",
        "Immunotherapy",
    }
)
# Modalities that are not one procedure: Biolink's Treatment ("medical action").
TREATMENT_MODALITIES: Final = frozenset({"UnspecifiedTreatment"})
# Prognostic factors that are clinical findings of the patient rather than measured attributes.
PHENOTYPIC_FACTORS: Final = frozenset({"Ascites", "Cirrhosis", "HepaticDysfunction"})
# Molecular factors that are not one protein (or protein family).
MOLECULAR_FACTOR_CATEGORIES: Final = {
    "ExosomalIntegrinAlphaVBeta5": "biolink:MacromolecularComplex",
    "NeutrophilExtracellularTraps": "biolink:CellularComponent",
    "PI3KSignallingPathway": "biolink:Pathway",
}
KIND_CATEGORIES: Final = {
    "prognostic factor": "biolink:ClinicalAttribute",
    "outcome type": "biolink:ClinicalAttribute",
    "molecular subtype": "biolink:Disease",
    "molecular factor": "biolink:Protein",
    "study": "biolink:Study",
    "source": "biolink:Publication",
}

# Edge kinds: the query behind them, their Biolink predicate and knowledge level.
# - prognostic: modality -> factor; "among patients given the modality, the factor was
#   prognostic for bclm_outcome in bclm_direction". Biolink has no prognostic predicate.
# - outcome: modality -> outcome type with a measured value. Biolink 4 has no "has outcome"
#   predicate; related_to claims nothing more, the numbers are edge properties.
# - target: modality -> molecular factor, Biolink's canonical direction of bclm:targetedBy
#   (target_for relates a gene to a disease, not to a therapy).
# - study: study -> modality it gave. Biolink 4 has no "studies" predicate, and has_input and
#   has_participant want a biological process as subject, not a study (an activity).
# Every edge names its study in has_supporting_studies (the mechanism statements name none).
EDGE_KINDS: Final = {
    "prognostic": ("export/kgx_prognostic.rq", "biolink:associated_with", "knowledge_assertion"),
    "outcome": ("export/kgx_outcomes.rq", "biolink:related_to", "observation"),
    "target": ("export/kgx_targets.rq", "biolink:affects", "knowledge_assertion"),
    "study": ("export/kgx_study_modalities.rq", "biolink:related_to", "knowledge_assertion"),
}
AGENT_TYPE: Final = "manual_agent"

# Edge ids are UUIDs derived from the edge's content, so they are stable across exports.
EDGE_ID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/bclm-kg/kgx")

# CURIEs of our IRIs. KGX takes a CURIE's local part to hold no "/" (kgx's PrefixManager),
# so nodes under bclmd:study/ and bclmd:source/ get a prefix of their own; statements named
# in bclm_statement keep the bclmd: CURIEs of the RDF exports.
NODE_PREFIXES: Final = {
    "bclm": PREFIXES["bclm"],
    "bclmd.study": f"{PREFIXES['bclmd']}study/",
    "bclmd.source": f"{PREFIXES['bclmd']}source/",
}
_NODE_CURIES: Final = curies.Converter.from_prefix_map(NODE_PREFIXES)
_RDF_CURIES: Final = curies.Converter.from_prefix_map(
    {"bclm": PREFIXES["bclm"], "bclmd": PREFIXES["bclmd"]}
)


class KgxOutputError(ValueError):
    """The KGX export cannot be written where it was asked to go."""


class KgxResult(NamedTuple):
    nodes_path: Path
    edges_path: Path
    nodes: int
    edges: int


def node_id(iri: str) -> str:
    """The KGX id of one of our nodes: bclm:RadiofrequencyAblation, bclmd.study:meloni-2009-...."""
    compact = _NODE_CURIES.compress_strict(iri)
    if "/" in compact:
        raise ValueError(f"{iri} has no KGX CURIE (its local part would hold a '/')")
    return compact


def statement_curie(iri: str) -> str:
    """The bclmd: CURIE of a graph statement, as in the RDF exports (bclmd: is the longer)."""
    return _RDF_CURIES.compress_strict(iri)


def node_category(kind: str, local_name: str, systemic: bool) -> str:
    """The Biolink category of a node of ``kind`` (a ?kind of kgx_nodes.rq)."""
    if kind == "modality":
        if systemic:
            return "biolink:Treatment" if local_name in SYSTEMIC_THERAPY_CLASSES else "biolink:Drug"
        return "biolink:Treatment" if local_name in TREATMENT_MODALITIES else "biolink:Procedure"
    if kind == "prognostic factor" and local_name in PHENOTYPIC_FACTORS:
        return "biolink:PhenotypicFeature"
    if kind == "molecular factor" and local_name in MOLECULAR_FACTOR_CATEGORIES:
        return MOLECULAR_FACTOR_CATEGORIES[local_name]
    return KIND_CATEGORIES[kind]


def nodes_table(store: ox.Store) -> list[Row]:
    """One row per node, sorted by id; xrefs are exact/close matches and DOIs."""
    xrefs: dict[str, set[str]] = {}
    convert = mapping_converter()
    for s in solutions(store, "export/kgx_xrefs.rq"):
        xrefs.setdefault(s["node"], set()).add(convert.compress_strict(s["target"]))
    rows: dict[str, Row] = {}
    for s in solutions(store, "export/kgx_nodes.rq"):
        identifier = node_id(s["node"])
        local_name = identifier.split(":", 1)[1]
        refs = set(xrefs.get(s["node"], ()))
        if s["doi"]:
            refs.add(f"doi:{s['doi']}")
        row = {
            "id": identifier,
            "category": node_category(s["kind"], local_name, s["systemic"] == "true"),
            "name": s["label"],
            "description": s["description"],
            "xref": LIST_DELIMITER.join(sorted(refs)),
            "provided_by": INFORES,
        }
        if rows.setdefault(identifier, row) != row:
            raise ValueError(f"node {identifier} has two kinds: {rows[identifier]} and {row}")
    return [rows[k] for k in sorted(rows)]


def _interval(low: str, high: str) -> str:
    return f"{low}-{high}" if high and high != low else low


def _publications(s: Solution) -> str:
    """The review's DOI (its bclmd: node when it prints none) and the study's DOI if any."""
    review = f"doi:{s['source_doi']}" if s["source_doi"] else node_id(s["source"])
    found = {review} | ({f"doi:{s['study_doi']}"} if s.get("study_doi") else set())
    return LIST_DELIMITER.join(sorted(found))


def _prognostic(s: Solution) -> Row:
    return {
        "bclm_direction": s["direction"],
        "bclm_outcome": node_id(s["outcome"]) if s["outcome"] else "",
        "bclm_factor_value": node_id(s["factor_value"]) if s["factor_value"] else "",
        "bclm_comparator": s["comparator"],
        "bclm_value": s["value"],
        "bclm_unit": s["unit"],
        "bclm_evidence_level": s["level"],
    }


def _outcome(s: Solution) -> Row:
    timepoint = ""
    if s["timepoint"]:
        timepoint = f"{_interval(s['timepoint'], s['timepoint_max'])} {s['timepoint_unit']}"
    grade = ""
    if s["grade_min"]:
        grade = _interval(s["grade_min"], s["grade_max"]) if s["grade_max"] else ""
        grade = grade or f">= {s['grade_min']}"
    return {
        "bclm_comparator": s["comparator"],
        "bclm_value": s["value"],
        "bclm_value_max": s["value_max"],
        "bclm_unit": s["unit"],
        "bclm_timepoint": timepoint,
        "bclm_grade": grade,
        "bclm_adverse_event": s["adverse_event"],
        "bclm_subgroup": s["subgroup"],
        "bclm_sample_size": s["pop_n"] or s["arm_n"],
        "bclm_evidence_level": s["level"],
    }


EXTRA_FIELDS: Final[dict[str, Callable[[Solution], Row]]] = {
    "prognostic": _prognostic,
    "outcome": _outcome,
    "target": lambda _: {},
    "study": lambda _: {},
}


def _span_key(span: str) -> tuple[str, int, int]:
    file, offsets = span.rsplit(":", 1)
    start, end = offsets.split("-")
    return file, int(start), int(end)


def _edges_of_kind(store: ox.Store, kind: str) -> Iterable[Row]:
    """The edges of one kind; rows of one statement and modality differ only in their span."""
    query, predicate, level = EDGE_KINDS[kind]
    edges: dict[tuple[str, str, str], Row] = {}
    spans: dict[tuple[str, str, str], set[str]] = {}
    for s in solutions(store, query):
        subject, obj = node_id(s["subject"]), node_id(s["object"])
        statement = statement_curie(s["statement"])
        key = (statement, subject, obj)
        edge = {
            "id": f"urn:uuid:{uuid.uuid5(EDGE_ID_NAMESPACE, ' '.join((*key, predicate)))}",
            "subject": subject,
            "predicate": predicate,
            "object": obj,
            "publications": _publications(s),
            "primary_knowledge_source": INFORES,
            "knowledge_level": level,
            "agent_type": AGENT_TYPE,
            "bclm_statement": statement,
            "has_supporting_studies": node_id(s["study"]) if s.get("study") else "",
            **EXTRA_FIELDS[kind](s),
        }
        if edges.setdefault(key, edge) != edge:
            raise ValueError(f"{kind} edge {key}: the graph gives two values for one field")
        spans.setdefault(key, set()).add(f"{s['file']}:{s['start']}-{s['end']}")
    for key, edge in edges.items():
        edge["bclm_span"] = LIST_DELIMITER.join(sorted(spans[key], key=_span_key))
        yield {column: edge.get(column, "") for column in EDGE_COLUMNS}


def edges_table(store: ox.Store) -> list[Row]:
    """Every edge, sorted by subject, predicate, object, statement."""
    rows = [edge for kind in EDGE_KINDS for edge in _edges_of_kind(store, kind)]
    return sorted(rows, key=lambda r: (r["subject"], r["predicate"], r["object"], r["id"]))


def render_tsv(rows: list[Row], columns: tuple[str, ...]) -> bytes:
    """KGX TSV: a header row, then one line per row; no quoting (KGX reads with QUOTE_NONE)."""
    lines = ["\t".join(columns)]
    lines += ["\t".join(_cell(row[c]) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def kgx_files(graph_path: Path) -> tuple[bytes, bytes, int, int]:
    """(nodes.tsv, edges.tsv, node count, edge count) for the built graph."""
    store = load_store(graph_path)
    nodes, edges = nodes_table(store), edges_table(store)
    _check_endpoints(nodes, edges)
    return render_tsv(nodes, NODE_COLUMNS), render_tsv(edges, EDGE_COLUMNS), len(nodes), len(edges)


def _check_endpoints(nodes: list[Row], edges: list[Row]) -> None:
    """Every subject and object must be a node of nodes.tsv."""
    ids = {n["id"] for n in nodes}
    for edge in edges:
        for end in ("subject", "object"):
            if edge[end] not in ids:
                raise ValueError(f"edge {edge['id']}: {end} {edge[end]} is not a node")


def write_kgx(graph_path: Path, out_dir: Path) -> KgxResult:
    """Write ``nodes.tsv`` and ``edges.tsv`` into ``out_dir``, creating it if needed.

    Both files are rendered in memory and written to temporary files before either is moved
    into place, so an error leaves the old files (or none), never a half-written one.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise KgxOutputError(
            f"--out {out_dir} is a file; KGX writes {NODES_FILE} and {EDGES_FILE} into a directory"
        )
    nodes, edges, n_nodes, n_edges = kgx_files(graph_path)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KgxOutputError(f"cannot create directory {out_dir}: {error.strerror}") from error
    targets = {out_dir / NODES_FILE: nodes, out_dir / EDGES_FILE: edges}
    _replace_all(targets)
    return KgxResult(out_dir / NODES_FILE, out_dir / EDGES_FILE, n_nodes, n_edges)


def _replace_all(targets: dict[Path, bytes]) -> None:
    """Write every file to a temporary name first, then move them all into place."""
    written: dict[Path, str] = {}
    try:
        for path, data in targets.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            written[path] = tmp
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for path, tmp in written.items():
            os.replace(tmp, path)
    except OSError as error:
        raise KgxOutputError(f"cannot write {path}: {error.strerror}") from error
    finally:
        for tmp in written.values():
            Path(tmp).unlink(missing_ok=True)
