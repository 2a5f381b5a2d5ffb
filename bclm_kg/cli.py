"""The ``bclm-kg`` command. It parses arguments and calls the stages; no logic lives here."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .kg_build.build import GRAPH_FILE, build
from .kg_build.check import check_graph_file, errors, render_report
from .kg_build.corpus import Corpus, load_corpus, locate_corpus, span_hash
from .kg_build.coverage import context, coverage, load_ignore_rules
from .kg_build.errors import BuildError, EvidenceError
from .kg_build.evidence import EVIDENCE_DIR, evidence_files, load_evidence
from .kg_build.extract.curate import accept, diff, load_draft, render_diff
from .kg_build.extract.draft import dump, extract
from .kg_build.extract.evaluate import evaluate, render_markdown
from .kg_build.extract.text import ExtractError
from .kg_build.stream import default_workers, stream_build
from .kg_build.synth import learn_profile, write_synthetic
from .ontology.build import ONTOLOGY_DIR, write_ontology_files
from .ontology.docs import DocsError, write_docs
from .ontology.mapping_table import ReadmeMarkerError, readme_section, with_table
from .ontology.mappings import mapping_set
from .ontology.rdfio import atomic_write_bytes
from .ontology.vocab import vocabulary
from .queries.catalog import description, listing, parse_param_args
from .queries.conflicts import list_conflicts
from .queries.engine import open_engine
from .queries.export import GraphNotBuiltError, export_table
from .queries.graph_formats import serialize_graph
from .queries.kgx import KgxOutputError, write_kgx
from .queries.params import Query, QueryError
from .queries.push import push_graph
from .queries.render import render
from .queries.server import ServerSettings, make_server
from .queries.templates import TemplateError, UnknownTemplateError, template
from .viz.build import PAGE_FILE, write_network_page
from .viz.graphml import network_graphml
from .viz.network import FocusError, View
from .viz.plots import write_figures

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="bclm-kg: a provenance-exact knowledge graph of the evidence on treating breast "
    "cancer liver metastasis.",
)
DEFAULT_OUT = Path("build")


class Reasoner(StrEnum):
    auto = "auto"
    hermit = "hermit"
    owlrl = "owlrl"
    none = "none"


class Table(StrEnum):
    evidence = "evidence"
    factors = "factors"
    studies = "studies"
    graph = "graph"


class TableFormat(StrEnum):
    tsv = "tsv"
    csv = "csv"
    json = "json"
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    owl = "owl"
    kgx = "kgx"
    graphml = "graphml"


GRAPH_FORMATS = ("ttl", "nt", "jsonld", "owl", "kgx", "graphml")


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    md = "md"


GraphOption = Annotated[Path, typer.Option("--graph", help="The built graph.")]
EvidenceOption = Annotated[
    Path, typer.Option("--evidence", help="Directory of curated evidence YAML files.")
]
StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Keep the graph in an on-disk store in DIR (loaded once)."),
]
EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", help="Query this SPARQL 1.1 endpoint instead of the graph file."),
]
QueryFormatOption = Annotated[
    QueryFormat, typer.Option("--format", help="table, csv, tsv, json (W3C SPARQL results), md.")
]

DEFAULT_GRAPH = DEFAULT_OUT / GRAPH_FILE
CorpusOption = Annotated[
    Path | None,
    typer.Option(
        "--corpus", help="Corpus directory (default: $BCLM_CORPUS, then ../shared/corpus)."
    ),
]


def _fail(error: Exception) -> NoReturn:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(code=1)


@app.command("build")
def build_command(
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = DEFAULT_OUT,
    corpus: CorpusOption = None,
    evidence: EvidenceOption = EVIDENCE_DIR,
    reasoner: Annotated[
        Reasoner, typer.Option("--reasoner", help="auto: HermiT if Java is found, else owlrl.")
    ] = Reasoner.auto,
    no_corpus: Annotated[
        bool,
        typer.Option("--no-corpus", help="Build without the corpus: spans unchecked, no quotes."),
    ] = False,
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            help="For large inputs: write bclm-kg.nt and an Oxigraph store (store/) file by "
            "file instead of bclm-kg.ttl from memory.",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="With --stream: worker processes (default: 1 per CPU)."),
    ] = None,
) -> None:
    """Build build/bclm-kg.ttl: ontology, evidence and inferred triples, validated."""
    args = (out, evidence, corpus, reasoner.value)
    try:
        if stream:
            workers = jobs or default_workers()
            stream_build(*args, use_corpus=not no_corpus, log=typer.echo, workers=workers)
        else:
            build(*args, use_corpus=not no_corpus, log=typer.echo)
    except (EvidenceError, BuildError) as error:
        _fail(error)


@app.command("synth")
def synth_command(
    studies: Annotated[int, typer.Option("--studies", min=1, help="Number of studies.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the evidence files.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
) -> None:
    """Write synthetic evidence files shaped like the curated ones (for scale tests)."""
    profile = learn_profile(load_evidence(evidence_files()))
    paths = write_synthetic(studies, seed, out, profile)
    typer.echo(f"wrote {len(paths)} evidence files for {studies} studies to {out}")


@app.command("export")
def export_command(
    table: Annotated[Table, typer.Argument(help="A flat table, or the whole graph.")],
    fmt: Annotated[
        TableFormat | None,
        typer.Option(
            "--format",
            help="tables: tsv (default), csv, json; graph: ttl (default), nt, jsonld, owl, "
            "kgx (nodes.tsv and edges.tsv in the --out directory), graphml (the "
            "modality-factor network).",
        ),
    ] = None,
    graph: GraphOption = DEFAULT_GRAPH,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write to this file instead of stdout; for kgx a directory (default build/kgx).",
        ),
    ] = None,
) -> None:
    """Export a flat table (evidence, factors, studies) or the graph in an RDF format or KGX."""
    is_graph = table is Table.graph
    chosen = fmt.value if fmt else ("ttl" if is_graph else "tsv")
    if is_graph != (chosen in GRAPH_FORMATS):
        allowed = ", ".join(GRAPH_FORMATS) if is_graph else "tsv, csv, json"
        _fail(ValueError(f"format '{chosen}' does not fit '{table.value}'; use one of {allowed}"))
    if chosen == "kgx":
        try:
            result = write_kgx(graph, out if out is not None else DEFAULT_OUT / "kgx")
        except (GraphNotBuiltError, KgxOutputError) as error:
            _fail(error)
        typer.echo(f"wrote {result.nodes_path} ({result.nodes} nodes)")
        typer.echo(f"wrote {result.edges_path} ({result.edges} edges)")
        return
    try:
        if not is_graph:
            data = export_table(graph, table.value, chosen).encode("utf-8")
        elif chosen == "graphml":
            data = network_graphml(graph)
        else:
            data = serialize_graph(graph, chosen)
    except GraphNotBuiltError as error:
        _fail(error)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        atomic_write_bytes(out, data)


@app.command("coverage")
def coverage_command(
    corpus: CorpusOption = None,
    evidence: EvidenceOption = EVIDENCE_DIR,
    show: Annotated[int, typer.Option("--show", help="Uncovered numbers listed per file.")] = 20,
) -> None:
    """Count the numbers of each review covered by a recorded span; list the rest."""
    try:
        location = locate_corpus(corpus)
        if location is None:
            raise BuildError("coverage needs the corpus; use --corpus DIR or BCLM_CORPUS")
        texts = load_corpus(location)
        results = coverage(texts, load_evidence(evidence_files(evidence)), load_ignore_rules())
    except (EvidenceError, BuildError) as error:
        _fail(error)
    typer.echo(f"{'file':<28}{'numbers':>8}{'covered':>9}{'ignored':>9}{'uncovered':>11}")
    for r in results:
        typer.echo(f"{r.file:<28}{r.total:>8}{r.covered:>9}{r.ignored:>9}{len(r.uncovered):>11}")
    for r in results:
        for start, end, number in r.uncovered[:show]:
            typer.echo(
                f"{r.file}\t{start}-{end}\t{number}\t{context(texts.text(r.file), start, end)}"
            )
    if any(r.uncovered for r in results):
        raise typer.Exit(code=1)


@app.command("conflicts")
def conflicts_command(
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.tsv,
    graph: GraphOption = DEFAULT_GRAPH,
) -> None:
    """List studies that two reviews report with different numbers, with both sources."""
    try:
        sys.stdout.write(list_conflicts(graph, fmt.value))
    except GraphNotBuiltError as error:
        _fail(error)


@app.command("viz")
def viz_command(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = DEFAULT_OUT
    / PAGE_FILE,
    view: Annotated[
        View, typer.Option("--view", help="factors; studies or subtypes add a second layer.")
    ] = View.factors,
    focus: Annotated[
        str | None,
        typer.Option("--focus", help="Show one modality's neighbourhood (label, synonym or id)."),
    ] = None,
    graph: GraphOption = DEFAULT_GRAPH,
) -> None:
    """Write the network page: one self-contained HTML file that works offline."""
    try:
        typer.echo(f"wrote {write_network_page(graph, out, view, focus)}")
    except (GraphNotBuiltError, FocusError) as error:
        _fail(error)


@app.command("plot")
def plot_command(
    out: Annotated[Path, typer.Option("--out", help="Directory for the figures.")] = DEFAULT_OUT,
    graph: GraphOption = DEFAULT_GRAPH,
) -> None:
    """Write figures (PNG and SVG): median OS by modality, factor directions by modality."""
    try:
        for path in write_figures(graph, out):
            typer.echo(f"wrote {path}")
    except GraphNotBuiltError as error:
        _fail(error)


@app.command("mappings")
def mappings_command(
    readme: Annotated[
        Path | None,
        typer.Option("--readme", help="Rewrite the mappings table of this README in place."),
    ] = None,
) -> None:
    """Print the tables of mapped and unmapped concepts (from ontology/mappings.sssom.tsv)."""
    table = readme_section(mapping_set(), vocabulary())
    if readme is None:
        sys.stdout.write(table)
        return
    try:
        text = with_table(readme.read_text(encoding="utf-8"), table)
    except (OSError, ReadmeMarkerError) as error:
        _fail(error)
    atomic_write_bytes(readme, text.encode("utf-8"))
    typer.echo(f"wrote the mappings table of {readme}")


@app.command("check")
def check_command(
    graph: GraphOption = DEFAULT_GRAPH,
) -> None:
    """Quality report of the built graph (labels, definitions, orphans, dangling IRIs)."""
    try:
        findings = check_graph_file(graph)
    except BuildError as error:
        _fail(error)
    sys.stdout.write(render_report(findings))
    if errors(findings):
        raise typer.Exit(code=1)


@app.command("query")
def query_command(
    name: Annotated[str | None, typer.Argument(help="Template name (see --list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="NAME=VALUE; repeat for each parameter.")
    ] = None,
    fmt: QueryFormatOption = QueryFormat.table,
    list_: Annotated[bool, typer.Option("--list", help="List the templates.")] = False,
    describe: Annotated[
        str | None, typer.Option("--describe", help="Show a template's parameters and text.")
    ] = None,
    graph: GraphOption = DEFAULT_GRAPH,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Run a named SPARQL template with typed parameters."""
    try:
        if list_:
            sys.stdout.write(listing())
            return
        if describe is not None:
            sys.stdout.write(description(template(describe)))
            return
        if name is None:
            raise QueryError("give a template name, --list or --describe NAME")
        query = template(name).query(parse_param_args(param or []))
        result = open_engine(graph, store, endpoint).run(query)
    except (QueryError, TemplateError, UnknownTemplateError, GraphNotBuiltError) as error:
        _fail(error)
    sys.stdout.write(render(result, fmt.value))


