"""The SPARQL endpoint: Oxigraph's own server over a built graph, behind a small checking proxy.

make_server    a SparqlProxy (not yet serving) on host:port (port 0: any free port), with
               `oxigraph serve-read-only` started on a private 127.0.0.1 port behind it
serve_forever  make_server, print the URL to stderr, serve until Ctrl-C or SIGTERM

Oxigraph's server (the `oxigraph` wheel, the same engine as the store) answers every query:
SPARQL 1.1 Protocol GET and POST, results as JSON, XML, CSV or TSV and graphs as Turtle,
N-Triples, N-Quads, TriG, JSON-LD or RDF/XML by Accept, a service description for
GET /sparql without a query, the union of the article graphs as the default graph, many
queries at once. The proxy in front adds what that server lacks or gets wrong:

* each query is checked before the engine (graph.ask.guard: size, nesting depth; a query
  nesting 3,000 braces aborts the Oxigraph 0.5.13 server process), SERVICE is refused
  (the server would fetch from the network), updates get 403;
* the project's prefixes are predeclared (a PREFIX line for each one the query uses
  without declaring it);
* a query over the time limit answers 503 with the reason (Oxigraph cancels most such
  queries itself, after it has sent 200 and part of the body; one it does not stop, such as
  an aggregate over a cross product, is stopped by restarting the Oxigraph process, and the
  queries of other clients cut off by that are sent again);
* HEAD (Oxigraph answers 404), CORS headers on every answer;
* the query page at / is YASGUI (vendored in graph/ask/yasgui/, works offline), with the
  shipped queries (graph/queries/*.rq) as tabs;
* a dead Oxigraph process is started again.

Answers up to BUFFER_BYTES are held until complete (so a timeout can still become 503);
a larger answer streams with chunked encoding, and a timeout then closes the connection
without the final chunk, so the client sees an incomplete answer, not a short one.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from graph.ask.engine import Oxigraph, store_location
from graph.ask.guard import check_query, unknown_prefixes, uses_service
from graph.ask.query import read_query, shipped_queries
from graph.errors import GovkgError, QueryError, one_line
from graph.rdf import vocab

ENDPOINTS = ("/sparql", "/query")
DEFAULT_TIMEOUT = 30.0  # seconds a query may run
BUFFER_BYTES = 8 << 20
MAX_BODY = 1 << 20  # bytes of a POST body
CANCELLED = b"The SPARQL operation has been cancelled"  # what Oxigraph appends on a timeout
READ_ONLY = "updates are not allowed: this SPARQL endpoint is read-only"
YASGUI_FILES = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
}


class SparqlProxy(ThreadingHTTPServer):
    """The public server: checks queries and hands them to its Oxigraph."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, location: Path, host: str, port: int, timeout: float, scratch: Path | None = None) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.timeout_s = timeout
        self.scratch = scratch  # a store loaded from Turtle for this server, removed with it
        super().__init__((host, port), ProxyHandler)
        self.oxigraph = Oxigraph(location, timeout)
        self.page = home_page()

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away mid-answer is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        if hasattr(self, "oxigraph"):  # not yet there when binding failed
            self.oxigraph.stop()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def make_server(
    graph_dir: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = DEFAULT_TIMEOUT
) -> SparqlProxy:
    """A server for the built graph at graph_dir on host:port; call its serve_forever()."""
    scratch = Path(tempfile.mkdtemp(prefix="govkg-serve-"))
    try:
        location = store_location(Path(graph_dir), scratch)
        return SparqlProxy(location, host, port, timeout, scratch if location == scratch else None)
    except OSError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise GovkgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    finally:
        if scratch.is_dir() and not any(scratch.iterdir()):
            scratch.rmdir()


