"""Meetings and inspection visits, who chairs, attends or conducts them, when,
where, and which higher meeting they follow.

An event starts at a trigger sentence: 召开 / 举行 / 主持 … a meeting noun, a
meeting noun … 召开, or an official (or a body) going 到 / 赴 / 在 a place to
调研 / 检查 / 督导 …. A later trigger of the same kind, day and place is the
same event told again (the headline and the lead); a different day, place or
kind starts a new one (a digest of district news reports several). Officials
named in an event's stretch of text take a role from the verb that follows
them (主持 chairs; 出席, 参加, 讲话, 提出要求, 作部署, 汇报 attend; on a visit,
leading or going along conducts). Officials only quoted or whose
instructions are relayed (传达…批示) take none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer
from ..records import Document, EventFound, Evidence, Follows, Role, Statement
from .dates import Day, find_day
from .event_words import words
from .officials import Group, jurisdiction, local_home
from .places import PlaceContext
from .screen import Screened
from .text import YAO, YAO_RE, Sentence, sentence_at
from .topics import topic_of

EXTRACTOR = "events"

MEETING_NOUN = words("meeting_noun") + "(?:会议)?"
MEETING_EXTENSION = r"(?:暨[^。；！？，\n]{0,40}?" + MEETING_NOUN + r")?"
# 召开/主持召开 … 会议
MEETING_VERB_FIRST = re.compile(
    r"(?:主持召开|组织召开|召开了|召开|举行了|举行|主持)(?!的)(?P<label>[^。；！？，\n]{0,50}?"
    + MEETING_NOUN
    + MEETING_EXTENSION
    + r")(?![议上中后前间期])"
)
# … 会议召开 / … 会议举行
MEETING_NOUN_FIRST = Screened(
    r"(?P<label>[^。；！？，\n]{2,40}?" + MEETING_NOUN + MEETING_EXTENSION + r")(?:在[^。；，]{0,12})?(?:召开|举行)"
)
INSPECTION_VERB = words("visit_verb")
# (official or body) 到/赴/在/深入/莅临 PLACE (进行/开展) 调研; a team 对 PLACE 进行督查
VISIT = re.compile(
    r"(?:到|赴|在|深入|来到|前往|莅临|莅|来|对)(?P<where>[^。；！？，\n]{1,24}?)(?:进行|开展)?" + INSPECTION_VERB
)
# a predicate after an official that makes them the visitor: a visit verb or leading,
# within the clause (县长某某就某工作开展调研; 局长某某带领…先后到…)
CONDUCT_PREDICATE = re.compile(r"^[^。；！？]{0,60}?(?:" + INSPECTION_VERB + "|带队|率队|一行|带领)")
# the predicate of someone who leads or goes along on a visit
VISITOR = re.compile(INSPECTION_VERB + r"|参加(?![^，。；]{0,8}会)|" + words("lead_verb")[3:-1])
# the predicate of someone at a meeting, not on a visit
NOT_VISIT = re.compile(words("chair_verb") + "|" + words("attend_verb") + r"|召开|学习|精神|时的|指示|批示|期间|之际")
UPPER_MEETING = re.compile(
    r"(?:收听收看|收看|收听|参加|出席|听取)(?P<label>[^。；！？\n]{0,60}?" + MEETING_NOUN + r"[^，。；\n]{0,4}?)"
    r"(?:后|之后|结束后|精神后|(?=[，,]\s*(?:并|随后|随即|紧接着|接着|接续|会后)))"
)
# a body that watches a higher meeting holds a meeting of its own: 某县组织收听收看全省…会议
BODY_VIEWING = Screened(
    r"(?P<who>[^，。；！？]{0,20}?)(?:组织|集中)(?:收听收看|收看|收听)(?P<label>[^。；！？，\n]{2,60}?"
    + MEETING_NOUN
    + r")"
)
# a body that relays a higher meeting holds a meeting: 我区在常委会议室传达某某会议精神
RELAY_MEETING = Screened(
    r"(?P<who>[^，。；！？]{0,24}?)(?:传达学习|学习传达|传达)(?:了)?(?P<label>[^。；！？，\n]{2,60}?"
    + MEETING_NOUN
    + r")(?:精神)"
)
# who relays or watches: a body, a place or 我县 (not 会议 itself, whose meeting is found already)
CONVENER = re.compile(
    r"(?:党委|党组|党工委|常委会|政府|人大|政协|委员会|[省市县区旗州盟镇乡]|街道)(?:[^，。；]{0,12})?$|^我"
)
# …会议召开，某区设分会场组织收听收看: the event is the local viewing, following that meeting
SUBVENUE = Screened(r"(?P<who>[^，。；]{0,20}?)(?:设|在)分会场(?:组织)?(?:收听收看|收看|收听)")
FINISHED_MEETING = Screened(r"(?P<label>[^。；！？，\n]{2,60}?" + MEETING_NOUN + r")结束后")
PLANNED = re.compile(
    r"(?:" + YAO + r"|将|拟|计划|定期|适时|每周|每月|及时|必须|应当|需要|准备|即将|筹备)[^。；，]{0,12}$"
)
RELAYED = re.compile(r"(?:传达|学习|贯彻|根据|按照|落实|遵照|领会)[^。；]{0,20}$")
QUOTED_SPEAKER = re.compile(r"(?:书记|主任|市长|县长|区长|省长|同志)")
QUOTED = re.compile(r"^(?:的|关于|重要|同志关于|同志的|批示|指示|讲话精神|对|在[^。；]{0,20}(?:讲话|指示|批示))")
CHAIRS = re.compile(words("chair_verb") + r"|^[^。；]{0,40}?(?:并|随后|随即|还|立即)召开")
ATTENDS = re.compile(words("attend_verb"))
LEVEL_PREFIX = re.compile(r"^(?:我|全|本)?(?P<w>省|自治区|市|州|盟|县|区|旗)")
OUR_PLACE = re.compile(r"(?:我|全|本)(?P<w>省|自治区|市|州|盟|县|区|旗)")
ZONE = Screened(
    r"[\u4e00-\u9fff]{2,8}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|综改示范区|开发区|示范区|新区|工业园区)"
)


# a township convenes a meeting when its name is the subject (某镇召开, 某镇党委, 某镇在…召开);
# a township a county official visits before holding a meeting is where the visit went
TOWNSHIP_CONVENES = re.compile(r"(?:党委|党工委|政府|人大|机关)?(?:召开|举行|组织|在|于|第)")


@dataclass
class Draft:
    kind: str
    label: str
    anchor: Sentence
    trigger_start: int
    day: Day | None = None
    place: str | None = None
    zone: str | None = None
    level_word: str | None = None
    upper: tuple[str, str | None, Sentence] | None = None  # label, place, sentence
    region: tuple[int, int] = (0, 0)
    roles: list[tuple[str, str, Sentence]] = field(default_factory=list)


@dataclass(frozen=True)
class EventContext:
    doc: Document
    sentences: list[Sentence]
    groups: list[Group]
    places: PlaceContext
    home: dict[str, str]
    gaz: Gazetteer
    published: dt.date | None


def extract_events(ctx: EventContext) -> list[Statement]:
    drafts = _find_drafts(ctx)
    _set_regions(drafts, len(ctx.doc.text))
    for d in drafts:
        _assign_roles(ctx, d)
    for d in drafts:
        if d.place is None and d.zone is None:
            d.place = _place_of_visit(d, drafts) or _place_from_roles(ctx, d)
    return _statements(ctx, drafts)


# -- triggers ------------------------------------------------------------------


SAME_DAY = re.compile(r"(?:同日|同天|当日|当天)")


def _find_drafts(ctx: EventContext) -> list[Draft]:
    drafts: list[Draft] = []
    for s in ctx.sentences:
        if ctx.doc.in_chrome(s.start):
            continue
        for cand in _triggers(ctx, s):
            if cand.day is None and drafts and SAME_DAY.match(s.text):
                cand.day = drafts[-1].day  # 同日: the day of the entry before (a chronicle)
            same = next((d for d in reversed(drafts) if _same_event(d, cand)), None)
            if same is None:
                drafts.append(cand)
            else:
                _merge(same, cand)
    return drafts


def _triggers(ctx: EventContext, s: Sentence) -> list[Draft]:
    """At most one meeting and one visit per sentence (李某到某地考察，并主持召开座谈会)."""
    out: list[Draft] = []
    visit = _visit(ctx, s)
    if visit is not None:
        out.append(visit)
    text = s.text
    for m in sorted(
        list(MEETING_VERB_FIRST.finditer(text)) + list(MEETING_NOUN_FIRST.finditer(text)), key=lambda m: m.start()
    ):
        before = text[: m.start()]
        if PLANNED.search(before) or _inside_upper(text, m.start("label")):
            continue
        label = m.group("label").strip()
        if len(label) > 60:
            continue
        sub = SUBVENUE.search(text, m.end())
        if sub is not None:
            out.append(_viewing(ctx, s, label, sub))
        else:
            out.append(_draft(ctx, s, "Meeting", label, m.start(), before))
        break
    else:
        own = _own_viewing_or_relay(ctx, s)
        if own is not None:
            out.append(own)
    return out


def _own_viewing_or_relay(ctx: EventContext, s: Sentence) -> Draft | None:
    """A sentence with no meeting of its own whose body watches or relays a higher meeting:
    that is the body's meeting, following the higher one."""
    for pattern in (BODY_VIEWING, RELAY_MEETING):
        m = pattern.search(s.text)
        if m is None or PLANNED.search(s.text[: m.start("label")]):
            continue
        who = m.group("who")
        if not CONVENER.search(who) or "会议" in who or QUOTED_SPEAKER.search(who):
            continue
        return _viewing(ctx, s, m.group("label").strip(), m)
    return None


