"""Views: the part of a built graph to draw, picked by official, province, dates or meeting.

    part = subgraph(g, official="王小明")
    part = subgraph(g, province="河南省", start="2022-01-01", end="2022-06-30")

Each view is a SPARQL query in graph/queries/view_*.rq, run with the user's
value bound through initBindings (never pasted into query text):

official   view_official   the official (by exact label), the places of their
                           posts, their events, those events' other
                           participants and places
province   view_province   the province (by exact label), the places whose
                           gov:reportsTo chain reaches it, the events held in
                           them, the officials holding a post in them
start/end  view_dates      the events dated in [start, end] (either end may be
                           open) and the nodes they link to (participants,
                           places, measures, followed meetings); an event
                           known only by month and day is in the range when
                           that day falls in it in some year of the range
meeting    view_meeting    one meeting or inspection (by label substring, or
                           IRI) and the nodes it links to

Several views given together keep the nodes every one of them keeps. The
result holds, for the kept nodes: their types, labels and other literals, the
triples between them, the posts of kept officials whose jurisdiction is kept,
the articles they derive from, and the evidence nodes of every triple kept, so
graph.outputs.html draws the same tooltips as for the whole graph.

province_index(g) gives every province and the nodes belonging to it (the same
query), for the province filter of the HTML page.

g is an rdflib Graph or a built folder's store (graph.store.store.GraphStore, which reads
like one): the queries then run in Oxigraph and the neighbourhood of the kept nodes is
read from disk, so a part of a large build is drawn without loading the whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from graph.ask.evidence import evidence_of
from graph.ask.query import read_query, run_query, to_term
from graph.errors import GovkgError
from graph.rdf import vocab
from graph.store import source
from graph.store.source import Source
from graph.store.store import GraphStore

EXAMPLES = 5  # existing labels named in a "nothing matches" message
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ProvinceIndex:
    """Every province (IRI -> label, in admin-code order) and, for each node
    belonging to one, the provinces it belongs to."""

    names: dict[URIRef, str] = field(default_factory=dict)
    members: dict[URIRef, set[URIRef]] = field(default_factory=dict)


# ---------------------------------------------------------------- queries


def _rows(g: Source, name: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, Node]]:
    """The shipped query `name` run on g: one dict (variable -> term) per row."""
    result = run_query(g, read_query(name), bindings)
    return [{str(var): term for var, term in row.items()} for row in result.bindings if row]


def province_index(g: Source, label: str | None = None) -> ProvinceIndex:
    """Provinces and their members (view_province.rq); one province with label."""
    index = ProvinceIndex()
    bindings = {"provinceLabel": to_term(label)} if label is not None else None
    for row in _rows(g, "view_province", bindings):
        province, node = row["province"], row.get("node")
        if not isinstance(province, URIRef):
            continue
        index.names.setdefault(province, str(row["provinceName"]))
        if isinstance(node, URIRef):
            index.members.setdefault(node, set()).add(province)
    return index


def _labels_of(g: Source, classes: Iterable[URIRef]) -> list[str]:
    """Sorted distinct labels of the instances of classes (two scans, not a lookup a node)."""
    typed = {node for cls in classes for node in g.subjects(RDF.type, cls)}
    return sorted({str(label) for node, label in g.subject_objects(RDFS.label) if node in typed})


def _some(labels: list[str], near: str = "") -> str:
    """A few labels for a message, those containing `near` (or inside it) first."""
    if not labels:
        return "none in this graph"
    close = [x for x in labels if near and (near in x or x in near)]
    shown = (close + [x for x in labels if x not in close])[:EXAMPLES]
    more = f", … ({len(labels)} in all)" if len(labels) > len(shown) else ""
    return "、".join(shown) + more


def official_nodes(g: Source, name: str) -> set[URIRef]:
    """The official(s) labelled `name` and their neighbourhood (view_official.rq)."""
    rows = _rows(g, "view_official", {"name": to_term(name)})
    nodes = {term for row in rows for term in (row["official"], row.get("node")) if isinstance(term, URIRef)}
    if not nodes:
        officials = _labels_of(g, [vocab.Official])
        raise GovkgError(f"no official labelled {name!r}; officials include: {_some(officials, name)}")
    return nodes


def province_nodes(g: Source, label: str) -> set[URIRef]:
    """The province labelled `label` and what belongs to it (view_province.rq)."""
    index = province_index(g, label)
    if not index.names:
        provinces = _labels_of(g, [vocab.Province])
        raise GovkgError(f"no province labelled {label!r}; provinces: {_some(provinces, label)}")
    return set(index.members) | set(index.names)


def _day(value: str | None, which: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        dt.date.fromisoformat(text)
    except ValueError:
        raise GovkgError(f"bad {which} date {value!r}: use YYYY-MM-DD, e.g. 2022-09-14") from None
    return text


def _date_span(g: Source) -> str:
    """What dates the graph's events have, for a message."""
    events = {e for cls in vocab.EVENT_CLASSES.values() for e in g.subjects(RDF.type, cls)}
    days = sorted(str(d)[:10] for e, d in g.subject_objects(vocab.startDate) if e in events)
    month_days = {e for e, _ in g.subject_objects(vocab.monthDay) if e in events}
    parts = [f"dated events run from {days[0]} to {days[-1]}"] if days else []
    if month_days:
        parts.append(f"plus {len(month_days)} with only a month and day")
    return "; ".join(parts) or "no event in this graph has a date"


