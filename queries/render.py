"""Query results as text: the W3C SPARQL results formats and tables for people.

``json``, ``xml``, ``csv`` and ``tsv`` follow the W3C SPARQL 1.1 results formats (the
server answers with them); the command line's ``csv`` and ``tsv`` hold the displayed cells
instead (IRIs shortened with the project's prefixes, literals as their lexical form, unbound
as empty), like the export tables, and ``table`` and ``md`` align those cells for reading.
CONSTRUCT and DESCRIBE results are Turtle in every case.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .engine import AskResult, GraphResult, Result, SelectResult

Format = Literal["table", "csv", "tsv", "json", "md"]
WireFormat = Literal["json", "xml", "csv", "tsv", "turtle", "ntriples"]
PREFIXES = {
    "bclmd": "https://w3id.org/bclm-kg/data/",
    "bclm": "https://w3id.org/bclm-kg/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "html": "text/html",
}
# What each kind of result can be sent as, the default first.
FORMATS_FOR = {
    "select": ("json", "xml", "csv", "tsv", "html"),
    "ask": ("json", "xml", "html"),
    "graph": ("turtle", "ntriples", "html"),
}
ACCEPTED: dict[str, str] = {
    **{media: name for name, media in MEDIA_TYPES.items()},
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
}


def display(term: object) -> str:
    """A cell as people read it: prefixed IRI, lexical form, ``_:id``, or '' when unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, base in PREFIXES.items():
            if term.value.startswith(base) and len(term.value) > len(base):
                return f"{prefix}:{term.value[len(base) :]}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]


def cells(result: SelectResult) -> list[list[str]]:
    return [[display(term) for term in row] for row in result.rows]


def render(result: Result, fmt: Format) -> str:
    """The result in a command-line format."""
    if isinstance(result, GraphResult):
        return turtle(result)
    if isinstance(result, AskResult):
        return wire(result, "json") if fmt == "json" else f"{str(result.value).lower()}\n"
    if fmt == "json":
        return wire(result, "json")
    if fmt in ("csv", "tsv"):
        return _delimited(result.variables, cells(result), "," if fmt == "csv" else "\t")
    if fmt == "md":
        return _markdown(result.variables, cells(result))
    return _table(result.variables, cells(result))


def _delimited(columns: tuple[str, ...], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    if delimiter == ",":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
    clean = [[_one_line(c) for c in row] for row in rows]
    return "".join("\t".join(r) + "\n" for r in [list(columns), *clean])


def _one_line(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _table(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    shown = [[_one_line(c) for c in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in shown)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in shown:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _markdown(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    def line(values: list[str] | tuple[str, ...]) -> str:
        return "| " + " | ".join(_one_line(v).replace("|", "\\|") for v in values) + " |"

    return "\n".join([line(columns), line(["---"] * len(columns)), *map(line, rows)]) + "\n"


def turtle(result: GraphResult) -> str:
    data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data.decode("utf-8") if data else ""


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, ox.Literal)
    cell = {"type": "literal", "value": term.value}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        cell["datatype"] = term.datatype.value
    return cell


def wire(result: Result, fmt: WireFormat) -> str:
    """The result in a W3C SPARQL 1.1 results format (Turtle for graphs)."""
    if isinstance(result, GraphResult):
        if fmt == "ntriples":
            return ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        return turtle(result)
    if fmt == "json":
        return _json(result)
    if fmt == "xml":
        return _xml(result)
    if isinstance(result, AskResult):
        raise ValueError(f"ASK results have no {fmt.upper()} format; ask for JSON or XML")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([_csv_cell(t) for t in row] for row in result.rows)
        return buffer.getvalue()
    header = "\t".join(f"?{v}" for v in result.variables)
    body = ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join([header, *body]) + "\n"


def choose_format(accept: str, kind: str, fmt: str | None = None) -> str | None:
    """The format to answer a ``kind`` result in: ``fmt`` if given, else by the Accept header.

    Returns None when nothing acceptable can be produced (HTTP 406).
    """
    allowed = FORMATS_FOR[kind]
    if fmt:
        return fmt if fmt in allowed else None
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((-quality, position, media.lower()))
    if not ranges:
        return allowed[0]
    for negative_quality, _, media in sorted(ranges):
        if negative_quality >= 0:
            continue
        if media == "*/*":
            return allowed[0]
        if media.endswith("/*"):
            major = media[:-1]
            for name in allowed:
                if MEDIA_TYPES[name].startswith(major):
                    return name
        elif ACCEPTED.get(media) in allowed:
            return ACCEPTED[media]
    return None


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]


def _json(result: SelectResult | AskResult) -> str:
    if isinstance(result, AskResult):
        return json.dumps({"head": {}, "boolean": result.value}) + "\n"
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False) + "\n"


def _xml(result: SelectResult | AskResult) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if isinstance(result, AskResult):
        out += ["<head/>", f"<boolean>{str(result.value).lower()}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables))
    out.append("</head><results>")
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "\n".join(out) + "\n"


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    assert isinstance(term, ox.Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"
