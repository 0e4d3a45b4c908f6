#!/usr/bin/env python3
"""govkg command line: build, query and serve a knowledge graph of Chinese government news.

With no arguments it builds the bundled sample articles into exports/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.errors import GovkgError

DEFAULT_OUT = Path("exports")


class DefaultGroup(click.Group):
    """`python build_graph.py` with no command builds the samples."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            args = ["build"]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build, query and serve a knowledge graph of Chinese government news.

    \b
    Example:
      python build_graph.py                      # build the sample articles into exports/
      python build_graph.py build articles/ --out exports/
      python build_graph.py query chairs_most
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for graph.ttl, graph.html and report.json.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction (default: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bar or summary (skipped files are still reported).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any article was skipped or failed.")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
def build(paths: tuple[Path, ...], out_dir: Path, jobs: int | None, quiet: bool, strict: bool,
          no_html: bool) -> None:
    """Build the graph of every article under PATHS (files or folders of .txt, .html,
    .jsonl, .jsonl.gz). Without PATHS, builds the bundled sample articles.

    \b
    Example:
      python build_graph.py build ../shared/corpus/dev --out exports/dev --jobs 2
    """
    from graph.pipeline import SAMPLES, build_corpus

    sources = list(paths) or [SAMPLES]
    try:
        report = build_corpus(sources, out_dir, jobs=jobs, quiet=quiet, html=not no_html)
    except GovkgError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        click.echo(report.summary(), err=True)
        click.echo("wrote " + ", ".join(report.outputs), err=True)
    if strict and (report.skipped or report.failed):
        click.echo(f"--strict: {sum(report.skipped.values())} skipped, {len(report.failed)} failed", err=True)
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("--graph", "graph_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="A built graph: a folder holding graph.ttl, or a .ttl file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind a query variable (a literal, or an IRI in <…>); repeatable.")
def query(query: str, graph_dir: Path, fmt: str, binds: tuple[str, ...]) -> None:
    """Run a SPARQL QUERY (text, a .rq file, or the name of a shipped query such as
    chairs_most) against a built graph.

    \b
    Example:
      python build_graph.py query 'SELECT ?n WHERE { ?p a gov:Official ; rdfs:label ?n }'
      python build_graph.py query official_posts --bind name=李某某 --format csv
    """
    from graph.query import format_result, load_graph, read_query, run_query, to_term

    try:
        bindings = {}
        for item in binds:
            var, sep, value = item.partition("=")
            if not sep or not var:
                raise click.BadParameter(f"{item!r}: expected VAR=VALUE", param_hint="--bind")
            bindings[var.lstrip("?")] = to_term(value)
        result = run_query(load_graph(graph_dir), read_query(query), bindings)
        click.echo(format_result(result, fmt), nl=False)
    except GovkgError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.option("--graph", "graph_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="A built graph: a folder holding graph.ttl, or a .ttl file.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port to listen on.")
def serve(graph_dir: Path, host: str, port: int) -> None:
    """A read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql over a built graph.

    \b
    Example:
      python build_graph.py serve --graph exports/ --port 7878
    """
    from graph.query import load_graph
    from graph.serve import serve_forever

    try:
        serve_forever(load_graph(graph_dir), host, port)
    except GovkgError as exc:
        raise click.ClickException(str(exc)) from exc


if __name__ == "__main__":
    cli()
