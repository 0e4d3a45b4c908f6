"""Measures an event mandates: directive clauses matched to the measure scheme.

A clause mandates a measure when it directs (要, 要求, 落实, 强化, 严格 …) and
names a measure from the lexicon (ontology/measures.tsv examples plus
ontology/measure_lexicon.tsv). What an inspection only looked at (察看 …
情况, 听取 … 汇报), background (形势, 发生 …) and negated phrases are not
orders. Only events whose text is about the epidemic are read for measures.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..errors import DataError
from ..records import Document, EventFound, Evidence, Mandate
from .text import Sentence

EXTRACTOR = "measures"
ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"

DIRECTIVE = re.compile(
    r"要|必须|务必|确保|落实|强化|加强|做好|抓好|严格|坚持|持续|全面|推进|开展|严防|严控|做到|守好|守牢|筑牢|"
    r"完善|提升|健全|加大|实行|执行|规范|优化|建立|引导|督促|压实|用好|配齐|备足|统筹|织密|加快|扎实|"
    r"切实|严管|实施|坚决|进一步|抓实|抓细"
)
OBSERVED = re.compile(
    r"(?:察看|了解|听取|查看|询问|检查了|实地检查|进行检查|进行了检查)[^。；]*?(?:情况|汇报|介绍)|情况(?:汇报|介绍)"
)
BACKGROUND = re.compile(r"形势|发生|出现|报告.{0,4}病例|确诊|说明|是.{0,10}(?:关口|防线|重中之重|薄弱环节)")
NEGATED = re.compile(r"(?:不再|无需|不需要|取消|停止|暂停)[^，。；]{0,6}$")
EPIDEMIC = re.compile(r"疫|新冠|肺炎|核酸")
CLAUSE = re.compile(r"[^；。！？\n]+")
PART = re.compile(r"[，,]")


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(measure id, pattern) pairs from the scheme's examples and the lexicon file."""
    pairs: dict[str, list[str]] = {}
    try:
        rows = (ONTOLOGY / "measures.tsv").read_text(encoding="utf-8").splitlines()
        extra = (ONTOLOGY / "measure_lexicon.tsv").read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{exc.filename}: cannot read ({exc.strerror})") from exc
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) >= 5:
            pairs.setdefault(cols[0], []).extend(re.escape(t) for t in cols[4].split("|") if t)
    for n, row in enumerate(extra, 1):
        if not row.strip() or row.startswith("#"):
            continue
        mid, _, pattern = row.partition("\t")
        if mid not in pairs:
            raise DataError(f"{ONTOLOGY / 'measure_lexicon.tsv'}:{n}: unknown measure id {mid!r}")
        pairs[mid].append(pattern)
    return tuple((mid, re.compile("|".join(f"(?:{p})" for p in pats))) for mid, pats in pairs.items())


def measures_in(clause: str) -> list[str]:
    """Measure ids a clause (up to 。 or ；) directs.

    The clause is read part by part (split at ，): a part counts once a directive
    word has been seen in it or before it, unless the part itself only reports
    what was looked at (详细了解…情况) or what happened (出现…病例)."""
    found: list[str] = []
    directing = False
    for part in PART.split(clause):
        own = bool(DIRECTIVE.search(part))
        directing = directing or own
        if not directing:
            continue
        if not own and (OBSERVED.search(part) or BACKGROUND.search(part)):
            continue
        if own and OBSERVED.search(part) and "要" not in part:
            continue
        for mid, pat in lexicon():
            m = pat.search(part)
            if m and mid not in found and not NEGATED.search(part[: m.start()]):
                found.append(mid)
    return found


def extract_mandates(doc: Document, events: list[EventFound], sentences: list[Sentence]) -> list[Mandate]:
    out: list[Mandate] = []
    for ev in events:
        lo, hi = ev.span
        if not EPIDEMIC.search(doc.text[lo:hi]):
            continue
        seen: set[str] = set()
        for s in sentences:
            if not (lo <= s.start < hi) or doc.in_chrome(s.start):
                continue
            for c in CLAUSE.finditer(s.text):
                for mid in measures_in(c.group()):
                    if mid in seen:
                        continue
                    seen.add(mid)
                    out.append(Mandate(Evidence(doc.name, s.start, s.end, s.text, EXTRACTOR), ev.key, mid))
    return out
