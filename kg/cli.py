"""The ``kg`` command: a thin layer over the library.

Each command parses its options, makes one library call, and formats the
result. Exit codes: 0 success, 1 the graph does not conform to the shapes,
2 bad input or usage, 3 a push whose outcome is unknown. Errors are one sentence
on stderr, never a traceback.

Imports are made inside the commands, so ``kg query`` does not pay for pyshacl.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg import __version__
from kg.errors import KgError

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns

DEFAULT_GRAPH = Path("out") / "graph.ttl"
DEFAULT_TIMEOUT = 30.0  # seconds, as Jena Fuseki's example configuration allows a query in total
DEFAULT_PUSH_TIMEOUT = 600.0  # seconds for a whole push (kg.stores.remote.PUSH_TIMEOUT)


class KgGroup(click.Group):
    """Turns the library's errors into one line on stderr and an exit code.

    A build that stops says what it had replaced by then (``kg.pipeline.corpus.outputs_after``, carried
    by the exception as ``kg_outputs``): "outputs are unchanged" only when they are.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            _error(f"kg: {_and_outputs(exc, str(exc))}")
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, BrokenPipeError):
            raise
        except OSError as exc:  # the disk is full, a folder is not writable, ...
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _error(f"kg: {where}{exc.strerror or exc}; {_outputs(exc)}.")
            ctx.exit(2)
        except KeyboardInterrupt as exc:
            _error(f"kg: interrupted; {_outputs(exc)}.")
            ctx.exit(130)
        except Exception as exc:  # a bug: still one sentence, the traceback on request
            if os.environ.get("KG_DEBUG"):
                raise
            text = f"internal error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for the traceback)."
            _error(f"kg: {_and_outputs(exc, text)}")
            ctx.exit(2)


UNCHANGED = "outputs are unchanged"


def _outputs(exc: BaseException) -> str:
    """What the command had replaced when ``exc`` stopped it (see kg.pipeline.corpus.outputs_after)."""
    sentence = getattr(exc, "kg_outputs", None)
    return sentence if isinstance(sentence, str) else UNCHANGED


def _and_outputs(exc: BaseException, sentence: str) -> str:
    """The error's ``sentence``, and what the build had replaced when it stopped, if anything."""
    outputs = _outputs(exc)
    return sentence if outputs == UNCHANGED else f"{sentence.rstrip('.')}; {outputs}."


def _error(sentence: str) -> None:
    """An error on stderr, data in it shown, never obeyed: control characters (ESC, C1, bidi
    overrides, lone surrogates) escaped by :func:`kg.errors.printable`."""
    from kg.errors import printable

    click.echo(printable(sentence), err=True)


def _show(text: str, err: bool = False) -> None:
    """Text with data in it (labels, sentences, findings) on the terminal, shown, never obeyed
    (:func:`kg.errors.printable`)."""
    from kg.errors import printable

    click.echo(printable(text), err=err)


DEFAULT_CHECK_TIMEOUT = 600.0  # kg build: seconds the SPARQL checks may take (kg.pipeline.corpus has the same)
DEFAULT_VALIDATE_TIMEOUT = 600.0  # kg validate: seconds; pyshacl on a large graph in memory may take minutes
DEFAULT_MAX_ROWS = 0  # kg query: no cap unless asked (a cap reads the answer row by row in Python: 0.15 s per 5,000 rows)

MAX_TIMEOUT = 86400.0  # seconds: a day; anything longer is a mistake, and 1e308 overflows the clock


class Seconds(click.ParamType):
    """A time limit in seconds, from 0 (no limit) to MAX_TIMEOUT: nan, inf, negative and absurd
    values are refused in one sentence (a kg UsageError, so the error handler prints it) before any
    work starts."""

    name = "seconds"

    def convert(self, value, param, ctx):
        import math

        from kg.errors import UsageError

        option = f"--{param.name}" if param is not None and param.name else "the time limit"
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not math.isfinite(seconds) or not 0 <= seconds <= MAX_TIMEOUT:
            raise UsageError(f"{option} must be a number of seconds from 0 (no limit) to {MAX_TIMEOUT:.0f} (a day), not '{value}'")
        return seconds


