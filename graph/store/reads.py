"""The store's read side: rdflib's read methods and SPARQL over the union of its graphs."""

import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node

from graph.errors import QueryError
from graph.rdf import vocab as v
from graph.store.keys import (
    PREFIXES,
)
from graph.store.terms import rdflib_term, to_ox, to_rdflib, to_result, with_values


class UnionReads:
    """Reads over the union of a store's graphs (each answer once), as rdflib's Graph
    offers them: graph.ask.views walks the neighbourhood of the nodes it draws with
    them, on a store of any size."""

    store: ox.Store
    db: sqlite3.Connection

    def union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of every graph, each once (no triple is in two graphs)."""
        return (ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None))

    # rdflib's read methods, over the union of the graphs (distinct answers): graph.ask.views
    # walks the neighbourhood of the nodes it draws with them, on a store of any size
    def _union(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[ox.Quad]:
        if isinstance(s, Literal) or (p is not None and not isinstance(p, URIRef)):
            return iter(())  # no triple has a literal subject, or a predicate other than an IRI
        if o is not None and not isinstance(o, Identifier):
            return iter(())  # a formula (rdflib's N3 graphs) is never an object here
        subject = None if s is None else ox.BlankNode(str(s)) if isinstance(s, BNode) else ox.NamedNode(str(s))
        predicate = None if p is None else ox.NamedNode(str(p))
        return iter(self.store.quads_for_pattern(subject, predicate, None if o is None else to_ox(o), None))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Identifier]:
        yield from dict.fromkeys(rdflib_term(q.subject) for q in self._union(None, predicate, obj))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Identifier]:
        yield from dict.fromkeys(rdflib_term(q.object) for q in self._union(subject, predicate, None))

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Identifier, Identifier]]:
        pairs = ((rdflib_term(q.predicate), rdflib_term(q.object)) for q in self._union(subject, None, None))
        yield from dict.fromkeys(pairs)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Identifier, Identifier]]:
        pairs = ((rdflib_term(q.subject), rdflib_term(q.object)) for q in self._union(None, predicate, None))
        yield from dict.fromkeys(pairs)

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        return next(iter(self._union(*triple)), None) is not None

    def union_graph(self) -> Graph:
        """The union as an in-memory rdflib Graph (for small builds: the HTML view, validation)."""
        g = v.bind_prefixes(Graph())
        for t in self.union_triples():
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return g

    def triples(self) -> int:
        """The number of triples in the union: the articles' own lines (each in one article
        graph, counted when archived) and the default graph's triples."""
        (own,) = self.db.execute("SELECT total(triples) FROM article").fetchone()
        answer = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the default graph
        assert isinstance(answer, ox.QuerySolutions)
        return int(own) + int(next(iter(answer))[0].value)

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL over the union of all graphs; the answer as an rdflib Result."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k.lstrip("?$")): to_ox(val) for k, val in (bindings or {}).items()
        }
        try:
            try:
                answer = self.store.query(text, prefixes=PREFIXES, substitutions=subs, use_default_graph_as_union=True)
            except RuntimeError as exc:
                if "projection" not in str(exc):
                    raise QueryError(f"query failed: {' '.join(str(exc).split())}") from exc
                # Oxigraph substitutes only projected variables; bind the others as rdflib's
                # initBindings does, with a VALUES block of the terms as Oxigraph writes them
                answer = self.store.query(with_values(text, subs), prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL: {' '.join(str(exc).split())}") from exc
        return to_result(answer)

    def __len__(self) -> int:
        return len(self.store)
