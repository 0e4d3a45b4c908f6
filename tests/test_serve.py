"""graph.ask.serve: the read-only SPARQL 1.1 Protocol endpoint, in-process and through the CLI."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from email.message import Message
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Variable
from rdflib.namespace import RDF, RDFS

from graph.ask.query import read_query, shipped_queries
from graph.ask.serve import SparqlServer, make_server, negotiate
from graph.rdf import vocab
from graph.rdf.vocab import GOV, GOVR
from graph.store.store import read_store

ROOT = Path(__file__).resolve().parents[1]
ZHANG, LI, MEETING = GOVR["person/zhang"], GOVR["person/li"], GOVR["event/m1"]
# no PREFIX lines: the project's prefixes are predeclared
OFFICIALS = "SELECT ?name WHERE { ?p a gov:Official ; rdfs:label ?name } ORDER BY ?name"
CHAIRS = "SELECT ?name ?m WHERE { ?p gov:chairs ?m ; rdfs:label ?name }"
INSERT = f"INSERT DATA {{ <{GOVR}person/x> a gov:Official ; rdfs:label '王五' }}"
JSON, CSV, TSV = "application/sparql-results+json", "text/csv", "text/tab-separated-values"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def small_graph() -> Graph:
    """Two officials, one meeting, one of them chairs it."""
    g = vocab.bind_prefixes(Graph())
    g.add((ZHANG, RDF.type, GOV.Official))
    g.add((ZHANG, RDFS.label, Literal("张三")))
    g.add((LI, RDF.type, GOV.Official))
    g.add((LI, RDFS.label, Literal("李四")))
    g.add((MEETING, RDF.type, GOV.Meeting))
    g.add((MEETING, RDFS.label, Literal("市委常委会会议")))
    g.add((ZHANG, GOV.chairs, MEETING))
    return g


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """SPARQLWrapper uses urllib's global opener: keep local requests off any proxy."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, Graph]]:
    """(base URL, graph) of a server on a free port, shut down after the module."""
    g = small_graph()
    server: SparqlServer = make_server(g, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url, g
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str, data: bytes | None = None, headers: Mapping[str, str] | None = None) -> tuple[int, Message, str]:
    """(status, headers, body) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get(base: str, query: str, accept: str | None = None) -> tuple[int, Message, str]:
    headers = {"Accept": accept} if accept else {}
    return fetch(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}", headers=headers)


def names(body: str) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


def triples(g: Graph) -> set[tuple[object, ...]]:
    return set(g)


# ---------------------------------------------------------------- SPARQLWrapper


def test_sparqlwrapper_select_and_ask(served: tuple[str, Graph]) -> None:
    sw = pytest.importorskip("SPARQLWrapper")
    base, _ = served
    for method in (sw.GET, sw.POST):
        client = sw.SPARQLWrapper(f"{base}/sparql")
        client.setMethod(method)
        client.setReturnFormat(sw.JSON)
        client.setQuery(OFFICIALS)
        rows = client.queryAndConvert()["results"]["bindings"]
        assert [r["name"]["value"] for r in rows] == ["张三", "李四"]
        client.setQuery(f"ASK {{ <{ZHANG}> gov:chairs <{MEETING}> }}")
        assert client.queryAndConvert()["boolean"] is True


# ---------------------------------------------------------------- urllib


def test_get_json_default(served: tuple[str, Graph]) -> None:
    base, _ = served
    status, headers, body = get(base, CHAIRS)
    assert status == 200
    assert headers.get_content_type() == JSON
    assert headers["Access-Control-Allow-Origin"] == "*"
    rows = json.loads(body)["results"]["bindings"]
    assert [(r["name"]["value"], r["m"]["value"]) for r in rows] == [("张三", str(MEETING))]


def test_post_form(served: tuple[str, Graph]) -> None:
    base, _ = served
    data = urllib.parse.urlencode({"query": OFFICIALS}).encode()
    status, headers, body = fetch(
        f"{base}/sparql", data, {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON}
    )
    assert status == 200 and headers.get_content_type() == JSON
    assert names(body) == ["张三", "李四"]


def test_post_sparql_query(served: tuple[str, Graph]) -> None:
    base, _ = served
    status, headers, body = fetch(
        f"{base}/sparql", OFFICIALS.encode("utf-8"), {"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and headers.get_content_type() == JSON
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert names(body) == ["张三", "李四"]


def test_accept_csv_and_tsv(served: tuple[str, Graph]) -> None:
    base, _ = served
    status, headers, body = get(base, OFFICIALS, accept=CSV)
    assert status == 200 and headers.get_content_type() == CSV
    assert list(csv.reader(io.StringIO(body))) == [["name"], ["张三"], ["李四"]]
    status, headers, body = get(base, OFFICIALS, accept=f"{JSON};q=0.5, {TSV}")
    assert status == 200 and headers.get_content_type() == TSV
    assert body.splitlines() == ["?name", '"张三"', '"李四"']


def test_construct_gives_turtle(served: tuple[str, Graph]) -> None:
    base, _ = served
    status, headers, body = get(base, "CONSTRUCT { ?p gov:chairs ?m } WHERE { ?p gov:chairs ?m }", accept=CSV)
    assert status == 200 and headers.get_content_type() == "text/turtle"
    assert set(Graph().parse(data=body, format="turtle")) == {(ZHANG, GOV.chairs, MEETING)}


def test_updates_refused(served: tuple[str, Graph]) -> None:
    base, g = served
    before = triples(g)
    answers = [
        get(base, INSERT),
        fetch(f"{base}/sparql", INSERT.encode(), {"Content-Type": "application/sparql-update"}),
        fetch(
            f"{base}/sparql",
            urllib.parse.urlencode({"update": INSERT}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        fetch(f"{base}/sparql", INSERT.encode(), {"Content-Type": "application/sparql-query"}),
    ]
    for status, headers, body in answers:
        assert status == 403, body
        assert "read-only" in body and body.count("\n") == 1
        assert headers["Access-Control-Allow-Origin"] == "*"
    assert triples(g) == before
    assert names(get(base, OFFICIALS)[2]) == ["张三", "李四"]


def test_bad_requests(served: tuple[str, Graph]) -> None:
    base, _ = served
    status, _, body = get(base, "SELECT ?x WHERE { ?x")
    assert status == 400 and body.startswith("bad SPARQL") and body.count("\n") == 1
    assert fetch(f"{base}/sparql")[0] == 400  # no query
    status, _, body = get(base, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and "SERVICE" in body
    assert fetch(f"{base}/sparql", b"x", {"Content-Type": "text/plain"})[0] == 415
    assert fetch(f"{base}/nowhere")[0] == 404


def test_home_page_lists_examples(served: tuple[str, Graph]) -> None:
    base, _ = served
    status, headers, body = fetch(f"{base}/")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert "<textarea" in body and 'action="/sparql"' in body
    assert shipped_queries()
    for name in shipped_queries():
        assert f'href="/?example={name}"' in body
    name = shipped_queries()[0]
    status, _, body = fetch(f"{base}/?example={name}")
    assert status == 200
    assert html.escape(read_query(name)) in body  # the query fills the textarea, escaped
    assert "<https://w3id.org" not in body
    assert fetch(f"{base}/?example=..%2Fnope")[0] == 404


def test_cors_preflight(served: tuple[str, Graph]) -> None:
    base, _ = served
    request = urllib.request.Request(f"{base}/sparql", method="OPTIONS")
    with NO_PROXY.open(request, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", JSON),
        ("*/*", JSON),
        ("text/html,application/xhtml+xml,*/*;q=0.8", JSON),
        ("text/csv", CSV),
        ("text/*", CSV),
        (f"{CSV}, {JSON}", CSV),
        (f"{CSV};q=0.2, {TSV};q=0.9", TSV),
        (f"*/*, {JSON};q=0", "application/json"),
        ("application/sparql-results+xml", JSON),  # nothing fits: the default
    ],
)
def test_negotiate(accept: str, expected: str) -> None:
    offers = [JSON, "application/json", CSV, TSV]
    assert negotiate(accept, offers) == expected


# ---------------------------------------------------------------- the CLI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_a_built_store(built_samples: tuple[Path, Graph]) -> None:
    """A built folder is served from its Oxigraph store: same answers as its Turtle, read-only."""
    out_dir, samples = built_samples
    store = read_store(out_dir)
    assert store is not None
    size = len(store)
    server = make_server(store, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        answer = samples.query(OFFICIALS, initNs=dict(vocab.PREFIXES))
        expected = sorted(str(binding[Variable("name")]) for binding in answer.bindings)
        status, _, body = get(server.url, OFFICIALS)
        assert status == 200 and sorted(names(body)) == expected and expected
        status, _, body = get(server.url, INSERT)
        assert status == 403 and "read-only" in body
        assert len(store) == size
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _sigint_as_python_sets_it() -> None:
    """In the child: SIGINT back to the default, so that Python raises KeyboardInterrupt on it
    (a shell's background job, such as a CI script run with `&`, starts with SIGINT ignored,
    and its children inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_cli_serve(tmp_path: Path, stop: str) -> None:
    small_graph().serialize(destination=tmp_path / "graph.ttl", format="turtle")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "build_graph.py", "serve", "--graph", str(tmp_path), "--port", str(port)]
    posix = os.name == "posix"
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_as_python_sets_it if posix else None,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"serve exited early: {proc.communicate(timeout=5)[1]}"
            try:
                status, _, body = get(base, OFFICIALS)
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "serve did not answer within 30 s"
                time.sleep(0.1)
        assert status == 200 and names(body) == ["张三", "李四"]
        assert get(base, INSERT)[0] == 403
        if posix:  # Ctrl-C, or a service manager's SIGTERM, stops it cleanly
            proc.send_signal(getattr(signal, stop))
            _, err = proc.communicate(timeout=10)
            assert proc.returncode == 0, err
            assert f"{base}/sparql" in err and "Traceback" not in err
            assert err.rstrip().endswith("govkg: stopped")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
