"""Term conversion between rdflib and Oxigraph, and SPARQL VALUES splicing."""

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier

from graph.errors import QueryError

XSD_STRING = str(XSD.string)

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
    return None if term is None else rdflib_term(term)


def rdflib_term(term: Any) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def to_result(answer: Any) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(answer)
        return r
    if isinstance(answer, ox.QuerySolutions):
        r = Result("SELECT")
        r.vars = [Variable(var.value) for var in answer.variables]
        columns = list(enumerate(r.vars))
        # a term is converted once: an aggregate's rows repeat a few labels and counts,
        # and rdflib's Literal costs microseconds to make (70,000 rows: 2.7 s → 0.1 s)
        made: dict[Any, Identifier] = {}
        bindings: list[Mapping[Variable, Identifier]] = []
        for sol in answer:
            row: dict[Variable, Identifier] = {}
            for i, var in columns:
                term = sol[i]
                if term is not None:
                    if (value := made.get(term)) is None:
                        value = made[term] = rdflib_term(term)
                    row[var] = value
            bindings.append(row)
        r.bindings = bindings
        return r
    g = Graph()
    for t in answer:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    r = Result("CONSTRUCT")
    r.graph = g
    return r