class Host(click.ParamType):
    """An address to listen on: an IPv4 or IPv6 address, or a host name (RFC 1123 labels, not all
    digits: '256.1.1.1' is neither an address nor a name). Refused in one sentence before binding."""

    name = "host"

    def convert(self, value, param, ctx):
        import ipaddress
        import re

        from kg.errors import UsageError

        text = str(value)
        try:
            return str(ipaddress.ip_address(text.strip("[]") if ":" in text else text))
        except ValueError:
            pass
        labels = text.rstrip(".").split(".")
        label = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
        if len(text) <= 253 and all(label.fullmatch(part) for part in labels) and not labels[-1].isdigit():
            return text
        raise UsageError(f"--host '{text}' is neither an IP address nor a host name (e.g. 127.0.0.1, ::1 or localhost)")


class Format(click.ParamType):
    """A format given by name, file extension or media type (``ttl``, ``turtle``, ``text/turtle``), read
    by ``resolve`` (one of the functions below): what it returns is the value; a name of no format it
    knows is refused in one sentence listing them (a kg UsageError, exit 2)."""

    name = "format"

    def __init__(self, resolve):
        self.resolve = resolve

    def convert(self, value, param, ctx):
        return self.resolve(str(value))


def _export_format(text: str) -> str:
    """An RDF syntax or a graph tool's format (kg.stores.formats.export_format)."""
    from kg.stores.formats import export_format

    return export_format(text)


def _picture_format(text: str) -> str:
    """png, svg or html (kg.stores.formats.picture)."""
    from kg.stores.formats import picture

    return picture(text)


def _query_format(text: str) -> str:
    """A format some answer of a query is written in, as given (kg.query.results.check_format): which
    one ``xml`` means depends on the answer."""
    from kg.query.results import check_format

    return check_format(text.strip().lower())


STDOUT = Path("-")  # -o -: standard output


def _output_format(output: Path, fmt: str | None, resolve) -> str:
    """The format of ``-o output``: ``--format`` when given, else the extension of ``output``, read by
    ``resolve`` (standard output has none: a UsageError asks for --format)."""
    from kg.stores.formats import of_output

    return fmt if fmt is not None else of_output(output, resolve)


def _refuse_binary_terminal(output: Path, what: str) -> None:
    """Refuse, before any work, to write binary ``what`` (a PNG) to standard output when it is a terminal."""
    from kg.errors import UsageError

    if output == STDOUT and sys.stdout.isatty():
        raise UsageError(f"{what} is binary and standard output is a terminal: redirect it to a file or a pipe, or give -o FILE")


def _write_output(output: Path, data: bytes) -> bool:
    """Write ``data`` to the file ``output`` atomically (kg.stores.files.write_atomic), or to standard
    output when ``output`` is ``-``, as bytes. True when it went to standard output (then nothing else may)."""
    if output == STDOUT:
        sys.stdout.flush()  # what was written as text before goes first
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return True
    from kg.stores.files import write_atomic

    write_atomic(output, data)
    return False


graph_option = click.option(
    "--graph",
    "graph_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_GRAPH,
    show_default=True,
    help="The graph file to read (Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML, by its extension).",
)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="kg")  # the version is written once, in kg/__init__.py
def cli():
    """Knowledge graphs from trade-relations press releases.

    Exit codes: 0 ok, 1 the graph does not conform (kg diff: the graphs differ),
    2 bad input or usage, 3 a push whose outcome is unknown.
    """
    import logging

    # rdflib logs ill-typed literals with a traceback; kg reports them as violations instead
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@cli.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"), show_default=True, help="The data folder.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True, help="Where graph.ttl is written.")
@click.option("--store", type=click.Choice(["memory", "oxigraph"]), default="oxigraph", show_default=True,
              help="oxigraph: also keep the graph in the on-disk Oxigraph store OUT/store, which kg query reads; "
                   "memory: write graph.ttl only.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that build changed releases [default: one per core].")
@click.option("--no-cache", is_flag=True, help="Rebuild every release, ignoring and not writing OUT/cache.")
@click.option("--timeout", type=Seconds(), default=DEFAULT_CHECK_TIMEOUT, show_default=True,
              help="Seconds the SPARQL checks on the whole graph may take before they are stopped (0: no limit).")
