"""Articles over the size limit, split at paragraph boundaries into parts built as
articles of their own (NAME#p1, NAME#p2 …), so that no single input holds up a build.

A paragraph longer than the limit is cut after the last sentence end (。！？) before the
limit, or at the limit when it has none. Articles within the limit are returned as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from graph.records import RawArticle

_SENTENCE_END = re.compile(r"[。！？!?]")


def split_article(raw: RawArticle, max_bytes: int) -> list[RawArticle]:
    """`raw`, or its parts when its text is over `max_bytes` bytes of UTF-8."""
    if len(raw.text) * 4 <= max_bytes or len(raw.text.encode("utf-8", "surrogatepass")) <= max_bytes:
        return [raw]
    chunks = list(_chunks(raw.text, max_bytes))
    n = len(chunks)
    return [
        replace(
            raw,
            name=f"{raw.name}#p{k}",
            source=f"{raw.source} (part {k} of {n})",
            text=chunk,
            title=raw.title if k == 1 else None,
        )
        for k, chunk in enumerate(chunks, start=1)
    ]


def _chunks(text: str, max_bytes: int) -> list[str]:
    """Consecutive pieces of `text`, each at most max_bytes of UTF-8, cut after a line end
    where one is in reach."""
    limit = max(1, max_bytes // 4) if not text.isascii() else max_bytes  # characters: safe for any UTF-8
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                found = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
                cut = found[-1] if found else end
            else:
                cut += 1
            end = cut
        pieces.append(text[start:end])
        start = end
    return [p for p in pieces if p.strip()]
