"""Extractors: small pure functions from a normalised Document to Statements.

`analyse(doc)` finds once what several extractors need (sentences, places
in context, the article's home places, official mentions, events); each
extractor in EXTRACTORS then reads that Analysis and returns statements with
their evidence. None of them touches the graph: graph/build.py does that.

To add an extractor: write a module here with a function
`extract_x(a: Analysis) -> list[Statement]` (pure: same Analysis, same
statements), add it to EXTRACTORS below, and give its statements a record in
graph/records.py and a case in graph/build.py if they are of a new kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from ..gazetteer import Gazetteer, gazetteer
from ..records import Document, EventFound, Evidence, Extraction, Statement
from .article import article_info
from .dates import publication_date
from .events import EventContext, extract_events
from .journalists import extract_journalists
from .measures import extract_directives
from .officials import Group, extract_posts, find_officials
from .places import (
    PlaceContext,
    add_to_home,
    extract_places,
    home_places,
    resolve_places,
    source_place,
    weak_county,
    with_townships,
    without_spans,
)
from .text import Sentence, split_sentences
from .titles import find_titles


@dataclass(frozen=True)
class Analysis:
    doc: Document
    gaz: Gazetteer

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.doc.text)

    @cached_property
    def year(self) -> int | None:
        """The year of the article (its publication date), whose divisions its place
        names are resolved among; None (the newest divisions) when it has no date."""
        published = publication_date(self.doc.text, self.doc.date)
        return published.year if published else None

    @cached_property
    def year_gaz(self) -> Gazetteer:
        """The gazetteer's view of the article's year (of the newest year without one)."""
        return self.gaz.for_year(self.year) if self.year is not None else self.gaz.view

    @cached_property
    def source(self) -> str | None:
        """The place the source line names (南漳新闻网讯 -> 南漳县), if one."""
        return source_place(self.doc, self.year_gaz)

    @cached_property
    def all_places(self) -> PlaceContext:
        """Every place name found, before people's names and titles are known; townships
        (乡, 镇, 街道) only of the counties the article names."""
        ctx = resolve_places(self.doc, self.year_gaz)
        return with_townships(self.doc, ctx, self.year_gaz, self.source)

    @cached_property
    def groups(self) -> list[Group]:
        return find_officials(self.doc, self.all_places)

    @cached_property
    def places(self) -> PlaceContext:
        """Places, less the names inside people's names and titles (the 海阳 of a name like 王海阳, 代县长)."""
        spans = [(m.start, m.end) for g in self.groups for m in g.members]
        for t in find_titles(self.doc.text):  # 临汾市委书记: the 市 of 临汾市 starts the title too
            lead = len(t.level_word) if t.level_word and t.title.startswith(t.level_word) else 0
            spans.append((t.start + lead, t.end))
        return without_spans(self.all_places, spans)

    @cached_property
    def home(self) -> dict[str, str]:
        home = home_places(self.places, self.year_gaz)
        if self.source is not None:  # 南漳新闻网讯: 我县 is 南漳县 where the body names no county
            add_to_home(home, self.source, self.year_gaz)
        county = weak_county(self.doc, self.places, self.year_gaz, home)
        if county is not None:  # 县委书记… and a county named only by its short name (某某出入口)
            add_to_home(home, county, self.year_gaz)
        return home

    @cached_property
    def events(self) -> list[Statement]:
        published = publication_date(self.doc.text, self.doc.date)
        ctx = EventContext(self.doc, self.sentences, self.groups, self.places, self.home, self.gaz, published)
        return extract_events(ctx)


def _events(a: Analysis) -> list[Statement]:
    return a.events


def _directives(a: Analysis) -> list[Statement]:
    found = [s for s in a.events if isinstance(s, EventFound)]
    names = {m.name for g in a.groups for m in g.members}
    return extract_directives(a.doc, found, a.sentences, names)


# name -> extractor; statements keep this order in the output.
EXTRACTORS: dict[str, Callable[[Analysis], list[Statement]]] = {
    "article": lambda a: [replace(article_info(a.doc), place=a.home.get("市") or a.home.get("省"))],
    "places": lambda a: list(extract_places(a.doc, a.places, a.sentences)),
    "officials": lambda a: list(extract_posts(a.doc, a.groups, a.places, a.home, a.gaz, a.sentences)),
    "events": _events,
    "measures": _directives,
    "journalists": lambda a: list(extract_journalists(a.doc)),
}


def extract(doc: Document, gaz: Gazetteer | None = None, *, original_offsets: bool = True) -> Extraction:
    """Run every registered extractor over one document. `original_offsets=False` leaves
    `Evidence.original_start/end` at -1 (the graph does not record them; mapping them
    costs 7% of the extraction)."""
    a = Analysis(doc, gaz or gazetteer())
    statements: list[Statement] = []
    mapped: dict[Evidence, Evidence] = {}  # statements often share their evidence
    for run in EXTRACTORS.values():
        if original_offsets:
            statements.extend(_with_original_offsets(doc, st, mapped) for st in run(a))
        else:
            statements.extend(run(a))
    return Extraction(doc.name, tuple(statements))


def _with_original_offsets(doc: Document, st: Statement, mapped: dict[Evidence, Evidence]) -> Statement:
    ev = st.evidence
    new = mapped.get(ev)
    if new is None:
        start, end = doc.original_span(ev.start, ev.end)
        new = mapped[ev] = replace(ev, original_start=start, original_end=end)
    return replace(st, evidence=new)
