"""Places named in an article, resolved in the article's own context and year.

Names are looked up among the divisions of the article's year (`gaz` is the
gazetteer's view of that year: 太谷县 in 2018, 太谷区 in 2022). A full official
name (临汾市) is taken as it is; an ambiguous one (鼓楼区) is decided by the other
places the article names, never by the first match. A short name (临汾, 尧都) is
taken when the article's context supports it (its province or city is named
too), when it recurs, or when it follows its own city (晋中太谷, 大同云冈). A
functional zone is a mention too: a listed one (ontology/zones.tsv) by its names,
any other as a place name followed by a zone suffix (晋中 + 经开区). One-character
province names (晋) are read only in fixed forms (入晋, 返晋, 晋籍, a headline
晋：) and only support the article's province. `home` gives, per level, the
place the article is about, which 我市 / 全县 / 市委 refer to.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from ..gazetteer import ZONE_SUFFIXES, Gazetteer, PlaceHit
from ..gazetteer.townships import find_townships, find_unique_townships
from ..records import Document, Evidence, PlaceNamed
from .text import Sentence, sentence_at

EXTRACTOR = "places"
# a short name directly followed by one of these is used as a place name
SHORT_NAME_CONTEXT = re.compile(
    r"^(?:市|县|区|旗|州|盟|省|新闻|日报|晚报|电视台|广播|籍|人民|全市|全县|全区|境内|城区)"
)
# a zone suffix right after a place name makes a zone of that place: 晋中经开区
ZONE_AFTER = re.compile("|".join(ZONE_SUFFIXES))
# after 入/来/返/在, a one-character province name must end the word: 入晋返乡, 在晋工作
ABBREVIATION_FOLLOWS = re.compile(
    r"$|[^\u4e00-\u9fff]|返乡|返岗|返程|人员|车辆|旅客|游客|务工|工作|期间|考察|调研|投资|创业|就业|"
    r"就医|就读|学习|交流|落户|以来|后"
)
ABBREVIATION_VERBS = "入来返在"
HEADLINE_ABBREVIATION = re.compile(r"\s*(\S)[：:]")


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
    hints: list[PlaceMention] = field(default_factory=list)  # provinces by one-character name (入晋)

    def codes(self) -> list[str]:
        return sorted({m.code for m in self.mentions})


def resolve_places(doc: Document, gaz: Gazetteer) -> PlaceContext:
    """The places `doc` names, among the divisions of the year `gaz` is the view of
    (the all-years gazetteer resolves in the newest year)."""
    gaz = gaz.view
    hits = [h for h in gaz.find(doc.text) if not doc.in_chrome(h.start) or h.full]
    joined = _joined(hits, gaz)
    hints = _abbreviations(doc, hits, gaz)
    support = _support(hits, gaz, joined, hints)
    ctx = PlaceContext(hints=hints)
    short_counts = Counter(h.surface for h in hits if not h.full)
    chosen: dict[int, str] = {}
    for i, h in enumerate(hits):
        code = joined.get(i) or _choose(h, gaz, support)
        if code is None:
            continue
        mention = PlaceMention(code, h.start, h.end, h.surface)
        if h.full or i in joined or _short_accepted(h, code, doc.text, gaz, support, short_counts):
            ctx.mentions.append(mention)
            chosen[i] = code
        elif len(h.codes) == 1:
            ctx.weak.append(mention)
    zones = _zones(doc.text, hits, chosen, gaz, support)
    if zones:  # after the place its name starts with: the lowest place at that spot
        ctx.mentions = sorted(ctx.mentions + zones, key=lambda m: (m.start, m.end))
    return ctx


def _joined(hits: list[PlaceHit], gaz: Gazetteer) -> dict[int, str]:
    """Places written together with a place above them (晋中太谷, 大同云冈, 山西临汾):
    both are decided by each other, by hit index."""
    out: dict[int, str] = {}
    for i in range(len(hits) - 1):
        a, b = hits[i], hits[i + 1]
        if a.end != b.start:
            continue
        pairs = {(up, low) for low in b.codes for up in a.codes if any(p.code == up for p in gaz.chain(low)[1:])}
        if len({up for up, _ in pairs}) == 1 and len({low for _, low in pairs}) == 1:
            up, low = next(iter(pairs))
            out.setdefault(i, up)
            out.setdefault(i + 1, low)
    return out


def _zones(
    text: str, hits: list[PlaceHit], chosen: dict[int, str], gaz: Gazetteer, support: Counter[str]
) -> list[PlaceMention]:
    """Zones no table lists, as a place name and a zone suffix (晋中经开区, 太谷开发区):
    the zone of that place. The place is the one the name stands for in the year's
    divisions when that is not ambiguous; a county's short name needs the article's
    support, as it does on its own."""
    out: list[PlaceMention] = []
    for i, h in enumerate(hits):
        m = ZONE_AFTER.match(text, h.end)
        if m is None or any(gaz.places[c].level == "zone" for c in h.codes):
            continue
        if i + 1 < len(hits) and hits[i + 1].start < m.end():
            continue  # the suffix starts another name
        zone = gaz.places[f"zone:{text[h.start : m.end()]}"]
        if zone.parent is None or zone.parent not in h.codes:
            continue
        parent = gaz.places[zone.parent]
        county_short = parent.level == "county" and not h.full and chosen.get(i) != parent.code
        if county_short and not _supported(parent.code, gaz, support):
            continue
        out.append(PlaceMention(zone.code, h.start, m.end(), text[h.start : m.end()]))
    return out


def _abbreviations(doc: Document, hits: list[PlaceHit], gaz: Gazetteer) -> list[PlaceMention]:
    """Provinces named by their one-character name, in the forms that cannot be read
    otherwise: 入晋 / 来晋 / 返晋 / 在晋 ending a word, 晋籍, a headline starting 晋：."""
    table = gaz.abbreviations
    if not table:
        return []
    text = doc.text
    covered = {p for h in hits for p in range(h.start, h.end)}
    out: list[PlaceMention] = []
    head = HEADLINE_ABBREVIATION.match(text)
    if head and head.group(1) in table and "首" in table[head.group(1)].contexts:
        out.append(PlaceMention(table[head.group(1)].province, head.start(1), head.end(1), head.group(1)))
    for m in re.finditer("[" + "".join(table) + "]", text):
        pos = m.start()
        if pos in covered or doc.in_chrome(pos) or (head and pos == head.start(1)):
            continue
        a = table[m.group()]
        before = text[pos - 1] if pos else ""
        after = text[pos + 1 : pos + 2]
        if (after == "籍" and "籍" in a.contexts) or (
            before
            and before in ABBREVIATION_VERBS
            and before in a.contexts
            and (pos - 1) not in covered
            and ABBREVIATION_FOLLOWS.match(text, pos + 1)
        ):
            out.append(PlaceMention(a.province, pos, pos + 1, m.group()))
    return out


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


def _support(hits: list[PlaceHit], gaz: Gazetteer, joined: dict[int, str], hints: list[PlaceMention]) -> Counter[str]:
    """Codes (and their ancestors) named unambiguously by full name, by a unique
    province/city short, or written with the place above them (晋中太谷); and the
    provinces named by their one-character name (入晋)."""
    support: Counter[str] = Counter()
    for i, h in enumerate(hits):
        if i in joined:
            code = joined[i]
        elif len(h.codes) != 1:
            continue
        else:
            code = h.codes[0]
            if not h.full and gaz.places[code].level == "county":
                continue
        for anc in gaz.chain(code):
            support[anc.code] += 1
    for m in hints:
        support[m.code] += 1
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
    海阳 in a name like 王海阳 or 代县 in 代县长 are not places."""

    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    longest = max((e - s for s, e in ordered), default=0)

    def clear(m: PlaceMention) -> bool:
        i = bisect_left(starts, m.start - longest)
        while i < len(ordered) and ordered[i][0] < m.end:
            if ordered[i][1] > m.start:
                return False
            i += 1
        return True

    return PlaceContext(
        [m for m in ctx.mentions if clear(m)], [m for m in ctx.weak if clear(m)], [m for m in ctx.hints if clear(m)]
    )


