"""Directives of an event, and the measures they order.

An event's text (its stretch of the article) is cut into directive units:
sentences, split at ； and at enumeration markers (一要…二要…, 一是…二是…,
一方面…另一方面…). A unit directs when it carries a directive word (要, 要求,
落实, 强化, 严格 …) or follows one in the same sentence; its speaker is the
official (or the meeting: 会议强调) named at the head of the sentence or of an
earlier sentence of the paragraph (X强调 / X指出 / 他要求).

A directive names measures from the lexicon (measures.tsv's examples plus
ontology/measure_lexicon.tsv). What was only looked at (详细了解…情况, 听取…汇报),
background (形势, 出现…病例), what another body did (省里下发了通知) and negated
phrases are not orders. Measures are read only where the event is about the
epidemic, paragraph by paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..errors import DataError
from ..records import Directive, Document, EventFound, Evidence, Mandate, Statement
from ..screen import LiteralIndex, Screened
from ..tables import ONTOLOGY, tsv_rows
from .text import YAO, YAO_RE, Sentence, sentence_at

EXTRACTOR = "measures"

DIRECTIVE = re.compile(
    YAO + r"|必须|务必|确保|落实|强化|加强|做好|抓好|严格|坚持|持续|全面|推进|开展|严防|严控|做到|守好|守牢|筑牢|"
    r"完善|提升|健全|加大|实行|执行|规范|优化|建立|引导|督促|压实|用好|配齐|备足|统筹|织密|加快|扎实|"
    r"切实|严管|实施|坚决|进一步|抓实|抓细"
)
OBSERVED = re.compile(
    r"(?:察看|了解|听取|查看|询问|检查了|实地检查|进行检查|进行了检查)[^。；]*?(?:情况|汇报|介绍)|情况(?:汇报|介绍)"
    r"|情况进行(?:了)?(?:检查|调研|督导)"
)
BACKGROUND = re.compile(r"形势|发生|出现|报告.{0,4}病例|确诊|说明|是.{0,10}(?:关口|防线|重中之重|薄弱环节)")
REPORTED = re.compile(
    r"(?:下发|印发|出台|提出|开展|完成|部署|制定|检查|督导|察看|查看|调研|走访)了|已经|已(?:完成|开展|下发)"
    r"|提出(?:具体|明确)?要求$|作(?:出|了)?(?:工作)?(?:部署|安排)$"
)
NEGATED = re.compile(r"(?:不再|无需|不需要|取消|停止|暂停)[^，。；]{0,6}$")
EPIDEMIC = re.compile(r"疫|新冠|肺炎|核酸")
EPIDEMIC_WORD = re.compile(r"疫|新冠|新型冠状|肺炎|核酸")
SENTENCE_ENDS = "。！？\n"
EPIDEMIC_SENTENCES = 3
HEADLINE_MAX = 60  # a first line longer than this is the body, not a headline
EPIDEMIC_EVENT = re.compile(r"疫|新冠|新型冠状|冠状病毒|肺炎|核酸|防控")
# a paragraph on one of these (and not on the epidemic) is read for no epidemic measure
OTHER_TOPIC = re.compile(
    r"欺凌|安全生产|信访|经济运行|脱贫|乡村振兴|目标任务|招商|项目建设|人居环境|文明城市|森林防火|防汛|稳增长|"
    r"稳经济|营商环境|民生工程"
)
CLAUSE = re.compile(r"[^；。！？\n]+")
PART = re.compile(r"[，,]")
ENUMERATION = re.compile(r"(?:[一二三四五六七八九十]+|首先|其次|再次|最后)(?:要|是)|(?:另)?一方面")
# 甲、乙、学校等重点场所: the list is about the category at its end, not each item
LIST_HEAD = Screened(r"[^，。；：]*?等[^，。；、]{0,4}?(?:重点|人员密集|公共|特殊)场所")
SPEAKER = re.compile(
    r"^(?P<who>[\u4e00-\u9fff]{1,4}?)(?:同志)?(?:在[^，。；]{0,12}(?:讲话|会上|时))?[，,]?"
    r"(?:强调|指出|要求|表示|提出|说|认为|希望)"
)
TARGET = re.compile(
    r"(?:对|针对|加强对|强化对)(?P<t>[^，。；、]{2,24}?(?:人员|人群|车辆|场所|学校|校园|食品|物品|企业|群众|师生|学生|"
    r"司机|乘客|社区|小区|村|单位|机构|场站|市场|工地|医院))"
)


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str
    directing: bool  # a directive word in the unit or before it in the sentence
    speaker: str | None


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    """(measure id, pattern, exclusion pattern) from the scheme's examples and the lexicon file."""
    pairs: dict[str, list[str]] = {}
    exclude: dict[str, list[str]] = {}
    for n, cols in tsv_rows(ONTOLOGY / "measures.tsv", 5, "id, label, …, example triggers"):
        if n > 1:  # the first line names the columns
            pairs.setdefault(cols[0], []).extend(re.escape(t) for t in cols[4].split("|") if t)
    for n, (mid, pattern, *_) in tsv_rows(ONTOLOGY / "measure_lexicon.tsv", 2, "id<TAB>regular expression"):
        if mid not in pairs:
            raise DataError(f"{ONTOLOGY / 'measure_lexicon.tsv'}:{n}: unknown measure id {mid!r}")
        if pattern.startswith("!"):
            exclude.setdefault(mid, []).append(pattern[1:])
        else:
            pairs[mid].append(pattern)
    return tuple(
        (mid, _alternation(pats), _alternation(exclude[mid]) if mid in exclude else None) for mid, pats in pairs.items()
    )


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def _lexicon_index() -> LiteralIndex:
    """Which measures' patterns may match a text: an index of the literals they need (see
    graph/screen.py). Masking an exclusion (□) only takes text away, so a literal
    without □ found in the masked text is in the text too."""
    return LiteralIndex((pattern for _, pattern, _ in lexicon()), unsafe="□")


