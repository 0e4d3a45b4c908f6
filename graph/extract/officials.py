"""Officials and their posts, from the formulas of the genre.

    市委副书记、市长某某某提出具体要求       titles, then a name
    县委常委、纪委书记、监委主任某某          a chain of titles
    市领导甲、乙、丙出席会议                  a leader word, then a list of names
    副县长甲，乙，丙                          one title, several names
    甲、乙、丙等市级领导参加                  names, then a leader word

Where a name starts and ends is graph/extract/names.py's: after a title it runs to the
next boundary whatever its surname; in a bare list each item needs a known surname. A
title written without its holder (县委书记到…) takes the one official the article later
names alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..gazetteer import Gazetteer, gazetteer
from ..records import Document, Evidence, PostHeld
from .names import (
    _LONG_BOUNDARY_WORDS,
    LEADER_WORD,
    NOT_NAMES,
    PARTICLES,
    _boundary,
    _has_surname,
    open_name_ok,
    read_name,
    surnames,
)
from .places import PlaceContext
from .text import Sentence, sentence_at
from .titles import TitleHit, find_titles

EXTRACTOR = "officials"
# 甲、乙等市级领导 / 甲、乙等领导: a list of names that ends in a leader word
# a sentence that is only names and a verb: 甲、乙、丙参加。(national news lists leaders so)
NAMES_ONLY = re.compile(
    r"(?:^|(?<=[。\n]))(?P<names>[\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})+)等?(?:参加|出席|陪同|列席|参会)"
)
# 甲、乙等市级领导, 甲、乙等区四套班子领导, 甲等县四套班子在家领导
LEADERS_AFTER = re.compile(r"等(?:[^，。；、]{0,10}?)(?:领导|领导同志|负责同志)")
NAME_SEP = "、，,"
DOTTED_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・‧][\u4e00-\u9fff]{1,10}){1,2}$")


@dataclass(frozen=True)
class TitleRef:
    title: str  # without the place name: 市委书记
    level: str | None  # province | city | county | township
    level_word: str | None  # 市, 县 …
    place: str | None  # code of a place named with the title (广州市委书记 -> 广州市)
    kind: str = ""  # party, government, … national, taskforce (see titles.py)


@dataclass(frozen=True)
class OfficialMention:
    name: str
    start: int
    end: int
    titles: tuple[TitleRef, ...]
    group: int  # mentions sharing a predicate share a group number


@dataclass(frozen=True)
class Group:
    index: int
    start: int  # first title or name
    end: int  # end of the last name
    members: tuple[OfficialMention, ...]


def _title_refs(doc: Document, hits: list[TitleHit], places: PlaceContext) -> list[TitleRef]:
    refs: list[TitleRef] = []
    for h in hits:
        refs.append(TitleRef(h.title, h.level, h.level_word, _named_place(doc, h, places), h.kind))
    return refs


def _named_place(doc: Document, h: TitleHit, places: PlaceContext) -> str | None:
    """The place written with a title: 临汾市委 (place ends on the level word) or 临汾 + 市委."""
    for m in places.mentions + places.weak:
        if h.level_word and m.end == h.start + len(h.level_word) and m.surface.endswith(h.level_word):
            return m.code
        if m.end == h.start:
            return m.code
    return None


def find_officials(doc: Document, places: PlaceContext) -> list[Group]:
    """Groups of officials named together, in text order."""
    text = doc.text
    titles = [t for t in find_titles(text) if not doc.in_chrome(t.start)]
    groups: list[Group] = []
    pending: list[tuple[int, int, list[TitleRef]]] = []  # titles with no name after them
    used_until = -1
    i = 0
    while i < len(titles):
        chain = [titles[i]]
        j = i + 1
        while j < len(titles) and _joins(text, chain[-1].end, titles[j].start):
            chain.append(titles[j])
            j += 1
        i = j
        start = chain[0].start
        if start < used_until:
            continue
        refs = _title_refs(doc, chain, places)
        members, end = _names_after(text, chain[-1].end, refs, len(groups))
        if members:
            groups.append(Group(len(groups), start, end, tuple(members)))
            used_until = end
        elif (
            all(t.kind not in ("national", "taskforce") for t in chain)
            and _boundary(text, chain[-1].end) >= 1
            and text[chain[-1].end : chain[-1].end + 1] not in "等和与及的、"
        ):
            pending.append((start, chain[-1].end, refs))
    groups.extend(_leader_lists(text, len(groups), doc))
    groups.extend(_later_holder(text, groups, pending, doc))
    groups.extend(_echoes(text, groups, doc))
    groups.sort(key=lambda g: g.start)
    return [
        Group(n, g.start, g.end, tuple(OfficialMention(m.name, m.start, m.end, m.titles, n) for m in g.members))
        for n, g in enumerate(groups)
    ]


CLAUSE_START = "。！？；：，\n"
# a name alone at the head of a clause, before what officials are reported doing
HOLDER = re.compile(
    r"(?:^|(?<=[。！？；：，\n]))(?P<name>[\u4e00-\u9fff]{2,3})(?=强调|指出|要求|表示|说|详细|察看|听取|一行|先后|实地)"
)


def _later_holder(
    text: str, groups: list[Group], pending: list[tuple[int, int, list[TitleRef]]], doc: Document
) -> list[Group]:
    """县委书记到…督导检查。某某强调…: a title written without its holder's name is that of
    the one official the article later names alone, when it has one such title and one
    such name (a group at the title, so that the title's predicate is the holder's)."""
    if len({tuple(r.title for r in refs) for _, _, refs in pending}) != 1:
        return []
    known = {m.name for g in groups for m in g.members}
    first: dict[str, int] = {}
    for m in HOLDER.finditer(text):
        name = m.group("name")
        if (
            not doc.in_chrome(m.start())
            and name not in known
            and _has_surname(name)
            and not text.startswith(_LONG_BOUNDARY_WORDS, m.start())
            and read_name(text, m.start()) == len(name)
            and not gazetteer().lookup(name)
        ):
            first.setdefault(name, m.start())
    if len(first) != 1:
        return []
    ((name, at),) = first.items()
    start, end, refs = pending[0]
    # the group stands at the title (its predicate is the holder's); the mention, where the
    # name is written (the post's evidence is the sentence naming the holder)
    mention = OfficialMention(name, at, at + len(name), tuple(refs), len(groups))
    return [Group(len(groups), start, end, (mention,))]


def _echoes(text: str, groups: list[Group], doc: Document) -> list[Group]:
    """Later mentions of an official by name alone, at the head of a clause (检查期间，甲主持会议):
    each is a group of one, with the titles of the first mention."""
    known: dict[str, OfficialMention] = {}
    taken: list[tuple[int, int]] = []
    for g in groups:
        taken.append((g.start, g.end))
        for m in g.members:
            known.setdefault(m.name, m)
    out: list[Group] = []
    for name, first in sorted(known.items()):
        for s in _occurrences(text, name):
            e = s + len(name)
            if (s > 0 and text[s - 1] not in CLAUSE_START) or doc.in_chrome(s):
                continue
            if any(a <= s < b for a, b in taken) or _boundary(text, e) < 2:
                continue
            mention = OfficialMention(name, s, e, first.titles, len(groups) + len(out))
            out.append(Group(mention.group, s, e, (mention,)))
    return out


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Where `word` occurs in `text`, left to right, without overlaps (as re.finditer finds it)."""
    s = text.find(word)
    while s >= 0:
        e = s + len(word)
        yield s
        s = text.find(word, e if e > s else s + 1)