def build(data_dir: Path, out_dir: Path, store: str, jobs: int | None, no_cache: bool, timeout: float):
    """Build the graph from the data folder, validate it, write OUT/graph.ttl.

    Only releases whose files (or the registry, ontology or kg itself) changed
    since the last build are built again; the checks across releases run on the
    whole graph every time. A progress bar goes to stderr when it is a terminal.
    """
    from kg.pipeline.corpus import build as run_build

    with _progress_bar("releases") as progress:
        result = run_build(data_dir, out_dir, store=store, jobs=jobs, cache=not no_cache, progress=progress,
                           keep_triples=False, timeout=timeout or None)
    summary = result.summary
    click.echo(
        f"releases: {summary['releases']} ({summary['rebuilt']} built, {summary['releases'] - summary['rebuilt']} cached)  "
        f"triples: {summary['triples']}  facts: {summary['facts']}  "
        f"actors: {summary['actors']}  conforms: {'yes' if summary['conforms'] else 'no'}"
        + (f"  warnings: {summary['warnings']}" if summary["warnings"] else "")
    )
    if result.removed:
        click.echo(f"removed {len(result.removed)} temporary files and folders an interrupted build left in {out_dir}: "
                   f"{', '.join(result.removed)}")
    if not result.report.conforms:
        from kg.errors import NotConformingError

        _show(result.report.text(), err=True)
        raise NotConformingError(f"the graph does not conform; {out_dir / 'graph.ttl'} was not written")
    if result.report.warnings:
        _show(result.report.summary(), err=True)
    if result.repaired:
        click.echo(f"repaired {out_dir / 'store'}: it did not hold {out_dir / 'graph.ttl'}, so it was loaded afresh")
    click.echo(f"wrote {result.output}" + (f" and {out_dir / 'store'}" if store == "oxigraph" else ""))


