"""What an event is about: a topic from the small scheme in ontology/topics.tsv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DataError

TOPICS_TSV = Path(__file__).resolve().parents[2] / "ontology" / "topics.tsv"


@dataclass(frozen=True)
class Topic:
    id: str
    zh: str
    en: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    try:
        lines = TOPICS_TSV.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{TOPICS_TSV}: cannot read ({exc.strerror})") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
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