def _viewing(ctx: EventContext, s: Sentence, upper: str, sub: re.Match[str]) -> Draft:
    """A body that watches a higher meeting at its own sub-venue holds a meeting of its own."""
    d = _draft(ctx, s, "Meeting", "收听收看" + upper, sub.start(), s.text[: sub.start("who") + len(sub.group("who"))])
    lo, hi = s.start + sub.start("who"), s.start + sub.end("who")
    hits = [p for p in ctx.places.mentions if lo <= p.start < hi]
    level = LEVEL_PREFIX.match(sub.group("who")) or OUR_PLACE.search(sub.group("who"))
    d.place = hits[-1].code if hits else (ctx.home.get(level.group("w")) if level else None)
    d.level_word = None
    d.upper = (upper, _upper_place(ctx, upper, s.start + s.text.find(upper)), s)
    return d


def _upper_place(ctx: EventContext, label: str, at: int = -1) -> str | None:
    """The jurisdiction of a higher meeting from its label: a place named in it (衡阳市…),
    else its level word (省委… -> the article's province)."""
    if at >= 0:
        named = [p for p in ctx.places.mentions if at <= p.start < at + len(label)]
        if named:
            return named[0].code
    lm = re.search(r"(全国|国务院|中央|省|自治区|市|州|县|区)", label)
    if lm is None or lm.group(1) in ("全国", "国务院", "中央"):
        return None
    return ctx.home.get(lm.group(1))


