"""The words of events and roles (ontology/event_words.tsv): meeting nouns, visit verbs,
leading, chairing and attending, as regex alternations for graph/extract/events.py."""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import DataError
from ..tables import ONTOLOGY

EVENT_WORDS_TSV = ONTOLOGY / "event_words.tsv"


@lru_cache(maxsize=1)
def event_words() -> dict[str, tuple[str, ...]]:
    """ontology/event_words.tsv: class -> words (longest first)."""
    try:
        lines = EVENT_WORDS_TSV.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{EVENT_WORDS_TSV}: cannot read ({exc.strerror})") from exc
    out: dict[str, list[str]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cls, _, word = line.partition("\t")
        if not word or "\t" in word:
            raise DataError(f"{EVENT_WORDS_TSV}:{n}: expected `class<TAB>word`, got {line!r}")
        out.setdefault(cls, []).append(word)
    missing = {"meeting_noun", "visit_verb", "lead_verb", "chair_verb", "attend_verb"} - set(out)
    if missing:
        raise DataError(f"{EVENT_WORDS_TSV}: no rows of class {', '.join(sorted(missing))}")
    return {cls: tuple(sorted(ws, key=lambda w: (-len(w), w))) for cls, ws in out.items()}


def words(cls: str) -> str:
    return "(?:" + "|".join(map(re.escape, event_words()[cls])) + ")"
