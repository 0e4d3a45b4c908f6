"""Where a person's name starts and ends: a surname from ontology/surnames.txt, or any
Han characters after a title, up to a boundary (punctuation, a word of
ontology/name_boundaries.txt, a title); names with a middle dot (阿依古丽·买买提)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..gazetteer import gazetteer
from ..tables import ONTOLOGY, word_list
from .titles import TitleHit, find_titles

SURNAMES_TXT = ONTOLOGY / "surnames.txt"
BOUNDARIES_TXT = ONTOLOGY / "name_boundaries.txt"


# What may follow a name: punctuation, or the start of a predicate.
BOUNDARY_WORDS = word_list(BOUNDARIES_TXT)
_LONG_BOUNDARY_WORDS = tuple(w for w in BOUNDARY_WORDS if len(w) > 1)
PUNCT = "、，。；：,;:！？!?（）()“”\"'‘’《》〈〉【】[] \t\u3000\n·"
LEADER_WORD = re.compile(
    r"(?:在家的)?(?:(?:省|市|县|区|旗|州|盟|自治区|乡|镇)(?:级)?(?:领导|领导同志|党政领导)|(?:四大)?班子(?:领导|成员))"
)
NOT_NAMES = set(
    [
        "领导",
        "同志",
        "负责",
        "主要",
        "各级",
        "有关",
        "相关",
        "分管",
        "全体",
        "部分",
        "班子",
        "成员",
        "常务",
        "党组",
        "主任",
        "书记",
        "委员",
        "干部",
        "代表",
        "部门",
        "单位",
        "人员",
        "名单",
        "候选",
        "人选",
        "关于",
        "资格",
        "全会",
        "大会",
        "会议",
    ]
)


@lru_cache(maxsize=2)
def _as_tuple(words: frozenset[str]) -> tuple[str, ...]:
    """The words as a tuple, for str.startswith (a frozenset keeps its hash: cheap to look up)."""
    return tuple(words)


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = word_list(SURNAMES_TXT)
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def _boundary(text: str, pos: int) -> int:
    """How strongly `text[pos:]` reads as the end of a name: 3 punctuation or the end,
    2 a verb or a title, 1 a one-character word (在, 和 …), 0 not at all."""
    if pos >= len(text) or text[pos] in PUNCT or text[pos].isascii():
        return 3
    if text.startswith(_LONG_BOUNDARY_WORDS, pos):
        return 2
    head = _titles_near(text, pos, 12)
    if (head and head[0].start == 0) or LEADER_WORD.match(text, pos):
        return 2
    if text[pos] in BOUNDARY_WORDS:
        return 1
    return 0


# Characters that end a clause's first word rather than a given name (陈某在…, 李某作说明):
# a three-character name ending in one is read as two characters plus that word.
FUNCTION_END = set("在作和与及到赴对就向为从把被说是要将已也还又都则于以的了并率同等分先再均亦")
CONJUNCTIONS = set("和与及同")
# Characters no name without a known surname starts with (会议, 议题, 各级 …).
NOT_NAME_START = set(
    "会议各全本该其此这那每第一二三四五六七八九十"
    "以对在从向把被于与和及并也还又都则将已要能可应须为是有无不没很更最再均亦即便就才曾正刚共另仅只"
)


PARTICLES = set("的了着过们")  # never inside a name: 资格的决定, 冒着酷暑


def _body_title(t: TitleHit) -> bool:
    """A title that starts with a level word and a body (镇党委书记, 县政府办主任), not 县长."""
    word = t.level_word
    return word is not None and t.title.startswith(word) and not t.title.endswith(word + "长")


def open_name_ok(text: str, pos: int, n: int) -> bool:
    """Whether text[pos : pos + n], read without a known surname, may be a name: it does not
    start with a function word or a predicate (表示, 当天), and is not a place (白银)."""
    return (
        not PARTICLES.intersection(text[pos : pos + n])
        and text[pos] not in NOT_NAME_START
        and text[pos] not in FUNCTION_END
        and not text.startswith(_LONG_BOUNDARY_WORDS, pos)
        and not gazetteer().lookup(text[pos : pos + n])
    )


# A name written with a middle dot (minority names: 阿依古丽·买买提).
DOTTED_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・‧][\u4e00-\u9fff]{1,10}){1,2}")


# Words that never stand inside a long name (甘某到某县 is a name, 到 and a place).
INNER_BREAKS = set("在到赴对就向从把被说是要将于以的了并率等和与及同")


def _breaks_inside(text: str, pos: int, n: int) -> bool:
    """Whether a predicate starts inside text[pos : pos + n] after a two-character name."""
    return any(text[pos + k] in INNER_BREAKS or text.startswith(_LONG_BOUNDARY_WORDS, pos + k) for k in range(2, n))


def _place_ahead(text: str, pos: int, n: int) -> bool:
    """Whether text[pos : pos + n] is a place's short name written with its level word
    (白银 in 白银市领导): a person may be named like a place (梁平), not so followed."""
    gaz = gazetteer()
    return any(text[pos : pos + n + k] in gaz.by_name for k in (1, 2, 3) if pos + n + k <= len(text)) and bool(
        gaz.lookup(text[pos : pos + n])
    )


def _titles_near(text: str, pos: int, width: int) -> list[TitleHit]:
    """The titles of text[pos : pos + width], read with the character before `pos`, so that
    the snippet's start is not taken for the start of a clause (a title without a level
    word is looked for only there)."""
    lead = 1 if pos > 0 else 0
    return [
        TitleHit(t.start - lead, t.end - lead, t.title, t.kind, t.level, t.level_word)
        for t in find_titles(text[pos - lead : pos + width])
        if t.start >= lead
    ]


def read_name(text: str, pos: int, *, after_title: bool = False) -> int:
    """Length of the name starting at `pos`, or 0 when none starts there. After a title
    (`after_title`) a name needs no known surname: it runs to the next boundary."""
    dotted = DOTTED_NAME.match(text, pos)
    if dotted:
        last_dot = max(text.rfind(d, pos, dotted.end()) for d in "·•・‧")
        # the part after the last dot runs to the first place a predicate or punctuation starts
        for e in range(last_dot + 2, dotted.end() + 1):
            b = _boundary(text, e)
            if b >= 2 or (b == 1 and text[e] in FUNCTION_END):
                return e - pos
    single, double = surnames()
    if text.startswith(_as_tuple(double), pos):
        lengths: tuple[int, ...] = (3, 4, 2)
    elif pos < len(text) and text[pos] in single:
        lengths = (2, 3, 4, 5) if after_title else (2, 3)  # 4, 5: a minority name (苏某尔布) after a title
    elif after_title and pos < len(text) and open_name_ok(text, pos, 2):
        lengths = (2, 3, 4, 5)
    else:
        return 0
    titles = _titles_near(text, pos, 16)
    scored: list[tuple[int, int]] = []
    for n in lengths:
        cand = text[pos : pos + n]
        if len(cand) < n or not all("\u4e00" <= ch <= "\u9fff" for ch in cand):
            continue
        if cand[-1] == "等" or any(w in cand for w in NOT_NAMES) or any(t.start < n for t in titles):
            continue
        if PARTICLES.intersection(cand):
            continue
        b = _boundary(text, pos + n)
        # 陈某在…: a name and 在; 甲和乙: a name and 和 only where a name follows
        if (
            n >= 3
            and cand[-1] in FUNCTION_END
            and (b < 3 or n >= 4)
            and _boundary(text, pos + n - 1)
            and (cand[-1] not in CONJUNCTIONS or _has_surname(text[pos + n : pos + n + 2]))
        ):
            continue
        if after_title and _place_ahead(text, pos, n):
            continue  # a place after a title (省卫健委二级巡视员白银市领导…), not a person
        if n >= 4 and lengths[0] != 3 and (b < 2 or _breaks_inside(text, pos, n)):
            continue  # a long name without a compound surname: before punctuation or a verb, whole
        if b == 2 and gazetteer().lookup(cand) and any(t.start == n for t in titles):
            continue  # 长沙市委副书记: a place before a title, not a person
        if b == 2 and any(t.start == n and _body_title(t) for t in titles):
            continue  # 某庄镇党委书记: a place and its level word before a body's title
        if b:
            scored.append((b, n))
    if not scored:
        return 0
    if any(n < 4 and b >= 2 for b, n in scored) and lengths[0] != 3:
        scored = [(b, n) for b, n in scored if n < 4]  # a longer name only when no shorter one fits
    best = max(b for b, _ in scored)
    fits = [n for b, n in scored if b == best]
    # before punctuation the shortest name that fits; before a word the longest
    return min(fits) if best == 3 else max(fits)


def _has_surname(name: str) -> bool:
    single, double = surnames()
    return name[:1] in single or name[:2] in double
