"""Named SPARQL templates: read ``templates/*.rq`` and parse their metadata headers strictly.

A template is a SPARQL SELECT query whose first lines are a header of ``#+`` comments::

    #+ name: studies_by_modality
    #+ summary: Studies of a modality (with subclasses): n, year, design, median OS.
    #+ param: modality | term Modality | default: ThermalAblation | example: Cryoablation | what

Keys: ``name`` (the file's stem), ``summary`` (one line) and one ``param`` line per
parameter, with five fields separated by `` | ``: the name (a variable of the query), the
type (see ``params.parse_type``), ``default: VALUE``, ``example: VALUE`` and a description.
The header is parsed strictly, because a template with a mistyped header would answer
questions it was not written for; every error names the file and line.

Each parameter is bound as a typed RDF term to the variable of its name, which the query
must project (pyoxigraph's ``substitutions=`` requires it), so every result row also says
which value it answers for. Parameters may appear only in the query's outermost group:
remote endpoints bind them with a VALUES block placed at the start of that group
(``values_at``), which must mean the same as a substitution.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .params import ParameterError, ParamType, Query, Term, parse_type

TEMPLATE_DIR = "templates"
HEADER_PREFIX = "#+"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
FIELD_SEPARATOR = " | "


class TemplateError(ValueError):
    """A template file that does not follow the header format."""


class UnknownTemplateError(KeyError):
    """A template name that no file defines."""

    def __init__(self, name: str, known: list[str]) -> None:
        import difflib

        close = difflib.get_close_matches(name, known, n=3, cutoff=0.7)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"unknown template '{name}'{hint} (see 'bclm-kg query --list')")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Param:
    """One declared parameter: its name, type, default, example and description."""

    name: str
    type: ParamType
    default: str
    example: str
    description: str


@dataclass(frozen=True)
class Template:
    """A parsed template: metadata, the query text and where remote bindings go."""

    name: str
    summary: str
    params: tuple[Param, ...]
    text: str
    values_at: int
    source: str

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(
            f"template '{self.name}' has no parameter '{name}' (parameters: {known})"
        )

    def bind(self, given: Mapping[str, str]) -> dict[str, Term]:
        """Every parameter bound to a typed term: the given value, else the default."""
        for name in given:
            self.param(name)
        return {p.name: p.type.bind(p.name, given.get(p.name, p.default)) for p in self.params}

    def query(self, given: Mapping[str, str]) -> Query:
        """The query with its parameters checked and bound (defaults for those not given)."""
        return Query(self.text, self.bind(given), self.values_at)


def parse_template(text: str, source: str) -> Template:
    """Parse one template file's text; ``source`` names it in error messages."""
    lines = text.splitlines(keepends=True)
    fields: dict[str, str] = {}
    params: list[Param] = []
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith(HEADER_PREFIX):
            break
        where = f"{source}:{number}"
        key, sep, value = line[len(HEADER_PREFIX) :].strip().partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not value:
            raise TemplateError(f"{where}: expected '#+ KEY: VALUE'")
        if key == "param":
            params.append(_parse_param(value, where, {p.name for p in params}))
        elif key in ("name", "summary"):
            if key in fields:
                raise TemplateError(f"{where}: '{key}' given twice")
            fields[key] = value
        else:
            raise TemplateError(
                f"{where}: unknown header key '{key}'; expected name, summary or param"
            )
    else:
        number += 1
    for key in ("name", "summary"):
        if key not in fields:
            raise TemplateError(f"{source}: the header has no '{key}'")
    stem = Path(source).stem
    if fields["name"] != stem:
        raise TemplateError(f"{source}: name '{fields['name']}' differs from the file name")
    body_start = sum(len(line) for line in lines[: number - 1])
    for later, line in enumerate(lines[number - 1 :], start=number):
        if line.lstrip().startswith(HEADER_PREFIX):
            raise TemplateError(f"{source}:{later}: header lines must come first")
    for p in params:
        if not re.search(rf"\?{p.name}\b", text[body_start:]):
            raise TemplateError(f"{source}: parameter '{p.name}' is not used as ?{p.name}")
    return Template(
        name=fields["name"],
        summary=fields["summary"],
        params=tuple(params),
        text=text,
        values_at=_outer_group_start(text, body_start, source),
        source=source,
    )


def _parse_param(value: str, where: str, seen: set[str]) -> Param:
    parts = value.split(FIELD_SEPARATOR)
    if len(parts) != 5:
        raise TemplateError(
            f"{where}: a param has five fields 'NAME | TYPE | default: V | example: V | "
            f"DESCRIPTION', got {len(parts)}"
        )
    name, type_text, default, example, description = (p.strip() for p in parts)
    if not NAME_PATTERN.fullmatch(name):
        raise TemplateError(f"{where}: parameter name '{name}' must match [a-z][a-z0-9_]*")
    if name in seen:
        raise TemplateError(f"{where}: parameter '{name}' declared twice")
    try:
        param_type = parse_type(type_text)
    except ParameterError as error:
        raise TemplateError(f"{where}: {error}") from None
    values: dict[str, str] = {}
    for label, field in (("default", default), ("example", example)):
        if not field.startswith(f"{label}:"):
            raise TemplateError(f"{where}: expected '{label}: VALUE', got '{field}'")
        values[label] = field.removeprefix(f"{label}:").strip()
        try:
            param_type.bind(name, values[label])
        except ParameterError as error:
            raise TemplateError(f"{where}: {label}: {error}") from None
    if not description:
        raise TemplateError(f"{where}: parameter '{name}' has no description")
    return Param(name, param_type, values["default"], values["example"], description)


def _outer_group_start(text: str, start: int, source: str) -> int:
    """Offset just after the first '{' of the query body that is not in a comment or string.

    SPARQL IRIs cannot contain '{', and the SELECT clause has no braces, so this brace
    opens the outermost group pattern: the place for a remote VALUES block.
    """
    i, quote = start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif text.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif c == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            i += len(quote) - 1
        elif c == "{":
            return i + 1
        i += 1
    raise TemplateError(f"{source}: no group pattern '{{' in the query")


@cache
def templates() -> dict[str, Template]:
    """Every packaged template, by name, in name order."""
    folder = resources.files(__package__).joinpath(TEMPLATE_DIR)
    found = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    parsed = [parse_template(f.read_text(encoding="utf-8"), f.name) for f in found]
    return {t.name: t for t in parsed}


def template(name: str) -> Template:
    """The packaged template of that name; raises ``UnknownTemplateError`` otherwise."""
    known = templates()
    if name not in known:
        raise UnknownTemplateError(name, list(known))
    return known[name]