def _inside_upper(text: str, pos: int) -> bool:
    for m in UPPER_MEETING.finditer(text):
        if m.start() <= pos < m.end():
            return True
    return any(m.start() <= pos < m.end() for m in FINISHED_MEETING.finditer(text))


def _visit(ctx: EventContext, s: Sentence) -> Draft | None:
    text = s.text
    for g in ctx.groups:
        if not (s.start <= g.end <= s.end):
            continue
        pred = text[g.end - s.start :]
        m = CONDUCT_PREDICATE.match(pred)
        if m and not NOT_VISIT.search(pred[: m.end()]) and not PLANNED.search(pred[: m.end()]):
            return _draft(ctx, s, "Inspection", _visit_label(pred), g.start - s.start, text[: g.start - s.start], pred)
    for m in VISIT.finditer(text):
        before = text[: m.start()]
        if PLANNED.search(before) or YAO_RE.search(before[-6:]) or NOT_VISIT.search(before):
            continue  # planned, or a meeting's agenda (会议…对某工作进行督促检查)
        if find_day(text, 0, len(text), None) is None and not re.search(r"近日|日前|当天|今天|昨天|同日", text):
            continue
        return _draft(ctx, s, "Inspection", _visit_label(text[m.start() :]), m.start(), before, text[m.start() :])
    return None


def _visit_label(pred: str) -> str:
    m = re.search(INSPECTION_VERB + r"[^，。；\n]{0,30}", pred)
    return m.group() if m else pred[:20]


