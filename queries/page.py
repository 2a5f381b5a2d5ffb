"""The server's HTML: a query page with a form for every template, and result tables.

Plain HTML with a few lines of inline CSS and no scripts or outside resources, so it works
offline. Every text that comes from a template, a parameter or the graph is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from .engine import AskResult, GraphResult, Result
from .render import cells, display
from .templates import Template

STYLE = (
    "body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em}"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .4em;"
    "text-align:left;vertical-align:top}fieldset{margin:.6em 0}label{display:block}"
    "textarea{width:100%}"
)
FORMAT_CHOICES = ("html", "json", "xml", "csv", "tsv")


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n"
        "</body></html>\n"
    )


def _format_select() -> str:
    options = "".join(f'<option value="{f}">{f}</option>' for f in FORMAT_CHOICES)
    return f'<label>format <select name="format">{options}</select></label>'


def _template_form(t: Template) -> str:
    fields = []
    for p in t.params:
        fields.append(
            f'<label>{escape(p.name)} <input name="{escape(p.name)}" '
            f'value="{escape(p.default)}" placeholder="{escape(p.example)}"> '
            f"<small>{escape(p.type.describe())}: {escape(p.description)}</small></label>"
        )
    return (
        f'<fieldset id="{escape(t.name)}"><legend><b>{escape(t.name)}</b></legend>'
        f"<p>{escape(t.summary)}</p>"
        f'<form method="get" action="/templates/{escape(t.name)}">'
        + "".join(fields)
        + _format_select()
        + ' <button type="submit">run</button></form></fieldset>'
    )


def query_page(
    templates: dict[str, Template], endpoint_path: str, network_path: str | None = None
) -> str:
    """The page at '/': the endpoint's address, a free query box, the templates and, when
    the network page has been written, a link to it."""
    forms = "\n".join(_template_form(t) for t in templates.values())
    network = (
        f' The modality-factor network: <a href="{escape(network_path)}">'
        f"{escape(network_path)}</a>."
        if network_path is not None
        else ""
    )
    body = (
        "<h1>bclm-kg SPARQL endpoint</h1>"
        f"<p>SPARQL 1.1 Protocol endpoint: <code>{escape(endpoint_path)}</code> (GET or POST; "
        'read-only). Templates as JSON: <a href="/templates">/templates</a>.'
        f"{network}</p>"
        f'<form method="get" action="{escape(endpoint_path)}"><fieldset><legend><b>SPARQL'
        '</b></legend><textarea name="query" rows="8">'
        "SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea>"
        + _format_select()
        + ' <button type="submit">run</button></fieldset></form>'
        f"<h2>Templates</h2>\n{forms}"
    )
    return _document("bclm-kg SPARQL endpoint", body)


def html_result(result: Result, title: str) -> str:
    """A result as an HTML table (or the boolean of an ASK)."""
    if isinstance(result, AskResult):
        return _document(title or "result", f"<p>{str(result.value).lower()}</p>")
    if isinstance(result, GraphResult):
        columns: tuple[str, ...] = ("subject", "predicate", "object")
        rows = [[display(t.subject), display(t.predicate), display(t.object)]
                for t in result.triples]  # fmt: skip
    else:
        columns, rows = result.variables, cells(result)
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>\n" for row in rows
    )
    count = f"<p>{len(rows)} row{'s' if len(rows) != 1 else ''}</p>"
    heading = f"<h1>{escape(title)}</h1>" if title else ""
    return _document(
        title or "result",
        f'{heading}{count}<table><tr>{head}</tr>\n{body}</table><p><a href="/">back</a></p>',
    )
