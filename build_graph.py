#!/usr/bin/env python3
"""govkg command line: build, query and serve a knowledge graph of Chinese government news.

With no arguments it builds the bundled sample articles into exports/.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from graph.errors import GovkgError

DEFAULT_OUT = Path("exports")
FORMATS = ("table", "csv", "tsv", "json")  # query answers (graph.ask.query.FORMATS)
EXPORTS = ("graphml", "jsonld", "turtle", "nquads")  # graph.outputs.formats.EXPORT_FORMATS and nquads
STORE_OR_TTL = "A built graph: a build's folder (read from its store, any size), or a .ttl file."
TTL_FOLDER = "A built graph: a folder holding graph.ttl, or a .ttl file."


class GovkgGroup(click.Group):
    """`python build_graph.py` with no command builds the samples; a GovkgError from any
    command is reported as its one-line message (`Error: …`) with its exit status (1 unless
    the error's class says otherwise: 2 for a busy build folder or a refused query …)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            args = ["build"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GovkgError as exc:
            click.ClickException(str(exc)).show()  # `Error: …` on stderr
            ctx.exit(exc.exit_code)


F = TypeVar("F", bound=Callable[..., Any])


def graph_option(help: str = STORE_OR_TTL) -> Callable[[F], F]:
    """--graph: the built graph a command reads."""
    return click.option(
        "--graph", "graph_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True, help=help
    )


def format_option(choices: Sequence[str], help: str, default: str | None = None) -> Callable[[F], F]:
    """--format: the output format (required when there is no default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        required=default is None,
        show_default=default is not None,
        help=help,
    )


quiet_option = click.option(
    "--quiet", is_flag=True, help="No progress bar or summary (skipped files are still reported)."
)


class UsageMistake(click.ClickException):
    """A mistake in the command line, reported as one line (`Error: …`) with exit status 2."""

    exit_code = 2


@contextmanager
def steps(quiet: bool, *names: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr over a command's steps (tqdm; none with --quiet): each call of
    the function yielded finishes the current step and names the next."""
    from tqdm import tqdm

    bar = tqdm(
        total=len(names),
        desc=names[0],
        file=sys.stderr,
        disable=quiet,
        bar_format="{desc} {n_fmt}/{total_fmt} |{bar:20}| {elapsed}",
        leave=False,
    )
    position = 0

    def advance() -> None:
        nonlocal position
        position += 1
        bar.update(1)
        if position < len(names):
            bar.set_description_str(names[position])

    try:
        yield advance
    finally:
        bar.close()


@click.group(cls=GovkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build, query and serve a knowledge graph of Chinese government news.

    \b
    Example:
      python build_graph.py                      # build the sample articles into exports/
      python build_graph.py build graph/data/samples --out exports/samples --jobs 2
      python build_graph.py query chairs_most
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for graph.ttl, graph.html and report.json.",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes for extraction (default: all cores)."
)
@quiet_option
@click.option("--strict", is_flag=True, help="Exit non-zero when any article was skipped or failed.")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
@click.option(
    "--all-places",
    is_flag=True,
    help="Also load every province, city and county (for querying regions with no articles yet).",
)
@click.option(
    "--full", is_flag=True, help="Rebuild from scratch (by default only articles that changed are extracted again)."
)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the articles no longer among the inputs even when that is more than half of "
    "the build (without it such a rebuild stops, changing nothing).",
)
@click.option(
    "--max-article-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=2.0,
    show_default=True,
    help="Articles larger than this (MB of text) are split at paragraph boundaries into parts NAME#p1, NAME#p2 ….",
)
@click.option(
    "--article-seconds",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="Time budget of one article's extraction; an article over it is skipped with one line (0: none).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where extraction runs: a process pool on this machine, or a Dask cluster "
    "(a local one of --jobs processes unless --scheduler is given; see docs/cluster.md).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT",
    help="The Dask scheduler of a running cluster (with --engine dask).",
)
@click.option(
    "--partitions",
    "partition_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the N-Quads partitions the Dask workers write (default: OUT/partitions); "
    "on a real cluster, shared storage mounted at the same path on every machine.",
)
@click.option(
    "--push",
    default=None,
    metavar="URL",
    help="After the build, PUT every article's named graph into this SPARQL 1.1 Graph Store "
    "endpoint (e.g. http://localhost:7878/store for oxigraph serve, "
    "http://localhost:3030/ds/data for Fuseki) and DELETE the removed articles' graphs.",
)
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    jobs: int | None,
    quiet: bool,
    strict: bool,
    no_html: bool,
    all_places: bool,
    full: bool,
    prune: bool,
    max_article_mb: float,
    article_seconds: float,
    engine: str,
    scheduler: str | None,
    partition_dir: Path | None,
    push: str | None,
) -> None:
    """Build the graph of every article under PATHS (files or folders of .txt, .html,
    .jsonl, .jsonl.gz). Without PATHS, builds the bundled sample articles.

    \b
    Example:
      python build_graph.py build ../shared/corpus/dev --out exports/dev --jobs 2
      python build_graph.py build /shared/articles --out /shared/govkg --engine dask \\
          --scheduler tcp://10.0.0.5:8786 --push http://10.0.0.6:7878/store
    """
    from graph.run.pipeline import SAMPLES, build_corpus

    if scheduler is not None and engine != "dask":
        raise click.BadParameter("needs --engine dask", param_hint="--scheduler")
    sources = list(paths) or [SAMPLES]
    report = build_corpus(
        sources,
        out_dir,
        jobs=jobs,
        quiet=quiet,
        html=not no_html,
        full=full,
        all_places=all_places,
        engine=engine,
        scheduler=scheduler,
        partition_dir=partition_dir,
        push=push,
        prune=prune,
        max_article_mb=max_article_mb,
        article_seconds=article_seconds,
    )
    if not quiet:
        click.echo(report.summary(), err=True)
        click.echo("wrote " + ", ".join(report.outputs), err=True)
    if strict and report.articles == 0:
        click.echo("--strict: no article could be read from the given paths", err=True)
        sys.exit(2)
    if strict and (report.skipped or report.failed or report.conforms is False):
        click.echo(
            f"--strict: {sum(report.skipped.values())} skipped, {len(report.failed)} failed, "
            f"{report.violations} SHACL result(s)",
            err=True,
        )
        sys.exit(1)


