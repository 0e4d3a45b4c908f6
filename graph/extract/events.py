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

import re

from ..records import EventFound, Evidence, Follows, Role, Statement
from ..screen import Screened
from .dates import Day, find_day
from .drafts import Draft, EventContext
from .event_places import (
    LABEL_CONVENER,
    LEVEL_PREFIX,
    LEVEL_RANKS,
    OUR_PLACE,
    SUBJECT_LEVEL,
    level_word,
    named_place,
    place_from_roles,
    place_of_visit,
    rank,
    region_word,
    upper_place,
)
from .event_words import INSPECTION_VERB, MEETING_EXTENSION, MEETING_NOUN, NOT_A_TEAM, UPPER_MEETING, VISIT, words
from .roles import roles_in
from .text import YAO, YAO_RE, Sentence
from .topics import topic_of

EXTRACTOR = "events"

# 召开/主持召开 … 会议
MEETING_VERB_FIRST = re.compile(
    r"(?:主持召开|组织召开|召开了|召开|举行了|举行|主持)(?!的)(?P<label>(?:[^。；！？，\n]{1,50}?|(?!会(?!议|谈|商)))"
    + MEETING_NOUN
    + MEETING_EXTENSION
    + r")(?![议上中后前间期报谈商])"
)
# a forum held on a visit: 与某某就某事进行了座谈 (a meeting of its own)
FORUM = re.compile(r"(?:进行了|进行|开展了|开展|举行了|举行)(?P<label>座谈交流|交流座谈|座谈|恳谈)(?![会议])")
# … 会议召开 / … 会议举行
MEETING_NOUN_FIRST = Screened(
    r"(?P<label>[^。；！？，\n]{2,40}?"
    + MEETING_NOUN
    + MEETING_EXTENSION
    + r")(?:(?:在|以|于)[^。；，]{0,12})?(?:召开|举行)"
)
# a predicate after an official that makes them the visitor: a visit verb or leading,
# within the clause (县长某某就某工作开展调研; 局长某某带领…先后到…)
CONDUCT_PREDICATE = re.compile(r"^[^。；！？]{0,60}?(?:" + INSPECTION_VERB + NOT_A_TEAM + "|带队|率队|一行|带领)")
# the predicate of someone at a meeting, not on a visit
NOT_VISIT = re.compile(words("chair_verb") + "|" + words("attend_verb") + r"|召开|学习|精神|时的|指示|批示|期间|之际")
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
# what someone said (会议指出，…; 某某强调：…): a meeting named in it was held before or elsewhere
REPORTED = re.compile(r"(?:指出|强调|要求|表示|认为|说)[，：:]")
MEETING_ITSELF = re.compile(r"会议[上中]?$|会上$")  # 会议传达…: the meeting found already relays
QUOTED_SPEAKER = re.compile(r"(?:书记|主任|市长|县长|区长|省长|同志)")


def extract_events(ctx: EventContext) -> list[Statement]:
    drafts = _without_watched(_find_drafts(ctx))
    _lead_day(ctx, drafts)
    _set_regions(drafts, len(ctx.doc.text))
    for d in drafts:
        d.roles = roles_in(ctx.doc.text, ctx.sentences, ctx.groups, d.region, d.kind, d.anchor)
    for d in drafts:
        if d.place is None and d.zone is None:
            d.place = place_of_visit(d, drafts) or place_from_roles(ctx, d)
    return _statements(ctx, drafts)


LEAD_SENTENCES = 3  # how far into the body a headline's event looks for its day


def _lead_day(ctx: EventContext, drafts: list[Draft]) -> None:
    """An event told only in the headline takes the first day the lead names (…。8月12日
    上午，…): a news lead dates what its headline reports."""
    body = [s for s in ctx.sentences if s.paragraph > 0 and not ctx.doc.in_chrome(s.start)][:LEAD_SENTENCES]
    anchored = {id(o.anchor) for o in drafts}
    for d in drafts:
        if d.day is not None or d.anchor.paragraph != 0:
            continue
        for s in body:
            if id(s) in anchored:
                break  # the lead reports an event of its own
            day = find_day(ctx.doc.text, s.start, s.end, ctx.published)
            if day is not None:
                d.day = day
                break


def _without_watched(drafts: list[Draft]) -> list[Draft]:
    """A body's viewing of a higher meeting is no meeting of its own where the article
    reports that higher meeting itself (its chair, its speakers): that is the event."""
    out = []
    for d in drafts:
        watched = d.upper[0] if d.upper and d.label.startswith("收听收看") else None
        if watched and any(o is not d and o.kind == "Meeting" and _similar_labels(o.label, watched) for o in drafts):
            continue
        out.append(d)
    return out


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
    found = [*MEETING_VERB_FIRST.finditer(text), *MEETING_NOUN_FIRST.finditer(text), *FORUM.finditer(text)]
    for m in sorted(found, key=lambda m: m.start()):
        before = text[: m.start()]
        if PLANNED.search(before) or REPORTED.search(before) or _inside_upper(text, m.start("label")):
            continue  # planned, reported speech (会议指出，…市里召开会议), or the higher meeting
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
        if not CONVENER.search(who) or MEETING_ITSELF.search(who) or QUOTED_SPEAKER.search(who):
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
    d.upper = (upper, upper_place(ctx, upper, s.start + s.text.find(upper)), s)
    return d


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
    d.place, d.zone = named_place(ctx, s, where, kind)
    d.level_word = level_word(label, before, where)
    subject = (SUBJECT_LEVEL.search(before) or LABEL_CONVENER.match(label)) if kind == "Meeting" else None
    if subject is not None:  # 自治区召开…, 自治区政协…会议在南宁召开: the body, not the venue or dateline
        word = region_word(ctx, subject.group("w") or subject.group("w2"))
        if word in ctx.home and (d.place is None or rank(ctx, d.place) > LEVEL_RANKS[word]):
            d.place, d.zone = ctx.home[word], None
    if d.place is None and d.zone is None and d.level_word:
        d.place = ctx.home.get(region_word(ctx, d.level_word))
    d.upper = _upper(ctx, s)
    return d


def _upper(ctx: EventContext, s: Sentence) -> tuple[str, str | None, Sentence] | None:
    m = UPPER_MEETING.search(s.text) or FINISHED_MEETING.search(s.text)
    if m is None:
        return None
    label = m.group("label").strip()
    return label, upper_place(ctx, label, s.start + m.start("label")), s


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
