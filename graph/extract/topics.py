"""What an event is about: a topic from the small scheme in ontology/topics.tsv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DataError
from ..tables import ONTOLOGY, tsv_rows

TOPICS_TSV = ONTOLOGY / "topics.tsv"


@dataclass(frozen=True)
class Topic:
    id: str
    zh: str
    en: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    out = []
    for n, cols in tsv_rows(TOPICS_TSV, 4, "id, zh, en, pattern separated by tabs"):
        if len(cols) != 4:
            raise DataError(f"{TOPICS_TSV}:{n}: expected id, zh, en, pattern separated by tabs")
        out.append(Topic(cols[0], cols[1], cols[2], re.compile(cols[3])))
    return tuple(out)


def topic_of(label: str, sentence: str) -> str | None:
    """The topic id of an event named `label`, reported in `sentence`."""
    for text in (label, sentence):
        for t in topics():
            if t.pattern.search(text):
                return t.id
    return None


def topic(topic_id: str) -> Topic:
    for t in topics():
        if t.id == topic_id:
            return t
    raise DataError(f"unknown topic {topic_id!r}; known: {', '.join(t.id for t in topics())}")
