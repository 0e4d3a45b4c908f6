"""China's townships (乡, 镇, 街道, 苏木, 民族乡): lookup by code and mentions in text.

What for: meetings and visits held by a township's body (南塘镇党委, 八所镇政府) get
`gov:heldIn` a township node (`gov:Township`, CONTRACT.md), below the county-level
places of graph/gazetteer.py. `gazetteer().places[code9]` gives a township as a
`Place` of level "township" whose parent is its county (see `township_place`), so
the builder writes it like any other place.

Source: ontology/townships.tsv.gz, made by ontology/make_townships.py from the npm
package china-division 2.7.0 (MIT per its package.json, WTFPL per its LICENSE file):
the National Bureau of Statistics' 2023 statistical division codes (as of
2023-06-30), every unit named …镇, …乡, …街道 or …苏木 with its 9-digit code and
its county's 6-digit code. Read from the repository; nothing is downloaded.

Township names repeat across the country (城关镇, 新华街道), so mentions are only
ever looked for among the townships of given counties (`find_townships`).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import ahocorasick

from ..errors import DataError
from ..tables import ONTOLOGY
from .model import GENERIC_NAME_CHARS, Place


class _Places(Protocol):
    """What township_place needs of a gazetteer (its places by code)."""

    @property
    def places(self) -> dict[str, Place]: ...


TOWNSHIPS = ONTOLOGY / "townships.tsv.gz"
SUFFIXES = ("街道", "苏木", "镇", "乡")  # what a township's name ends with
BODIES = ("党委", "政府")  # what a short name may be followed by: 八所党委
# 56 ethnic groups, as township names write them (长哨营满族乡, 音河达斡尔鄂温克民族乡)
ETHNIC_GROUPS = [
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗",
    "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜",
    "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南",
    "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
]  # fmt: skip
ETHNIC = sorted(ETHNIC_GROUPS, key=len, reverse=True)
_E = "|".join(ETHNIC)
ETHNIC_NAME = re.compile(rf"^(.+?)((?:(?:{_E})族?)+(?:少数)?民族|(?:(?:{_E})族)+)(乡|镇|苏木)$")
# an ethnic group between a short name and its suffix: 胡集 + 回族乡
ETHNIC_INFIX = re.compile(rf"(?:(?:{_E})族)+(?:民族)?(?:乡|镇|苏木)|(?:{_E})+民族(?:乡|镇|苏木)")
# Short names that are words rather than names: 人民 (人民政府), 城关, 中心 … (see _generic)
GENERIC_WORDS = frozenset([
    "人民", "中心", "城关", "城郊", "城乡", "乡村", "工业", "开发", "经济", "园区", "社区", "街道",
    "农场", "林场", "和平", "解放", "胜利", "建设", "团结", "友谊", "光明", "文化", "幸福", "民主",
    "先锋", "前进", "红旗", "东风", "向阳", "新华", "民族", "全县", "全区", "全市", "全镇", "全乡",
    "本镇", "该镇", "各乡", "各镇",
])  # fmt: skip


@dataclass(frozen=True)
class Township:
    code: str  # 9-digit statistical division code
    name: str  # full official name: 南塘镇
    county: str  # 6-digit code of its county-level unit (as the statistics file it)


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Township]
    by_county: dict[str, tuple[Township, ...]]


@lru_cache(maxsize=1)
def _table() -> _Table:
    """ontology/townships.tsv.gz, read once."""
    try:
        text = gzip.decompress(TOWNSHIPS.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataError(f"{TOWNSHIPS}: cannot read ({exc})") from exc
    by_code: dict[str, Township] = {}
    by_county: dict[str, list[Township]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or len(cols[0]) != 9 or not cols[0].isdigit() or len(cols[2]) != 6:
            raise DataError(f"{TOWNSHIPS}:{n}: expected code9, name, county code6")
        t = Township(*cols)
        by_code[t.code] = t
        by_county.setdefault(t.county, []).append(t)
    return _Table(by_code, {k: tuple(v) for k, v in by_county.items()})


def all_townships() -> list[Township]:
    """Every township, by code."""
    return list(_table().by_code.values())


def township(code9: str) -> Township | None:
    """The township with this 9-digit code (None if no township has it)."""
    return _table().by_code.get(code9)


def short_name(name: str) -> tuple[str, str]:
    """(stem, suffix) of a township's name: 八所镇 -> (八所, 镇), 长哨营满族乡 ->
    (长哨营, 乡), 音河达斡尔鄂温克民族乡 -> (音河, 乡)."""
    m = ETHNIC_NAME.match(name)
    if m:
        return m.group(1), m.group(3)
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)], s
    return name, ""


def _generic(short: str) -> bool:
    """A short name not to look for: one character, a common word, made only of
    words like 东 新 城 (城东, 新城), or ending like a county or city (沙市, 新区)."""
    return (
        len(short) < 2
        or short in GENERIC_WORDS
        or set(short) <= GENERIC_NAME_CHARS
        or short.endswith(("省", "市", "县", "区", "州", "旗", "盟", "镇", "乡"))
    )


@lru_cache(maxsize=4096)
def _names(county: str) -> tuple[dict[str, str], dict[str, str]]:
    """The townships of a county by name: (full names and the plain form of an ethnic
    township's name (长哨营乡), short names unambiguous within the county)."""
    towns = _table().by_county.get(county, ())
    full: dict[str, str] = {t.name: t.code for t in towns}
    for t in towns:
        stem, suffix = short_name(t.name)
        plain = stem + suffix
        if plain != t.name and plain not in full:
            full[plain] = t.code
    shorts: dict[str, list[str]] = {}
    for t in towns:
        stem, _ = short_name(t.name)
        if stem != t.name and not _generic(stem):
            shorts.setdefault(stem, []).append(t.code)
    short = {s: codes[0] for s, codes in shorts.items() if len(codes) == 1 and s not in full}
    return full, short


def townships_in(county_code: str) -> dict[str, str]:
    """Name -> 9-digit code of a county's townships: full names, the plain form of an
    ethnic township's name (长哨营满族乡 -> also 长哨营乡) and short names where
    unambiguous within the county (八所镇 -> 八所: two characters or more, not a common
    word)."""
    full, short = _names(county_code)
    return {**short, **full}


def short_of(code9: str) -> str | None:
    """The short name of a township, when it is one `townships_in` lists."""
    t = township(code9)
    if t is None:
        return None
    stem, _ = short_name(t.name)
    return stem if _names(t.county)[1].get(stem) == code9 else None


# -- mentions in text --------------------------------------------------------------

# a word to find: (code9, full name?)
_Word = tuple[str, bool]


@lru_cache(maxsize=256)
def _automaton(counties: frozenset[str]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton over the names of the townships of `counties`. A name
    two of the counties share is left out (it cannot be told which); a full name wins
    over another township's short name."""
    words: dict[str, _Word] = {}
    clash: set[str] = set()
    for full_names, is_full in ((1, False), (0, True)):  # short names first, full names over them
        seen: dict[str, str] = {}
        for county in sorted(counties):
            for name, code in _names(county)[full_names].items():
                if name in seen and seen[name] != code:
                    clash.add(name)
                seen[name] = code
                words[name] = (code, is_full)
    for name in clash:
        words.pop(name, None)
    if not words:
        return None
    auto = ahocorasick.Automaton()
    for name, word in words.items():
        auto.add_word(name, (len(name), *word))
    auto.make_automaton()
    return auto


def find_townships(text: str, county_codes: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, code9) of the townships of the given counties that `text` names,
    longest match first, left to right, without overlaps.

    Full names are found anywhere (not 光明乡 in 光明乡村, nor 新城镇 in 新城镇化); a short
    name only right before 镇 / 乡 / 街道 / 苏木 (the span then takes the suffix in:
    八所镇 for a 八所街道 of the county) or 党委 / 政府 (八所党委: the span is 八所).
    Never nationwide: township names repeat from county to county."""
    auto = _automaton(frozenset(county_codes))
    if auto is None or not text:
        return []
    found: list[tuple[int, int, str]] = []
    for last, (length, code, is_full) in auto.iter(text):
        start, end = last + 1 - length, last + 1
        after = text[end : end + 2]
        if not is_full:  # a short name: its suffix taken in, or before 党委 / 政府
            ethnic = ETHNIC_INFIX.match(text, end)
            if ethnic:  # 胡集回族乡 for a 胡集乡 of the county (the statistics drop the group)
                end = ethnic.end()
            elif after.startswith(SUFFIXES):
                end += 2 if after.startswith(("街道", "苏木")) else 1
            elif not after.startswith(BODIES):
                continue
        if text[end - 1 : end + 1] in ("乡村", "乡镇", "镇化"):  # 光明乡村振兴, 新城镇化: words, not names
            continue
        found.append((start, end, code))
    found.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for h in found:
        if h[0] >= last_end:
            out.append(h)
            last_end = h[1]
    return out


# -- the gazetteer's view of a township --------------------------------------------


@lru_cache(maxsize=65536)
def township_place(gaz: _Places, code9: str) -> Place | None:
    """A township as a gazetteer `Place` (level "township"), reporting to its county;
    where the gazetteer does not know the county's code (a zone the statistics list
    as a county, 嘉峪关市's 620201), to the nearest place above it that it knows: the
    city (code[:4] + 00), else the province."""
    t = township(code9)
    if t is None:
        return None
    parent = next(
        (c for c in (t.county, t.county[:4] + "00", t.county[:2] + "0000") if gaz.places.get(c) is not None), None
    )
    return Place(code9, t.name, short_of(code9) or t.name, "township", parent, t.county[:2] + "0000")


@lru_cache(maxsize=1)
def _unique_names() -> dict[str, str]:
    """Full township names (with their 镇 / 乡 / 街道 / 苏木) held by one township in the
    whole country, of three characters or more: name -> code9."""
    codes: dict[str, list[str]] = {}
    for t in all_townships():
        codes.setdefault(t.name, []).append(t.code)
    return {name: cs[0] for name, cs in codes.items() if len(cs) == 1 and len(name) >= 3}


def find_unique_townships(text: str) -> list[tuple[int, int, str]]:
    """Occurrences of nationally unique full township names in `text`, longest first at
    each place, left to right, no overlaps: for an article that names no county."""
    names = _unique_names()
    out: list[tuple[int, int, str]] = []
    pos = 0
    suffix = re.compile(r"(?:镇|乡|街道|苏木)(?![村镇])")
    for m in suffix.finditer(text):
        end = m.end()
        for start in range(max(pos, end - 12), end - 2):
            code = names.get(text[start:end])
            if code is not None:
                out.append((start, end, code))
                pos = end
                break
    return out
