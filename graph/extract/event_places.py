"""Where an event is held: a place named where it is convened or visited, the body
before the verb (自治区召开 -> the region), a township that convenes, the jurisdiction of
its chair or visitor, and the place of a higher meeting it follows."""

from __future__ import annotations

import re

from ..screen import Screened
from .drafts import Draft, EventContext
from .event_words import UPPER_MEETING, VISIT
from .officials import jurisdiction, local_home
from .text import Sentence

LEVEL_PREFIX = re.compile(r"^(?:我|全|本)?(?P<w>省|自治区|市|州|盟|县|区|旗)")
OUR_PLACE = re.compile(r"(?:我|全|本)(?P<w>省|自治区|市|州|盟|县|区|旗)")
ZONE = Screened(
    r"[\u4e00-\u9fff]{2,8}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|综改示范区|开发区|示范区|新区|工业园区)"
)
# a township convenes a meeting when its name is the subject (某镇召开, 某镇党委, 某镇在…召开);
# a township a county official visits before holding a meeting is where the visit went
TOWNSHIP_CONVENES = re.compile(r"(?:党委|党工委|政府|人大|机关)?(?:召开|举行|组织|在|于|第)")
# the subject right before the verb is a bare level word (自治区召开, 市政府在…召开, 全县)
SUBJECT_LEVEL = re.compile(
    r"(?:^|[，,：:\s]|[日午晚])(?:我|全|本)?(?P<w>自治区|省|市|州|盟|县|区|旗)(?P<w2>)"
    r"(?:委|政府|人民政府|府|人大常委会|人大|政协)?(?:常委会)?(?:在[^，。；]{0,16})?(?:紧急|专门|再次)?$"
)
# a meeting's name that names its convener: 全县…, 自治区政协…, 市委…
LABEL_CONVENER = re.compile(
    r"(?:全(?P<w>省|自治区|市|州|盟|县|区|旗)|(?P<w2>自治区|省|市|州|盟|县|区|旗)(?:委|政府|人民政府|府|人大|政协|党委|纪委))"
)
ZONE_STOPS = re.compile(r"召开|举行|主持|在|到|赴|书记|主任|长")
LEVEL_RANKS = {"自治区": 1, "省": 1, "市": 2, "州": 2, "盟": 2, "县": 3, "区": 3, "旗": 3}


def named_place(ctx: EventContext, s: Sentence, where: str, kind: str) -> tuple[str | None, str | None]:
    """A place named where the event is convened or visited."""
    offset = s.text.find(where) if where else -1
    if kind == "Inspection":
        m = VISIT.search(where)
        if m:
            zone = ZONE.search(m.group("where"))
            lo, hi = s.start + max(offset, 0) + m.start("where"), s.start + max(offset, 0) + m.end("where")
            hits = [p for p in ctx.places.mentions if lo <= p.start < hi]
            if hits:
                return hits[-1].code, None
            if zone:
                return None, zone.group()
            our = OUR_PLACE.search(m.group("where"))
            if our:
                return ctx.home.get(our.group("w")), None
        return None, None
    lo = s.start + max(offset, 0)
    hi = lo + len(where)
    hits = [
        p
        for p in ctx.places.mentions
        if lo <= p.start < hi
        and not in_upper_span(s, p.start)
        and (len(p.code) != 9 or TOWNSHIP_CONVENES.match(ctx.doc.text, p.end))
    ]
    zones = [(lo + z.start(), lo + z.end(), _without_people(ctx, z.group())) for z in ZONE.finditer(where)]
    # the place nearest the verb (某县委常委…召开座谈会), not the province in the dateline
    best_hit = hits[-1] if hits else None
    best_zone = zones[-1] if zones else None
    if best_zone and best_hit is not None and best_hit.end == best_zone[1] and rank(ctx, best_hit.code) == 3:
        best_zone = None  # a district whose name ends like a zone's
    if best_zone and (best_hit is None or best_hit.start >= best_zone[0]):
        division = [c for c in ctx.gaz.view.lookup(best_zone[2]) if ctx.gaz.places[c].name == best_zone[2]]
        if len(division) == 1:  # 滨海新区 is a district of the division list, not a zone
            return division[0], None
        return None, best_zone[2]
    if best_hit is not None:
        return best_hit.code, None
    return None, None


def _without_people(ctx: EventContext, zone: str) -> str:
    """A zone's name less what comes before it: the officials and verbs a loose match takes
    in (区委书记某某主持召开滨海新区 -> 滨海新区)."""
    cut = 0
    for g in ctx.groups:
        for m in g.members:
            at = zone.rfind(m.name)
            if at >= 0:
                cut = max(cut, at + len(m.name))
    for verb in ZONE_STOPS.finditer(zone):
        cut = max(cut, verb.end())
    return zone[cut:]


def in_upper_span(s: Sentence, pos: int) -> bool:
    rel = pos - s.start
    return any(m.start() <= rel < m.end() for m in UPPER_MEETING.finditer(s.text))


def rank(ctx: EventContext, code: str) -> int:
    return ctx.gaz.places[code].rank if code in ctx.gaz.places or len(code) == 9 else 9


def region_word(ctx: EventContext, word: str) -> str:
    """全区 in an autonomous region's article names the region where no district is home."""
    if word == "区" and "区" not in ctx.home and "自治区" in ctx.home:
        province = ctx.gaz.places[ctx.home["自治区"]]
        if province.name.endswith("自治区"):
            return "自治区"
    return word


def level_word(label: str, before: str, where: str) -> str | None:
    m = LEVEL_PREFIX.match(label)
    if m:
        return m.group("w")
    our = OUR_PLACE.search(before[-12:]) or OUR_PLACE.search(label)
    return our.group("w") if our else None


def upper_place(ctx: EventContext, label: str, at: int = -1) -> str | None:
    """The jurisdiction of a higher meeting from its label: a place named in it (衡阳市…),
    else its level word (省委… -> the article's province)."""
    if at >= 0:
        named = [p for p in ctx.places.mentions if at <= p.start < at + len(label)]
        if named:
            return named[0].code
    # the first level below the nation (全国、省、市…视频会议: the province's)
    lm = re.search(r"(省|自治区|市|州|县|区)", label)
    if lm is None:
        return None
    return ctx.home.get(lm.group(1))


def place_of_visit(d: Draft, drafts: list[Draft]) -> str | None:
    """A meeting reported after a visit, with no place of its own (检查期间，甲主持会议), is
    held where the visit went."""
    if d.kind != "Meeting":
        return None
    before = [v for v in drafts if v.kind == "Inspection" and v.place and v.anchor.start <= d.anchor.start]
    return before[-1].place if before else None


def place_from_roles(ctx: EventContext, d: Draft) -> str | None:
    """Where the chair (or the visitor) holds office, when the text names no place for
    the event: the lowest of their jurisdictions (市委常委、秦州区委书记 -> 秦州区)."""
    by_name = {m.name: m for g in ctx.groups for m in g.members}
    for role in ("chairs", "conducts", "attends"):
        places = []
        for name, r, _ in d.roles:
            if r != role or name not in by_name:
                continue
            for ref in by_name[name].titles:
                if ref.level in ("province", "city", "county"):
                    near = local_home(ctx.home, ctx.places, ctx.gaz, by_name[name].start, ctx.doc.text)
                    place = jurisdiction(ref, near, ctx.gaz)
                    if place:
                        places.append(place)
        if places:
            return max(places, key=lambda c: (ctx.gaz.places[c].rank, -places.index(c)))
    return None