@contextlib.contextmanager
def _progress_bar(label: str):
    """A ``progress(done, total)`` callback drawing a bar on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: ProgressBar[int] | None = None
    shown = 0

    def progress(done: int, total: int):
        nonlocal bar, shown
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
            bar.__enter__()
        bar.update(done - shown)
        shown = done

    try:
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path), default=None)
@graph_option
@click.option("--timeout", type=Seconds(), default=DEFAULT_VALIDATE_TIMEOUT, show_default=True,
              help="Stop the validation after this many seconds (0: no limit).")
def validate(file: Path | None, graph_path: Path, timeout: float):
    """Validate a graph file (FILE or --graph FILE, default out/graph.ttl) against ontology/shapes.ttl."""
    from kg.check.deadline import run_with_deadline
    from kg.check.shacl import validate_graph
    from kg.errors import NotConformingError, UsageError
    from kg.stores.files import load_graph

    given = click.get_current_context().get_parameter_source("graph_path") != click.core.ParameterSource.DEFAULT
    if file is not None and given and file != graph_path:
        raise UsageError(f"two graph files given, {file} and --graph {graph_path}: give one")
    graph_file = file if file is not None else graph_path
    graph = load_graph(graph_file)
    report = run_with_deadline(lambda: validate_graph(graph), timeout, f"the validation of {graph_file}")
    _show(report.text())
    if not report.conforms:
        raise NotConformingError(f"{graph_file} does not conform to the shapes")


@cli.command()
@click.argument("name", required=False)
@click.option("--sparql", help="A query given as text instead of a library name or .rq file.")
@graph_option
@click.option("--format", "fmt", type=Format(_query_format), default="table", show_default=True,
              help="SELECT and ASK: table, md, or a SPARQL results format (csv, tsv, json, xml). CONSTRUCT and "
                   "DESCRIBE: turtle, nt, nquads, trig, xml (RDF/XML) or jsonld (table and md print Turtle, json JSON-LD). "
                   "Each also by its file extension or media type (ttl, text/turtle, application/sparql-results+json).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE (<iri>, number or text); repeatable.")
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=0), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Cap on result rows, or triples of a CONSTRUCT, read from the local graph (0: none); a cut answer says so on stderr.")
@click.option("--endpoint", help="Run on a SPARQL store's query endpoint instead of the local graph file.")
@click.option("--graph-iri", default=None, help="With --endpoint: the store's named graph to query (sent as default-graph-uri) "
              "[default: the graph kg push writes, https://example.org/kg/graph].")
@click.option("--default-graph", is_flag=True,
              help="With --endpoint: query the store's default graph (no default-graph-uri sent), e.g. kg serve's.")
@click.option("--store", type=click.Choice(["memory", "oxigraph"]), default=None,
              help="memory: load --graph into memory even when the store beside it holds it; oxigraph: query the "
                   "store in --out as it is [default: the store beside --graph when it holds that file, else the file].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --store oxigraph: the build's output folder [default: the folder of --graph].")
def query(name: str | None, sparql: str | None, graph_path: Path, fmt: str, params: tuple[str, ...], timeout: float,
          max_rows: int, endpoint: str | None, graph_iri: str | None, default_graph: bool, store: str | None,
          out_dir: Path | None):
    """Run a library query (NAME), a .rq file, or --sparql TEXT on the graph, in Oxigraph."""
    from kg.errors import UsageError
    from kg.query.engine import source_for
    from kg.query.library import parse_params, query_remote, run_formatted, run_query_formatted, run_query_remote
    from kg.query.results import Formatted

    if (name is None) == (sparql is None):
        raise UsageError("give either a query NAME (or FILE.rq) or --sparql TEXT")
    if (graph_iri is not None or default_graph) and not endpoint:
        raise UsageError(f"{'--graph-iri' if graph_iri is not None else '--default-graph'} names a graph of a store: "
                         "give the store's query URL with --endpoint")
    if graph_iri is not None and default_graph:
        raise UsageError("give --graph-iri IRI (a named graph of the store) or --default-graph, not both")
    bindings = parse_params(params)
    if sparql is not None:
        if endpoint:
            result = query_remote(endpoint, sparql, bindings, graph_iri, timeout or 600, "the --sparql query",
                                  default_graph=default_graph)
        else:  # written as fmt where the query runs (kg.query.engine.run_formatted)
            result = run_formatted(source_for(graph_path, store, out_dir), sparql, fmt, bindings, "the --sparql query",
                                   timeout=timeout, max_rows=max_rows)
    else:
        assert name is not None  # one of the two, checked above
        if endpoint:
            result = run_query_remote(endpoint, name, bindings, graph_iri, timeout or 600, default_graph=default_graph)
        else:
            result = run_query_formatted(source_for(graph_path, store, out_dir), name, fmt, bindings,
                                         timeout=timeout, max_rows=max_rows)
    if not isinstance(result, Formatted):  # a remote store's Answer
        result = Formatted.of(result, fmt)
    click.echo(result.text, nl=False)
    if result.capped:
        _error(f"kg: the answer was cut to its first {max_rows} {'triples' if result.type == 'CONSTRUCT' else 'rows'} "
               "(--max-rows; 0 for none).")


@cli.command()
def queries():
    """List the query library, with the question each query answers."""
    from kg.query.library import library

    for entry in library():
        click.echo(f"{entry.name}\n    {entry.question}")
        for param, text in entry.params.items():
            marks = (["required"] if param in entry.required else []) + ([f"names {_article(entry.kinds[param])}"]
                                                                         if param in entry.kinds else []) \
                + (["text"] if param in entry.texts else [])
            click.echo(f"    --param {param}=...  {'(' + '; '.join(marks) + ') ' if marks else ''}{text}")


def _article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


@cli.command()
@graph_option
@click.option("--format", "fmt", type=Format(_export_format), default=None,
              help="turtle, nt, nquads, trig, xml (RDF/XML), jsonld, graphml or gexf, or any name, file extension or "
                   "media type of one (ttl, ntriples, nq, rdf, json-ld, text/turtle, application/ld+json) "
                   "[default: by the extension of -o].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), required=True,
              help="The file to write; - for standard output.")
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True, help="Labels for graphml/gexf.")
def export(graph_path: Path, fmt: str | None, output: Path, lang: str):
    """Write the graph in another RDF syntax (JSON-LD uses the bundled context; TriG and N-Quads
    put it in its named graph), or as GraphML / GEXF for Gephi, Cytoscape and NetworkX."""
    from kg.stores.files import load_graph
    from kg.stores.formats import NETWORK_FORMATS

    fmt = _output_format(output, fmt, _export_format)
    graph = load_graph(graph_path)
    if fmt in NETWORK_FORMATS:
        from kg.views.netgraph import export_bytes, to_networkx

        network = to_networkx(graph, lang=lang)
        if not _write_output(output, export_bytes(network, fmt)):
            click.echo(f"wrote {output} ({network.number_of_nodes()} nodes, {network.number_of_edges()} edges, {fmt})")
        return
    from kg.stores.files import serialize

    if not _write_output(output, serialize(graph, fmt)):
        click.echo(f"wrote {output} ({len(graph)} triples, {fmt})")


@cli.command()
@click.argument("name")
@graph_option
def explain(name: str, graph_path: Path):
    """Every fact about an actor (by id or name, in any language), each with the sentences that
    state it, and the releases it published."""
    from kg.query.engine import source_for
    from kg.views.explain import explain as run_explain

    result = run_explain(source_for(graph_path), name)
    count = len(result.facts)
    head = f"{result.label} <{result.actor}>: {count} fact{'s' if count != 1 else ''}"
    if result.releases:
        head += f"; publisher of {len(result.releases)} release{'s' if len(result.releases) != 1 else ''}"
    _show(head)
    for fact in result.facts:
        lines = [f"\n- {fact.label}", f"  fact: {fact.id} (as {', '.join(fact.relations)}) in release {fact.release}"]
        lines += [f"  sentence: «{sentence}»" for sentence in fact.sentences]
        _show("\n".join(lines))
    if result.releases:
        _show("\nreleases:")
        for release in result.releases:
            _show(f"- {release.id}, {release.date}: {release.headline} ({release.facts} fact{'s' if release.facts != 1 else ''})")


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", required=False, type=click.Path(path_type=Path), default=None)
@graph_option
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table", show_default=True,
              help="table: for reading; md: Markdown; json: every change, for programs.")
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True,
              help="Language of the labels and field names.")
def diff(old: Path, new: Path | None, graph_path: Path, fmt: str, lang: str):
    """What changed from the graph OLD to the graph NEW (or --graph FILE, default out/graph.ttl): releases
    and facts added, removed and changed (each changed field, old -> new), and organisations, people,
    places and sectors added or removed, by their labels.

    Exit codes, as diff's: 0 the graphs say the same, 1 they differ, 2 bad input.
    """
    from kg.errors import UsageError
    from kg.views.diff import diff as run_diff
    from kg.views.diff import format_changes

    given = click.get_current_context().get_parameter_source("graph_path") != click.core.ParameterSource.DEFAULT
    if new is not None and given and new != graph_path:
        raise UsageError(f"two new graphs given, {new} and --graph {graph_path}: give one")
    changes = run_diff(old, new if new is not None else graph_path, lang=lang)
    _show(format_changes(changes, fmt).rstrip("\n"))
    if not changes.same:
        click.get_current_context().exit(1)


@cli.command()
@graph_option
def stats(graph_path: Path):
    """Counts of resources by class and of statements by property."""
    from kg.stores.files import load_graph
    from kg.views.stats import stats as run_stats

    result = run_stats(load_graph(graph_path))
    click.echo(f"triples: {result.triples}  facts: {result.facts}\n\nclasses:")
    for name, count in result.classes:
        _show(f"  {count:6d}  {name}")
    click.echo("\nproperties:")
    for name, count in result.properties:
        _show(f"  {count:6d}  {name}")


@cli.command()
@graph_option
@click.option("--host", type=Host(), default="127.0.0.1", show_default=True, help="Address to listen on (loopback only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
              help="Each request's budget in seconds, all its work included (guard, query, cap, serializing) and "
                   "the wait for a worker; past it the answer is 503 and the worker is replaced (0: none).")
@click.option("--max-rows", type=click.IntRange(min=0), default=10000, show_default=True,
              help="Cap on result rows, or triples of a CONSTRUCT (0: none); a capped answer says so in X-KG-Truncated.")
@click.option("--max-body", type=click.IntRange(min=1), default=256 << 10, show_default=True,
              help="Largest request body in bytes; larger ones get 413.")
@click.option("--max-query", type=click.IntRange(min=1), default=64 << 10, show_default=True,
              help="Largest query text in bytes (UTF-8); larger ones get 413.")
@click.option("--workers", type=click.IntRange(min=1), default=8, show_default=True,
              help="Worker processes: queries that run at once (twice as many wait; more get 503).")
@click.option("--max-connections", type=click.IntRange(min=1), default=500, show_default=True,
              help="Open connections at once; more wait to be accepted.")
@click.option("--idle-timeout", type=click.IntRange(min=1), default=10, show_default=True,
              help="Seconds an idle connection is kept open.")
@click.option("--cache", "cache_mib", type=click.IntRange(min=0), default=64, show_default=True,
              help="MiB of answers kept, by query text and Accept header (0: no cache).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host is NAME (besides localhost, 127.0.0.1, ::1 and --host); repeatable.")
@click.option("--cors", "cors_origin", default=None,
              help="Send CORS headers for this origin, and take its queries (other sites' pages are refused).")
def serve(graph_path: Path, host: str, port: int, timeout: float, max_rows: int, max_body: int, max_query: int,
          workers: int, max_connections: int, idle_timeout: int, cache_mib: int, allow_hosts: tuple[str, ...],
          cors_origin: str | None):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at /."""
    from kg.views.endpoint import Settings, load
    from kg.views.endpoint import serve as run_serve

    store = load(graph_path)
    settings = Settings(timeout=timeout, max_rows=max_rows, max_body=max_body, max_query=max_query, cors_origin=cors_origin,
                        allow_hosts=allow_hosts, workers=workers, max_connections=max_connections, idle_timeout=idle_timeout,
                        cache_bytes=cache_mib << 20)
    run_serve(store, host, port, settings, ready=lambda: click.echo(
        f"serving {graph_path} ({len(store)} triples) at http://{host}:{port}/sparql "
        f"({workers} workers, cache {cache_mib} MiB; Ctrl-C to stop)", err=True))