@app.command("sparql")
def sparql_command(
    file: Annotated[str, typer.Argument(help="A file of SPARQL, or - for standard input.")],
    fmt: QueryFormatOption = QueryFormat.table,
    graph: GraphOption = DEFAULT_GRAPH,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        result = open_engine(graph, store, endpoint).run(Query(text))
    except (QueryError, GraphNotBuiltError, OSError) as error:
        _fail(error)
    sys.stdout.write(render(result, fmt.value))


@app.command("push")
def push_command(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="Graph Store Protocol URL, e.g. .../store.")
    ],
    graph: GraphOption = DEFAULT_GRAPH,
    named_graph: Annotated[
        str | None, typer.Option("--named-graph", help="Replace this named graph, not the default.")
    ] = None,
) -> None:
    """Load the built graph into a SPARQL store with the Graph Store Protocol (PUT)."""
    try:
        size = push_graph(graph, endpoint, named_graph)
    except (QueryError, GraphNotBuiltError) as error:
        _fail(error)
    typer.echo(f"pushed {graph} ({size} bytes) to {endpoint}")


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    graph: GraphOption = DEFAULT_GRAPH,
    store: StoreOption = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per query.")] = 10.0,
    row_cap: Annotated[int, typer.Option("--row-cap", help="Most rows per answer.")] = 10_000,
    workers: Annotated[int, typer.Option("--workers", help="Query worker processes.")] = 2,
    network: Annotated[
        Path, typer.Option("--network", help="The network page to serve at /network.")
    ] = DEFAULT_OUT / PAGE_FILE,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page."""
    settings = ServerSettings(host, port, timeout, row_cap, workers, network)
    try:
        server = make_server(graph, store, settings, log=lambda line: typer.echo(line, err=True))
    except (GraphNotBuiltError, OSError) as error:
        _fail(error)
    typer.echo(f"serving {graph} on http://{host}:{server.server_port}/ (SPARQL: /sparql)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()


@app.command("ontology")
def ontology_command(
    out: Annotated[
        Path, typer.Option("--out", help="Directory for bclm.owl and bclm.ttl.")
    ] = ONTOLOGY_DIR,
) -> None:
    """Write the ontology as RDF/XML (bclm.owl, for Protégé) and Turtle (bclm.ttl)."""
    for path in write_ontology_files(out):
        typer.echo(f"wrote {path}")


@app.command("docs")
def docs_command(
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = DEFAULT_OUT / "docs",
) -> None:
    """Write the ontology's HTML documentation (pyLODE) to build/docs/ontology.html."""
    try:
        typer.echo(f"wrote {write_docs(out)}")
    except DocsError as error:
        _fail(error)