def measures_named(text: str) -> list[str]:
    """Measure ids whose phrases occur in `text` (a directive unit)."""
    found: list[str] = []
    candidates = _lexicon_index().candidates(text)
    if not candidates:
        return found
    heads: list[tuple[int, int]] | None = None
    for i, (mid, pattern, exclusion) in enumerate(lexicon()):
        if i not in candidates:
            continue
        part = exclusion.sub(lambda m: "□" * len(m.group()), text) if exclusion else text
        for m in pattern.finditer(part):
            if heads is None:
                heads = [(h.start(), h.end()) for h in LIST_HEAD.finditer(text)]
            inside_list = any(s <= m.start() < e for s, e in heads)
            if inside_list and mid != "key-places-control":
                continue
            if NEGATED.search(part[: m.start()]):
                continue
            found.append(mid)
            break
    return found


def _orders(unit: Unit) -> bool:
    """Whether a unit gives orders (rather than reports what was seen or done)."""
    return unit.directing and _gives_orders(unit.text)


def _gives_orders(text: str) -> bool:
    """Whether a directing text gives orders (rather than reports what was seen or done)."""
    own = bool(DIRECTIVE.search(text))
    yao = bool(YAO_RE.search(text))
    if OBSERVED.search(text) and not yao:
        return False
    if not own and BACKGROUND.search(text):
        return False
    return not (REPORTED.search(text) and not yao)


def _parts(clause: str, offset: int, speaker: str | None) -> list[Unit]:
    """A clause read part by part (split at ，): a part directs once a directive word has
    been seen in it or before it in the clause."""
    out: list[Unit] = []
    directing = False
    pos = 0
    for piece in PART.split(clause):
        own = bool(DIRECTIVE.search(piece))
        directing = directing or own
        out.append(Unit(offset + pos, offset + pos + len(piece), piece, directing, speaker))
        pos += len(piece) + 1
    return out