CHAIN_GAP = re.compile(r"[、，, ]?(?:[\u4e00-\u9fff]{1,6})?")


def _joins(text: str, end: int, start: int) -> bool:
    """Titles form one chain when only a separator lies between them, or a separator and
    the next title's place or body (县委副书记、某镇党委书记; 县委副书记、政府代县长)."""
    gap = text[end:start]
    if gap in ("", "、", "，", ",", " "):
        return True
    return gap[:1] in "、，, " and CHAIN_GAP.fullmatch(gap) is not None


def _names_after(text: str, pos: int, titles: list[TitleRef], group: int) -> tuple[list[OfficialMention], int]:
    """A name right after a title chain; then more names when separated by 、 or ，."""
    p = pos
    while p < len(text) and text[p] in " \u3000":
        p += 1
    # after a national office (总书记, 总理) a name comes before the title, not after it
    open_name = any(t.kind != "national" for t in titles)
    if not titles and p < len(text) and text[p] in "和及与" and _list_item(text, p + 1, need_surname=False):
        p += 1  # 市领导和甲、乙: 和 joins the leader word and the names
    n = read_name(text, p, after_title=open_name)
    if not n:
        return [], pos
    members = [OfficialMention(text[p : p + n], p, p + n, tuple(titles), group)]
    end = p + n
    while end < len(text) and text[end] in NAME_SEP:
        q = end + 1
        m = _list_item(text, q, need_surname=not open_name) or read_name(text, q, after_title=open_name)
        if not m or (not _has_surname(text[q : q + m]) and _boundary(text, q + m) < 2):
            break
        members.append(OfficialMention(text[q : q + m], q, q + m, tuple(titles), group))
        end = q + m
        if end < len(text) and text[end] not in NAME_SEP:
            break
    return members, end


