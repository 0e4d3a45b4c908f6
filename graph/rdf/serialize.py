"""Stable Turtle: the same triples give the same bytes (sorted subjects, predicates and
objects; blank nodes relabelled canonically).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from graph.files import write_atomic
from graph.rdf import vocab


def term_key(term: Node) -> tuple[int, str, str, str]:
    """A total order on RDF terms (rdflib's own order ties equal-valued literals)."""
    if isinstance(term, Literal):
        return (2, str(term), str(term.datatype or ""), term.language or "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (0, str(term), "", "")


class _StableTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serializer with a total order on subjects and objects.

    Subjects are sorted by IRI rather than by reference count, so adding an
    article to a graph moves no unrelated block in the file.
    """

    def orderSubjects(self) -> list[Any]:
        ordered = super().orderSubjects()
        top = [s for s in ordered if s in self._topLevels]
        rest = [s for s in ordered if s not in self._topLevels]
        rest.sort(
            key=lambda s: (
                isinstance(s, BNode),
                self._references[s] if isinstance(s, BNode) else 0,
                term_key(s),
            )
        )
        return top + rest

    def sortProperties(self, properties: Any) -> list[Any]:
        for objects in properties.values():
            objects.sort(key=term_key)
        return super().sortProperties(properties)


def canonical(g: Graph) -> Graph:
    """g itself, or a copy with blank nodes relabelled deterministically."""
    if not any(isinstance(t, BNode) for triple in g for t in triple):
        return g
    canon = Graph()
    for triple in to_canonical_graph(g):
        canon.add(triple)
    for prefix, ns in g.namespaces():
        canon.bind(prefix, ns, override=True, replace=True)
    return canon


def turtle_bytes(g: Graph) -> bytes:
    """The graph as UTF-8 Turtle, identical bytes for identical triples."""
    vocab.bind_prefixes(g)
    stream = io.BytesIO()
    _StableTurtleSerializer(canonical(g)).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def write_turtle(g: Graph, path: Path) -> None:
    """Write g to path as Turtle: deterministic bytes, atomic replace."""
    write_atomic(Path(path), turtle_bytes(g))
