"""The persistent store: Oxigraph on disk, one named graph per article.

Each article's statements live in the named graph of the article's IRI, so an
article is replaced or removed as a unit; the measure scheme lives in a graph
of its own. A manifest graph records each article's content hash, so a rebuild
re-extracts only what changed. Queries see the union of all graphs. An
article's graph and its manifest entry are written so that a build killed
half-way leaves every article either whole (with its hash) or absent (without
one): the next build redoes exactly the absent ones.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from . import vocab as v
from .errors import QueryError
from .records import RawArticle

STORE_DIR = "store"
MANIFEST = ox.NamedNode(str(v.GOVR["graph/manifest"]))
SCHEME = ox.NamedNode(str(v.GOVR["graph/scheme"]))
PLACES = ox.NamedNode(str(v.GOVR["graph/places"]))
FILE_NAME = ox.NamedNode(str(v.fileName))
CONTENT_HASH = ox.NamedNode(str(v.contentHash))
STATE = ox.NamedNode(str(v.GOV.buildState))
BATCH = 200  # articles written per transaction
DIRTY = ox.Literal("writing")
PREFIXES = {k: str(ns) for k, ns in v.PREFIXES.items()}
# written with prefixes; resource IRIs (govr:, with '/' in them) are written in full
DUMP_PREFIXES = {k: iri for k, iri in PREFIXES.items() if k != "govr"}


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code and the data tables it reads: when they change,
    every article is extracted again."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    files = sorted(root.rglob("*.py")) + sorted((root.parent / "ontology").glob("*.*"))
    for f in files:
        h.update(f.relative_to(root.parent).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def content_hash(raw: RawArticle) -> str:
    """What decides whether an article must be extracted again: its content, and the code."""
    h = hashlib.sha256(code_version().encode())
    for part in (raw.name, raw.title or "", raw.date or "", raw.url or "", raw.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


class GraphStore:
    """An Oxigraph store on disk (or in memory when `path` is None).

    Named graphs hold each article's triples (and the scheme's); the default graph
    holds their union, kept up to date as articles come and go, so that queries see
    each triple once. A triple leaves the union only when no graph states it any more.
    """

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        if path is None:
            self.store = ox.Store()
        elif read_only:
            self.store = ox.Store.read_only(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.store = ox.Store(str(path))
        self._pending: dict[str, tuple[str, bytes]] = {}  # articles not yet written: name -> (hash, N-Triples)

    # -- the build state --------------------------------------------------------
    def begin(self) -> None:
        """Mark the store as being written; a build that dies leaves the mark behind."""
        if self.dirty():
            self.rebuild_union()
        self.store.add(ox.Quad(MANIFEST, STATE, DIRTY, MANIFEST))

    def commit(self) -> None:
        self._write_pending()
        self.store.remove(ox.Quad(MANIFEST, STATE, DIRTY, MANIFEST))
        self.flush()

    def dirty(self) -> bool:
        return ox.Quad(MANIFEST, STATE, DIRTY, MANIFEST) in self.store

    def rebuild_union(self) -> None:
        """Recompute the default graph from the named graphs (after an interrupted build)."""
        self.store.clear_graph(ox.DefaultGraph())
        default = ox.DefaultGraph()
        self.store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, default)
            for q in self.store.quads_for_pattern(None, None, None)
            if q.graph_name != MANIFEST and not isinstance(q.graph_name, ox.DefaultGraph)
        )

    # -- articles ---------------------------------------------------------------
    def hashes(self) -> dict[str, str]:
        """Article file name -> content hash, for every article in the store."""
        out: dict[str, str] = {}
        for q in self.store.quads_for_pattern(None, CONTENT_HASH, None, MANIFEST):
            name = next(self.store.quads_for_pattern(q.subject, FILE_NAME, None, MANIFEST), None)
            if name is not None and isinstance(name.object, ox.Literal) and isinstance(q.object, ox.Literal):
                out[name.object.value] = q.object.value
        return out

    def put_article(self, name: str, digest: str, ntriples: bytes) -> None:
        """Replace an article's graph with `ntriples`, add them to the union, then record its
        hash. Articles are written in batches (one transaction each); `commit` writes the rest."""
        self._pending[name] = (digest, ntriples)
        if len(self._pending) >= BATCH:
            self._write_pending()

    def _write_pending(self) -> None:
        batch, self._pending = self._pending, {}
        if not batch:
            return
        for name in batch:
            self._remove_written(name)
        payload = b"".join(_as_nquads(nt, _graph_of(name)) for name, (_, nt) in batch.items())
        self.store.load(payload, format=ox.RdfFormat.N_QUADS)
        default = ox.DefaultGraph()
        self.store.extend(
            [
                ox.Quad(q.subject, q.predicate, q.object, default)
                for name in batch
                for q in self.store.quads_for_pattern(None, None, None, _graph_of(name))
            ]
        )
        self.store.extend(
            [
                quad
                for name, (digest, _) in batch.items()
                for quad in (
                    ox.Quad(_graph_of(name), FILE_NAME, ox.Literal(name), MANIFEST),
                    ox.Quad(_graph_of(name), CONTENT_HASH, ox.Literal(digest), MANIFEST),
                )
            ]
        )

    def remove_article(self, name: str) -> None:
        """Forget the hash first, then the graph: a crash in between only costs a re-extraction."""
        self._pending.pop(name, None)
        self._remove_written(name)

    def _remove_written(self, name: str) -> None:
        graph = _graph_of(name)
        for q in list(self.store.quads_for_pattern(graph, None, None, MANIFEST)):
            self.store.remove(q)
        self._drop_graph(graph)

    def put_scheme(self, turtle_path: Path) -> None:
        self._drop_graph(SCHEME)
        self._put_graph(SCHEME, turtle_path.read_bytes(), ox.RdfFormat.TURTLE)

    def put_places(self, ntriples: bytes | None) -> None:
        """The whole division hierarchy (`build --all-places`), or none."""
        self._drop_graph(PLACES)
        if ntriples:
            self._put_graph(PLACES, ntriples, ox.RdfFormat.N_TRIPLES)

    def _put_graph(self, graph: ox.NamedNode, data: bytes, fmt: ox.RdfFormat) -> None:
        self.store.load(data, format=fmt, to_graph=graph)
        default = ox.DefaultGraph()
        self.store.extend(
            [
                ox.Quad(q.subject, q.predicate, q.object, default)
                for q in self.store.quads_for_pattern(None, None, None, graph)
            ]
        )

    def _drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph, and from the union every triple no other graph states."""
        if not self.store.contains_named_graph(graph):
            return
        triples = [(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, graph)]
        self.store.remove_graph(graph)
        default = ox.DefaultGraph()
        for s, p, o in triples:
            if not any(
                not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != MANIFEST
                for q in self.store.quads_for_pattern(s, p, o, None)
            ):
                self.store.remove(ox.Quad(s, p, o, default))

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    # -- reading ----------------------------------------------------------------
    def union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of every article and the scheme, each once (the default graph)."""
        return (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        )

    def union_graph(self) -> Graph:
        """The union as an in-memory rdflib Graph (for small builds: the HTML view, validation)."""
        g = v.bind_prefixes(Graph())
        for t in self.union_triples():
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return g

    def write_turtle(self, path: Path) -> int:
        """The union as Turtle with sorted lines (canonical N-Triples, which is Turtle too):
        the same triples give the same bytes whatever order they were stored in. Written
        atomically; returns the number of triples. Small graphs are better written with
        graph.export.write_turtle from `union_graph()` (prefixes, grouped subjects)."""
        dumped = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
        lines = dumped.splitlines(keepends=True)
        lines.sort()
        part = path.with_name(f".{path.name}.tmp")
        part.write_bytes(b"".join(lines))
        part.replace(path)
        return len(lines)

    def write_quads(self, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Every article graph (and the scheme) as N-Quads or TriG, atomically."""
        part = path.with_name(f".{path.name}.tmp")
        quads = (
            q
            for q in self.store.quads_for_pattern(None, None, None)
            if q.graph_name != MANIFEST and not isinstance(q.graph_name, ox.DefaultGraph)
        )
        ox.serialize(quads, str(part), fmt, prefixes=DUMP_PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        part.replace(path)

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL over the union of all graphs (the default graph); the answer as an rdflib Result."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k.lstrip("?$")): to_ox(val) for k, val in (bindings or {}).items()
        }
        try:
            try:
                answer = self.store.query(text, prefixes=PREFIXES, substitutions=subs)
            except RuntimeError as exc:
                if "projection" not in str(exc):
                    raise QueryError(f"query failed: {' '.join(str(exc).split())}") from exc
                # Oxigraph substitutes only projected variables; bind the others as rdflib's
                # initBindings does, with a VALUES block of the terms as Oxigraph writes them
                answer = self.store.query(with_values(text, subs), prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL: {' '.join(str(exc).split())}") from exc
        return to_result(answer)

    def __len__(self) -> int:
        return len(self.store)


WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, subs: Mapping[ox.Variable, Any]) -> str:
    """`query` with `VALUES (?v …) { (term …) }` at the head of its outermost WHERE group.
    The terms are serialised by Oxigraph (N-Triples escaping), so no value can change the
    query's structure."""
    m = WHERE_OPEN.search(query)
    if m is None:
        raise QueryError("binding values needs a query with a WHERE { … } clause")
    names = " ".join(str(var) for var in subs)
    terms = " ".join(str(term) for term in subs.values())
    return f"{query[: m.end()]} VALUES ({names}) {{ ({terms}) }} {query[m.end() :]}"


