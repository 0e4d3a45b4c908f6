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
import shutil
import tempfile
from collections.abc import Iterator, Mapping
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
FILE_NAME = ox.NamedNode(str(v.fileName))
CONTENT_HASH = ox.NamedNode(str(v.contentHash))
PREFIXES = {k: str(ns) for k, ns in v.PREFIXES.items()}
# written with prefixes; resource IRIs (govr:, with '/' in them) are written in full
DUMP_PREFIXES = {k: iri for k, iri in PREFIXES.items() if k != "govr"}


def content_hash(raw: RawArticle) -> str:
    """What decides whether an article must be extracted again."""
    h = hashlib.sha256()
    for part in (raw.name, raw.title or "", raw.date or "", raw.url or "", raw.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


class GraphStore:
    """An Oxigraph store on disk (or in memory when `path` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
        self.store = ox.Store(str(path)) if path is not None else ox.Store()

    # -- articles ---------------------------------------------------------------
    def hashes(self) -> dict[str, str]:
        """Article file name -> content hash, for every article in the store."""
        out: dict[str, str] = {}
        for q in self.store.quads_for_pattern(None, CONTENT_HASH, None, MANIFEST):
            name = next(self.store.quads_for_pattern(q.subject, FILE_NAME, None, MANIFEST), None)
            if name is not None:
                out[name.object.value] = q.object.value
        return out

    def put_article(self, name: str, digest: str, ntriples: bytes) -> None:
        """Replace an article's graph with `ntriples`, then record its hash."""
        graph = ox.NamedNode(str(v.article_iri(name)))
        self.remove_article(name)
        self.store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        self.store.extend(
            [
                ox.Quad(graph, FILE_NAME, ox.Literal(name), MANIFEST),
                ox.Quad(graph, CONTENT_HASH, ox.Literal(digest), MANIFEST),
            ]
        )

    def remove_article(self, name: str) -> None:
        """Forget the hash first, then the graph: a crash in between only costs a re-extraction."""
        graph = ox.NamedNode(str(v.article_iri(name)))
        for q in list(self.store.quads_for_pattern(graph, None, None, MANIFEST)):
            self.store.remove(q)
        self.store.remove_graph(graph) if self.store.contains_named_graph(graph) else None

    def put_scheme(self, turtle_path: Path) -> None:
        if self.store.contains_named_graph(SCHEME):
            self.store.remove_graph(SCHEME)
        self.store.load(path=str(turtle_path), format=ox.RdfFormat.TURTLE, to_graph=SCHEME)

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    # -- reading ----------------------------------------------------------------
    def union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of every article and the scheme, each once."""
        graphs = [g for g in self.store.named_graphs() if g != MANIFEST]
        if not graphs:
            return iter(())
        return iter(self.store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=graphs))

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
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".union.") as tmp:
            union = ox.Store(tmp)
            default = ox.DefaultGraph()
            union.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in self.union_triples())
            lines = union.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=default).splitlines(keepends=True)
            del union
        lines.sort()
        part = path.with_name(f".{path.name}.tmp")
        part.write_bytes(b"".join(lines))
        part.replace(path)
        return len(lines)

    def write_quads(self, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Every article graph (and the scheme) as N-Quads or TriG, atomically."""
        part = path.with_name(f".{path.name}.tmp")
        quads = (q for q in self.store.quads_for_pattern(None, None, None) if q.graph_name != MANIFEST)
        ox.serialize(quads, str(part), fmt, prefixes=DUMP_PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        part.replace(path)

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL over the union of all graphs; the answer as an rdflib Result."""
        subs = {ox.Variable(k.lstrip("?$")): to_ox(val) for k, val in (bindings or {}).items()}
        try:
            answer = self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL: {' '.join(str(exc).split())}") from exc
        return to_result(answer)

    def __len__(self) -> int:
        return len(self.store)


def open_store(out_dir: Path) -> GraphStore:
    return GraphStore(out_dir / STORE_DIR)


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
        r.bindings = [
            {Variable(n): to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in answer
        ]
        return r
    g = Graph()
    for t in answer:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    r = Result("CONSTRUCT")
    r.graph = g
    return r
