"""Statements to RDF: the one module that writes triples.

Each extracted statement becomes its triples plus an evidence node
(`gov:Evidence`, an `rdf:Statement` naming the triple) that records the
article, the sentence, its offsets and the extractor. Places are added with
their whole chain up to the province, so every place has its parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from . import vocab as v
from .extract.topics import topic as topic_record
from .gazetteer import Gazetteer, Place, gazetteer
from .records import (
    ArticleInfo,
    Directive,
    EventFound,
    Evidence,
    Extraction,
    Follows,
    Journalist,
    Mandate,
    PlaceNamed,
    PostHeld,
    Role,
    Statement,
)
from .resolve import person_keys

# Language tags are case-insensitive; they are written lower-case, as the store keeps
# them, so a graph built in memory and one read back from the store are the same.
ZH = "zh-hans"
MEASURES_TTL = v.ONTOLOGY_DIR / "measures.ttl"
LATEST_YEAR = 2024  # the newest year of the division list: places still in use have no end year


class GraphBuilder:
    """Adds extractions to an rdflib Graph."""

    def __init__(self, gaz: Gazetteer | None = None, graph: Graph | None = None) -> None:
        self.gaz = gaz or gazetteer()
        self.g = v.bind_prefixes(graph if graph is not None else Graph())
        self._places: set[str] = set()
        self._as_of: str | None = None

    # -- entry points -------------------------------------------------------
    def add_scheme(self, path: Path = MEASURES_TTL) -> None:
        scheme = Graph().parse(path, format="turtle")
        for s, p, o in scheme:
            if isinstance(o, Literal) and o.language:
                o = Literal(str(o), lang=o.language.lower())
            self.g.add((s, p, o))

    def add(self, ex: Extraction) -> None:
        info = next((s for s in ex.statements if isinstance(s, ArticleInfo)), None)
        article = v.article_iri(ex.article)
        self._article(article, ex.article, info)
        people = person_keys(ex.statements, info, self.gaz)
        self._as_of = info.published if info else None
        for st in ex.statements:
            self._statement(st, article, people)

    # -- pieces ---------------------------------------------------------------
    def _article(self, a: URIRef, name: str, info: ArticleInfo | None) -> None:
        g = self.g
        g.add((a, RDF.type, v.Article))
        g.add((a, v.fileName, Literal(name)))
        if info is None:
            return
        if info.headline:
            g.add((a, v.SCHEMA.headline, Literal(info.headline, lang=ZH)))
        if info.published:
            g.add((a, v.SCHEMA.datePublished, Literal(info.published, datatype=XSD.date)))
        if info.publisher:
            g.add((a, v.SCHEMA.publisher, Literal(info.publisher, lang=ZH)))

    def _statement(self, st: Statement, article: URIRef, people: dict[str, str]) -> None:
        g = self.g
        name = st.evidence.article
        if isinstance(st, PostHeld):
            person = self._official(people.get(st.person, st.person), st.person)
            post = v.post_iri(people.get(st.person, st.person), st.title, st.place)
            g.add((post, RDF.type, v.Post))
            g.add((post, v.title, Literal(st.title, lang=ZH)))
            g.add((post, PROV.wasDerivedFrom, article))
            if self._as_of:  # the post as the article reports it on its publication date
                g.add((post, v.asOf, Literal(self._as_of, datatype=XSD.date)))
            if st.place:
                g.add((post, v.jurisdiction, self.place(st.place)))
            self._triple(person, v.holdsPost, post, st.evidence, article)
        elif isinstance(st, EventFound):
            ev = v.event_iri(name, st.key)
            g.add((ev, RDF.type, v.EVENT_CLASSES[st.kind]))
            g.add((ev, RDFS.label, Literal(st.label, lang=ZH)))
            g.add((ev, PROV.wasDerivedFrom, article))
            if st.place:
                self._triple(ev, v.heldIn, self.place(st.place), st.evidence, article)
            if st.date:
                g.add((ev, v.SCHEMA.startDate, Literal(st.date, datatype=XSD.date)))
            elif st.month_day:
                g.add((ev, v.monthDay, Literal(st.month_day, datatype=XSD.gMonthDay)))
            if st.topic:
                g.add((ev, v.topic, self._topic(st.topic)))
        elif isinstance(st, Role):
            person = self._official(people.get(st.person, st.person), st.person)
            self._triple(person, v.ROLE_PROPERTIES[st.role], v.event_iri(name, st.event), st.evidence, article)
        elif isinstance(st, Follows):
            upper = v.event_iri(name, st.event + "-follows")
            g.add((upper, RDF.type, v.Meeting))
            g.add((upper, RDFS.label, Literal(st.upper_label, lang=ZH)))
            g.add((upper, PROV.wasDerivedFrom, article))
            if st.upper_place:
                g.add((upper, v.heldIn, self.place(st.upper_place)))
            self._triple(v.event_iri(name, st.event), v.follows, upper, st.evidence, article)
        elif isinstance(st, Directive):
            self._directive(st, article, people)
        elif isinstance(st, Mandate):
            self._triple(v.event_iri(name, st.event), v.mandates, v.measure_iri(st.measure), st.evidence, article)
        elif isinstance(st, Journalist):
            j = v.journalist_iri(st.person)
            g.add((j, RDF.type, v.Journalist))
            g.add((j, RDFS.label, Literal(st.person, lang=ZH)))
            self._triple(j, v.journalistRole, Literal(st.role, lang=ZH), st.evidence, article)
        elif isinstance(st, PlaceNamed):
            self._triple(article, v.mentionsPlace, self.place(st.place), st.evidence, article)

    def _directive(self, st: Directive, article: URIRef, people: dict[str, str]) -> None:
        g = self.g
        name = st.evidence.article
        d = v.directive_iri(name, st.key)
        g.add((d, RDF.type, v.Directive))
        g.add((d, v.issuedAt, v.event_iri(name, st.event)))
        g.add((d, v.directiveText, Literal(st.text, lang=ZH)))
        g.add((d, PROV.wasDerivedFrom, article))
        ev = st.evidence
        g.add((d, v.sentence, Literal(ev.sentence, lang=ZH)))
        g.add((d, v.startOffset, Literal(ev.start, datatype=XSD.integer)))
        g.add((d, v.endOffset, Literal(ev.end, datatype=XSD.integer)))
        g.add((d, v.extractor, Literal(ev.extractor)))
        if st.speaker and st.speaker in people:
            g.add((d, v.spokenBy, self._official(people[st.speaker], st.speaker)))
        for mid in st.measures:
            g.add((d, v.directs, v.measure_iri(mid)))
        for target in st.targets:
            g.add((d, v.target, Literal(target, lang=ZH)))

    def _topic(self, topic_id: str) -> URIRef:
        t = topic_record(topic_id)
        iri = v.topic_iri(t.id)
        self.g.add((iri, RDF.type, v.Topic))
        self.g.add((iri, RDF.type, SKOS.Concept))
        self.g.add((iri, SKOS.prefLabel, Literal(t.zh, lang=ZH)))
        self.g.add((iri, SKOS.prefLabel, Literal(t.en, lang="en")))
        return iri

    def _official(self, key: str, label: str) -> URIRef:
        p = v.person_iri(key)
        self.g.add((p, RDF.type, v.Official))
        self.g.add((p, RDFS.label, Literal(label, lang=ZH)))
        self.g.add((p, v.identityKey, Literal(key)))
        return p

    def place(self, code: str) -> URIRef:
        """The IRI of a place, adding it, its chain of parents and its successors to the graph."""
        iri = v.place_iri(code)
        if code in self._places:
            return iri
        for p in self.gaz.chain(code):
            if p.code in self._places:
                break
            self._places.add(p.code)
            self._add_place(v.place_iri(p.code), p)
        return iri

    def _add_place(self, node: URIRef, p: Place) -> None:
        g = self.g
        g.add((node, RDF.type, v.PLACE_CLASSES[p.level]))
        g.add((node, RDFS.label, Literal(p.name, lang=ZH)))
        if p.code.isdigit():
            g.add((node, v.adminCode, Literal(p.code)))
        if p.short and p.short != p.name:
            g.add((node, SKOS.altLabel, Literal(p.short, lang=ZH)))
        traditional = to_traditional(p.name)
        if traditional != p.name:  # 臨汾市: how Traditional-script articles write it
            g.add((node, SKOS.altLabel, Literal(traditional, lang="zh-hant")))
        if p.parent:
            g.add((node, v.reportsTo, self.place(p.parent)))
        if p.valid_from is not None:
            g.add((node, v.validFrom, Literal(str(p.valid_from), datatype=XSD.gYear)))
        if p.valid_to is not None and p.valid_to < LATEST_YEAR:
            g.add((node, v.validTo, Literal(str(p.valid_to), datatype=XSD.gYear)))
        for later in self.gaz.successor(p.code):
            g.add((node, v.replacedBy, self.place(later)))

    def add_all_places(self, year: int | None = None) -> None:
        """Every province, city, county and listed zone of `year` (default: the newest)."""
        for p in self.gaz.all_places(year):
            self.place(p.code)

    def _triple(self, s: URIRef, p: URIRef, o: URIRef | Literal, ev: Evidence, article: URIRef) -> None:
        g = self.g
        g.add((s, p, o))
        node = v.evidence_iri(str(s), str(p), str(o), ev.article, str(ev.start), ev.extractor)
        g.add((node, RDF.type, v.Evidence))
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, PROV.wasDerivedFrom, article))
        g.add((node, v.sentence, Literal(ev.sentence, lang=ZH)))
        g.add((node, v.startOffset, Literal(ev.start, datatype=XSD.integer)))
        g.add((node, v.endOffset, Literal(ev.end, datatype=XSD.integer)))
        if ev.original_start >= 0:
            g.add((node, v.originalStartOffset, Literal(ev.original_start, datatype=XSD.integer)))
            g.add((node, v.originalEndOffset, Literal(ev.original_end, datatype=XSD.integer)))
        g.add((node, v.extractor, Literal(ev.extractor)))


@lru_cache(maxsize=4096)
def to_traditional(name: str) -> str:
    return _s2t().convert(name)


@lru_cache(maxsize=1)
def _s2t() -> OpenCC:
    return OpenCC("s2t")


def build_graph(extractions: Iterable[Extraction], gaz: Gazetteer | None = None) -> Graph:
    b = GraphBuilder(gaz)
    b.add_scheme()
    for ex in extractions:
        b.add(ex)
    return b.g
