"""The words of events and roles (ontology/event_words.tsv): meeting nouns, visit verbs,
leading, chairing and attending, as regex alternations, and the patterns composed from
them that the trigger and place rules share (a meeting's name, a visit, a higher meeting)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import DataError
from ..tables import ONTOLOGY, tsv_rows

EVENT_WORDS_TSV = ONTOLOGY / "event_words.tsv"


@lru_cache(maxsize=1)
def event_words() -> dict[str, tuple[str, ...]]:
    """ontology/event_words.tsv: class -> words (longest first)."""
    out: dict[str, list[str]] = {}
    for n, cols in tsv_rows(EVENT_WORDS_TSV, 2, "class<TAB>word"):
        if len(cols) != 2 or not all(cols):
            raise DataError(f"{EVENT_WORDS_TSV}:{n}: expected class<TAB>word")
        out.setdefault(cols[0], []).append(cols[1])
    missing = {"meeting_noun", "visit_verb", "lead_verb", "chair_verb", "attend_verb"} - set(out)
    if missing:
        raise DataError(f"{EVENT_WORDS_TSV}: no rows of class {', '.join(sorted(missing))}")
    return {cls: tuple(sorted(ws, key=lambda w: (-len(w), w))) for cls, ws in out.items()}


def words(cls: str) -> str:
    return "(?:" + "|".join(map(re.escape, event_words()[cls])) + ")"


# Patterns composed from the words, shared by the trigger and place rules.
MEETING_NOUN = words("meeting_noun") + "(?:会议)?"
MEETING_EXTENSION = r"(?:暨[^。；！？，\n]{0,40}?" + MEETING_NOUN + r")?"
INSPECTION_VERB = words("visit_verb")
NOT_A_TEAM = r"(?![团组队室])"  # 考察团, 督导组, 检查组: the team, a noun, not the visit
# (official or body) 到/赴/在/深入/莅临 PLACE (进行/开展) 调研; a team 对 PLACE 进行督查
VISIT = re.compile(
    r"(?:到|赴|在|深入|来到|前往|莅临|莅|来|对)(?P<where>[^。；！？，\n]{1,24}?)(?:进行|开展)?"
    + INSPECTION_VERB
    + NOT_A_TEAM
)
UPPER_MEETING = re.compile(
    r"(?:收听收看|收看|收听|参加|出席|听取)(?P<label>[^。；！？\n]{0,60}?" + MEETING_NOUN + r"[^，。；\n]{0,4}?)"
    r"(?:后|之后|结束后|精神后|(?=[，,]\s*(?:并|随后|随即|紧接着|接着|接续|会后)))"
)
