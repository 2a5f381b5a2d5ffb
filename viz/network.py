"""The network behind the page, as a networkx multigraph: which nodes and links a view shows.

Views: ``factors`` (modalities and prognostic factors), ``studies`` (plus every study linked
to the modalities it used) and ``subtypes`` (plus molecular subtypes of the treated
populations, and the molecular factors of liver metastasis with their metastatic steps and
the therapies that act on them). ``focus`` keeps one modality (with its narrower modalities)
and its neighbours. Parallel links between two nodes differ in kind or direction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

import networkx as nx

from .context import BCLM, Arm, Context, Report
from .links import Link

MODALITY = BCLM + "Modality"
PROGNOSTIC_FACTOR = BCLM + "PrognosticFactor"
MOLECULAR_SUBTYPE = BCLM + "MolecularSubtype"
MOLECULAR_FACTOR = BCLM + "MolecularFactor"
METASTATIC_STEP = BCLM + "MetastaticStep"


class View(StrEnum):
    factors = "factors"
    studies = "studies"
    subtypes = "subtypes"


class FocusError(ValueError):
    """--focus names no modality of the graph, or one the view does not show."""


def _local(iri: str) -> str:
    return iri.removeprefix(BCLM).removeprefix("data/")


def modality_id(iri: str) -> str:
    return f"modality:{_local(iri)}"


def factor_id(link: Link) -> str:
    return f"factor:{_local(link.factor)}|{_local(link.level) if link.level else link.threshold}"


def study_id(iri: str) -> str:
    return _local(iri)  # "study/meloni-2009-radiology"


def factor_label(link: Link, context: Context) -> str:
    """'lesion size > 2.5 cm', 'oestrogen receptor positive', 'extrahepatic disease'."""
    if link.level:
        return context.label(link.level)
    name = context.label(link.factor)
    return f"{name} {link.threshold}" if link.threshold else name


def _add_node(graph: nx.MultiGraph, node: str, **attributes: object) -> None:
    if node not in graph:
        graph.add_node(node, studies=set(), patients={}, **attributes)


def _add_edge(graph: nx.MultiGraph, u: str, v: str, key: str, kind: str, direction: str) -> dict:
    """A link from ``u`` to ``v`` (kept as ``ends``: the graph itself is undirected)."""
    if not graph.has_edge(u, v, key):
        graph.add_edge(
            u, v, key, kind=kind, direction=direction, links=[], studies=set(), sources=set(),
            sites=set(), members=[], ends=(u, v),
        )  # fmt: skip
    return graph.edges[u, v, key]


def _note_patients(graph: nx.MultiGraph, node: str, study: str, n: int) -> None:
    """Patients of a node: per study the largest count seen, summed over studies."""
    patients = graph.nodes[node]["patients"]
    patients[study] = max(patients.get(study, 0), n)
    graph.nodes[node]["studies"].add(study)


def _add_modality(graph: nx.MultiGraph, iri: str, context: Context) -> str:
    node = modality_id(iri)
    family = context.top(iri, MODALITY)
    _add_node(
        graph, node, kind="modality", iri=iri, label=context.label(iri),
        group=context.label(family), synonyms=context.synonyms(iri),
    )  # fmt: skip
    return node


def _arm_patients(arms: Iterable[str], context: Context) -> int:
    return sum(context.arms[a].n or 0 for a in arms if a in context.arms)


def _add_links(graph: nx.MultiGraph, links: list[Link], context: Context) -> None:
    for link in links:
        m = _add_modality(graph, link.modality, context)
        f = factor_id(link)
        _add_node(
            graph, f, kind="factor", iri=link.factor, label=factor_label(link, context),
            group=context.label(context.top(link.factor, PROGNOSTIC_FACTOR)),
            factor=context.label(link.factor), synonyms=(),
        )  # fmt: skip
        direction = context.label(link.direction)
        edge = _add_edge(graph, m, f, f"factor|{direction}", "factor", direction)
        edge["links"].append(link)
        edge["studies"].add(link.study)
        edge["sources"].add(link.source_file)
        edge["sites"].update(context.label(s) for s in link.target_sites)
        _note_patients(graph, f, link.study, _arm_patients(link.arms, context))


def _modality_patients(graph: nx.MultiGraph, context: Context) -> None:
    """Patients of a modality: per study the largest sum of its arms in one report."""
    per_report: dict[tuple[str, str, str], int] = defaultdict(int)
    for arm in context.arms.values():
        report = context.reports.get(arm.report)
        if report is None:
            continue
        for modality in arm.modalities:
            per_report[(modality_id(modality), report.study, arm.report)] += arm.n or 0
    for (node, study, _), n in sorted(per_report.items()):
        if node in graph:
            _note_patients(graph, node, study, n)


def _study_label(study: str, context: Context) -> tuple[str, str]:
    reports = sorted((r for r in context.reports.values() if r.study == study), key=lambda r: r.iri)
    first = reports[0]
    years = sorted({r.year for r in reports if r.year})
    return f"{first.first_author} {years[0]}" if years else first.first_author, study


def _link_arm_modalities(
    graph: nx.MultiGraph,
    context: Context,
    arm: Arm,
    report: Report,
    node: str,
    kind: str,
    member: str,
) -> None:
    """Link ``node`` with each modality of ``arm``; the study sits before, a subtype after."""
    for modality in arm.modalities:
        m = _add_modality(graph, modality, context)
        ends = (node, m) if kind == "study" else (m, node)
        edge = _add_edge(graph, *ends, kind, kind, "")
        edge["studies"].add(report.study)
        edge["sources"].add(report.source_file)
        edge["sites"].add(context.label(arm.target_site))
        edge["members"].append(member)


def _add_studies(graph: nx.MultiGraph, context: Context) -> None:
    for arm in sorted(context.arms.values(), key=lambda a: a.iri):
        report = context.reports.get(arm.report)
        if report is None:
            continue
        s = study_id(report.study)
        label, iri = _study_label(report.study, context)
        _add_node(graph, s, kind="study", iri=iri, label=label, group="study", synonyms=())
        _link_arm_modalities(graph, context, arm, report, s, "study", arm.iri)
    per_report: dict[tuple[str, str], int] = defaultdict(int)
    for arm in context.arms.values():
        if arm.report in context.reports:
            per_report[(context.reports[arm.report].study, arm.report)] += arm.n or 0
    for (study, _), n in sorted(per_report.items()):
        _note_patients(graph, study_id(study), study, n)


def _add_subtypes(graph: nx.MultiGraph, context: Context) -> None:
    for member in context.subtypes:
        arm = context.arms.get(member.arm)
        report = context.reports.get(arm.report) if arm else None
        if arm is None or report is None:
            continue
        node = f"subtype:{_local(member.subtype)}"
        _add_node(
            graph, node, kind="subtype", iri=member.subtype, label=context.label(member.subtype),
            group="molecular subtype", synonyms=context.synonyms(member.subtype),
        )  # fmt: skip
        _note_patients(graph, node, report.study, member.n or arm.n or 0)
        _link_arm_modalities(graph, context, arm, report, node, "subtype", member.population)


def _add_mechanisms(graph: nx.MultiGraph, context: Context) -> None:
    for statement in context.mechanisms:
        node = f"molecular:{_local(statement.factor)}"
        _add_node(
            graph, node, kind="molecular", iri=statement.factor,
            label=context.label(statement.factor), group="molecular factor",
            synonyms=context.synonyms(statement.factor),
        )  # fmt: skip
        targets = []
        if statement.step:
            step = f"step:{_local(statement.step)}"
            _add_node(
                graph, step, kind="step", iri=statement.step,
                label=context.label(statement.step), group="metastatic step", synonyms=(),
            )  # fmt: skip
            targets.append((step, "step"))
        if statement.targeted_by:
            targets.append((_add_modality(graph, statement.targeted_by, context), "target"))
        for other, kind in targets:
            edge = _add_edge(graph, node, other, kind, kind, "")
            edge["sources"].add(statement.source_file)
            edge["members"].append(statement.statement)


def resolve_focus(focus: str, graph: nx.MultiGraph, context: Context) -> list[str]:
    """The modality nodes a --focus names: the modality and its narrower ones in the view."""
    wanted = focus.strip().casefold()
    matches = sorted(
        iri
        for iri, term in context.terms.items()
        if context.is_a(iri, MODALITY)
        and wanted
        in {term.label.casefold(), _local(iri).casefold()} | {s.casefold() for s in term.synonyms}
    )
    if not matches:
        raise FocusError(f"unknown modality '{focus}'; give a label, synonym or id such as RFA")
    seeds = [
        n
        for n, data in graph.nodes(data=True)
        if data["kind"] == "modality" and any(context.is_a(data["iri"], m) for m in matches)
    ]
    if not seeds:
        raise FocusError(f"modality '{focus}' has no links in this view")
    return sorted(seeds)


def build_network(
    links: list[Link], context: Context, view: View = View.factors, focus: str | None = None
) -> nx.MultiGraph:
    """The multigraph of a view; nodes carry kind, label, group, studies and patients."""
    graph = nx.MultiGraph()
    _add_links(graph, links, context)
    if view is View.studies:
        _add_studies(graph, context)
    if view is View.subtypes:
        _add_subtypes(graph, context)
        _add_mechanisms(graph, context)
    _modality_patients(graph, context)
    if focus:
        seeds = resolve_focus(focus, graph, context)
        keep = set(seeds).union(*(graph.neighbors(s) for s in seeds))
        graph = nx.MultiGraph(graph.subgraph(keep))
    return graph
