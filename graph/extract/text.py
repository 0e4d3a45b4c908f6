"""Sentence splitting and small text helpers shared by the extractors."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[。！？!?]+[”’」』]?|\n+")
HAN = re.compile(r"[\u4e00-\u9fff]")
# 要 as "must", not inside 重要 / 主要 / 要点 (written 要 first, with the lookbehind after
# it, so that the regex engine can scan for the 要)
YAO = r"要(?<![重主只纲概摘首紧]要)(?![点素闻件])"
YAO_RE = re.compile(YAO)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the line (paragraph) it sits in


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; a newline always ends a sentence."""
    out: list[Sentence] = []
    pos = 0
    para = 0
    for m in SENTENCE_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        _add(out, text, pos, end, para)
        if "\n" in m.group():
            para += 1
        pos = m.end()
    _add(out, text, pos, len(text), para)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, para: int) -> None:
    while start < end and text[start] in " \t\u3000":
        start += 1
    while end > start and text[end - 1] in " \t\u3000":
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], para))


def sentence_at(sentences: list[Sentence], pos: int) -> Sentence | None:
    """The sentence holding `pos` (sentences in text order), found by bisection."""
    i = bisect_right(sentences, pos, key=lambda s: s.start) - 1
    if i >= 0 and sentences[i].start <= pos < sentences[i].end:
        return sentences[i]
    return None