@cli.command()
@click.argument("query")
@graph_option()
@format_option(FORMATS, "Output format.", default="table")
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help="Bind a query variable (a literal, or an IRI in <…> or gov:…); repeatable. "
    "Chinese text binds as the graph stores it, tagged @zh-hans.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds the query may run before it is stopped (0: no limit).",
)
def query(query: str, graph_dir: Path, fmt: str, binds: tuple[str, ...], timeout: float) -> None:
    """Run a SPARQL QUERY (text, a .rq file, or the name of a shipped query such as
    chairs_most) against a built graph. The query is checked first (size, nesting,
    no FROM; graph/ask/guard.py) and run in a child process stopped after --timeout.

    \b
    Example:
      python build_graph.py query 'SELECT ?n WHERE { ?p a gov:Official ; rdfs:label ?n }'
      python build_graph.py query who_ordered --bind measureLabel=核酸检测 --format csv
    """
    from graph.ask.guard import check_query, query_variables, run_limited, unknown_prefixes
    from graph.ask.query import format_result, read_query, run_query, to_term
    from graph.rdf import vocab
    from graph.store.source import open_graph

    text = read_query(query)
    missing = unknown_prefixes(text, set(vocab.PREFIXES))
    if missing:
        known = ", ".join(f"{p}:" for p in vocab.PREFIXES)
        raise GovkgError(
            f"unknown prefix {', '.join(p + ':' for p in missing)} in the query "
            f"(predeclared: {known}; or declare it: PREFIX {missing[0]}: <…>)"
        )
    bindings = {}
    names = query_variables(text)
    for item in binds:
        var, sep, value = item.partition("=")
        var = var.lstrip("?$")
        if not sep or not var:
            raise UsageMistake(f"--bind {item!r}: expected VAR=VALUE")
        if var not in names:
            known = ", ".join(f"?{n}" for n in sorted(names)) or "none"
            raise UsageMistake(f"--bind {var}: the query has no variable ?{var} (its variables: {known})")
        bindings[var] = to_term(value)
    check_query(text)

    def answer() -> bytes:
        # a built folder's store answers through Oxigraph; a Turtle file is loaded into rdflib
        return format_result(run_query(open_graph(graph_dir), text, bindings), fmt).encode("utf-8")

    click.echo(run_limited(answer, timeout).decode("utf-8"), nl=False)