EXTRACTION_DOC = Path("docs") / "extraction.md"


def _corpus_or_none(corpus: Path | None) -> Corpus | None:
    location = locate_corpus(corpus)
    return load_corpus(location) if location is not None else None


@app.command("extract")
def extract_command(
    file: Annotated[Path | None, typer.Argument(help="A plain-text review.")] = None,
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="Study id for the review's own claims.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the draft here instead of stdout.")
    ] = None,
    evaluate_: Annotated[
        bool,
        typer.Option("--evaluate", help="Score drafts of every curated review; write the table."),
    ] = False,
    corpus: CorpusOption = None,
    evidence: Annotated[
        Path, typer.Option("--evidence", help="Curated evidence to score against.")
    ] = EVIDENCE_DIR,
    doc: Annotated[
        Path, typer.Option("--doc", help="Where --evaluate writes its table.")
    ] = EXTRACTION_DOC,
) -> None:
    """Draft evidence (YAML, every record a draft with a confidence) from a review."""
    try:
        if evaluate_:
            location = locate_corpus(corpus)
            if location is None:
                raise BuildError("--evaluate needs the corpus; use --corpus DIR or BCLM_CORPUS")
            table = render_markdown(evaluate(location, evidence))
            atomic_write_bytes(doc, table.encode("utf-8"))
            typer.echo(table, nl=False)
            return
        if file is None:
            raise ExtractError("give a review FILE to extract, or --evaluate")
        data = dump(extract(file, source_id))
    except (ExtractError, EvidenceError, BuildError) as error:
        _fail(error)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        atomic_write_bytes(out, data)
        typer.echo(f"wrote {out}")


