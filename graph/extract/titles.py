"""Official titles: the lexicon in ontology/titles.tsv, compiled to regexes.

`find_titles(text)` returns every title in the text (longest match at each
place, no overlaps) with the level of the body it belongs to, so that a title
can be tied to a jurisdiction (市委书记 -> a city, 县长 -> a county).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DataError
from .screen import LiteralIndex

TITLES_TSV = Path(__file__).resolve().parents[2] / "ontology" / "titles.tsv"

# Level words, longest first, with the level of place they name.
LEVELS: dict[str, str] = {
    "自治区": "province",
    "自治州": "city",
    "自治县": "county",
    "自治旗": "county",
    "街道": "township",
    "省": "province",
    "市": "city",
    "州": "city",
    "盟": "city",
    "县": "county",
    "区": "county",
    "旗": "county",
    "乡": "township",
    "镇": "township",
}
LEVEL_RE = "(?:" + "|".join(LEVELS) + ")"


@dataclass(frozen=True)
class TitleHit:
    start: int
    end: int
    title: str
    kind: str  # party, government, … taskforce (column 1 of titles.tsv)
    level: str | None  # province | city | county | township | None (national or bare)
    level_word: str | None  # the level word the title starts with (市, 县 …)


@lru_cache(maxsize=1)
def title_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    try:
        lines = TITLES_TSV.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{TITLES_TSV}: cannot read ({exc.strerror})") from exc
    out: list[tuple[str, re.Pattern[str]]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, pattern = line.partition("\t")
        if not pattern:
            raise DataError(f"{TITLES_TSV}:{n}: expected `kind<TAB>pattern`")
        # {L} is the same level word throughout one title (副市长: 副 + 市 + 长)
        first = pattern.find("{L}")
        if first >= 0:
            pattern = pattern[:first] + f"(?P<L>{LEVEL_RE})" + pattern[first + 3 :].replace("{L}", "(?P=L)")
        try:
            out.append((kind, re.compile(pattern)))
        except re.error as exc:
            raise DataError(f"{TITLES_TSV}:{n}: bad pattern ({exc})") from exc
    return tuple(out)


@lru_cache(maxsize=1)
def _indexed_patterns() -> tuple[LiteralIndex, tuple[tuple[str, re.Pattern[str], bool], ...]]:
    """The title patterns, each with whether it has the {L} group, and an index of the
    literals they need (see graph/extract/screen.py), which tells which may match a text.
    Made from title_patterns() once: clearing its cache means clearing this one and
    _titles' too."""
    patterns = title_patterns()
    return LiteralIndex(pat for _, pat in patterns), tuple((kind, pat, "L" in pat.groupindex) for kind, pat in patterns)


def find_titles(text: str) -> list[TitleHit]:
    """Every title in `text`: the longest at each start, left to right, no overlaps."""
    return list(_titles(text))


@lru_cache(maxsize=1024)  # an article's text is asked for twice, short snippets often
def _titles(text: str) -> tuple[TitleHit, ...]:
    index, patterns = _indexed_patterns()
    candidates = index.candidates(text)
    if not candidates:
        return ()
    best: dict[int, TitleHit] = {}
    for i, (kind, pat, has_level) in enumerate(patterns):
        if i not in candidates:
            continue
        for m in pat.finditer(text):
            start, end = m.span()
            if end == start:
                continue
            title = m.group()
            word = m.group("L") if has_level else None
            if word is None:
                word = _leading_level(title)
            level = LEVELS.get(word) if word else None
            old = best.get(start)
            if old is None or end > old.end:
                best[start] = TitleHit(start, end, title, kind, level, word)
    out: list[TitleHit] = []
    last = -1
    for start in sorted(best):
        hit = best[start]
        if start >= last:
            out.append(hit)
            last = hit.end
    return tuple(out)


def _leading_level(title: str) -> str | None:
    for word in LEVELS:
        if title.startswith(word):
            return word
    return None