def date_nodes(g: Source, start: str | None, end: str | None) -> set[URIRef]:
    """Events dated in [start, end] and the nodes they link to (view_dates.rq)."""
    first, last = _day(start, "start"), _day(end, "end")
    if first is not None and last is not None and first > last:
        raise GovkgError(f"start date {first} is after end date {last}")
    bindings = {k: Literal(v) for k, v in (("start", first), ("end", last)) if v is not None}
    rows = _rows(g, "view_dates", bindings)
    nodes = {term for row in rows for term in (row["event"], row.get("node")) if isinstance(term, URIRef)}
    if not nodes:
        span = f"between {first or 'any date'} and {last or 'any date'}"
        raise GovkgError(f"no meeting or inspection dated {span}; {_date_span(g)}")
    return nodes


def _as_iri(text: str) -> URIRef | None:
    """text as an event IRI when it is one: <…>, http(s)://…, or govr:…."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return URIRef(value)
    prefix, colon, local = value.partition(":")
    if colon and prefix in vocab.PREFIXES and local and " " not in value:
        return URIRef(vocab.PREFIXES[prefix][local])
    return None


def meeting_nodes(g: Source, meeting: str) -> set[URIRef]:
    """One meeting or inspection and the nodes it links to (view_meeting.rq).

    `meeting` is an IRI, or a substring of the label; a label equal to it wins
    over labels merely containing it, and a substring matching differently
    labelled events is an error (several events with one label are all kept).
    """
    iri = _as_iri(meeting)
    bindings = {"event": iri} if iri is not None else {"text": Literal(meeting)}
    rows = _rows(g, "view_meeting", bindings)
    names = {str(row["eventName"]) for row in rows}
    if iri is None and meeting in names:
        names = {meeting}
    elif len(names) > 1:
        listed = "; ".join(sorted(names)[:EXAMPLES])
        more = f"; … ({len(names)} in all)" if len(names) > EXAMPLES else ""
        raise GovkgError(
            f"meeting {meeting!r} matches {len(names)} differently labelled events: "
            f"{listed}{more}; give more of the label, or the IRI"
        )
    nodes = {
        term
        for row in rows
        if str(row["eventName"]) in names
        for term in (row["event"], row.get("node"))
        if isinstance(term, URIRef)
    }
    if not nodes:
        what = "with IRI" if iri is not None else "whose label contains"
        meetings = _labels_of(g, vocab.EVENT_CLASSES.values())
        raise GovkgError(f"no meeting or inspection {what} {meeting!r}; meetings include: {_some(meetings, meeting)}")
    return nodes


# ---------------------------------------------------------------- subgraph


class _Copier:
    """Copies triples of g into a new graph, with evidence and articles."""

    def __init__(self, g: Source) -> None:
        self.g = g
        self.out = vocab.bind_prefixes(Graph())
        self.articles: set[Node] = set()

    def statement(self, s: Node, p: Node, o: Node) -> None:
        """One triple, and its evidence (graph.ask.evidence: evidence nodes, or a mandate's
        directives) with their sentences."""
        self.out.add((s, p, o))
        if p == PROV.wasDerivedFrom:
            self.articles.add(o)
        for node in evidence_of(self.g, s, p, o):
            for ep, eo in self.g.predicate_objects(node):
                self.out.add((node, ep, eo))
                if ep == vocab.inSentence:
                    self._sentence(eo)

    def _sentence(self, node: Node) -> None:
        """The sentence node: text, offsets, article."""
        for p, o in self.g.predicate_objects(node):
            self.out.add((node, p, o))
            if p == PROV.wasDerivedFrom:
                self.articles.add(o)

    def describe(self, node: Node, keep: set[URIRef]) -> None:
        """node's types, literals, provenance and the links to kept nodes."""
        for p, o in self.g.predicate_objects(node):
            if isinstance(o, Literal) or p in (RDF.type, PROV.wasDerivedFrom) or o in keep:
                self.statement(node, p, o)

    def finish(self) -> Graph:
        for article in self.articles:
            for p, o in self.g.predicate_objects(article):
                if isinstance(o, Literal) or p == RDF.type:
                    self.out.add((article, p, o))
        return self.out