def home_places(ctx: PlaceContext, gaz: Gazetteer) -> dict[str, str]:
    """The place the article is about, per level word (省, 市, 县, 区, 旗 …)."""
    gaz = gaz.view
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
    province = _home_province(ctx, gaz)
    if county_city is not None and (
        city is None or (gaz.city_of(county_city) != city and counts[county_city] > counts[city])
    ):
        city = None  # the article is about a county-level city (晋江市), not a prefecture: 市 is that city
    if city is None and county is not None and county_city is None:
        city = gaz.city_of(county)
    if city is None and county is None and county_city is None:
        zone = next((m.code for m in ctx.mentions if gaz.places[m.code].level == "zone"), None)
        city = gaz.city_of(zone) if zone else None  # 晋中经开区: 市 is 晋中市
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


def _home_province(ctx: PlaceContext, gaz: Gazetteer) -> str | None:
    """The province most of the article's places are in (each mention counts for
    its province; 入晋 counts for 山西), the first named on a tie: 省委 in an article
    about 临汾 that also names another province once is 山西's."""
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in ctx.mentions + ctx.hints:
        prov = gaz.province_of(m.code)
        if prov:
            score[prov] += 1
            first[prov] = min(first.get(prov, m.start), m.start)
    return min(score, key=lambda c: (-score[c], first[c], c)) if score else None


