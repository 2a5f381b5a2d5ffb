"""What the command line says about templates: the list, one template's description, and
turning ``--param k=v`` arguments into a mapping.

Kept apart from the template loader so that parsing stays strict and this module can
change its wording freely.
"""

from __future__ import annotations

from .params import ParameterError
from .templates import Template, templates


def listing() -> str:
    """One line per template: name and summary."""
    known = templates()
    width = max(len(name) for name in known)
    return "".join(f"{name:<{width}}  {t.summary}\n" for name, t in known.items())


def description(t: Template) -> str:
    """The template's summary, its parameters, an example command and the query text."""
    lines = [f"{t.name}: {t.summary}", ""]
    if t.params:
        lines.append("parameters:")
        for p in t.params:
            lines.append(f"  {p.name}: {p.type.describe()}; default {p.default}")
            lines.append(f"      {p.description} (example: {p.example})")
    else:
        lines.append("parameters: none")
    example = " ".join(f"--param {p.name}={p.example}" for p in t.params)
    lines += ["", f"example: bclm-kg query {t.name} {example}".rstrip(), "", t.text.rstrip()]
    return "\n".join(lines) + "\n"


def parse_param_args(args: list[str]) -> dict[str, str]:
    """``['k=v', ...]`` as a mapping; a name given twice or without '=' is an error."""
    given: dict[str, str] = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or not name:
            raise ParameterError(f"--param takes NAME=VALUE, got {arg!r}")
        if name in given:
            raise ParameterError(f"parameter '{name}' given twice")
        given[name] = value
    return given