@cli.command()
@graph_option
@click.option("--endpoint", required=True, help="The store's Graph Store Protocol URL (e.g. Oxigraph's http://HOST:7878/store).")
@click.option("--graph-iri", default=None, help="The named graph to replace [default: https://example.org/kg/graph].")
@click.option("--query-endpoint", default=None,
              help="The store's SPARQL query URL, where the triple count is read back [default: beside --endpoint, "
                   "for Oxigraph, Fuseki, GraphDB, Virtuoso and Neptune].")
@click.option("--timeout", type=Seconds(), default=DEFAULT_PUSH_TIMEOUT, show_default=True,
              help="Give up after this many seconds in all, reading back included (0: no total bound; a connection "
                   "still waits 10 s at most to open and 60 s for the store to say anything).")
def push(graph_path: Path, endpoint: str, graph_iri: str | None, query_endpoint: str | None, timeout: float):
    """Replace a named graph of a SPARQL store with the graph (Graph Store Protocol PUT), then
    read its triple count back (a SPARQL COUNT): success only when the store holds as many
    triples as were sent.

    Credentials come from KG_STORE_TOKEN, or KG_STORE_USER and KG_STORE_PASSWORD (sent as the
    store's challenge asks, Digest or Basic; KG_STORE_AUTH=basic or digest insists on one), never
    from the URL. No redirect is followed.
    Exit 3: the outcome is unknown (no answer came once the graph was being sent).
    """
    from kg.stores.files import GRAPH_IRI, load_graph
    from kg.stores.remote import push as run_push

    iri = graph_iri or str(GRAPH_IRI)
    count = run_push(load_graph(graph_path), endpoint, iri, timeout=timeout, query_endpoint=query_endpoint)
    click.echo(f"pushed {count} triples to <{iri}> at {endpoint}; read back: the store holds {count}")