def _draft(ctx: EventContext, s: Sentence, kind: str, label: str, pos: int, before: str, after: str = "") -> Draft:
    d = Draft(kind, label, s, s.start + pos)
    d.day = find_day(ctx.doc.text, s.start, s.end, ctx.published)
    where = after if kind == "Inspection" else before + label[:8]
    d.place, d.zone = _named_place(ctx, s, where, kind)
    d.level_word = _level_word(label, before, where)
    if d.place is None and d.zone is None and d.level_word:
        d.place = ctx.home.get(d.level_word)
    d.upper = _upper(ctx, s)
    return d


def _named_place(ctx: EventContext, s: Sentence, where: str, kind: str) -> tuple[str | None, str | None]:
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
        and not _in_upper_span(s, p.start)
        and (len(p.code) != 9 or TOWNSHIP_CONVENES.match(ctx.doc.text, p.end))
    ]
    zones = [(lo + z.start(), lo + z.end(), z.group()) for z in ZONE.finditer(where)]
    # the place nearest the verb (某县委常委…召开座谈会), not the province in the dateline
    best_hit = hits[-1] if hits else None
    best_zone = zones[-1] if zones else None
    if best_zone and (best_hit is None or best_hit.start >= best_zone[0]):
        return None, best_zone[2]
    if best_hit is not None:
        return best_hit.code, None
    return None, None


def _in_upper_span(s: Sentence, pos: int) -> bool:
    rel = pos - s.start
    return any(m.start() <= rel < m.end() for m in UPPER_MEETING.finditer(s.text))


def _level_word(label: str, before: str, where: str) -> str | None:
    m = LEVEL_PREFIX.match(label)
    if m:
        return m.group("w")
    our = OUR_PLACE.search(before[-12:]) or OUR_PLACE.search(label)
    return our.group("w") if our else None


def _upper(ctx: EventContext, s: Sentence) -> tuple[str, str | None, Sentence] | None:
    m = UPPER_MEETING.search(s.text) or FINISHED_MEETING.search(s.text)
    if m is None:
        return None
    label = m.group("label").strip()
    return label, _upper_place(ctx, label, s.start + m.start("label")), s


def _same_event(d: Draft, c: Draft) -> bool:
    if d.kind != c.kind:
        return False
    if d.day and c.day and (d.day.month, d.day.day) != (c.day.month, c.day.day):
        return False
    both_placed = bool(d.place or d.zone) and bool(c.place or c.zone)
    if both_placed and (d.place, d.zone) != (c.place, c.zone):
        return False
    return d.kind == "Inspection" or _similar_labels(d.label, c.label)


GENERIC_LABEL = re.compile(r"^(?:" + MEETING_NOUN + r"|[^，。]{0,4}(?:会议|会))$")


def _similar_labels(a: str, b: str) -> bool:
    """Two meetings' names tell one meeting (the headline's and the lead's): one holds the
    other, they share four characters in a row, or either is a bare 会议."""
    if GENERIC_LABEL.match(a) or GENERIC_LABEL.match(b) or a in b or b in a:
        return True
    short, long_ = sorted((a, b), key=len)
    return any(short[i : i + 4] in long_ for i in range(len(short) - 3))


def _merge(d: Draft, c: Draft) -> None:
    if d.anchor.paragraph == 0 and c.anchor.paragraph > 0:  # the headline's event, told again in the body
        d.anchor, d.trigger_start = c.anchor, c.trigger_start
    d.day = d.day or c.day
    if d.place is None and d.zone is None:
        d.place, d.zone = c.place, c.zone
    d.upper = d.upper or c.upper
    if len(c.label) > len(d.label) and d.label in ("会议", "会"):
        d.label = c.label
    if d.label in ("会议", "会") and c.label not in ("会议", "会"):
        d.label = c.label


def _set_regions(drafts: list[Draft], length: int) -> None:
    """Each event reads the text from its anchor sentence to the next event's; events
    told in the same sentence share it."""
    drafts.sort(key=lambda d: d.anchor.start)
    for i, d in enumerate(drafts):
        later = [e.anchor.start for e in drafts[i + 1 :] if e.anchor.start > d.anchor.start]
        end = later[0] if later else length
        start = drafts[i - 1].region[1] if i else 0
        d.region = (min(start, d.anchor.start), end)


