"""Where a statement's evidence is in a built graph: the one module that knows
(graph/rdf/build.py writes it so).

A triple (s, p, o) is evidenced by the gov:Evidence nodes naming it (rdf:subject,
rdf:predicate, rdf:object), except a gov:mandates triple, whose evidence is the
gov:Directive nodes issued at s (gov:issuedAt) that direct o (gov:directs). Either
kind points to its gov:Sentence (gov:inSentence): text, offsets, article.

all_evidence   every (triple, evidence node or directive, sentence) of a graph, in
               one pass over it (the HTML tooltips, the split into named graphs)
evidence_of    the evidence nodes or directives of one triple, by index lookups
               (the views, on a store of any size)
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.rdf import vocab
from graph.store.source import Source

Triple = tuple[Node, Node, Node]


def all_evidence(g: Graph) -> Iterator[tuple[Triple, Node, Node | None]]:
    """(triple, evidence node or directive, its sentence) for every piece of evidence in g
    (the triple need not be asserted in g)."""
    for node in g.subjects(RDF.type, vocab.Evidence):
        s, p, o = (g.value(node, link) for link in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None:
            yield (s, p, o), node, g.value(node, vocab.inSentence)
    for d in g.subjects(RDF.type, vocab.Directive):
        event = g.value(d, vocab.issuedAt)
        if event is None:
            continue
        sentence = g.value(d, vocab.inSentence)
        for measure in g.objects(d, vocab.directs):
            yield (event, vocab.mandates, measure), d, sentence


def evidence_of(g: Source, s: Node, p: Node, o: Node) -> list[Node]:
    """The evidence nodes of (s, p, o), or for a mandate its directives (looked up from s:
    a few index lookups, on a store of any size)."""
    if p == vocab.mandates:
        return [d for d in g.subjects(vocab.issuedAt, s) if (d, vocab.directs, o) in g]
    return [
        ev
        for ev in g.subjects(RDF.subject, s)
        if (ev, RDF.predicate, p) in g and (ev, RDF.object, o) in g and (ev, RDF.type, vocab.Evidence) in g
    ]
