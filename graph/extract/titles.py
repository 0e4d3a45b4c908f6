"""Official titles as a grammar over vocabulary tables.

A title is composed as

    [place] level-word organ* position        县委常委, 市人大常委会副主任, 省交通运输厅党组成员
    [place] [副|常务|代] level-word 长         副县长, 市长 (with organs before: 县政府副县长, 政府旗长)
    organ* department-suffix 长               卫生局长, 教育股长

from ontology/title_levels.tsv (市 -> city …), title_organs.tsv (委, 党组, 人大常委会 …),
title_suffixes.tsv (局, 厅, 委 … after an open stem: 教育局, 国资委) and
title_positions.tsv (书记, 主任 …). A title without a level word (办公室主任, 副主任,
公安局局长) is looked for only where a title may start: after punctuation, at the start of
a line, or after a word that introduces people (有, 由, 和 …). National offices and
task-force roles, which the grammar does not compose, are rows of ontology/titles.tsv.

`find_titles(text)` returns every title (longest match at each place, no overlaps) with
the level of the body it belongs to, so that a title can be tied to a jurisdiction
(市委书记 -> a city, 县长 -> a county).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DataError
from ..screen import Screened
from ..tables import ONTOLOGY, tsv_rows

TITLES_TSV = ONTOLOGY / "titles.tsv"
LEVELS_TSV = ONTOLOGY / "title_levels.tsv"
ORGANS_TSV = ONTOLOGY / "title_organs.tsv"
SUFFIXES_TSV = ONTOLOGY / "title_suffixes.tsv"
POSITIONS_TSV = ONTOLOGY / "title_positions.tsv"

# Characters a department's stem never holds: function words, numerals and the first
# characters of the verbs that follow a name (a stem runs up to a suffix: 教育+局).
STEM_STOP = "的了在到和与及等对就把被是有为向从于将要并也还又都或其各全本我该这那此个年月日时、，。；："
STEM_STOP_WORDS = (
    "召开", "举行", "主持", "出席", "参加", "列席", "讲话", "强调", "指出", "调研", "检查", "督导",
    "陪同", "带队", "带领", "率领", "领导", "同志", "会议", "书记", "主任", "常委",
)  # fmt: skip
# Level-word characters a stem holds only inside these words (城市管理局, 社区, 地区): a stem
# never runs over a place name and its level word (叙永县+委 is a place and 委, not a stem).
STEM_LEVEL_CHARS = "省市县区旗州盟乡镇"
STEM_LEVEL_WORDS = ("城市", "市场", "市政", "社区", "地区", "园区", "景区", "街区", "校区", "乡村", "城乡", "城镇")
# What a position is not followed by when it names a body or a meeting, not a person's
# office (县委常委会, 主任会议, 委员会).
NOT_A_BODY = r"(?![会])"
# Where a title without a level word may start.
BARE_START = r"(?:^|[、，,：:；;。！？!?\n（(“\s]|[有由和及与同为即任]|带领|率领|陪同|会同|邀请)"


@dataclass(frozen=True)
class TitleHit:
    start: int
    end: int
    title: str
    kind: str  # party, government, … national, taskforce
    level: str | None  # province | city | county | township | None (national or bare)
    level_word: str | None  # the level word the title starts with (市, 县 …)


def _rows(path: Path, ncols: int) -> list[list[str]]:
    """The rows of a vocabulary table, each with `ncols` non-empty columns."""
    out = []
    for n, cols in tsv_rows(path, ncols, f"{ncols} tab-separated columns"):
        if len(cols) != ncols or not all(cols):
            raise DataError(f"{path}:{n}: expected {ncols} non-empty tab-separated columns")
        out.append(cols)
    return out


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


@dataclass(frozen=True)
class Grammar:
    levels: dict[str, str]  # level word -> level
    level_organs: tuple[str, ...]  # organs only right after a level word (委)
    organs: dict[str, str]  # organ -> kind
    suffixes: tuple[str, ...]
    positions: dict[str, bool]  # position -> may stand alone
    with_level: re.Pattern[str]
    bare: re.Pattern[str]
    extra: tuple[tuple[str, Screened], ...]  # (kind, pattern) of titles.tsv


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    levels = {w: lvl for w, lvl in _rows(LEVELS_TSV, 2)}
    organ_rows = _rows(ORGANS_TSV, 3)
    level_organs = tuple(o for o, _, after in organ_rows if after == "level")
    organs = {o: kind for o, kind, after in organ_rows if after != "level"}
    suffixes = tuple(s for (s,) in _rows(SUFFIXES_TSV, 1))
    positions = {p: alone == "yes" for p, alone in _rows(POSITIONS_TSV, 2)}
    for path, table in ((LEVELS_TSV, levels), (ORGANS_TSV, organs), (POSITIONS_TSV, positions)):
        if not table:
            raise DataError(f"{path}: no rows")
    level = _alt(list(levels))
    stop_words = "|".join(STEM_STOP_WORDS)
    stem = (
        rf"(?:{'|'.join(STEM_LEVEL_WORDS)}|(?!{stop_words})[\u4e00-\u9fff](?<![{STEM_STOP}{STEM_LEVEL_CHARS}])){{1,8}}?"
    )
    dept = stem + _alt(list(suffixes))
    organ = "(?:" + _alt(list(organs)) + "|" + dept + ")"
    head = r"(?:代理|代|常务)?副?" + level + "长"
    suffix_head = r"(?<=[" + "".join(s[-1] for s in suffixes if len(s) == 1) + r"])副?长"
    position = "(?:" + _alt(list(positions)) + "|" + head + "|" + suffix_head + ")"
    alone = "(?:" + _alt([p for p, ok in positions.items() if ok]) + "|" + head + ")"
    with_level = re.compile(
        rf"(?:(?P<L>{level})(?:{_alt(list(level_organs))})?(?:{organ}){{0,3}}?{position}"
        rf"|(?:代理|代|常务)?副?(?P<L2>{level})长){NOT_A_BODY}"
    )
    # the start is taken in (the engine scans a consumed prefix faster than a lookbehind);
    # the title is group t
    ends = "".join(sorted({p[-1] for p in positions} | {"长"}))
    # a cheap look ahead for a position's last character before the costly organ chain
    bare = re.compile(
        rf"{BARE_START}(?=[^，。；、\n]{{0,20}}?[{ends}])(?P<t>(?:(?:{organ}){{1,3}}?{position}|{alone}){NOT_A_BODY})"
    )
    extra = []
    for n, (kind, pattern) in enumerate(_rows(TITLES_TSV, 2), 1):
        try:
            extra.append((kind, Screened(pattern)))
        except re.error as exc:
            raise DataError(f"{TITLES_TSV}: row {n}: bad pattern ({exc})") from exc
    return Grammar(levels, level_organs, organs, suffixes, positions, with_level, bare, tuple(extra))


def find_titles(text: str) -> list[TitleHit]:
    """Every title in `text`: the longest at each start, left to right, no overlaps."""
    return list(_titles(text))


@lru_cache(maxsize=1024)  # an article's text is asked for twice, short snippets often
def _titles(text: str) -> tuple[TitleHit, ...]:
    g = grammar()
    best: dict[int, TitleHit] = {}

    def add(start: int, end: int, kind: str, word: str | None) -> None:
        if end <= start:
            return
        old = best.get(start)
        if old is None or end > old.end:
            level = g.levels.get(word) if word else None
            best[start] = TitleHit(start, end, text[start:end], kind, level, word)

    for m in g.with_level.finditer(text):
        word = m.group("L") or m.group("L2")
        add(m.start(), m.end(), _kind(g, m.group()), word)
    for m in g.bare.finditer(text):
        add(m.start("t"), m.end("t"), _kind(g, m.group("t")), _head_level(g, m.group("t")))
    for kind, pat in g.extra:
        for m in pat.finditer(text):
            add(m.start(), m.end(), kind, _leading_level(g, m.group()))
    out: list[TitleHit] = []
    last = -1
    for start in sorted(best):
        hit = best[start]
        if start >= last:
            out.append(hit)
            last = hit.end
    return tuple(out)


def _kind(g: Grammar, title: str) -> str:
    """The kind of the first organ named in a title (government for 县长 and the like)."""
    for organ, kind in sorted(g.organs.items(), key=lambda kv: -len(kv[0])):
        if organ in title:
            return kind
    return "party" if any(title.startswith(w + o) for w in g.levels for o in g.level_organs) else "government"


def _head_level(g: Grammar, title: str) -> str | None:
    """The level word of a title ending in level word + 长 (政府旗长 -> 旗)."""
    if title.endswith("长"):
        for word in sorted(g.levels, key=len, reverse=True):
            if title.endswith(word + "长"):
                return word
    return None


def _leading_level(g: Grammar, title: str) -> str | None:
    for word in sorted(g.levels, key=len, reverse=True):
        if title.startswith(word):
            return word
    return None
