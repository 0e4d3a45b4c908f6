"""`build --push URL`: the built graphs in an external SPARQL 1.1 store.

The store is `oxigraph serve` from the `oxigraph` PyPI wheel (skipped when the
binary is absent), on a free local port with its data in a temporary folder;
its Graph Store endpoint is /store and its query endpoint /query. The server
keeps the pushed graphs as named graphs: queries read them with GRAPH ?g, or
as one union with the `union-default-graph` request parameter.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from graph.errors import GovkgError
from graph.rdf.vocab import GOV, article_iri
from graph.run.pipeline import build_corpus
from graph.run.push import graph_url, push_graph
from graph.store.keys import SCHEME
from graph.store.store import open_store

OFFICIALS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/govkg/ontology#Official> }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
UNION = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def _oxigraph() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a fresh `oxigraph serve`, terminated at the end of the module."""
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server binary (pip install oxigraph) is not installed")
    port = _free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}: {(folder / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer on {base} within 30 s")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _select(base: str, query: str, *, union: bool = False) -> list[dict[str, str]]:
    url = base + "/query" + ("?union-default-graph" if union else "")
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    return [{k: v["value"] for k, v in row.items()} for row in answer["results"]["bindings"]]


def _remote_graph(base: str, iri: str) -> Graph:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        base + "/query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/n-triples", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return Graph().parse(data=response.read(), format="nt")


def _graphs(base: str) -> set[str]:
    return {row["g"] for row in _select(base, GRAPHS)}


def test_push_then_remove(tmp_path: Path, samples_dir: Path, server: str, built_samples: tuple[Path, Graph]) -> None:
    _, local = built_samples
    corpus = tmp_path / "corpus"
    shutil.copytree(samples_dir, corpus)
    out = tmp_path / "out"
    log = io.StringIO()
    build_corpus([corpus], out, jobs=1, log=log, html=False, push=server + "/store")
    assert "pushed 6 graph(s) to " + server + "/store" in log.getvalue()

    names = sorted(p.name for p in corpus.iterdir())
    articles = {str(article_iri(n)) for n in names}
    assert _graphs(server) == articles | {SCHEME.value}
    store = open_store(out)
    for name in names:  # each article's complete graph, as the local archive has it
        iri = str(article_iri(name))
        nt = store.article_ntriples(name)
        assert nt is not None
        mine = Graph().parse(data=nt, format="nt")
        assert (URIRef(iri), RDF.type, GOV.Article) in mine
        assert isomorphic(_remote_graph(server, iri), mine), name
    del store
    officials = int(local.query(OFFICIALS).bindings[0]["n"])  # type: ignore[index]
    assert officials > 0
    assert int(_select(server, OFFICIALS, union=True)[0]["n"]) == officials
    assert int(_select(server, UNION)[0]["n"]) == len(local)
    assert _select(server, DEFAULT) == [{"n": "0"}]  # graphs are named; the union is the server's to make

    gone = corpus / names[0]
    gone.unlink()
    log = io.StringIO()
    report = build_corpus([corpus], out, jobs=1, log=log, html=False, push=server + "/store")
    assert report.removed == 1
    assert "pushed 5 graph(s)" in log.getvalue() and "deleted 1" in log.getvalue()
    assert _graphs(server) == (articles - {str(article_iri(names[0]))}) | {SCHEME.value}
    assert not _select(server, f"SELECT ?s WHERE {{ GRAPH <{article_iri(names[0])}> {{ ?s ?p ?o }} }} LIMIT 1")
    remaining = Graph().parse(out / "graph.ttl", format="turtle")
    assert int(_select(server, UNION)[0]["n"]) == len(remaining)


def test_push_from_a_built_folder(server: str, built_samples: tuple[Path, Graph]) -> None:
    out, _ = built_samples
    report = push_graph(out, server + "/store?", timeout=30)  # a bare '?' must not hide the graph parameter
    assert (report.put, report.deleted) == (6, 0)
    assert _select(server, DEFAULT) == [{"n": "0"}]  # nothing went to the server's default graph


def test_graph_url() -> None:
    g = ox.NamedNode("https://w3id.org/govkg/resource/article/a#b")
    quoted = "graph=https%3A%2F%2Fw3id.org%2Fgovkg%2Fresource%2Farticle%2Fa%23b"
    assert graph_url("http://h:7878/store", g) == f"http://h:7878/store?{quoted}"
    assert graph_url("http://h:7878/store?", g) == f"http://h:7878/store?{quoted}"
    assert graph_url("http://h/ds/data?x=1", g) == f"http://h/ds/data?x=1&{quoted}"


def test_push_errors_name_the_url(tmp_path: Path, server: str, built_samples: tuple[Path, Graph]) -> None:
    out, _ = built_samples
    with pytest.raises(GovkgError, match=rf"push to {server}/nowhere refused: .*HTTP 404"):
        push_graph(out, server + "/nowhere", timeout=10)
    closed = f"http://127.0.0.1:{_free_port()}/store"
    with pytest.raises(GovkgError, match=rf"cannot push to {closed}: "):
        push_graph(out, closed, timeout=5)
    with pytest.raises(GovkgError, match="expected an http"):
        push_graph(out, "file:///etc/passwd", timeout=5)
    with pytest.raises(GovkgError, match="no built store"):
        push_graph(tmp_path, server + "/store", timeout=5)


def test_cli_push(tmp_path: Path, samples_dir: Path, server: str, run_cli) -> None:
    result = run_cli(
        "build", samples_dir, "--out", tmp_path / "out", "--no-html", "--jobs", "1", "--push", server + "/store"
    )
    assert result.returncode == 0, result.stderr
    assert f"pushed 6 graph(s) to {server}/store" in result.stderr
    bad = run_cli("build", samples_dir, "--out", tmp_path / "out", "--no-html", "--push", server + "/nowhere")
    assert bad.returncode == 1
    assert f"Error: push to {server}/nowhere refused" in bad.stderr
    wrong = run_cli("build", samples_dir, "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:8786")
    assert wrong.returncode == 2 and "needs --engine dask" in wrong.stderr
