"""Every IRI the project writes, in one place, tied to ontology/govkg.ttl.

Terms of the project's own ontology are read as attributes of GOV; a test
(tests/test_vocab.py) checks that each one used here is declared in
ontology/govkg.ttl, so code and ontology cannot drift. Resource IRIs are
minted only by the functions at the bottom of this module.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

GOV = Namespace("https://w3id.org/govkg/ontology#")
GOVR = Namespace("https://w3id.org/govkg/resource/")
GOVM = Namespace("https://w3id.org/govkg/measure/")
GOVT = Namespace("https://w3id.org/govkg/topic/")
SCHEMA = Namespace("https://schema.org/")

# The language tag of every Chinese label and text the builder writes. Tags are
# case-insensitive; this one is lower-case, as the store keeps it, so a graph built in
# memory and one read back from the store are the same.
ZH = "zh-hans"


PREFIXES: dict[str, Namespace] = {
    "gov": GOV,
    "govr": GOVR,
    "govm": GOVM,
    "govt": GOVT,
    "schema": SCHEMA,
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "rdfs": Namespace(str(RDFS)),
    "rdf": Namespace(str(RDF)),
    "xsd": Namespace(str(XSD)),
    "dcterms": Namespace(str(DCTERMS)),
    "org": Namespace(str(ORG)),
}

# classes
Article = GOV.Article
Official = GOV.Official
Journalist = GOV.Journalist
Post = GOV.Post
Meeting = GOV.Meeting
Inspection = GOV.Inspection
Province = GOV.Province
City = GOV.City
County = GOV.County
Zone = GOV.Zone
Township = GOV.Township
Evidence = GOV.Evidence
Sentence = GOV.Sentence
Directive = GOV.Directive
Topic = GOV.Topic

# properties
fileName = GOV.fileName
holdsPost = GOV.holdsPost
title = GOV.title
jurisdiction = GOV.jurisdiction
heldIn = GOV.heldIn
monthDay = GOV.monthDay
chairs = GOV.chairs
attends = GOV.attends
conducts = GOV.conducts
mandates = GOV.mandates
follows = GOV.follows
reportsTo = GOV.reportsTo
adminCode = GOV.adminCode
journalistRole = GOV.journalistRole
mentionsPlace = GOV.mentionsPlace
inSentence = GOV.inSentence
sentence = GOV.sentence
startOffset = GOV.startOffset
endOffset = GOV.endOffset
spokenBy = GOV.spokenBy
issuedAt = GOV.issuedAt
identityKey = GOV.identityKey
contentHash = GOV.contentHash
buildState = GOV.buildState
validFrom = GOV.validFrom
validTo = GOV.validTo
replacedBy = GOV.replacedBy
asOf = GOV.asOf
directs = GOV.directs
directiveText = GOV.directiveText
target = GOV.target
topic = GOV.topic

# schema.org properties
headline = SCHEMA.headline
datePublished = SCHEMA.datePublished
publisher = SCHEMA.publisher
startDate = SCHEMA.startDate

# named graphs of the store, graph.nq and a push (an article's graph is article_iri(name))
SCHEME_GRAPH = GOVR["graph/scheme"]  # the measure scheme (ontology/measures.ttl)
SHARED_GRAPH = GOVR["graph/shared"]  # the `--all-places` list

ROLE_PROPERTIES = {"chairs": chairs, "attends": attends, "conducts": conducts}
EVENT_CLASSES = {"Meeting": Meeting, "Inspection": Inspection}
PLACE_CLASSES = {"province": Province, "city": City, "county": County, "zone": Zone, "township": Township}


# N-Triples lines about resources that several articles may describe (officials, their
# posts, places, journalists, topics) start with these; every other line an article's
# graph has is about its own resources, whose IRIs carry the article's slug
SHARED_PREFIXES = (*(f"<{GOVR}{kind}/" for kind in ("person", "post", "place", "journalist")), f"<{GOVT}")


def bind_prefixes(g: Graph) -> Graph:
    """Bind the project's prefixes on a graph (the one place this is done)."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


# Resource IRIs are minted as URIRef(prefix + local name): the same IRIs as GOVR[...],
# without rdflib's Namespace lookup, which a large build makes millions of times.
_RESOURCE, _MEASURE, _TOPIC = str(GOVR), str(GOVM), str(GOVT)


def _slug(*parts: str) -> str:
    """A short stable identifier from text parts (same parts, same slug)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1024)
def _article_slug(name: str) -> str:
    """_slug(name), kept: an article's name is hashed for each of its events, directives
    and sentences."""
    return _slug(name)


def article_iri(name: str) -> URIRef:
    return URIRef(f"{_RESOURCE}article/{_article_slug(name)}")


def event_iri(article: str, key: str) -> URIRef:
    return URIRef(f"{_RESOURCE}event/{_article_slug(article)}/{key}")


def person_iri(key: str) -> URIRef:
    return URIRef(f"{_RESOURCE}person/{_slug(key)}")


def journalist_iri(name: str) -> URIRef:
    return URIRef(f"{_RESOURCE}journalist/{_slug(name)}")


def post_iri(person_key: str, title_: str, place: str | None) -> URIRef:
    return URIRef(f"{_RESOURCE}post/{_slug(person_key, title_, place or '')}")


def directive_iri(article: str, key: str) -> URIRef:
    return URIRef(f"{_RESOURCE}directive/{_article_slug(article)}/{key}")


def topic_iri(topic_id: str) -> URIRef:
    return URIRef(_TOPIC + topic_id)


ISO_3166_2 = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def place_iri(code: str) -> URIRef:
    """A place by its 6-digit code (a township: 9 digits; a division of Taiwan: its ISO 3166-2
    code, TW-TPE); a zone without one (zone:NAME) by a slug of its name."""
    if code.isdigit() or ISO_3166_2.fullmatch(code):
        return URIRef(f"{_RESOURCE}place/{code}")
    return URIRef(f"{_RESOURCE}place/zone-{_slug(code)}")


def measure_iri(measure_id: str) -> URIRef:
    return URIRef(_MEASURE + measure_id)


def sentence_iri(article: str, start: int, end: int) -> URIRef:
    """The sentence of `article` at characters [start, end) of its normalised text."""
    return URIRef(f"{_RESOURCE}sentence/{_article_slug(article)}/{start}-{end}")


def evidence_iri(*parts: str) -> URIRef:
    return URIRef(f"{_RESOURCE}evidence/{_slug(*parts)}")