def _list_item(text: str, q: int, need_surname: bool = True) -> int:
    """Length of a 2-4 character name standing alone between list separators."""
    e = q
    while e < len(text) and "\u4e00" <= text[e] <= "\u9fff" and e - q <= 4:
        e += 1
    token = text[q:e]
    if token.endswith("等") and len(token) >= 3:
        token = token[:-1]
    elif not (2 <= len(token) <= 4) or e >= len(text) or text[e] not in NAME_SEP:
        return 0
    single, double = surnames()
    if need_surname and token[0] not in single and token[:2] not in double:
        return 0
    if not need_surname and not _has_surname(token) and not open_name_ok(token, 0, len(token)):
        return 0
    if any(w in token for w in NOT_NAMES) or find_titles(token) or LEADER_WORD.search(token):
        return 0
    if PARTICLES.intersection(token):
        return 0
    return len(token)


def _leader_lists(text: str, first_index: int, doc: Document) -> list[Group]:
    """市领导甲、乙、丙 … and 甲、乙、丙等市级领导."""
    groups: list[Group] = []
    for m in LEADER_WORD.finditer(text):
        if doc.in_chrome(m.start()):
            continue
        members, end = _names_after(text, m.end(), [], first_index + len(groups))
        if members:
            groups.append(Group(first_index + len(groups), m.start(), end, tuple(members)))
    for m in NAMES_ONLY.finditer(text):
        if doc.in_chrome(m.start()):
            continue
        items = _bare_names(text, m.start("names"), m.group("names"), first_index + len(groups))
        if items:
            groups.append(Group(first_index + len(groups), items[0].start, m.end("names"), tuple(items)))
    for m in LEADERS_AFTER.finditer(text):
        if doc.in_chrome(m.start()) or any(g.start <= m.start() < g.end for g in groups):
            continue
        before = _names_before(text, m.start() + 1, first_index + len(groups))
        if before:
            groups.append(Group(first_index + len(groups), before[0].start, m.end(), tuple(before)))
    return groups


def _bare_names(text: str, start: int, names: str, group: int) -> list[OfficialMention]:
    """Every item of a 、-list when each one reads as a name (a surname, no title)."""
    single, double = surnames()
    out: list[OfficialMention] = []
    pos = start
    for item in names.split("、"):
        ok = item[0] in single or item[:2] in double
        if not ok or any(w in item for w in NOT_NAMES) or find_titles(item) or gazetteer().lookup(item):
            return []
        out.append(OfficialMention(item, pos, pos + len(item), (), group))
        pos += len(item) + 1
    return out