@cli.command()
@graph_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=30.0,
    show_default=True,
    help="Seconds a query may run; a longer one is stopped and answered 503.",
)
def serve(graph_dir: Path, host: str, port: int, timeout: float) -> None:
    """A read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql over a built
    graph: Oxigraph's server behind a proxy that checks each query, with the query page
    (YASGUI, the shipped queries as tabs) at http://HOST:PORT/.

    \b
    Example:
      python build_graph.py                      # build the samples into exports/
      python build_graph.py serve --graph exports/ --port 7878 --timeout 10
    """
    from graph.ask.serve import serve_forever

    serve_forever(graph_dir, host, port, timeout)


@cli.command()
@graph_option()
@click.option("--official", default=None, help="An official's neighbourhood (their name).")
@click.option("--province", default=None, help="One province (its full name, e.g. 山西省).")
@click.option("--from", "start", default=None, metavar="YYYY-MM-DD", help="Events on or after this day.")
@click.option("--to", "end", default=None, metavar="YYYY-MM-DD", help="Events on or before this day.")
@click.option("--meeting", default=None, help="One meeting (part of its name, or its IRI).")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUT / "view.html",
    show_default=True,
    help="The HTML file to write.",
)
@quiet_option
def view(
    graph_dir: Path,
    official: str | None,
    province: str | None,
    start: str | None,
    end: str | None,
    meeting: str | None,
    out_file: Path,
    quiet: bool,
) -> None:
    """Draw a part of a built graph as an interactive HTML page: an official's
    neighbourhood, one province, a date range or one meeting (options combine).

    \b
    Example:
      python build_graph.py                      # build the samples into exports/
      python build_graph.py view --from 2022-01-01 --to 2022-12-31 --out exports/year.html
    """
    from graph.ask.views import subgraph
    from graph.outputs.html import write_html
    from graph.store.source import open_graph

    with steps(quiet, "view: opening the graph", "view: choosing the part", "view: drawing") as advance:
        source = open_graph(graph_dir)
        advance()
        part = subgraph(source, official=official, province=province, start=start, end=end, meeting=meeting)
        advance()
        out_file.parent.mkdir(parents=True, exist_ok=True)
        write_html(part, out_file)
        advance()
    if not quiet:
        click.echo(f"wrote {out_file} ({len(part)} triples)", err=True)


@cli.command()
@graph_option(TTL_FOLDER)
@quiet_option
def validate(graph_dir: Path, quiet: bool) -> None:
    """Check a built graph against the SHACL shapes (ontology/shapes.ttl); writes
    validation.ttl and validation.txt beside it and exits 1 when it does not conform.

    \b
    Example:
      python build_graph.py                      # build the samples into exports/
      python build_graph.py validate --graph exports/
    """
    from graph.run.validate import summary, write_report
    from graph.run.validate import validate as run_validation
    from graph.store.source import load_graph

    names = ("validate: loading the graph", "validate: checking the shapes (pyshacl)", "validate: writing the report")
    with steps(quiet, *names) as advance:
        graph = load_graph(graph_dir)
        advance()
        result = run_validation(graph)
        advance()
        write_report(result, _graph_folder(graph_dir) / "validation.ttl")
        advance()
    click.echo(summary(result))
    if not result.conforms:
        sys.exit(1)


def _graph_folder(graph_dir: Path) -> Path:
    """The folder of a built graph: graph_dir itself, or the folder of a .ttl file."""
    return graph_dir if graph_dir.is_dir() else graph_dir.parent


