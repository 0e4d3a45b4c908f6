"""graph.ask.serve: Oxigraph's server behind the checking proxy, in-process and through the CLI."""

from __future__ import annotations

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
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Literal, Variable
from rdflib.namespace import RDF, RDFS

from graph.ask.guard import MAX_DEPTH, MAX_QUERY_BYTES, check_query, uses_service
from graph.ask.query import read_query, shipped_queries
from graph.ask.serve import SparqlProxy, make_server, with_prefixes
from graph.errors import GovkgError, QueryRefused
from graph.rdf import vocab
from graph.rdf.vocab import GOV, GOVR

ROOT = Path(__file__).resolve().parents[1]
ZHANG, LI, MEETING = GOVR["person/zhang"], GOVR["person/li"], GOVR["event/m1"]
# no PREFIX lines: the project's prefixes are predeclared
OFFICIALS = "SELECT ?name WHERE { ?p a gov:Official ; rdfs:label ?name } ORDER BY ?name"
CONSTRUCT = "CONSTRUCT { ?p a gov:Official } WHERE { ?p a gov:Official }"
INSERT = f"INSERT DATA {{ <{GOVR}person/x> a gov:Official ; rdfs:label '王五' }}"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
DEEP = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TIMEOUT = 1.0


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


def running(server: SparqlProxy) -> Iterator[SparqlProxy]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlProxy]:
    """A server over the small graph as a .ttl file (loaded into a scratch store), timeout 1 s."""
    folder = tmp_path_factory.mktemp("serve")
    small_graph().serialize(destination=folder / "graph.ttl", format="turtle")
    yield from running(make_server(folder / "graph.ttl", "127.0.0.1", 0, timeout=TIMEOUT))


