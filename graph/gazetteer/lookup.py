"""The Gazetteer: places by code, a year's view, and finding place names in text."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from graph.gazetteer.load import GazetteerData, load_data
from graph.gazetteer.model import (
    GENERIC_NAME_CHARS,
    OFFICIAL_SUFFIXES,
    ZONE_SUFFIXES,
    Abbreviation,
    NameFinder,
    Place,
    PlaceHit,
    Word,
    short_ok,
)


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

    def __init__(self, data: GazetteerData, year: int | None, places: dict[str, Place]) -> None:
        self._data = data
        self.year = year
        self.places: dict[str, Place] = _Places(self, places)
        self._names: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        self._finder: NameFinder | None = None

    # -- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, year: int | None = None) -> Gazetteer:
        """Every year's divisions (or, with `year`, the view of that year)."""
        data = load_data()
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

    def _build_finder(self) -> NameFinder:
        by_name, by_short = self._index()
        words: dict[str, Word] = {}  # a name added again takes its last value
        for name, codes in self._other_years_names().items():
            words[name] = (name, tuple(codes), True, True)
        for alias, codes in self._data.zone_aliases.items():
            here = [c for c in codes if c in self.places]
            if here:
                words[alias] = (alias, tuple(here), True, False)
        for name, codes in by_name.items():
            words[name] = (name, tuple(codes), True, False)
        for short, codes in by_short.items():
            if short in by_name or not short_ok(short):
                continue
            words[short] = (short, tuple(codes), False, False)
        return NameFinder(words)

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


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer (loaded once per process)."""
    return Gazetteer.load()