def _closure(g: Source, keep: set[URIRef]) -> Graph:
    """The triples of g that draw exactly the nodes in keep."""
    copier = _Copier(g)
    for node in keep:
        copier.describe(node, keep)
        if (node, RDF.type, vocab.Official) not in g:
            continue
        for post in g.objects(node, vocab.holdsPost):
            places = set(g.objects(post, vocab.jurisdiction))
            if places and not places & keep:
                continue
            copier.statement(node, vocab.holdsPost, post)
            copier.describe(post, keep)
    return copier.finish()


def subgraph(
    g: Source,
    *,
    official: str | None = None,
    province: str | None = None,
    start: str | None = None,
    end: str | None = None,
    meeting: str | None = None,
) -> Graph:
    """The part of g to draw for the given view(s); all of g when none is given.

    Raises GovkgError (one line, naming the value and what exists) when a view
    matches nothing, or the views given have no node in common.
    """
    chosen: list[tuple[str, set[URIRef]]] = []
    if official is not None:
        chosen.append((f"official {official!r}", official_nodes(g, official)))
    if province is not None:
        chosen.append((f"province {province!r}", province_nodes(g, province)))
    if start is not None or end is not None:
        span = f"dates {start or '…'} to {end or '…'}"
        chosen.append((span, date_nodes(g, start, end)))
    if meeting is not None:
        chosen.append((f"meeting {meeting!r}", meeting_nodes(g, meeting)))
    if not chosen:
        return _whole(g)
    keep = set.intersection(*(nodes for _, nodes in chosen))
    if not keep:
        names = " and ".join(name for name, _ in chosen)
        raise GovkgError(f"{names} have no node in common")
    return _closure(g, keep)


def _whole(g: Source) -> Graph:
    """All of g, as a new graph; a store only when it is small enough to draw."""
    if isinstance(g, GraphStore):
        if (size := g.triples()) > source.VIEW_LIMIT:
            raise GovkgError(
                f"the whole graph is {size} triples, more than {source.VIEW_LIMIT} to draw; choose a part "
                "with --official, --province, --from/--to or --meeting"
            )
        return g.union_graph()
    whole = vocab.bind_prefixes(Graph())
    for triple in g:
        whole.add(triple)
    return whole
