"""Typed records passed between the pipeline stages.

read  -> RawArticle        (file bytes decoded, HTML stripped; or a Skip, or Unchanged)
normalize -> Document      (Simplified text, offsets back to the original)
extract -> Statement*      (facts, each with the Evidence that says it)
build -> rdflib.Graph      (graph/rdf/build.py is the only module that writes RDF),
         or ArticleGraph   (one article's N-Triples, what a worker sends to the store)
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawArticle:
    """One article as read from disk, before normalisation."""

    name: str  # gov:fileName: base name, or NAME.jsonl#LINE
    source: str  # the path it came from (for messages)
    text: str  # decoded text; HTML already reduced to text
    encoding: str = "utf-8"
    title: str | None = None
    date: str | None = None  # ISO date from metadata (jsonl `date`)
    url: str | None = None
    input_digest: str | None = None  # SHA-256 of the bytes it was read from (file or jsonl line)
    replaced: int = 0  # undecodable bytes replaced by U+FFFD in otherwise valid UTF-8


@dataclass(frozen=True)
class Unchanged:
    """An input the caller of the reader already has as it is (same name, same bytes):
    not decoded, only named (graph.ingest.read.iter_articles, `unchanged`)."""

    name: str
    source: str


@dataclass(frozen=True)
class Skip:
    """An input that could not be used, and why (one line for the user)."""

    source: str
    reason: str  # short category: empty, binary, undecodable, not-an-article, unreadable
    detail: str = ""
    name: str | None = None  # the article it would have been (a jsonl file: all of NAME#…), if known

    def line(self) -> str:
        extra = f": {self.detail}" if self.detail else ""
        return f"skipped {self.source}: {self.reason}{extra}"


@dataclass(frozen=True)
class Document:
    """A normalised article: Simplified Chinese text with a map back to the original."""

    name: str
    text: str  # normalised text
    original: str  # the text as read
    offsets: tuple[int, ...]  # offsets[i] = index in `original` of normalised char i
    title: str | None = None
    date: str | None = None
    url: str | None = None
    chrome: tuple[tuple[int, int], ...] = ()  # spans of page chrome (source, editor lines…)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text."""
        if not self.offsets:
            return (0, 0)
        s = self.offsets[min(start, len(self.offsets) - 1)]
        e = self.offsets[min(max(end - 1, start), len(self.offsets) - 1)] + 1
        return (s, e)

    def in_chrome(self, pos: int) -> bool:
        """Whether `pos` lies in page chrome (the spans are sorted and do not overlap)."""
        i = bisect_right(self.chrome, pos, key=lambda span: span[0]) - 1
        return i >= 0 and self.chrome[i][0] <= pos < self.chrome[i][1]


@dataclass(frozen=True)
class Evidence:
    """Where a statement comes from: the article, the sentence and its offsets."""

    article: str
    start: int  # offsets in the normalised text
    end: int
    sentence: str
    extractor: str
    original_start: int = -1  # the same span in the text as read (-1: not mapped yet)
    original_end: int = -1


# --- statements -------------------------------------------------------------
# Every extractor returns instances of these. Keys are local, IRIs are minted
# only in graph/rdf/build.py: an event key is "<article>#e<n>", a place is its
# 6-digit code, a person is their (normalised) name plus the jurisdiction key
# that graph/resolve decides.


@dataclass(frozen=True)
class Statement:
    evidence: Evidence


@dataclass(frozen=True)
class ArticleInfo(Statement):
    headline: str | None = None
    published: str | None = None  # YYYY-MM-DD
    publisher: str | None = None
    place: str | None = None  # code of the city (else province) the article is about (for people)


@dataclass(frozen=True)
class PostHeld(Statement):
    person: str
    title: str  # without place name: 市委书记
    place: str | None  # 6-digit code of the jurisdiction, when known


@dataclass(frozen=True)
class EventFound(Statement):
    key: str  # article-local key, e.g. "e1"
    kind: str  # "Meeting" | "Inspection"
    label: str
    place: str | None  # code of the convening jurisdiction / visited place
    date: str | None = None  # YYYY-MM-DD
    month_day: str | None = None  # --MM-DD
    span: tuple[int, int] = (0, 0)  # region of the text reporting this event
    topic: str | None = None  # id in ontology/topics.tsv


@dataclass(frozen=True)
class Role(Statement):
    person: str
    role: str  # "chairs" | "attends" | "conducts"
    event: str  # event key


@dataclass(frozen=True)
class Follows(Statement):
    event: str
    upper_label: str
    upper_place: str | None  # code of the higher meeting's jurisdiction


@dataclass(frozen=True)
class Mandate(Statement):
    event: str
    measure: str  # govm: id
    speaker: str | None = None


@dataclass(frozen=True)
class Directive(Statement):
    """One order given at an event: the unit of text, who gave it, what it names."""

    key: str  # article-local, e.g. "d3"
    event: str  # event key
    text: str  # the directive unit (part of the evidence sentence)
    speaker: str | None  # an official's name; None when the meeting itself directs
    measures: tuple[str, ...] = ()  # govm: ids
    targets: tuple[str, ...] = ()  # groups or places it is aimed at (省外来返人员, 校园 …)


@dataclass(frozen=True)
class Journalist(Statement):
    person: str
    role: str  # 记者, 编辑, 责任编辑, 通讯员 …


@dataclass(frozen=True)
class PlaceNamed(Statement):
    place: str  # 6-digit code


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: str
    statements: tuple[Statement, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ArticleGraph:
    """One article's graph as the store takes it: N-Triples lines about the article's own
    resources, and those about resources other articles may name too (officials, posts,
    places, journalists, topics); each part sorted as the builder writes it
    (GraphBuilder.parts). `digest` is the article's content hash."""

    name: str
    digest: str
    own: bytes
    shared: bytes

    @property
    def ntriples(self) -> bytes:
        return self.own + self.shared
