"""Long articles extracted in chunks, so that extraction stays linear in an article's
length: the extractors look across the whole text for some things (a visit's place, the
place an official's title names), which costs time quadratic in its length; over
CHUNK_CHARS characters an article is cut at paragraph boundaries into chunks of about
that size, each normalised and extracted alone, and the statements merged into one
article's: their offsets moved to the article's normalised text (the chunks' texts
joined), event and directive keys renumbered in order, the article's own facts (title,
date) taken from the first chunk.

Measured on 2026-12-08 on the 2-core build machine (`python benchmarks/extract_size.py`):
unchunked, 1 MB of text took 29 s to extract; see benchmarks/README.md for the chunked
figures. Articles of up to CHUNK_CHARS characters (every article of the dev corpora)
are extracted as before, whole.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

from graph.extract import extract
from graph.ingest.normalize import normalize
from graph.records import ArticleInfo, EventFound, Extraction, RawArticle, Statement

CHUNK_CHARS = 16_384  # characters of an article extracted at a time (where the cost is still linear)
_KEY = re.compile(r"^([ed])(\d+)$")


def extract_chunked(raw: RawArticle) -> Extraction:
    """extract(normalize(raw)) for an article of up to CHUNK_CHARS characters; else by chunks."""
    if len(raw.text) <= CHUNK_CHARS:
        return extract(normalize(raw), original_offsets=False)
    statements: list[Statement] = []
    shift = 0
    counts = {"e": 0, "d": 0}
    for k, chunk in enumerate(cut_paragraphs(raw.text, CHUNK_CHARS)):
        doc = normalize(replace(raw, text=chunk, title=raw.title if k == 0 else None))
        found = extract(doc, original_offsets=False).statements
        top = {"e": 0, "d": 0}
        for st in found:
            if k > 0 and isinstance(st, ArticleInfo):
                continue
            statements.append(_moved(st, shift, counts, top))
        shift += len(doc.text)
        counts = {p: counts[p] + top[p] for p in counts}
    return Extraction(raw.name, tuple(statements))


def cut_paragraphs(text: str, size: int) -> list[str]:
    """`text` in consecutive pieces of about `size` characters, cut after a line end where
    one is in reach, else after a sentence end (。！？), else at `size`."""
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 4, end)
            if cut < 0:
                ends = [text.rfind(mark, start + size // 4, end) for mark in "。！？"]
                cut = max(ends)
            end = cut + 1 if cut >= 0 else end
        pieces.append(text[start:end])
        start = end
    return pieces


def _moved(st: Statement, shift: int, counts: dict[str, int], top: dict[str, int]) -> Statement:
    """A chunk's statement moved into the article: offsets shifted, keys renumbered."""
    changes: dict[str, Any] = {}
    ev = st.evidence
    changes["evidence"] = replace(ev, start=ev.start + shift, end=ev.end + shift)
    for f in fields(st):
        value = getattr(st, f.name)
        if f.name in ("key", "event") and isinstance(value, str) and (m := _KEY.match(value)):
            prefix, n = m.group(1), int(m.group(2))
            top[prefix] = max(top[prefix], n)
            changes[f.name] = f"{prefix}{n + counts[prefix]}"
    if isinstance(st, EventFound):
        changes["span"] = (st.span[0] + shift, st.span[1] + shift)
    return replace(st, **changes)