def units(doc: Document, sentences: list[Sentence], lo: int, hi: int, names: set[str]) -> list[Unit]:
    """Directive units of the text in [lo, hi), each with the speaker in force."""
    out: list[Unit] = []
    speaker: str | None = None
    paragraph = -1
    for s in sentences[bisect_left(sentences, lo, key=lambda s: s.start) :]:
        if s.start >= hi:
            break
        if doc.in_chrome(s.start):
            continue
        if s.paragraph != paragraph:
            paragraph, speaker = s.paragraph, None
        m = SPEAKER.match(s.text)
        if m:
            who = m.group("who")
            speaker = who if who in names else ("meeting" if who in ("会议", "会上") else speaker)
        for c in CLAUSE.finditer(s.text):
            for chunk_start, chunk in _enumerated(c.group()):
                base = s.start + c.start() + chunk_start
                first = _directive_start(chunk)
                if first >= 0:  # the unit runs from its first directive word to the end
                    start, end = base + first, base + len(chunk)
                    out.append(Unit(start, end, doc.text[start:end], True, speaker))
    return out


def _directive_start(clause: str) -> int:
    """Where the first part of a clause (split at ，) with a directive word starts; -1: none
    has one (the first part of `_parts(clause, …)` that directs)."""
    pos = 0
    for piece in PART.split(clause):
        if DIRECTIVE.search(piece):
            return pos
        pos += len(piece) + 1
    return -1


def _enumerated(clause: str) -> list[tuple[int, str]]:
    """A clause cut before each enumeration marker (一要, 二是, 另一方面 …)."""
    cuts = [m.start() for m in ENUMERATION.finditer(clause) if m.start() > 0]
    bounds = [0, *cuts, len(clause)]
    return [(a, clause[a:b]) for a, b in pairwise(bounds) if clause[a:b].strip()]


def extract_directives(
    doc: Document, events: list[EventFound], sentences: list[Sentence], names: set[str]
) -> list[Statement]:
    """Directive statements for every event, and the event→measure shortcut (Mandate)."""
    out: list[Statement] = []
    n = 0
    for ev in events:
        lo, hi = ev.span
        seen: set[str] = set()
        for unit in units(doc, sentences, lo, hi, names):
            sentence = sentence_at(sentences, unit.start)
            if sentence is None:
                continue
            parts = _parts(unit.text, unit.start, unit.speaker)
            measures = _unit_measures(doc, parts, sentence, ev) if any(_orders(p) for p in parts) else []
            n += 1
            evidence = Evidence(doc.name, sentence.start, sentence.end, sentence.text, EXTRACTOR)
            targets = tuple(dict.fromkeys(m.group("t") for m in TARGET.finditer(unit.text)))
            speaker = unit.speaker if unit.speaker != "meeting" else None
            out.append(Directive(evidence, f"d{n}", ev.key, unit.text, speaker, tuple(measures), targets))
            for mid in measures:
                if mid not in seen:
                    seen.add(mid)
                    out.append(Mandate(evidence, ev.key, mid, speaker))
    return out


def _unit_measures(doc: Document, parts: list[Unit], sentence: Sentence, ev: EventFound) -> list[str]:
    """Measures the parts of a unit order, when the event (its name or the sentence reporting
    it) or the unit's paragraph is about the epidemic."""
    if not _about_epidemic(doc, ev):
        return []  # an event on other work orders no epidemic measure
    paragraph = _paragraph(doc.text, sentence.start)
    if not EPIDEMIC.search(paragraph) and (
        OTHER_TOPIC.search(paragraph) or not (EPIDEMIC.search(ev.label) or EPIDEMIC.search(ev.evidence.sentence))
    ):
        return []
    found: list[str] = []
    for part in parts:
        if _gives_orders(part.text):
            for mid in measures_named(part.text):
                if mid not in found:
                    found.append(mid)
    return found


def _about_epidemic(doc: Document, ev: EventFound) -> bool:
    """Whether an event is epidemic work: its name or the headline says so (防控 alone
    counts: 防控工作推进会), or several sentences of its report do. A visit to a school
    that also asks about its epidemic work, once, is school work."""
    first_line = doc.text.split("\n", 1)[0]
    headline = doc.title or (first_line if len(first_line) <= HEADLINE_MAX else "")
    if any(EPIDEMIC_EVENT.search(t) for t in (ev.label, headline)):
        return True
    lo, hi = ev.span
    text = doc.text
    starts = {max(text.rfind(c, lo, m.start()) for c in SENTENCE_ENDS) for m in EPIDEMIC_WORD.finditer(text, lo, hi)}
    return len(starts) >= EPIDEMIC_SENTENCES


def _paragraph(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)]
