"""The evidence panel of every node and link: what a click or hover on the page shows.

A panel is plain data (title, subtitle, sections of items, each item with references that
may carry a quote); the page renders it with text nodes only, so nothing from the data is
ever read as HTML. Directions come first, unfavourable before favourable, so that "which
factors predict worse survival after RFA?" is the top of the RFA panel.

Every list that grows with the number of studies is capped (``REF_CAP`` references per item,
``ITEM_CAP`` studies per modality) and ends with "and N more ...", so that the page's size is
bounded by the vocabulary (modalities, factors, directions), not by the evidence behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import networkx as nx

from .context import Arm, Context, Outcome
from .links import Link

DIRECTION_ORDER = ("unfavourable", "favourable", "no association")
DIRECTION_HEADINGS = {
    "unfavourable": "Unfavourable: goes with worse outcome",
    "favourable": "Favourable: goes with better outcome",
    "no association": "No association found",
}
Panel = dict[str, object]
REF_CAP = 3  # references listed per item (3 of the curated graph's items have 4 or 5)
ITEM_CAP = 20  # studies listed per modality
T = TypeVar("T")


def count(n: int, one: str, many: str) -> str:
    """'1 study', '3 studies'."""
    return f"{n} {one if n == 1 else many}"


Ref = dict[str, str]


def link_counts(data: dict) -> str:
    """'2 studies · 3 associations · 2 reviews': the weight of a factor link, in words."""
    return " · ".join((
        count(len(data["studies"]), "study", "studies"),
        count(len(data["links"]), "association", "associations"),
        count(len(data["sources"]), "review", "reviews"),
    ))  # fmt: skip


def more_text(n: int, one: str, many: str) -> str:
    """'and 1 more association', 'and 12 more arms'."""
    return f"and {n} more {one if n == 1 else many}"


def capped(
    entries: Sequence[T], cap: int, make: Callable[[T], dict], more: Callable[[int], dict]
) -> list[dict]:
    """The first ``cap`` entries made into panel entries, then one ``more(rest)`` entry.

    Only the shown entries are made, so a long list costs no more than a short one."""
    shown = [make(entry) for entry in entries[:cap]]
    rest = len(entries) - cap
    return [*shown, more(rest)] if rest > 0 else shown


def more_ref(one: str, many: str) -> Callable[[int], Ref]:
    return lambda n: {"text": more_text(n, one, many), "quote": ""}


class PanelWriter:
    """Builds panels for one graph; holds the look-ups every panel needs."""

    def __init__(self, graph: nx.MultiGraph, context: Context) -> None:
        self.graph = graph
        self.context = context
        self.sources = {r.source_file: r.source_label for r in context.reports.values()}
        self.outcomes: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in context.outcomes:
            self.outcomes[outcome.arm].append(outcome)
        self.arms_by_modality: dict[str, list[Arm]] = defaultdict(list)
        for arm in context.arms.values():
            for modality in arm.modalities:
                self.arms_by_modality[modality].append(arm)

    # --- pieces ----------------------------------------------------------------------
    def study_ref(self, report_iri: str, arms: Iterable[str] = ()) -> str:
        """'Meloni 2009 (n = 52)', the year and patients as the review reports them."""
        report = self.context.reports.get(report_iri)
        if report is None:
            return report_iri.rsplit("/", 1)[-1]
        name = f"{report.first_author} {report.year}".strip()
        n = sum(self.context.arms[a].n or 0 for a in arms if a in self.context.arms)
        return f"{name} (n = {n})" if n else name

    def source(self, report_iri: str) -> str:
        report = self.context.reports.get(report_iri)
        return f"in {report.source_label}" if report else ""

    def link_ref(self, link: Link, subject: str) -> Ref:
        parts = [subject, link.outcome, self.study_ref(link.report, link.arms)]
        text = " · ".join(p for p in parts if p) + f" — {self.source(link.report)}"
        return {"text": text, "quote": link.quote}

    def link_refs(self, links: Sequence[Link]) -> list[dict]:
        """The first ``REF_CAP`` associations of a link, then how many more there are."""
        return capped(
            links, REF_CAP, lambda link: self.link_ref(link, ""),
            more_ref("association", "associations"),
        )  # fmt: skip

    def member_refs(self, members: Sequence[str]) -> list[dict]:
        """The first ``REF_CAP`` arms or statements behind a link, then how many more."""
        return capped(
            members, REF_CAP, lambda m: {"text": self.member_text(m), "quote": ""},
            more_ref("entry", "entries"),
        )  # fmt: skip

    def arm_refs(self, arm_iri: str) -> list[Ref]:
        refs = []
        for outcome in sorted(self.outcomes.get(arm_iri, []), key=lambda o: (o.subgroup, o.text)):
            text = f"{outcome.subgroup}: {outcome.text}" if outcome.subgroup else outcome.text
            refs.append({"text": text, "quote": outcome.quote})
        return refs

    def edges_of(self, node: str) -> list[tuple[str, dict]]:
        """(other node, edge data) for every link of ``node``, in a fixed order."""
        found = [(v if u == node else u, data) for u, v, data in self.graph.edges(node, data=True)]
        return sorted(found, key=lambda p: (self.graph.nodes[p[0]]["label"], p[1]["kind"]))

    def direction_sections(self, node: str) -> list[dict]:
        by_direction: dict[str, list[dict]] = defaultdict(list)
        for other, data in self.edges_of(node):
            if data["kind"] != "factor":
                continue
            label = self.graph.nodes[other]["label"]
            refs = self.link_refs(data["links"])
            by_direction[data["direction"]].append(
                {"text": label, "refs": refs, "studies": len(data["studies"])}
            )
        for items in by_direction.values():  # best supported first
            items.sort(key=lambda item: -item.pop("studies"))
        return [
            {"heading": DIRECTION_HEADINGS[d], "direction": d, "items": by_direction[d]}
            for d in DIRECTION_ORDER
            if by_direction.get(d)
        ]

    def neighbour_section(self, node: str, kind: str, heading: str) -> list[dict]:
        items = []
        for other, data in self.edges_of(node):
            if data["kind"] != kind:
                continue
            refs = self.member_refs(data["members"])
            items.append({"text": self.graph.nodes[other]["label"], "refs": refs})
        return [{"heading": heading, "direction": "", "items": items}] if items else []

    def member_text(self, member: str) -> str:
        arm = self.context.arms.get(member)
        if arm is not None:
            return f"{self.study_ref(arm.report, [arm.iri])}: {arm.label} {self.source(arm.report)}"
        for statement in self.context.mechanisms:
            if statement.statement == member:
                source = self.sources.get(statement.source_file, statement.source_file)
                return f"in {source}: {statement.quote}".rstrip(": ")
        for sub in self.context.subtypes:
            if sub.population == member:
                arm = self.context.arms.get(sub.arm)
                if arm is not None:
                    return f"{self.study_ref(arm.report)}: {arm.label} {self.source(arm.report)}"
        return member.rsplit("/", 1)[-1]

    # --- panels ----------------------------------------------------------------------
    def subtitle(self, node: str) -> str:
        data = self.graph.nodes[node]
        parts = [data["group"]]
        if data["studies"]:
            parts.append(count(len(data["studies"]), "study", "studies"))
        patients = sum(data["patients"].values())
        if patients:
            parts.append(count(patients, "patient", "patients"))
        return " · ".join(parts)

    def node_panel(self, node: str) -> Panel:
        data = self.graph.nodes[node]
        kind = data["kind"]
        sections = self.direction_sections(node)
        if kind == "modality":
            sections += self.neighbour_section(node, "subtype", "Molecular subtypes treated")
            sections += self.neighbour_section(node, "target", "Molecular factors it acts on")
            sections += self.modality_studies(data["iri"])
        elif kind == "study":
            sections += self.study_arms(data["iri"])
        elif kind == "subtype":
            sections += self.neighbour_section(node, "subtype", "Treated with")
        elif kind in ("molecular", "step"):
            sections += self.neighbour_section(node, "step", "Metastatic step")
            sections += self.neighbour_section(node, "target", "Therapy acting on it")
        return {"title": data["label"], "subtitle": self.subtitle(node), "sections": sections}

    def modality_studies(self, modality: str) -> list[dict]:
        """The arms treated with ``modality`` (first ``ITEM_CAP``) with their key outcomes."""
        arms = sorted(
            self.arms_by_modality.get(modality, ()),
            key=lambda a: (self.study_ref(a.report), a.iri),
        )
        items = capped(arms, ITEM_CAP, self.arm_item, self.more_arms)
        return [{"heading": "Studies and key outcomes", "direction": "", "items": items}]

    def arm_item(self, arm: Arm) -> dict:
        text = f"{self.study_ref(arm.report, [arm.iri])}: {arm.label} {self.source(arm.report)}"
        return {"text": text, "refs": self.arm_refs(arm.iri)}

    @staticmethod
    def more_arms(n: int) -> dict:
        return {"text": more_text(n, "arm", "arms"), "refs": []}

    def study_arms(self, study: str) -> list[dict]:
        items = []
        reports = {r.iri for r in self.context.reports.values() if r.study == study}
        arms = sorted(
            (a for a in self.context.arms.values() if a.report in reports), key=lambda a: a.iri
        )
        for arm in arms:
            modalities = ", ".join(self.context.label(m) for m in arm.modalities)
            site = self.context.label(arm.target_site)
            n = f", n = {arm.n}" if arm.n else ""
            text = f"{arm.label} ({modalities}; {site}{n}) {self.source(arm.report)}"
            items.append({"text": text, "refs": self.arm_refs(arm.iri)})
        return [{"heading": "Arms and key outcomes", "direction": "", "items": items}]

    def edge_panel(self, u: str, v: str, data: dict) -> Panel:
        a, b = self.graph.nodes[u]["label"], self.graph.nodes[v]["label"]
        if data["kind"] == "factor":
            refs = self.link_refs(data["links"])
            items = [{"text": f"{a} — {b}", "refs": refs}]
            section = {
                "heading": DIRECTION_HEADINGS[data["direction"]],
                "direction": data["direction"],
                "items": items,
            }
            subtitle = " · ".join((data["direction"], link_counts(data)))
        else:
            refs = self.member_refs(data["members"])
            items = [{"text": "", "refs": refs}]
            section = {"heading": data["kind"], "direction": "", "items": items}
            subtitle = data["kind"]
        return {"title": f"{a} — {b}", "subtitle": subtitle, "sections": [section]}