def _graph_of(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(v.article_iri(name)))


def _as_nquads(ntriples: bytes, graph: ox.NamedNode) -> bytes:
    """N-Triples lines (each ending ' .') as N-Quads lines in `graph`."""
    tail = f" {graph} .\n".encode()
    return b"".join(line[:-2].rstrip() + tail for line in ntriples.splitlines() if line.strip())


def open_store(out_dir: Path) -> GraphStore:
    return GraphStore(out_dir / STORE_DIR)


def read_store(out_dir: Path) -> GraphStore | None:
    """The store of a built folder, opened read-only (a build may be writing it), or None."""
    path = out_dir / STORE_DIR
    if not path.is_dir():
        return None
    return GraphStore(path, read_only=True)


def discard_store(out_dir: Path) -> None:
    shutil.rmtree(out_dir / STORE_DIR, ignore_errors=True)


# -- term conversion -------------------------------------------------------------


def to_ox(term: Identifier | str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.Literal(str(term))


def to_rdflib(term: Any) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def to_result(answer: Any) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(answer)
        return r
    if isinstance(answer, ox.QuerySolutions):
        names = [var.value for var in answer.variables]
        r = Result("SELECT")
        r.vars = [Variable(n) for n in names]
        r.bindings = [{Variable(n): term for n in names if (term := to_rdflib(sol[n])) is not None} for sol in answer]
        return r
    g = Graph()
    for t in answer:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    r = Result("CONSTRUCT")
    r.graph = g
    return r
