"""HTML documentation of the ontology, generated with pyLODE.

pyLODE runs in a child process so that its output can be made byte-identical: hash
randomisation is fixed and blank nodes are numbered in creation order there. pyLODE 3.1
still renders nested class expressions (the Or-of-And definitions of the subtype classes)
in an order that varies from run to run, so the documented copy of the ontology leaves
those equivalence axioms out; the subtype definitions read in words in each class's
definition, and the axioms stay in bclm.owl.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rdflib import OWL, SKOS, BNode, Graph, URIRef

from .build import IAO_DEFINITION, ontology_graph
from .rdfio import atomic_write_bytes, canonical_turtle

# Executed by a child interpreter: deterministic blank node ids, then pyLODE.
_RUNNER = """
import itertools, sys
import rdflib.term
counter = itertools.count()
rdflib.term.BNode.__new__.__defaults__ = (None, lambda: f"b{next(counter)}", "N")
from pylode import OntPub
sys.stdout.write(OntPub(ontology=sys.argv[1]).make_html())
"""


class DocsError(RuntimeError):
    """pyLODE failed; the message carries what it printed."""


def documented_graph() -> Graph:
    """The ontology as pyLODE shows it best.

    Blank-node equivalence axioms are left out (see the module docstring) and each IAO
    definition is repeated as skos:definition, the property pyLODE displays.
    """
    graph = ontology_graph()
    for term, definition in list(graph.subject_objects(URIRef(IAO_DEFINITION))):
        graph.add((term, SKOS.definition, definition))
    for subject, axiom in list(graph.subject_objects(OWL.equivalentClass)):
        if isinstance(axiom, BNode):
            graph.remove((subject, OWL.equivalentClass, axiom))
    return graph


def ontology_html() -> bytes:
    """The pyLODE page of the ontology."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bclm.ttl"
        source.write_bytes(canonical_turtle(documented_graph()))
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        run = subprocess.run(
            [sys.executable, "-c", _RUNNER, str(source)],
            capture_output=True,
            env=env,
            check=False,
        )
    if run.returncode != 0:
        tail = run.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise DocsError(f"pyLODE failed: {' '.join(tail) or 'no message'}")
    return run.stdout


def write_docs(out_dir: Path) -> Path:
    """Write ``out_dir/ontology.html`` atomically and return its path."""
    path = out_dir / "ontology.html"
    atomic_write_bytes(path, ontology_html())
    return path
