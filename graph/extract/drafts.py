"""The records the event rules pass between their steps: what an event rule reads
(EventContext) and the event it is building (Draft)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer
from ..records import Document
from .dates import Day
from .officials import Group
from .places import PlaceContext
from .text import Sentence


@dataclass
class Draft:
    """An event being built from its trigger sentences."""

    kind: str
    label: str
    anchor: Sentence
    trigger_start: int
    day: Day | None = None
    place: str | None = None
    zone: str | None = None
    level_word: str | None = None
    upper: tuple[str, str | None, Sentence] | None = None  # label, place, sentence
    region: tuple[int, int] = (0, 0)
    roles: list[tuple[str, str, Sentence]] = field(default_factory=list)


@dataclass(frozen=True)
class EventContext:
    """What the event rules read of one article."""

    doc: Document
    sentences: list[Sentence]
    groups: list[Group]
    places: PlaceContext
    home: dict[str, str]
    gaz: Gazetteer
    published: dt.date | None
