"""Article metadata: headline, publication date and publisher."""

from __future__ import annotations

import re

from ..records import ArticleInfo, Document, Evidence
from .dates import publication_date

EXTRACTOR = "article"
SOURCE = re.compile(r"来源[:：]\s*(?P<v>[^\s　|｜]{2,30})")


def article_info(doc: Document) -> ArticleInfo:
    headline = doc.title or _first_line(doc.text)
    published = publication_date(doc.text, doc.date)
    m = SOURCE.search(doc.text)
    publisher = m.group("v").rstrip("）)") if m else None
    start = doc.text.find(headline) if headline else -1
    if start >= 0 and headline:
        ev = Evidence(doc.name, start, start + len(headline), headline, EXTRACTOR)
    else:  # a headline from the metadata, not in the text
        ev = Evidence(doc.name, 0, 0, "", EXTRACTOR)
    return ArticleInfo(ev, headline, published.isoformat() if published else None, publisher)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if len(line) >= 6 and re.search(r"[\u4e00-\u9fff]", line):
            return line[:200]
    return None
