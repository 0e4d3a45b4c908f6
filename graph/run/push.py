"""Copy a built graph into any SPARQL 1.1 store (`build --push URL`).

    push_graph(Path("exports"), "http://localhost:7878/store", timeout=60)

Uses the SPARQL 1.1 Graph Store HTTP Protocol: every article's named graph is
sent with `PUT URL?graph=<article IRI>` (N-Triples), replacing what the
server held for it, each complete on its own (the article's statements and the
facts about the officials, posts and places it names), and so are the measure
scheme's graph and, after a build with --all-places, the places list (as the
graph govr:graph/shared); articles removed in this build are
deleted with `DELETE URL?graph=<article IRI>`. URL is the store's Graph Store
endpoint: `http://host:7878/store` for `oxigraph serve`,
`http://host:3030/DATASET/data` for Fuseki. The store's own default graph is
left alone: query the union of the named graphs (Oxigraph's
--union-default-graph, Fuseki's tdb2:unionDefaultGraph) or use GRAPH ?g.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import GovkgError, GraphNotFound
from graph.rdf.vocab import article_iri
from graph.store.keys import SHARED_GRAPH
from graph.store.store import GraphStore, read_store

NTRIPLES = "application/n-triples"


@dataclass
class PushReport:
    put: int = 0  # graphs sent
    deleted: int = 0  # graphs the server deleted (not counting ones it did not have)

    def summary(self, url: str) -> str:
        return f"pushed {self.put} graph(s) to {url}, deleted {self.deleted}"


def push_graph(
    store_or_dir: GraphStore | Path,
    url: str,
    *,
    timeout: float = 60,
    removed: Iterable[str] = (),
) -> PushReport:
    """PUT every article graph, the scheme (and the places, if built) to the Graph Store
    endpoint `url`; DELETE the graphs of the articles named in `removed`. Raises
    GovkgError (one line, naming the URL) when the server refuses or cannot be reached."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GovkgError(f"--push {url}: expected an http:// or https:// Graph Store endpoint URL")
    if isinstance(store_or_dir, GraphStore):
        store = store_or_dir
    else:
        found = read_store(store_or_dir)
        if found is None:
            raise GraphNotFound(f"{store_or_dir}: no built store in it (run `build_graph.py build` first)")
        store = found
    report = PushReport()
    sent: set[str] = set()
    for graph, data in store.graphs():  # each article's complete graph, the scheme, the places list
        _send(url, "PUT", graph, data, timeout)
        sent.add(graph.value)
        report.put += 1
    if SHARED_GRAPH.value not in sent:
        report.deleted += _send(url, "DELETE", SHARED_GRAPH, None, timeout)  # a previous push may have sent it
    for name in sorted(set(removed)):
        report.deleted += _send(url, "DELETE", ox.NamedNode(str(article_iri(name))), None, timeout)
    return report


def graph_url(url: str, graph: ox.NamedNode) -> str:
    """`url?graph=<IRI>` (indirect graph identification), keeping any query `url` has."""
    parts = urllib.parse.urlsplit(url)
    query = "&".join(q for q in (parts.query.strip("&"), urllib.parse.urlencode({"graph": graph.value})) if q)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _send(url: str, method: str, graph: ox.NamedNode, data: bytes | None, timeout: float) -> bool:
    """One Graph Store request; False for a DELETE of a graph the server does not have."""
    headers = {"Content-Type": NTRIPLES} if data is not None else {}
    request = urllib.request.Request(graph_url(url, graph), data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
        return True
    except urllib.error.HTTPError as exc:
        if method == "DELETE" and exc.code == 404:  # already absent
            return False
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        raise GovkgError(
            f"push to {url} refused: {method} graph <{graph.value}>: HTTP {exc.code} {exc.reason}"
            + (f": {detail}" if detail else "")
        ) from exc
    except urllib.error.URLError as exc:
        raise GovkgError(f"cannot push to {url}: {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise GovkgError(f"cannot push to {url}: {type(exc).__name__}: {exc}") from exc