@cli.command()
@graph_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), required=True,
              help="The picture: .png or .svg (matplotlib) or .html (interactive, offline); - for standard output.")
@click.option("--format", "fmt", type=Format(_picture_format), default=None,
              help="png, svg or html, or its media type (image/png, image/svg+xml, text/html) [default: by the extension of -o].")
@click.option("--focus", default=None, help="Show only the neighbourhood of this actor (label or id).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True, help="With --focus: how many relations away.")
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True, help="Language of the labels.")
@click.option("--include", type=click.Choice(["provenance", "literals"]), multiple=True, help="Also show these (repeatable).")
def viz(graph_path: Path, output: Path, fmt: str | None, focus: str | None, depth: int, lang: str, include: tuple[str, ...]):
    """Draw the graph (format by --format or the extension of -o: png, svg, html)."""
    from kg.stores.files import load_graph
    from kg.views.netgraph import neighbourhood, resolve, to_networkx
    from kg.views.viz import page, picture, title_of

    fmt = _output_format(output, fmt, _picture_format)
    if fmt == "png":
        _refuse_binary_terminal(output, "a PNG")
    graph = load_graph(graph_path)
    network = to_networkx(graph, lang=lang, include=include)
    title = title_of(graph)
    centre = None
    if focus:
        centre = resolve(network, focus)
        network = neighbourhood(network, focus, depth)
        title = f"{network.nodes[centre]['label']}, {depth} relation{'s' if depth != 1 else ''} around — {title}"
    data = page(graph, network, title).encode("utf-8") if fmt == "html" else picture(network, fmt, title, focus=centre)
    if not _write_output(output, data):
        click.echo(f"wrote {output} ({network.number_of_nodes()} nodes, {network.number_of_edges()} edges)")