def fetch(
    url: str, data: bytes | None = None, headers: Mapping[str, str] | None = None, method: str | None = None
) -> tuple[int, Message, bytes]:
    """(status, headers, body) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}), method=method)
    try:
        with NO_PROXY.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get(base: str, query: str, accept: str | None = None) -> tuple[int, Message, bytes]:
    headers = {"Accept": accept} if accept else {}
    return fetch(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}", headers=headers)


def names(body: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


# ---------------------------------------------------------------- clients and formats


def test_sparqlwrapper_defaults_get_xml(served: SparqlProxy) -> None:
    """SPARQLWrapper with its defaults (GET, XML) gets results; POST and JSON too."""
    sw = pytest.importorskip("SPARQLWrapper")
    client = sw.SPARQLWrapper(f"{served.url}/sparql")
    client.setQuery(OFFICIALS)
    document = client.query().convert()  # XML, the default
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == ["张三", "李四"]
    client.setMethod(sw.POST)
    client.setReturnFormat(sw.JSON)
    assert [b["name"]["value"] for b in client.query().convert()["results"]["bindings"]] == ["张三", "李四"]
    client.setQuery("ASK { ?p gov:chairs ?m }")
    assert client.query().convert()["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+xml", lambda b: ElementTree.fromstring(b).tag.endswith("sparql")),
        ("application/sparql-results+json", lambda b: names(b) == ["张三", "李四"]),
        ("text/csv", lambda b: b.decode().split() == ["name", "张三", "李四"]),
        ("text/tab-separated-values", lambda b: b.decode().split() == ["?name", '"张三"', '"李四"']),
    ],
)
def test_select_results_by_accept(served: SparqlProxy, accept: str, check: object) -> None:
    status, headers, body = get(served.url, OFFICIALS, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert callable(check) and check(body)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_graphs_by_accept(served: SparqlProxy, accept: str, fmt: str) -> None:
    status, headers, body = get(served.url, CONSTRUCT, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    g = Graph().parse(data=body, format=fmt)
    assert set(g.subjects(RDF.type, GOV.Official)) == {ZHANG, LI}


def test_post_form_and_direct(served: SparqlProxy) -> None:
    url = f"{served.url}/sparql"
    form = urllib.parse.urlencode({"query": OFFICIALS}).encode()
    status, _, body = fetch(url, form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and names(body) == ["张三", "李四"]
    status, _, body = fetch(url, OFFICIALS.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and names(body) == ["张三", "李四"]


def test_service_description_head_and_cors(served: SparqlProxy) -> None:
    status, headers, body = fetch(f"{served.url}/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert "http://www.w3.org/ns/sparql-service-description#" in body.decode()
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = fetch(f"{served.url}/sparql?{urllib.parse.urlencode({'query': OFFICIALS})}", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    preflight = {"Origin": "http://example.org", "Access-Control-Request-Method": "POST"}
    status, headers, _ = fetch(f"{served.url}/sparql", headers=preflight, method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_own_prefix_declarations_still_work(served: SparqlProxy) -> None:
    query = f"PREFIX gov: <{GOV}>\nPREFIX x: <{RDFS}>\nSELECT ?name WHERE {{ ?p a gov:Official ; x:label ?name }}"
    status, _, body = get(served.url, query)
    assert status == 200 and sorted(names(body)) == ["张三", "李四"]
    assert with_prefixes("SELECT * { ?s gov:chairs ?o }").startswith("PREFIX gov:")
    assert "PREFIX govr:" not in with_prefixes("SELECT * { ?s gov:chairs ?o }")


# ---------------------------------------------------------------- refusals and hostile queries


def test_refusals(served: SparqlProxy) -> None:
    url = f"{served.url}/sparql"
    status, _, body = get(served.url, INSERT)
    assert status == 400  # Oxigraph's query endpoint does not parse updates
    form = urllib.parse.urlencode({"update": INSERT}).encode()
    status, _, body = fetch(url, form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, body = fetch(url, INSERT.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, body = get(served.url, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    status, _, body = get(served.url, "SELECT * WHERE { ?s foo:p ?o }")
    assert status == 400 and body.startswith(b"unknown prefix foo: (predeclared: gov:, govr:")
    status, _, body = get(served.url, "SELECT ?x WHERE { ?x }")
    assert status == 400 and body.strip()
    assert get(served.url, OFFICIALS)[0] == 200  # still serving


def test_deep_query_refused_and_server_still_answers(served: SparqlProxy) -> None:
    status, _, body = fetch(f"{served.url}/sparql", DEEP.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"deep" in body
    status, _, body = get(served.url, OFFICIALS)
    assert status == 200 and names(body) == ["张三", "李四"]
    assert served.oxigraph.alive()


def test_cross_product_times_out_while_another_client_is_served(served: SparqlProxy) -> None:
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(get, served.url, CROSS)
        time.sleep(0.2)
        start = time.monotonic()
        status, _, body = get(served.url, OFFICIALS)
        quick = time.monotonic() - start
        assert status == 200 and names(body) == ["张三", "李四"] and quick < 0.5
        assert not slow.done()
        status, _, body = slow.result(timeout=30)
    assert status == 503 and b"timed out" in body, body
    # the query does not go on in the engine once answered (Oxigraph's own limit does not
    # stop this aggregate: the proxy restarts the process), and the server still answers
    psutil = pytest.importorskip("psutil")
    assert served.oxigraph.proc is not None
    engine = psutil.Process(served.oxigraph.proc.pid)
    engine.cpu_percent(None)
    time.sleep(1.0)
    assert engine.cpu_percent(None) < 50
    assert get(served.url, OFFICIALS)[0] == 200


def test_a_dead_engine_is_started_again(served: SparqlProxy) -> None:
    proc = served.oxigraph.proc
    assert proc is not None
    proc.kill()
    proc.wait()
    status, _, body = get(served.url, OFFICIALS)
    assert status == 200 and names(body) == ["张三", "李四"]


def test_100_parallel_simple_queries(served: SparqlProxy) -> None:
    """100 clients at once, each one simple query on its own connection: p95 under 0.5 s."""
    barrier = threading.Barrier(100)

    def client(_: int) -> float:
        barrier.wait()
        start = time.perf_counter()
        status, _, body = get(served.url, OFFICIALS)
        assert status == 200 and names(body) == ["张三", "李四"], body
        return time.perf_counter() - start

    with ThreadPoolExecutor(100) as pool:
        times = sorted(pool.map(client, range(100)))
    assert times[94] < 0.5, f"p95 {times[94]:.3f} s"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("SELECT * { ?s ?p '{{{{' . ?s ?p <http://x/#{> } # {{{{", True),
        ("SELECT * " + "{" * MAX_DEPTH + "}" * MAX_DEPTH, True),
        ("SELECT * " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1), False),
        ("SELECT * { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }", False),
        ("#" * (MAX_QUERY_BYTES + 1), False),
        ("ASK { FILTER(" + "!" * 20_000 + "true) }", False),
        ("ASK { FILTER(" + "!" * 64 + "true) }", True),
        ("SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 1_200) + " }", False),
        ("SELECT * { FILTER(" + " || ".join(["true"] * 1_200) + ") }", False),
    ],
)
def test_guard(text: str, ok: bool) -> None:
    if ok:
        check_query(text)
    else:
        with pytest.raises(QueryRefused) as info:
            check_query(text)
        assert isinstance(info.value, GovkgError) and "\n" not in str(info.value)


def test_uses_service() -> None:
    assert uses_service("SELECT * { service <x:y> { ?s ?p ?o } }")
    assert not uses_service("SELECT * { ?s ?p 'SERVICE' } # SERVICE")
    assert not uses_service("SELECT ?service { ?service ?p ?o }")


# ---------------------------------------------------------------- the query page


def test_query_page_is_yasgui_with_the_shipped_queries(served: SparqlProxy) -> None:
    status, headers, body = fetch(served.url + "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<script src="/yasgui/yasgui.min.js">' in page and "http" not in page.split("<body>")[0].lower()
    for name in shipped_queries():
        assert json.dumps(name) in page
    assert json.dumps(with_prefixes(read_query("chairs_most")), ensure_ascii=False).replace("</", "<\\/") in page
    for name, kind in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css")):
        status, headers, body = fetch(f"{served.url}/yasgui/{name}")
        assert status == 200 and headers["Content-Type"] == kind and len(body) > 10_000
    assert fetch(f"{served.url}/nothing")[0] == 404
    licence = ROOT / "graph" / "ask" / "yasgui" / "LICENSE.txt"
    assert "MIT License" in licence.read_text()


# ---------------------------------------------------------------- a built store and the CLI


def test_serve_a_built_store(built_samples: tuple[Path, Graph]) -> None:
    """A built folder is served from its own store (no copy): same answers as its Turtle."""
    out_dir, samples = built_samples
    for server in running(make_server(out_dir, "127.0.0.1", 0, timeout=TIMEOUT)):
        assert server.oxigraph.location == (out_dir / "store").resolve() and server.scratch is None
        answer = samples.query(OFFICIALS, initNs=dict(vocab.PREFIXES))
        expected = sorted(str(binding[Variable("name")]) for binding in answer.bindings)
        status, _, body = get(server.url, OFFICIALS)
        assert status == 200 and sorted(names(body)) == expected and expected


def test_no_graph_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(GovkgError, match="no built graph"):
        make_server(tmp_path, "127.0.0.1", 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sigint_as_python_sets_it() -> None:
    """In the child: SIGINT back to the default, so that Python raises KeyboardInterrupt on it
    (a shell's background job starts with SIGINT ignored, and its children inherit that)."""
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
        if posix:  # Ctrl-C, or a service manager's SIGTERM, stops it and its Oxigraph cleanly
            proc.send_signal(getattr(signal, stop))
            _, err = proc.communicate(timeout=15)
            assert proc.returncode == 0, err
            assert f"{base}/sparql" in err and "Traceback" not in err
            assert err.rstrip().endswith("govkg: stopped")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


def test_cli_serve_refuses_a_taken_port(tmp_path: Path) -> None:
    small_graph().serialize(destination=tmp_path / "graph.ttl", format="turtle")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "build_graph.py", "serve", "--graph", str(tmp_path), "--port", str(port)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("Error: cannot listen on")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="headless Chromium not found at /usr/bin/chromium")
def test_query_page_in_chromium_offline(served: SparqlProxy, tmp_path: Path) -> None:
    """YASGUI loads from the server alone (no name resolves) and opens a tab per shipped query."""
    from bs4 import BeautifulSoup

    command = [
        "/usr/bin/chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # only the server answers
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=8000",
        "--dump-dom",
        served.url + "/",
    ]
    done = subprocess.run(command, capture_output=True, timeout=90, start_new_session=True)
    dom = BeautifulSoup(done.stdout.decode("utf-8"), "html.parser")
    tabs = [tab.get_text(strip=True) for tab in dom.select(".tabsList .tab span")]
    assert [t for t in tabs if t] == shipped_queries(), tabs
    assert dom.select_one(".CodeMirror") is not None  # the editor was built


def test_shipped_queries_pass_the_guard() -> None:
    for name in shipped_queries():
        check_query(read_query(name))
