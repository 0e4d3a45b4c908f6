"""A read-only SPARQL 1.1 Protocol endpoint over a built graph (its Oxigraph store, or an
rdflib Graph), on the standard library's http.server.

make_server    a ThreadingHTTPServer (not yet serving) on host:port (port 0: any free port)
serve_forever  make_server, print the URL to stderr, serve until Ctrl-C

GET  /sparql?query=…                                   the SPARQL 1.1 Protocol's three ways of
POST /sparql  application/x-www-form-urlencoded query=… asking a query; answers go through
POST /sparql  application/sparql-query (body = query)   graph.ask.query.run_query (project prefixes
                                                        predeclared) and format_result
GET  /        an HTML form with the shipped example queries (/?example=NAME fills it in)

SELECT and ASK answers follow the Accept header: application/sparql-results+json (the
default), text/csv or text/tab-separated-values; CONSTRUCT and DESCRIBE give text/turtle.
Updates (an `update` parameter, application/sparql-update, or a query that parses as an
update) get 403, as do SERVICE clauses (rdflib would fetch them over the network);
malformed queries get 400 with the parser's message. /sparql answers carry
Access-Control-Allow-Origin: *. Queries run one at a time: rdflib's parser and the
in-memory store are not made for concurrent use.
"""

from __future__ import annotations

import html
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import parse_qs, quote, urlsplit

from pyparsing import ParseResults
from rdflib import Graph
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.ask.query import format_result, read_query, run_query, shipped_queries
from graph.errors import GovkgError, QueryError
from graph.rdf import vocab
from graph.store.source import Source

ENDPOINT = "/sparql"
MAX_BODY = 1 << 20  # bytes of a POST body
# Accept media type -> format_result format, for SELECT and ASK; the first is the default
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
DEFAULT_QUERY = "SELECT ?official ?name WHERE {\n  ?official a gov:Official ; rdfs:label ?name .\n}\nLIMIT 20\n"
READ_ONLY = "updates are not allowed: this SPARQL endpoint is read-only"


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding the graph it answers for and a lock around queries."""

    daemon_threads = True

    def __init__(self, graph: Source, host: str, port: int) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.graph = graph
        self.lock = threading.Lock()
        super().__init__((host, port), SparqlHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def make_server(graph: Source, host: str = "127.0.0.1", port: int = 7878) -> SparqlServer:
    """A server for graph bound to host:port; call its serve_forever() (port 0 picks a free one)."""
    try:
        return SparqlServer(vocab.bind_prefixes(graph) if isinstance(graph, Graph) else graph, host, port)
    except OSError as exc:
        raise GovkgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve_forever(graph: Source, host: str = "127.0.0.1", port: int = 7878) -> None:
    """Serve graph at http://host:port/sparql until Ctrl-C (SIGINT) or SIGTERM (what `kill`,
    systemd and `docker stop` send; SIGINT is ignored in a shell script's background jobs)."""
    server = make_server(graph, host, port)
    print(
        f"govkg: SPARQL endpoint at {server.url}{ENDPOINT} ({len(graph)} triples; "
        f"query form at {server.url}/); Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    main = threading.current_thread() is threading.main_thread()  # signal handlers live there
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("govkg: stopped", file=sys.stderr)
    finally:
        server.server_close()
        if main and previous is not None:  # None: the old handler was not set from Python, cannot be put back
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM: stop as Ctrl-C does."""
    raise KeyboardInterrupt


# ---------------------------------------------------------------- negotiation and checks


def _accept_ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header."""
    ranges = []
    for index, item in enumerate(accept.split(",")):
        mime, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if mime:
            ranges.append((mime.lower(), q, index))
    return ranges


def _specificity(media_range: str, offer: str) -> int:
    """3: the range names offer, 2: type/*, 1: */*, 0: no match."""
    if media_range == offer:
        return 3
    if media_range == offer.split("/")[0] + "/*":
        return 2
    return 1 if media_range == "*/*" else 0


def negotiate(accept: str, offers: Sequence[str]) -> str:
    """The offer the Accept header prefers: highest q (given by the most specific matching
    range), then the client's order, then the order of offers; offers[0] when nothing fits."""
    ranges = _accept_ranges(accept)
    best, best_key = offers[0], (0.0, 0, 0)
    for order, offer in enumerate(offers):
        fits = [(_specificity(r, offer), q, i) for r, q, i in ranges if _specificity(r, offer)]
        if not fits:
            continue
        _, q, index = max(fits, key=lambda fit: fit[0])
        key = (q, -index, -order)
        if q > 0 and key > best_key:
            best, best_key = offer, key
    return best


def _is_update(text: str) -> bool:
    """Whether text parses as a SPARQL Update with at least one operation."""
    try:
        return bool(parseUpdate(text).get("request"))
    except Exception:  # pyparsing's ParseException and friends
        return False


def _has_service(node: object) -> bool:
    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_has_service(v) for v in node.values())
    if isinstance(node, ParseResults | list | tuple):
        return any(_has_service(v) for v in node)
    return False


def _uses_service(text: str) -> bool:
    """Whether the query has a SERVICE clause (a query that does not parse has none)."""
    if "service" not in text.lower():
        return False
    try:
        return _has_service(parseQuery(text))
    except Exception:
        return False


# ---------------------------------------------------------------- the page


def _description(query: str) -> str:
    """The leading # comment of a query file, as one line."""
    lines = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


