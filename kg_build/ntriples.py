"""Write triples as N-Triples without an rdflib graph in between.

The streaming build makes tens of millions of triples; adding each to an rdflib graph only
to serialise it again costs most of the build. ``TripleList`` keeps triples in the order
they are first added (so output is deterministic) and drops repeats, as a graph would;
``ntriples`` writes them in N-Triples 1.1 (UTF-8, the escapes the grammar requires),
``text_ntriples`` writes triples whose terms are already N-Triples text (``terms.NTRIPLES``),
and ``canonical_ntriples`` writes a graph whose order is not fixed (the ontology,
inferences) the same way every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from .terms import NTRIPLES

Triple = tuple[Node, Node, Node]
TextTriple = tuple[str, str, str]
T = TypeVar("T")


class TripleList(Generic[T]):
    """An ordered set of triples with the ``add`` of an rdflib graph; terms of any kind."""

    def __init__(self) -> None:
        self._triples: dict[tuple[T, T, T], None] = {}

    def add(self, triple: tuple[T, T, T]) -> None:
        self._triples.setdefault(triple, None)

    def __iter__(self) -> Iterator[tuple[T, T, T]]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


def term(node: Node, blanks: dict[BNode, str] | None = None) -> str:
    """One term in N-Triples syntax; blank nodes are labelled from ``blanks`` when given."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return NTRIPLES.literal(str(node), node.datatype, node.language)
    if isinstance(node, BNode):
        return f"_:{node}" if blanks is None else f"_:{blanks[node]}"
    raise TypeError(f"not an RDF term: {node!r}")


def ntriples(triples: Iterable[Triple], blank_prefix: str = "b") -> bytes:
    """The triples as N-Triples, one line each, in the order given.

    rdflib names blank nodes at random; here they are renamed ``_:<prefix><n>`` in order of
    first use, so the same triples give the same bytes. Give each call whose output shares
    a file with another's a distinct prefix, or their blank nodes would merge.
    """
    blanks: dict[BNode, str] = {}
    lines = []
    for triple in triples:
        for node in triple:
            if isinstance(node, BNode) and node not in blanks:
                blanks[node] = f"{blank_prefix}{len(blanks)}"
        s, p, o = (term(node, blanks) for node in triple)
        lines.append(f"{s} {p} {o} .\n")
    return "".join(lines).encode("utf-8")


def text_ntriples(triples: Iterable[TextTriple]) -> bytes:
    """Triples of N-Triples terms (``terms.NTRIPLES``) as N-Triples, one line each, in order."""
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples]).encode("utf-8")


def canonical_ntriples(graph: Graph, blank_prefix: str) -> bytes:
    """A graph as sorted N-Triples with canonical blank node labels: the same bytes each time.

    rdflib's iteration order and blank node ids vary between runs; its canonical form
    names each blank node by its structure, so sorting the lines fixes the output.
    """
    canonical = to_canonical_graph(graph)
    blanks = {n: f"{blank_prefix}{n}" for t in canonical for n in t if isinstance(n, BNode)}
    lines = sorted(" ".join(term(n, blanks) for n in t) + " .\n" for t in canonical)
    return "".join(lines).encode("utf-8")