# -- roles ---------------------------------------------------------------------


def _assign_roles(ctx: EventContext, d: Draft) -> None:
    text = ctx.doc.text
    groups = [g for g in ctx.groups if d.region[0] <= g.start < d.region[1]]
    taken: dict[str, str] = {}
    for i, g in enumerate(groups):
        sent = sentence_at(ctx.sentences, g.start) or d.anchor
        pred = _predicate(text, groups, i, sent)
        before = text[sent.start : g.start]
        if QUOTED.match(pred) or RELAYED.search(before):
            continue
        role = _role(d.kind, pred)
        if role is None:
            continue
        for m in g.members:
            old = taken.get(m.name)
            if old == "chairs" or old == role:
                continue
            if old and role != "chairs":
                continue
            taken[m.name] = role
            d.roles = [r for r in d.roles if r[0] != m.name]
            d.roles.append((m.name, role, sent))


def _predicate(text: str, groups: list[Group], i: int, sent: Sentence) -> str:
    """What is said of group i: the text after it, or after the next group when only a
    separator lies between them, or a separator and a few words without a verb (the place
    or body of the next title: 甲，长沙市委副书记乙出席; 甲，副指挥乙、丙参会)."""
    j = i
    while True:
        end = groups[j + 1].start if j + 1 < len(groups) and groups[j + 1].start < sent.end else sent.end
        pred = text[groups[j].end : end]
        last = j + 1 >= len(groups) or groups[j + 1].start >= sent.end
        gap = pred.strip("、，, ")
        # the next group shares the predicate when only a separator and words without a
        # verb of role lie between them (a list of titles and names, each with its own)
        if last or (gap and not (pred[:1] in "、，, " and not _role_word(gap) and not CLAUSE_END.search(gap))):
            return pred
        j += 1


CLAUSE_END = re.compile(r"[。；！？：]")


def _role_word(text: str) -> bool:
    return bool(CHAIRS.search(text) or ATTENDS.search(text) or VISITOR.search(text))


def _role(kind: str, pred: str) -> str | None:
    head = re.split(r"[。；]", pred, maxsplit=1)[0]
    if kind == "Meeting":
        if CHAIRS.search(head[:30]):
            return "chairs"
        if ATTENDS.search(head[:100]):
            return "attends"
        return None
    if VISITOR.search(head[:40]):
        return "conducts"
    return None


def _place_of_visit(d: Draft, drafts: list[Draft]) -> str | None:
    """A meeting reported after a visit, with no place of its own (检查期间，甲主持会议), is
    held where the visit went."""
    if d.kind != "Meeting":
        return None
    before = [v for v in drafts if v.kind == "Inspection" and v.place and v.anchor.start <= d.anchor.start]
    return before[-1].place if before else None


def _place_from_roles(ctx: EventContext, d: Draft) -> str | None:
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
                    near = local_home(ctx.home, ctx.places, ctx.gaz, by_name[name].start)
                    place = jurisdiction(ref, near, ctx.gaz)
                    if place:
                        places.append(place)
        if places:
            return max(places, key=lambda c: (ctx.gaz.places[c].rank, -places.index(c)))
    return None


# -- statements ----------------------------------------------------------------


def _statements(ctx: EventContext, drafts: list[Draft]) -> list[Statement]:
    out: list[Statement] = []
    name = ctx.doc.name
    for n, d in enumerate(drafts, 1):
        key = f"e{n}"
        ev = Evidence(name, d.anchor.start, d.anchor.end, d.anchor.text, EXTRACTOR)
        day = d.day or Day(0, 0)
        place = d.place
        out.append(
            EventFound(
                ev,
                key,
                d.kind,
                d.label,
                place if place else (f"zone:{d.zone}" if d.zone else None),
                day.iso() if d.day else None,
                day.month_day() if d.day else None,
                d.region,
                topic_of(d.label, d.anchor.text),
            )
        )
        for person, role, s in d.roles:
            out.append(Role(Evidence(name, s.start, s.end, s.text, EXTRACTOR), person, role, key))
        if d.upper:
            label, place_code, s = d.upper
            out.append(Follows(Evidence(name, s.start, s.end, s.text, EXTRACTOR), key, label, place_code))
    return out