@cli.command()
@graph_option()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the CSV files (default: the graph's folder).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Rows of each table printed (0: all); the CSV files always have every row.",
)
@quiet_option
def analyze(graph_dir: Path, out_dir: Path | None, limit: int, quiet: bool) -> None:
    """Who met whom, who is central in each province, who chaired or attended how
    often, and meetings per month: prints the tables and writes them as CSV files
    (co_attendance, centrality_by_province, participation, meetings_per_month).

    \b
    Example:
      python build_graph.py                      # build the samples into exports/
      python build_graph.py analyze --graph exports/
      python build_graph.py analyze --graph exports/ --out exports/tables --limit 0
    """
    from graph.ask import analyze as an
    from graph.ask.analyze import format_tables, write_tables
    from graph.store.source import open_graph

    names = ("opening the graph", "co-attendance", "centrality by province", "participation", "meetings per month")
    with steps(quiet, *(f"analyze: {name}" for name in names)) as advance:
        source = open_graph(graph_dir)
        advance()
        net = an.co_attendance(source)
        co_attendance = an.co_attendance_rows(net)
        advance()
        centrality = an.centrality_by_province(net)
        advance()
        participation = an.participation(source)
        advance()
        months = an.meetings_per_month(source)
        advance()
    tables = an.Tables(co_attendance=co_attendance, centrality=centrality, participation=participation, months=months)
    try:
        written = write_tables(tables, out_dir or _graph_folder(graph_dir))
    except OSError as exc:
        raise click.ClickException(f"cannot write the CSV files: {exc}") from exc
    click.echo(format_tables(tables, limit=limit or None), nl=False)
    if not quiet:
        click.echo("wrote " + ", ".join(str(p) for p in written), err=True)


@cli.command()
@graph_option(TTL_FOLDER)
@format_option(
    EXPORTS,
    "graphml: the network view (as in graph.html); jsonld, turtle: every triple; "
    "nquads: every article's graph. nquads and turtle are streamed from a built folder at "
    "any size; graphml and jsonld hold the graph in memory (builds up to 300,000 triples).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (atomically); default or '-': standard output.",
)
def export(graph_dir: Path, fmt: str, out_file: Path | None) -> None:
    """Write a built graph as GraphML (for Gephi, Cytoscape, networkx), JSON-LD, Turtle or
    N-Quads (one named graph per article).

    \b
    Example:
      python build_graph.py                      # build the samples into exports/
      python build_graph.py export --graph exports/ --format nquads --out exports/all.nq
      python build_graph.py export --graph exports/ --format graphml --out exports/graph.graphml
      python build_graph.py export --graph exports/ --format jsonld > exports/graph.jsonld
    """
    from graph.files import copy_file, write_atomic
    from graph.outputs.formats import EXPORT_FORMATS
    from graph.store.source import GRAPH_FILE, load_small_graph
    from graph.store.store import read_store

    dest = None if out_file is None or str(out_file) == "-" else out_file  # None: standard output
    try:
        store = read_store(graph_dir) if graph_dir.is_dir() else None
        if fmt == "nquads":
            if store is None:
                raise GovkgError(f"{graph_dir}: no built store in it (run `build_graph.py build --out {graph_dir}`)")
            store.write_quads(sys.stdout.buffer if dest is None else dest)
        elif fmt == "turtle" and store is not None and (graph_dir / GRAPH_FILE).is_file():
            # the build wrote its store's union as graph.ttl: copied, at any size
            copy_file(graph_dir / GRAPH_FILE, sys.stdout.buffer if dest is None else dest)
        else:
            data = EXPORT_FORMATS[fmt](load_small_graph(graph_dir, f"--format {fmt}"))
            if dest is None:
                sys.stdout.buffer.write(data)
            else:
                write_atomic(dest, data)
        if dest is None:
            sys.stdout.flush()
        else:
            click.echo(f"wrote {dest}", err=True)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out_file}: {exc}") from exc


if __name__ == "__main__":
    cli()