def _names_before(text: str, pos: int, group: int) -> list[OfficialMention]:
    """Names listed before 等市级领导, read backwards over 、-separated items."""
    if text[pos - 1 : pos] == "等":
        pos -= 1
    out: list[OfficialMention] = []
    end = pos
    while end > 0:
        start = end
        while start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" and end - start < 5:
            start -= 1
        dotted = DOTTED_BEFORE.search(text, 0, end)
        if dotted and dotted.end() == end and start > dotted.start():  # 海某·巴某丁等…领导
            start = dotted.start()
            out.insert(0, OfficialMention(text[start:end], start, end, (), group))
            if start == 0 or text[start - 1] not in NAME_SEP:
                break
            end = start - 1
            continue
        joint = max(text.rfind(c, start, end - 2) for c in "和及与")
        if joint >= start:  # …领导和甲、乙等老领导: 和 joins, it is no name
            start = joint + 1
        alone = start == 0 or text[start - 1] in NAME_SEP + "和及与"
        # the item is judged as if a separator followed it (the last one is followed by 等)
        if alone and _list_item(text[:end] + "、", start, need_surname=not out) == end - start:
            out.insert(0, OfficialMention(text[start:end], start, end, (), group))
            if start == 0:
                break
            end = start - 1
            continue
        for n in (3, 2):
            if end - n >= start and read_name(text, end - n) == n:
                out.insert(0, OfficialMention(text[end - n : end], end - n, end, (), group))
                break
        break
    return out


def jurisdiction(ref: TitleRef, home: dict[str, str], gaz: Gazetteer) -> str | None:
    """The place a title is held in: named with it, or the article's place of that level."""
    if ref.place:
        return ref.place
    if ref.level_word and ref.level_word in home:
        return home[ref.level_word]
    if ref.level == "province":
        return home.get("省")
    if ref.level == "city":
        return home.get("市")
    return None


NEARBY = 150  # how far back a place named before a title still governs it (a digest item)
ITEM_HEAD = 16  # how far into its line a place opens a digest item (after a date: 2月17日，某区…)


def local_home(home: dict[str, str], places: PlaceContext, gaz: Gazetteer, pos: int, text: str) -> dict[str, str]:
    """`home`, overridden by the county-level places that open an item just before `pos`: in
    a digest of district news, 区委书记 in the item about one district is that district's (a
    county named inside a sentence, 台风对某县构成威胁, opens no item)."""
    near = dict(home)
    for m in places.mentions:
        if pos - NEARBY <= m.start < pos and m.start - (text.rfind("\n", 0, m.start) + 1) <= ITEM_HEAD:
            p = gaz.places[m.code]
            if p.level == "county":
                for word in ("县", "区", "旗"):
                    if p.name.endswith(word):
                        near[word] = p.code
    return near


def extract_posts(
    doc: Document,
    groups: list[Group],
    places: PlaceContext,
    home: dict[str, str],
    gaz: Gazetteer,
    sentences: list[Sentence],
) -> list[PostHeld]:
    out: list[PostHeld] = []
    seen: set[tuple[str, str]] = set()
    for g in groups:
        for m in g.members:
            last_place: str | None = None
            for ref in m.titles:
                near = local_home(home, places, gaz, g.start, doc.text)
                place = jurisdiction(ref, near, gaz) if ref.level else last_place
                last_place = place
                if (m.name, ref.title) in seen:
                    continue
                seen.add((m.name, ref.title))
                s = sentence_at(sentences, m.start)
                sent = s.text if s else doc.text[g.start : m.end]
                start, end = (s.start, s.end) if s else (g.start, m.end)
                out.append(PostHeld(Evidence(doc.name, start, end, sent, EXTRACTOR), m.name, ref.title, place))
    return out
