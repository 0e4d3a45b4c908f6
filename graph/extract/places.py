"""Places named in an article, resolved in the article's own context.

A full official name (临汾市) is taken as it is; an ambiguous one (鼓楼区) is
decided by the other places the article names, never by the first match. A
short name (临汾, 尧都) is taken when the article's context supports it (its
province or city is named too) or when it recurs. `home` gives, per level, the
place the article is about, which 我市 / 全县 / 市委 refer to.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer, PlaceHit
from ..records import Document, Evidence, PlaceNamed

EXTRACTOR = "places"
# a short name directly followed by one of these is used as a place name
SHORT_NAME_CONTEXT = re.compile(
    r"^(?:市|县|区|旗|州|盟|省|新闻|日报|晚报|电视台|广播|籍|人民|全市|全县|全区|境内|城区)"
)


@dataclass(frozen=True)
class PlaceMention:
    code: str
    start: int
    end: int
    surface: str


@dataclass
class PlaceContext:
    mentions: list[PlaceMention] = field(default_factory=list)
    weak: list[PlaceMention] = field(default_factory=list)  # unique short names without support

    def codes(self) -> list[str]:
        return sorted({m.code for m in self.mentions})


def resolve_places(doc: Document, gaz: Gazetteer) -> PlaceContext:
    hits = [h for h in gaz.find(doc.text) if not doc.in_chrome(h.start) or h.full]
    support = _support(hits, gaz)
    ctx = PlaceContext()
    short_counts = Counter(h.surface for h in hits if not h.full)
    for h in hits:
        code = _choose(h, gaz, support)
        if code is None:
            continue
        mention = PlaceMention(code, h.start, h.end, h.surface)
        if h.full or _short_accepted(h, code, doc.text, gaz, support, short_counts):
            ctx.mentions.append(mention)
        elif len(h.codes) == 1:
            ctx.weak.append(mention)
    return ctx


def _short_accepted(
    h: PlaceHit, code: str, text: str, gaz: Gazetteer, support: Counter[str], counts: Counter[str]
) -> bool:
    """A short name counts when its province or city is named too; a province or
    city short name also when it recurs or reads as a place (临汾市, 临汾日报)."""
    if _supported(code, gaz, support):
        return True
    if gaz.places[code].level == "county":
        return False
    return counts[h.surface] >= 2 or bool(SHORT_NAME_CONTEXT.match(text[h.end : h.end + 3]))


def _support(hits: list[PlaceHit], gaz: Gazetteer) -> Counter[str]:
    """Codes (and their ancestors) named unambiguously by full name, or by a unique province/city short."""
    support: Counter[str] = Counter()
    for h in hits:
        if len(h.codes) != 1:
            continue
        p = gaz.places[h.codes[0]]
        if not h.full and p.level == "county":
            continue
        for anc in gaz.chain(p.code):
            support[anc.code] += 1
    return support


def _supported(code: str, gaz: Gazetteer, support: Counter[str]) -> bool:
    return any(support[a.code] for a in gaz.chain(code)[1:]) or support[code] > 0


def _choose(hit: PlaceHit, gaz: Gazetteer, support: Counter[str]) -> str | None:
    """One candidate for a name; an ambiguous name only where the context decides it
    (or, for a short name, when exactly one candidate is a province: 海南)."""
    if len(hit.codes) == 1:
        return hit.codes[0]
    # named itself first (长沙市 in the body makes 长沙 the city), then by named ancestors
    scored = sorted(
        (((support[c], sum(support[a.code] for a in gaz.chain(c)[1:])), c) for c in hit.codes), reverse=True
    )
    if scored[0][0] > (0, 0) and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    for level in ("province", "city"):  # 海南 is the province, 长沙 the city
        top = [c for c in hit.codes if gaz.places[c].level == level]
        if top:
            return top[0] if len(top) == 1 else None
    return None


def without_spans(ctx: PlaceContext, spans: list[tuple[int, int]]) -> PlaceContext:
    """The context less the mentions that overlap `spans` (names of people, titles):
    海阳 in 郭海阳 or 代县 in 代县长 are not places."""

    def clear(m: PlaceMention) -> bool:
        return not any(m.start < e and s < m.end for s, e in spans)

    return PlaceContext([m for m in ctx.mentions if clear(m)], [m for m in ctx.weak if clear(m)])


def home_places(ctx: PlaceContext, gaz: Gazetteer) -> dict[str, str]:
    """The place the article is about, per level word (省, 市, 县, 区, 旗 …)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in ctx.mentions:
        counts[m.code] += 1
        first.setdefault(m.code, m.start)
        for anc in gaz.chain(m.code)[1:]:
            counts[anc.code] += 0  # known, but not counted as named
            first.setdefault(anc.code, m.start)

    def best(pred: object) -> str | None:
        cands = [c for c in counts if pred(gaz.places[c])]  # type: ignore[operator]
        if not cands:
            return None
        return min(cands, key=lambda c: (-counts[c], first[c], c))

    home: dict[str, str] = {}
    city = best(lambda p: p.level == "city" and counts[p.code] > 0)
    county_city = best(lambda p: p.level == "county" and p.name.endswith("市") and counts[p.code] > 0)
    if city is None and county_city is None:
        weak_cities = [m.code for m in ctx.weak if gaz.places[m.code].name.endswith("市")]
        county_city = weak_cities[0] if weak_cities else None
    county = best(lambda p: p.level == "county" and counts[p.code] > 0)
    province = best(lambda p: p.level == "province")
    if county_city is not None and (
        city is None or (gaz.city_of(county_city) != city and counts[county_city] > counts[city])
    ):
        city = None  # the article is about a county-level city (晋江市), not a prefecture: 市 is that city
    if city is None and county is not None and county_city is None:
        city = gaz.city_of(county)
    if province is None:
        for code in (city, county, county_city):
            if code:
                province = gaz.province_of(code)
                break
    for word in ("省", "自治区"):
        if province:
            home[word] = province
    municipality = province if province and gaz.places[province].name.endswith("市") else None
    for word in ("市", "州", "盟", "自治州"):
        if city or county_city or municipality:
            home[word] = city or county_city or municipality  # type: ignore[assignment]
    for word, suffix in (("县", "县"), ("区", "区"), ("旗", "旗"), ("自治县", "县"), ("自治旗", "旗")):
        code = best(lambda p, s=suffix: p.level == "county" and p.name.endswith(s) and counts[p.code] > 0)
        if code:
            home[word] = code
    if county_city and "市" in home and home["市"] == county_city:
        home["县级市"] = county_city
    return home


def extract_places(doc: Document, ctx: PlaceContext) -> list[PlaceNamed]:
    seen: set[str] = set()
    out: list[PlaceNamed] = []
    for m in ctx.mentions:
        if m.code in seen:
            continue
        seen.add(m.code)
        out.append(PlaceNamed(Evidence(doc.name, m.start, m.end, _line(doc.text, m.start), EXTRACTOR), m.code))
    return out


def _line(text: str, pos: int) -> str:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return text[s : e if e >= 0 else len(text)][:300]
