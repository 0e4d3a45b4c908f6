"""Statements to RDF: the one module that writes triples.

Each extracted statement becomes its triples plus an evidence node
(`gov:Evidence`, an `rdf:Statement` naming the triple) that points to the
sentence (`gov:Sentence`: the article, the text and its offsets, written once
however many statements it states). A `gov:mandates` triple has no evidence node
of its own: its evidence is the directives that order the measure at the event
(`gov:issuedAt` the event, `gov:directs` the measure, each `gov:inSentence`), which
the extractor makes with every mandate. Places are added with their whole chain up
to the province, so every place has its parent.

What is left out, to keep a large build's store small (every triple here is
written for every article): the extractor's name and the offsets in the text as read
(both kept in the records, `Evidence.extractor` and `Evidence.original_start`; the
sentence and its offsets in the normalised text locate a statement), and a
directive's article (its sentence's `prov:wasDerivedFrom`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from opencc import OpenCC
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from graph.extract.topics import topic as topic_record
from graph.gazetteer import Gazetteer, gazetteer
from graph.rdf import ntriples as nt
from graph.rdf import vocab as v
from graph.rdf.resolve import person_keys
from graph.records import (
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
from graph.tables import ONTOLOGY

MEASURES_TTL = ONTOLOGY / "measures.ttl"
LATEST_YEAR = 2024  # the newest year of the division list: places still in use have no end year

# the terms the builder writes, as N-Triples
TYPE = nt.iri(RDF.type)
LABEL = nt.iri(RDFS.label)
ALT_LABEL = nt.iri(SKOS.altLabel)
PREF_LABEL = nt.iri(SKOS.prefLabel)
DERIVED = nt.iri(PROV.wasDerivedFrom)
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = nt.iri(RDF.subject), nt.iri(RDF.predicate), nt.iri(RDF.object)
HEADLINE, DATE_PUBLISHED = nt.iri(v.headline), nt.iri(v.datePublished)
PUBLISHER, START_DATE = nt.iri(v.publisher), nt.iri(v.startDate)
T_ARTICLE, T_POST, T_MEETING, T_OFFICIAL = nt.iri(v.Article), nt.iri(v.Post), nt.iri(v.Meeting), nt.iri(v.Official)
T_JOURNALIST, T_DIRECTIVE, T_TOPIC = nt.iri(v.Journalist), nt.iri(v.Directive), nt.iri(v.Topic)
T_EVIDENCE, T_SENTENCE = nt.iri(v.Evidence), nt.iri(v.Sentence)
FILE_NAME, TITLE, AS_OF, JURISDICTION = nt.iri(v.fileName), nt.iri(v.title), nt.iri(v.asOf), nt.iri(v.jurisdiction)
HOLDS_POST, HELD_IN, MONTH_DAY, TOPIC = nt.iri(v.holdsPost), nt.iri(v.heldIn), nt.iri(v.monthDay), nt.iri(v.topic)
FOLLOWS, MANDATES, JOURNALIST_ROLE = nt.iri(v.follows), nt.iri(v.mandates), nt.iri(v.journalistRole)
MENTIONS_PLACE, ISSUED_AT, DIRECTIVE_TEXT = nt.iri(v.mentionsPlace), nt.iri(v.issuedAt), nt.iri(v.directiveText)
SENTENCE, START, END = nt.iri(v.sentence), nt.iri(v.startOffset), nt.iri(v.endOffset)
SPOKEN_BY, DIRECTS, TARGET = nt.iri(v.spokenBy), nt.iri(v.directs), nt.iri(v.target)
IN_SENTENCE = nt.iri(v.inSentence)
IDENTITY_KEY, ADMIN_CODE, REPORTS_TO = nt.iri(v.identityKey), nt.iri(v.adminCode), nt.iri(v.reportsTo)
NOTATION = nt.iri(v.SKOS.notation)
VALID_FROM, VALID_TO, REPLACED_BY = nt.iri(v.validFrom), nt.iri(v.validTo), nt.iri(v.replacedBy)
XSD_DATE, XSD_INTEGER, XSD_YEAR = str(XSD.date), str(XSD.integer), str(XSD.gYear)


class GraphBuilder:
    """Adds extractions to a graph held as a set of N-Triples lines.

    `ntriples()` gives the lines as sorted bytes (`parts()` in the two parts a worker
    process sends to the store), `g` the same triples as an rdflib Graph (the library path)."""

    def __init__(self, gaz: Gazetteer | None = None) -> None:
        self.gaz = gaz or gazetteer()
        self.lines: set[str] = set()
        self._places: set[str] = set()
        self._as_of: str | None = None
        self._sentences: dict[tuple[str, int, int], str] = {}  # (article, start, end) -> node

    # -- results --------------------------------------------------------------
    def ntriples(self) -> bytes:
        """The lines about the article's own resources, then those about shared resources
        (officials, posts, places, topics, journalists), each part sorted."""
        return b"".join(self.parts())

    def parts(self) -> tuple[bytes, bytes]:
        """The two parts of `ntriples()` apart, as the store keeps them (records.ArticleGraph)."""
        return nt.to_parts(self.lines, v.SHARED_PREFIXES)

    @property
    def g(self) -> Graph:
        """The graph so far, as a new rdflib Graph with the project's prefixes."""
        return nt.to_graph(self.ntriples(), v.bind_prefixes(Graph()))

    # -- entry points -------------------------------------------------------
    def add_scheme(self, path: Path = MEASURES_TTL) -> None:
        self.lines.update(_scheme_lines(path))

    def add(self, ex: Extraction) -> None:
        info = next((s for s in ex.statements if isinstance(s, ArticleInfo)), None)
        article = _iri(v.article_iri(ex.article))
        self._article(article, ex.article, info)
        people = person_keys(ex.statements, info, self.gaz)
        self._as_of = info.published if info else None
        for st in ex.statements:
            self._statement(st, article, people)

    # -- pieces ---------------------------------------------------------------
    def _add(self, s: str, p: str, o: str) -> None:
        self.lines.add(f"{s} {p} {o} .")

    def _article(self, a: str, name: str, info: ArticleInfo | None) -> None:
        add = self._add
        add(a, TYPE, T_ARTICLE)
        add(a, FILE_NAME, nt.literal(name))
        if info is None:
            return
        if info.headline:
            add(a, HEADLINE, _zh(info.headline))
        if info.published:
            add(a, DATE_PUBLISHED, nt.literal(info.published, datatype=XSD_DATE))
        if info.publisher:
            add(a, PUBLISHER, _zh(info.publisher))

    def _statement(self, st: Statement, article: str, people: dict[str, str]) -> None:
        add = self._add
        name = st.evidence.article
        if isinstance(st, PostHeld):
            person = self._official(people.get(st.person, st.person), st.person)
            post = _iri(v.post_iri(people.get(st.person, st.person), st.title, st.place))
            add(post, TYPE, T_POST)
            add(post, TITLE, _zh(st.title))
            add(post, DERIVED, article)
            if self._as_of:  # the post as the article reports it on its publication date
                add(post, AS_OF, nt.literal(self._as_of, datatype=XSD_DATE))
            if st.place:
                add(post, JURISDICTION, self.place(st.place))
            self._triple(person, HOLDS_POST, post, st.evidence, article)
        elif isinstance(st, EventFound):
            ev = _iri(v.event_iri(name, st.key))
            add(ev, TYPE, _iri(v.EVENT_CLASSES[st.kind]))
            add(ev, LABEL, _zh(st.label))
            add(ev, DERIVED, article)
            if st.place:
                self._triple(ev, HELD_IN, self.place(st.place), st.evidence, article)
            if st.date:
                add(ev, START_DATE, nt.literal(st.date, datatype=XSD_DATE))
            elif st.month_day:
                add(ev, MONTH_DAY, nt.literal(st.month_day, datatype=str(XSD.gMonthDay)))
            if st.topic:
                add(ev, TOPIC, self._topic(st.topic))
        elif isinstance(st, Role):
            person = self._official(people.get(st.person, st.person), st.person)
            self._triple(
                person, _iri(v.ROLE_PROPERTIES[st.role]), _iri(v.event_iri(name, st.event)), st.evidence, article
            )
        elif isinstance(st, Follows):
            upper = _iri(v.event_iri(name, st.event + "-follows"))
            add(upper, TYPE, T_MEETING)
            add(upper, LABEL, _zh(st.upper_label))
            add(upper, DERIVED, article)
            if st.upper_place:
                add(upper, HELD_IN, self.place(st.upper_place))
            self._triple(_iri(v.event_iri(name, st.event)), FOLLOWS, upper, st.evidence, article)
        elif isinstance(st, Directive):
            self._directive(st, article, people)
        elif isinstance(st, Mandate):  # its evidence: the directives (see the module docstring)
            add(_iri(v.event_iri(name, st.event)), MANDATES, _iri(v.measure_iri(st.measure)))
        elif isinstance(st, Journalist):
            j = _iri(v.journalist_iri(st.person))
            add(j, TYPE, T_JOURNALIST)
            add(j, LABEL, _zh(st.person))
            self._triple(j, JOURNALIST_ROLE, _zh(st.role), st.evidence, article, st.role)
        elif isinstance(st, PlaceNamed):
            self._triple(article, MENTIONS_PLACE, self.place(st.place), st.evidence, article)

    def _directive(self, st: Directive, article: str, people: dict[str, str]) -> None:
        add = self._add
        name = st.evidence.article
        d = _iri(v.directive_iri(name, st.key))
        add(d, TYPE, T_DIRECTIVE)
        add(d, ISSUED_AT, _iri(v.event_iri(name, st.event)))
        add(d, DIRECTIVE_TEXT, _zh(st.text))
        add(d, IN_SENTENCE, self._sentence(st.evidence, article))
        if st.speaker and st.speaker in people:
            add(d, SPOKEN_BY, self._official(people[st.speaker], st.speaker))
        for mid in st.measures:
            add(d, DIRECTS, _iri(v.measure_iri(mid)))
        for target in st.targets:
            add(d, TARGET, _zh(target))

    def _topic(self, topic_id: str) -> str:
        lines, iri = _topic_lines(topic_id)
        self.lines.update(lines)
        return iri

    def _official(self, key: str, label: str) -> str:
        p = _iri(v.person_iri(key))
        self._add(p, TYPE, T_OFFICIAL)
        self._add(p, LABEL, _zh(label))
        self._add(p, IDENTITY_KEY, nt.literal(key))
        return p

    def place(self, code: str) -> str:
        """The IRI (an N-Triples term) of a place, adding it, its chain of parents and its
        successors to the graph."""
        if code not in self._places:
            self._places.add(code)
            lines, links = _place_lines(self.gaz, code)
            self.lines.update(lines)
            for linked in links:
                self.place(linked)
        return _iri(v.place_iri(code))

    def add_all_places(self, year: int | None = None) -> None:
        """Every province, city, county and listed zone of `year` (default: the newest)."""
        for p in self.gaz.all_places(year):
            self.place(p.code)

    def _triple(self, s: str, p: str, o: str, ev: Evidence, article: str, text: str | None = None) -> None:
        """The triple and its evidence node; `text` is the object's text when it is a literal."""
        add = self._add
        add(s, p, o)
        key = o[1:-1] if text is None else text
        node = _iri(v.evidence_iri(s[1:-1], p[1:-1], key, ev.article, str(ev.start), ev.extractor))
        add(node, TYPE, T_EVIDENCE)  # an rdf:Statement (gov:Evidence is a subclass)
        add(node, RDF_SUBJECT, s)
        add(node, RDF_PREDICATE, p)
        add(node, RDF_OBJECT, o)
        add(node, IN_SENTENCE, self._sentence(ev, article))

    def _sentence(self, ev: Evidence, article: str) -> str:
        """The sentence node of the evidence, its lines written once per sentence (several
        statements share one)."""
        key = (ev.article, ev.start, ev.end)
        if (known := self._sentences.get(key)) is not None:
            return known
        add = self._add
        node = self._sentences[key] = _iri(v.sentence_iri(ev.article, ev.start, ev.end))
        add(node, TYPE, T_SENTENCE)
        add(node, DERIVED, article)
        add(node, SENTENCE, _zh(ev.sentence))
        add(node, START, _int(ev.start))
        add(node, END, _int(ev.end))
        return node