def _examples() -> dict[str, str]:
    examples = {}
    for name in shipped_queries():
        try:
            examples[name] = read_query(name)
        except QueryError:
            continue
    return examples


def page(triples: int, query: str, examples: dict[str, str]) -> str:
    """The HTML form: a textarea holding query and a list of the examples."""
    esc = html.escape
    items = "\n".join(
        f'<li><a href="/?example={quote(name)}">{esc(name)}</a> {esc(_description(text))}</li>'
        for name, text in examples.items()
    )
    prefixes = " ".join(f"{p}:" for p in vocab.PREFIXES)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>govkg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:62em;margin:2em auto;padding:0 1em}}
textarea{{width:100%;font-family:monospace;font-size:90%}}li{{margin:.3em 0}}</style></head>
<body><h1>govkg SPARQL endpoint</h1>
<p>{triples} triples, read-only. SPARQL 1.1 Protocol at <code>{ENDPOINT}</code> (GET or POST);
prefixes {esc(prefixes)} are predeclared.</p>
<form method="get" action="{ENDPOINT}"><textarea name="query" rows="18">{esc(query)}</textarea>
<p><button type="submit">Run query</button></p></form>
<h2>Example queries</h2>
<ul>
{items}
</ul></body></html>
"""


# ---------------------------------------------------------------- the handler


class SparqlHandler(BaseHTTPRequestHandler):
    """GET and POST for /sparql and /, OPTIONS for CORS preflight."""

    server_version = "govkg-sparql"

    @property
    def _server(self) -> SparqlServer:
        return cast(SparqlServer, self.server)

    def _send(
        self, status: int, body: str, content_type: str = "text/plain", headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if urlsplit(self.path).path == ENDPOINT:
            self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, " ".join(message.split()) + "\n", headers=headers)

    def _body(self) -> str | None:
        """The request body as text, or None after answering with an error."""
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._error(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
            return None
        if int(length) > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            return None
        data = self.rfile.read(int(length))
        try:
            return data.decode(self.headers.get_content_charset("utf-8"))
        except (LookupError, UnicodeDecodeError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"cannot decode the request body: {exc}")
            return None

    def do_OPTIONS(self) -> None:
        self._send(
            HTTPStatus.NO_CONTENT if urlsplit(self.path).path == ENDPOINT else HTTPStatus.NOT_FOUND,
            "",
            headers={
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
            },
        )

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            self._page(params)
        elif url.path == ENDPOINT:
            self._protocol(params)
        else:
            self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}: the endpoint is {ENDPOINT}")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()  # read it even to refuse: closing on unread data resets the connection
        if body is None:
            return
        if url.path != ENDPOINT:
            if url.path == "/":
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"POST queries to {ENDPOINT}", {"Allow": "GET"})
            else:
                self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}: the endpoint is {ENDPOINT}")
            return
        params = parse_qs(url.query, keep_blank_values=True)
        kind = self.headers.get_content_type()
        if kind == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
        elif kind == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            self._protocol(params)
        elif kind == "application/sparql-query":
            if "query" in params:
                self._error(HTTPStatus.BAD_REQUEST, "application/sparql-query: the query goes in the body, not the URL")
            else:
                self._protocol({**params, "query": [body]})
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"unsupported Content-Type {kind}: use application/x-www-form-urlencoded or application/sparql-query",
            )

    def _page(self, params: dict[str, list[str]]) -> None:
        examples = _examples()
        query = DEFAULT_QUERY
        if "example" in params:
            name = params["example"][0]
            if name not in examples:
                self._error(HTTPStatus.NOT_FOUND, f"no shipped query {name!r} (shipped: {', '.join(examples)})")
                return
            query = examples[name]
        with self._server.lock:
            triples = len(self._server.graph)
        self._send(HTTPStatus.OK, page(triples, query, examples), "text/html")

    def _protocol(self, params: dict[str, list[str]]) -> None:
        """Check the protocol parameters, then run the one query."""
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, READ_ONLY)
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(
                HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not supported: one graph is served"
            )
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, f"give exactly one non-empty query parameter (got {len(queries)})")
            return
        self._answer(queries[0])

    def _evaluate(self, text: str) -> tuple[int, str, str]:
        """(status, body, content type) of the answer to one query; call under the server's lock."""
        if _uses_service(text):
            return HTTPStatus.FORBIDDEN, "SERVICE (federated query) is disabled on this endpoint", ""
        try:
            result = run_query(self._server.graph, text)
        except QueryError as exc:
            if _is_update(text):
                return HTTPStatus.FORBIDDEN, READ_ONLY, ""
            return HTTPStatus.BAD_REQUEST, str(exc), ""
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return HTTPStatus.OK, format_result(result, "table"), "text/turtle"  # all but json give Turtle
        fmt = RESULT_TYPES[negotiate(self.headers.get("Accept", ""), list(RESULT_TYPES))]
        return HTTPStatus.OK, format_result(result, fmt), CONTENT_TYPES[fmt]

    def _answer(self, text: str) -> None:
        with self._server.lock:
            try:
                status, body, kind = self._evaluate(text)
            except Exception as exc:  # a bug, not the client's fault: say so and keep serving
                self.log_error("query failed: %r", exc)
                status, body, kind = HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {exc!r}", ""
        if status == HTTPStatus.OK:
            self._send(status, body, kind, {"Vary": "Accept"})
        else:
            self._error(status, body)