curate_app = typer.Typer(no_args_is_help=True, help="Review drafts and accept their records.")
app.add_typer(curate_app, name="curate")


@curate_app.command("diff")
def curate_diff_command(
    draft: Annotated[Path, typer.Argument(help="A draft written by bclm-kg extract.")],
    evidence: EvidenceOption = EVIDENCE_DIR,
    corpus: CorpusOption = None,
) -> None:
    """Show what a draft adds, changes or contradicts against the curated evidence."""
    try:
        loaded = load_draft(draft, _corpus_or_none(corpus))
        curated = load_evidence(evidence_files(evidence))
    except (EvidenceError, BuildError) as error:
        _fail(error)
    sys.stdout.write(render_diff(diff(loaded, curated)))


@curate_app.command("accept")
def curate_accept_command(
    draft: Annotated[Path, typer.Argument(help="A draft written by bclm-kg extract.")],
    records: Annotated[list[str], typer.Argument(help="Report ids to accept.")],
    into: Annotated[
        Path | None,
        typer.Option("--into", help="Evidence file (default: evidence/<review>.yaml)."),
    ] = None,
    evidence: EvidenceOption = EVIDENCE_DIR,
    corpus: CorpusOption = None,
) -> None:
    """Move reports from a draft into an evidence file, dropping the draft marker."""
    try:
        target, moved = accept(draft, records, into, _corpus_or_none(corpus), evidence)
    except (EvidenceError, BuildError) as error:
        _fail(error)
    typer.echo(f"accepted {len(moved)} record(s) into {target}: {', '.join(moved)}")


@app.command("span")
def span_command(
    file: Annotated[str, typer.Argument(help="Corpus file name, e.g. 001_c55962c33ca41f6d.txt.")],
    start: Annotated[int | None, typer.Argument(help="Start offset.")] = None,
    end: Annotated[int | None, typer.Argument(help="End offset.")] = None,
    find: Annotated[
        str | None, typer.Option("--find", help="Print the span of every occurrence of this text.")
    ] = None,
    corpus: CorpusOption = None,
) -> None:
    """Show the quote behind a span, or find the spans of a text, for curators."""
    try:
        location = locate_corpus(corpus)
        if location is None:
            raise BuildError("no corpus found; use --corpus DIR or BCLM_CORPUS")
        text = load_corpus(location).text(file)
    except BuildError as error:
        _fail(error)
    if find is not None:
        position = text.find(find)
        while position >= 0:
            stop = position + len(find)
            typer.echo(f"{position}-{stop}:{span_hash(text[position:stop])}")
            position = text.find(find, position + 1)
        return
    if start is None or end is None or not 0 <= start < end <= len(text):
        _fail(BuildError(f"give START < END within 0..{len(text)}, or --find TEXT"))
    typer.echo(f"{start}-{end}:{span_hash(text[start:end])}\t{text[start:end]}")


if __name__ == "__main__":
    app()