def serve_forever(graph_dir: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Serve graph_dir at http://host:port/sparql until Ctrl-C (SIGINT) or SIGTERM."""
    server = make_server(graph_dir, host, port, timeout)
    print(
        f"govkg: SPARQL endpoint at {server.url}/sparql (Oxigraph {server.oxigraph.location}, "
        f"queries stop after {timeout:g} s; query page at {server.url}/); Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("govkg: stopped", file=sys.stderr)
    finally:
        server.server_close()
        if main and previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM: stop as Ctrl-C does."""
    raise KeyboardInterrupt


def with_prefixes(query: str) -> str:
    """query with a PREFIX line for each project prefix it uses without declaring it."""
    lines = []
    for prefix, ns in vocab.PREFIXES.items():
        used = re.search(rf"(?<![\w:]){re.escape(prefix)}:", query)
        declared = re.search(rf"(?i)PREFIX\s+{re.escape(prefix)}:", query)
        if used and not declared:
            lines.append(f"PREFIX {prefix}: <{ns}> ")
    return "".join(lines) + query  # on the first line: the engine's line numbers stay right


def examples() -> dict[str, str]:
    """The shipped queries by name (graph/queries/*.rq), with PREFIX lines for the prefixes they use."""
    found = {}
    for name in shipped_queries():
        try:
            found[name] = with_prefixes(read_query(name))
        except QueryError:
            continue
    return found


def home_page() -> bytes:
    """The query page: YASGUI on /sparql, a tab per shipped query, the project's prefixes."""
    template = resources.files("graph.ask").joinpath("yasgui/page.html").read_text(encoding="utf-8")
    prefixes = {p: str(ns) for p, ns in vocab.PREFIXES.items()}
    data = json.dumps({"examples": examples(), "prefixes": prefixes}, ensure_ascii=False)
    return template.replace("/*GOVKG_DATA*/{}", data.replace("</", "<\\/")).encode("utf-8")


class ProxyHandler(BaseHTTPRequestHandler):
    """Routes /, /yasgui/*, /sparql (and /query); everything else is 404."""

    protocol_version = "HTTP/1.1"
    server_version = "govkg"

    @property
    def proxy(self) -> SparqlProxy:
        assert isinstance(self.server, SparqlProxy)
        return self.server

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": content_type, **CORS, **(extra or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        for key, value in {**CORS, "Access-Control-Max-Age": "86400", "Content-Length": "0"}.items():
            self.send_header(key, value)
        self.end_headers()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path in ENDPOINTS:
            params = parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
            self._answer(params.get("query", [None])[0], params)
        elif url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.proxy.page, "text/html; charset=utf-8")
        elif url.path.startswith("/yasgui/") and url.path[8:] in YASGUI_FILES:
            data = resources.files("graph.ask").joinpath("yasgui", url.path[8:]).read_bytes()
            self._send(HTTPStatus.OK, data, YASGUI_FILES[url.path[8:]], {"Cache-Control": "max-age=86400"})
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page: {url.path} (the endpoint is /sparql)")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ENDPOINTS:
            return self._error(HTTPStatus.NOT_FOUND, f"no such endpoint: {url.path} (the endpoint is /sparql)")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if kind == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
        if kind == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
            query = params.get("query", [None])[0]
        elif kind == "application/sparql-query":
            query = body
        else:
            return self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a query as application/sparql-query or application/x-www-form-urlencoded (query=…)",
            )
        if query is None:
            return self._error(
                HTTPStatus.BAD_REQUEST, "no query: give query=… (GET /sparql alone describes the service)"
            )
        self._answer(query, params)

    def _answer(self, query: str | None, params: dict[str, list[str]]) -> None:
        """Check query, hand it to Oxigraph, relay the answer (None: the service description)."""
        graphs = {k: v for k, v in params.items() if k in ("default-graph-uri", "named-graph-uri")}
        if query is not None:
            try:
                check_query(query)
            except QueryError as exc:
                return self._error(HTTPStatus.BAD_REQUEST, str(exc))
            if uses_service(query):
                return self._error(HTTPStatus.FORBIDDEN, "SERVICE is not allowed: this endpoint fetches nothing")
            missing = unknown_prefixes(query, set(vocab.PREFIXES))
            if missing:
                known = ", ".join(f"{p}:" for p in vocab.PREFIXES)
                names = ", ".join(f"{p}:" for p in missing)
                return self._error(HTTPStatus.BAD_REQUEST, f"unknown prefix {names} (predeclared: {known})")
            query = with_prefixes(query)
        accept = self.headers.get("Accept") or "*/*"
        if query is None and accept.startswith("*/*"):
            accept = "text/turtle"
        target = "/query" + ("?" + urlencode(graphs, doseq=True) if graphs else "")
        deadline = time.monotonic() + self.proxy.timeout_s + 1  # Oxigraph's own limit comes first
        for attempt in (1, 2):
            oxigraph = self.proxy.oxigraph
            generation = oxigraph.generation
            conn = http.client.HTTPConnection("127.0.0.1", oxigraph.port, timeout=self.proxy.timeout_s + 1)
            failure: BaseException | None = None
            try:
                if query is None:
                    conn.request("GET", target, headers={"Accept": accept})
                else:
                    body = query.encode("utf-8")
                    headers = {"Accept": accept, "Content-Type": "application/sparql-query; charset=utf-8"}
                    conn.request("POST", target, body=body, headers=headers)
                outcome = self._relay(conn.getresponse(), deadline)
            except TimeoutError:
                outcome = "timeout"
            except (http.client.HTTPException, OSError) as exc:
                outcome, failure = "lost", exc
            finally:
                conn.close()
            if outcome == "done":
                return
            if outcome == "timeout":  # Oxigraph did not stop it: the process goes, and the query with it
                oxigraph.start(generation)
                return self._timed_out()
            # lost: Oxigraph died, or was restarted for another query's sake; once more on the new one
            if attempt == 2 or (oxigraph.alive() and oxigraph.generation == generation):
                reason = one_line(failure) if failure else "its answer broke off"
                return self._error(HTTPStatus.BAD_GATEWAY, f"the query engine failed: {reason}")
            oxigraph.start()

    def _relay(self, answer: http.client.HTTPResponse, deadline: float) -> str:
        """Send Oxigraph's answer on ("done"), or say why not: "timeout" (past the deadline,
        nothing sent) or "lost" (the answer broke off without a timeout)."""
        kind = answer.getheader("Content-Type") or "application/octet-stream"
        held = bytearray()
        try:
            while len(held) <= BUFFER_BYTES:
                if time.monotonic() > deadline:
                    return "timeout"
                chunk = answer.read1(1 << 16)
                if not chunk:
                    break
                held += chunk
            else:
                self._stream(answer, bytes(held), kind, deadline)
                return "done"
        except http.client.IncompleteRead:
            return "timeout" if time.monotonic() > deadline else "lost"
        if held.endswith(CANCELLED):  # Oxigraph stopped it itself
            self._timed_out()
        elif answer.status != HTTPStatus.OK:
            self._error(answer.status, held.decode("utf-8", "replace").strip() or answer.reason)
        else:
            self._send(HTTPStatus.OK, bytes(held), kind)
        return "done"

    def _timed_out(self) -> None:
        self._error(
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"query timed out: stopped after {self.proxy.timeout_s:g} s (the server's --timeout); "
            "add a LIMIT or narrow the patterns",
        )

    def _stream(self, answer: http.client.HTTPResponse, head: bytes, kind: str, deadline: float) -> None:
        """Relay a large answer in chunks; a timeout closes the connection without the last chunk."""
        self.send_response(HTTPStatus.OK)
        for key, value in {"Content-Type": kind, **CORS, "Transfer-Encoding": "chunked"}.items():
            self.send_header(key, value)
        self.end_headers()
        tail = head
        while True:
            try:
                chunk = answer.read1(1 << 16) if time.monotonic() < deadline else b""
                if not chunk and time.monotonic() >= deadline:
                    tail += CANCELLED
            except (http.client.IncompleteRead, TimeoutError):
                chunk, tail = b"", tail + CANCELLED
            if not chunk:
                break
            tail += chunk
            keep = len(CANCELLED)
            if len(tail) > keep and self.command != "HEAD":
                self.wfile.write(b"%x\r\n%s\r\n" % (len(tail) - keep, tail[:-keep]))
            tail = tail[-keep:] if len(tail) > keep else tail
        if tail.endswith(CANCELLED):
            self.close_connection = True
            return
        if self.command != "HEAD":
            if tail:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(tail), tail))
            self.wfile.write(b"0\r\n\r\n")