@cli.command()
@click.argument("name")
@graph_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=Path("out") / "chart.png",
              show_default=True, help="The PNG to write; - for standard output.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE; repeatable.")
def chart(name: str, graph_path: Path, output: Path, params: tuple[str, ...]):
    """Bar chart of a library query's figures (e.g. sector-breakdown), hedges shown as ≈ > <."""
    from kg.query.library import find_query, parse_params, run_query
    from kg.stores.files import load_graph
    from kg.views.viz import chart_png

    _refuse_binary_terminal(output, "a PNG")
    entry = find_query(name)
    result = run_query(load_graph(graph_path), name, parse_params(params), timeout=DEFAULT_TIMEOUT)
    if not _write_output(output, chart_png(result, entry.question)):
        click.echo(f"wrote {output}")


@cli.command()
@click.argument("source")
@click.argument("target")
@graph_option
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True)
def path(source: str, target: str, graph_path: Path, lang: str):
    """The shortest chain of relations between two actors, one hop a line."""
    from kg.stores.files import load_graph
    from kg.views.netgraph import shortest_path, to_networkx

    network = to_networkx(load_graph(graph_path), lang=lang)
    hops = shortest_path(network, source, target)
    label = lambda node: network.nodes[node]["label"]  # noqa: E731
    for a, relation, b, forward in hops:
        arrow = f"--[{relation}]-->" if forward else f"<--[{relation}]--"
        _show(f"{label(a)} {arrow} {label(b)}")
    click.echo(f"({len(hops)} hop{'s' if len(hops) != 1 else ''})")


@cli.command()
@graph_option
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True)
def hubs(graph_path: Path, top: int, lang: str):
    """The central actors (people, organisations, places), by betweenness centrality."""
    from kg.stores.files import load_graph
    from kg.views.netgraph import hubs as rank
    from kg.views.netgraph import to_networkx

    ranked = rank(to_networkx(load_graph(graph_path), lang=lang), top)
    click.echo("betweenness centrality (normalised, on the undirected graph of actors and facts)")
    for position, (node, label, cls, score) in enumerate(ranked, 1):
        _show(f"{position:3d}. {score:.4f}  {label} ({cls}, {node})")


@cli.command()
@click.argument("text_file", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write the draft here; - or none: standard output.")
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path),
              help="A data folder: lay out releases/ID/ with the text and the draft, and add the organisations and "
                   "people the draft names and the registry lacks to its registry.yaml, ready for kg build --data.")
@click.option("--id", "release_id", default=None, help="The release id (default: from the file name).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"), show_default=True,
              help="Where registry.yaml names the known organisations and people (with --into: copied into it when it has none).")
@click.option("--explain", "explained", is_flag=True,
              help="After the release and each fact, comment lines with the rule and the words each attribute came from.")
@click.option("--evaluate", "evaluate_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Instead: score drafts of every release in this data folder against its curated annotation.")
def extract(text_file: Path | None, output: Path | None, into: Path | None, release_id: str | None, data_dir: Path,
            explained: bool, evaluate_dir: Path | None):
    """Draft the annotation of a release text (Italian), each item with its evidence.

    TEXT_FILE may be a folder: with --into, every *.txt in it is drafted as one release (its id from the file
    name), with a progress bar on stderr when it is a terminal. Facts the loader would refuse are left out
    for a `# review:` note, so that `kg build --data INTO` reads every draft.
    """
    from kg.draft.evaluate import evaluate, format_evaluation
    from kg.draft.extract import extract_file, extract_folder, extract_into, to_yaml
    from kg.errors import UsageError

    if evaluate_dir is not None:
        click.echo(format_evaluation(evaluate(evaluate_dir)))
        return
    if text_file is None:
        raise UsageError("give the release text to extract from (or --evaluate DATA_DIR)")
    registry_dir = data_dir if (data_dir / "registry.yaml").is_file() else None
    if text_file.is_dir():
        if into is None:
            raise UsageError(f"{text_file} is a folder: give --into DATA_DIR to draft each of its texts into")
        if release_id is not None:
            raise UsageError("--id names one release; a folder's releases are named after their files")
        with _progress_bar("texts") as progress:
            results = extract_folder(text_file, into, registry_dir, progress, explained)
        skipped = [(path, what) for path, draft, what in results if draft is None]
        for path, what in skipped:
            _show(f"{path.name}: {what}", err=True)
        click.echo(f"drafted {len(results) - len(skipped)} of {len(results)} texts of {text_file} into {into}/releases; "
                   f"review, then kg build --data {into}")
        return
    if not text_file.is_file():
        raise UsageError(f"no such text file: {text_file}")
    if into is not None:
        draft, folder = extract_into(text_file, into, release_id, registry_dir, explained)
        added = sum(len(entries) for entries in draft.additions.values())
        click.echo(f"wrote {folder}/ (release.txt, annotation.yaml: {len(draft.facts)} facts)"
                   + (f" and {added} registry additions to review in {into / 'registry.yaml'}" if added else "")
                   + f"; review, then kg build --data {into}")
        return
    draft = extract_file(text_file, release_id, registry_dir)
    text = to_yaml(draft, explained)
    if not _write_output(output or STDOUT, text.encode("utf-8")):
        click.echo(f"wrote {output} ({len(draft.facts)} facts)")