def extract_places(doc: Document, ctx: PlaceContext, sentences: list[Sentence]) -> list[PlaceNamed]:
    """Each place the article names, once, with the sentence it is first named in."""
    seen: set[str] = set()
    out: list[PlaceNamed] = []
    for m in ctx.mentions:
        if m.code in seen:
            continue
        seen.add(m.code)
        s = sentence_at(sentences, m.start)
        start, end = (s.start, s.end) if s else (m.start, m.end)
        out.append(PlaceNamed(Evidence(doc.name, start, end, doc.text[start:end], EXTRACTOR), m.code))
    return out


# The source line of local media: 某某新闻网讯, 某某日报讯, 某某融媒讯, 某某发布 … (the outlet
# is named after its place, often by its short name: 南漳新闻网讯 -> 南漳县).
SOURCE_LINE = re.compile(
    r"(?:^|\n|来源[:：]\s*)[（(【]?(?P<name>[\u4e00-\u9fff]{2,6}?)(?:县|市|区|旗)?"
    r"(?:新闻网|融媒体中心|融媒|日报|发布|广播电视台|电视台|新闻中心|网|报)(?:讯|消息|报道|(?=\s|$))"
)
SOURCE_LINES = 3000  # how far into the text a source line is looked for


def source_place(doc: Document, gaz: Gazetteer) -> str | None:
    """The code of the place a local outlet's source line names, when the name is one place."""
    for m in SOURCE_LINE.finditer(doc.text, 0, SOURCE_LINES):
        codes = gaz.view.lookup(m.group("name"))
        if len(codes) == 1:
            return codes[0]
    return None


def add_to_home(home: dict[str, str], code: str, gaz: Gazetteer) -> None:
    """Fill the levels `home` lacks with `code` and the places above it."""
    for p in gaz.view.chain(code):
        if p.level == "province":
            words: tuple[str, ...] = ("省", "自治区")
        elif p.level == "city":
            words = ("市", "州", "盟", "自治州")
        elif p.level == "county":
            words = tuple(w for w in ("县", "区", "旗", "市") if p.name.endswith(w)) or ("县",)
        else:
            continue
        for word in words:
            home.setdefault(word, p.code)


def with_townships(doc: Document, ctx: PlaceContext, gaz: Gazetteer, extra: str | None = None) -> PlaceContext:
    """`ctx` with the townships named in `doc` among those of the counties it names (and of
    `extra`, the source line's place): 某县某镇, 某镇党委. Township names repeat across the
    country, so only the article's own counties are searched."""
    counties = {m.code for m in ctx.mentions if gaz.view.places[m.code].level == "county"}
    if extra and gaz.view.places[extra].level == "county":
        counties.add(extra)
    hits = find_townships(doc.text, sorted(counties)) if counties else find_unique_townships(doc.text)
    found = [
        PlaceMention(code, start, end, doc.text[start:end]) for start, end, code in hits if not doc.in_chrome(start)
    ]
    if not found:
        return ctx
    mentions = sorted(ctx.mentions + found, key=lambda m: (m.start, m.end))
    return PlaceContext(mentions, ctx.weak, ctx.hints)


COUNTY_WORDING = re.compile(r"[县区旗]委|[县区旗]长|[县区旗]政府|[我全本][县区旗]")


def weak_county(doc: Document, ctx: PlaceContext, gaz: Gazetteer, home: dict[str, str]) -> str | None:
    """The county an article about a county's work (县委书记, 我县) names only by its short
    name, once, with nothing to support it: the one county among the weak mentions."""
    if any(w in home for w in ("县", "区", "旗")) or not COUNTY_WORDING.search(doc.text):
        return None
    counties = {m.code for m in ctx.weak if gaz.view.places[m.code].level == "county"}
    return counties.pop() if len(counties) == 1 else None