def _iri(value: str) -> str:
    return f"<{value}>"


def _zh(text: str) -> str:
    return nt.literal(text, lang=v.ZH)


def _int(n: int) -> str:
    return nt.literal(n, datatype=XSD_INTEGER)


@cache
def _place_lines(gaz: Gazetteer, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The triples of one place, and the codes it links to (its parent, its successors)."""
    p = gaz.places.get(code)
    if p is None:
        return (), ()
    node = _iri(v.place_iri(p.code))
    out = [
        nt.line(node, TYPE, _iri(v.PLACE_CLASSES[p.level])),
        nt.line(node, LABEL, _zh(p.name)),
    ]
    if p.code.isdigit():
        out.append(nt.line(node, ADMIN_CODE, nt.literal(p.code)))
    elif v.ISO_3166_2.fullmatch(p.code):  # a division of Taiwan: no GB/T 2260 code
        out.append(nt.line(node, NOTATION, nt.literal(p.code)))
    if p.short and p.short != p.name:
        out.append(nt.line(node, ALT_LABEL, _zh(p.short)))
    traditional = to_traditional(p.name)
    if traditional != p.name:  # 臨汾市: how Traditional-script articles write it
        out.append(nt.line(node, ALT_LABEL, nt.literal(traditional, lang="zh-hant")))
    links: list[str] = []
    if p.parent:
        out.append(nt.line(node, REPORTS_TO, _iri(v.place_iri(p.parent))))
        links.append(p.parent)
    if p.valid_from is not None:
        out.append(nt.line(node, VALID_FROM, nt.literal(p.valid_from, datatype=XSD_YEAR)))
    if p.valid_to is not None and p.valid_to < LATEST_YEAR:
        out.append(nt.line(node, VALID_TO, nt.literal(p.valid_to, datatype=XSD_YEAR)))
    for later in gaz.successor(p.code):
        out.append(nt.line(node, REPLACED_BY, _iri(v.place_iri(later))))
        links.append(later)
    return tuple(out), tuple(links)


@cache
def _topic_lines(topic_id: str) -> tuple[tuple[str, ...], str]:
    t = topic_record(topic_id)
    iri = _iri(v.topic_iri(t.id))
    lines = (
        nt.line(iri, TYPE, T_TOPIC),
        nt.line(iri, TYPE, _iri(SKOS.Concept)),
        nt.line(iri, PREF_LABEL, _zh(t.zh)),
        nt.line(iri, PREF_LABEL, nt.literal(t.en, lang="en")),
    )
    return lines, iri


@lru_cache(maxsize=4)
def _scheme_lines(path: Path) -> frozenset[str]:
    """The measure scheme as N-Triples lines, language tags lower-cased."""
    scheme = Graph().parse(path, format="turtle")
    lowered = Graph()
    for s, p, o in scheme:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        lowered.add((s, p, o))
    data = lowered.serialize(format="nt", encoding="utf-8")
    return frozenset(ln for ln in data.decode("utf-8").splitlines() if ln.strip())


@lru_cache(maxsize=4096)
def to_traditional(name: str) -> str:
    return _s2t().convert(name)


@lru_cache(maxsize=1)
def _s2t() -> OpenCC:
    return OpenCC("s2t")


def scheme_ntriples(path: Path = MEASURES_TTL) -> bytes:
    """The measure scheme as sorted N-Triples (what the store keeps in its scheme graph)."""
    return nt.to_bytes(_scheme_lines(path))


def build_graph(extractions: Iterable[Extraction], gaz: Gazetteer | None = None) -> Graph:
    b = GraphBuilder(gaz)
    b.add_scheme()
    for ex in extractions:
        b.add(ex)
    return b.g