@cli.command()
@click.argument("release_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The data folder whose registry, places and sectors the annotation names [default: RELEASE_DIR/../..].")
@click.option("--port", type=click.IntRange(0, 65535), default=7880, show_default=True,
              help="The port on 127.0.0.1 (0: a free one).")
def review(release_dir: Path, data_dir: Path | None, port: int):
    """Review a release's annotation in the browser: the text with every fact's evidence, the facts to correct,
    the loader's errors and the validation's findings as you edit; Save writes annotation.yaml."""
    from kg.views.review import Desk
    from kg.views.review_server import serve as run_review

    desk = Desk(release_dir, data_dir)
    run_review(desk, port, ready=lambda url: click.echo(
        f"reviewing {desk.path} ({len(desk.facts)} facts) at {url} (127.0.0.1 only; Ctrl-C to stop)", err=True))


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
def init(target: Path):
    """Lay out a new data folder TARGET: a registry and one commented example release that builds."""
    from kg.draft.template import init_data

    files = init_data(target)
    click.echo(f"wrote {target} ({', '.join(str(f) for f in files)}); next: kg build --data {target}")


@cli.command()
@click.argument("count", type=click.IntRange(min=1))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The data folder to write (registry.yaml and releases/).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same count and seed give the same files.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the registry to start from is [default: ./data if it has a registry.yaml, "
                   "else the registry that kg init lays out].")
def synth(count: int, out_dir: Path, seed: int, data_dir: Path | None):
    """Write a synthetic corpus of COUNT releases of the family (fictional figures and actors)."""
    from kg.draft.synth import synthesize
    from kg.errors import UsageError

    if (out_dir / "releases").exists() and any((out_dir / "releases").iterdir()):
        raise UsageError(f"{out_dir}/releases is not empty; choose an empty --out folder")
    if data_dir is None and (Path("data") / "registry.yaml").is_file():
        data_dir = Path("data")
    if data_dir is not None and not (data_dir / "registry.yaml").is_file():
        raise UsageError(f"no registry.yaml in {data_dir} to start from")
    synthesize(count, out_dir, seed, data_dir)
    registry = data_dir / "registry.yaml" if data_dir is not None else "the bundled template registry"
    click.echo(f"wrote {count} releases to {out_dir} (seed {seed}, from {registry}); kg build --data {out_dir}")


FAST_EXIT = ("build",)  # the commands that end without the interpreter's teardown (see _exit_now)


def main():
    try:
        cli(prog_name="kg")
    except BrokenPipeError:  # `kg query ... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except SystemExit as exc:  # click ends every command so, with its exit code
        if _command(sys.argv[1:]) in FAST_EXIT:
            _exit_now(exc.code)
        raise


def _command(args: list[str]) -> str | None:
    """The command named on the command line (the first word that is not an option)."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def _exit_now(code) -> None:
    """End the process now, without Python's teardown, when nothing is left to finish.

    Tearing the interpreter down (freeing every module, graph and compiled pattern one by one)
    takes a tenth of a second after ``kg build`` has written, closed and renamed its outputs, as
    long as a small build itself. The build has by then reaped its processes and joined its
    threads, and kg registers nothing to run at exit; this checks both again, flushes the
    standard streams, and leaves with ``os._exit``. Otherwise it returns (the usual exit).
    """
    import threading

    if threading.active_count() > 1:
        return
    if "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader gone, a stream closed: the usual exit says so
        return
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


if __name__ == "__main__":
    main()
