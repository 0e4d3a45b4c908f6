"""Traditional -> Simplified Chinese with OpenCC's t2s dictionaries (opencc-python-reimplemented),
and a faster converter giving the same result (`_FastOpenCC`).

The fast converter reads the OpenCC object's dictionary chain (its private attributes
`split_chars_re` and `_dict_chain_data`); when they are not as expected it is not used
and OpenCC converts (same output, slower).
"""

from __future__ import annotations

import os
import re


class T2S:
    """Lazy OpenCC 't2s' converter and the set of characters it can change."""

    def __init__(self) -> None:
        from opencc import OpenCC

        self.cc = OpenCC("t2s")
        self.changeable = _changeable_chars()
        self.fast = _FastOpenCC.of(self.cc)

    def convert(self, line: str) -> str:
        if self.changeable is not None and self.changeable.isdisjoint(line):
            return line
        if self.fast is not None:
            return self.fast.convert(line)
        return str(self.cc.convert(line))


class _Dict:
    """One OpenCC dictionary, ready for matching: first values, key prefixes."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.first = {k: v.split(" ")[0] for k, v in mapping.items()}
        self.max_len = max(map(len, self.first), default=0)
        self.prefixes = {k[:n] for k in self.first for n in range(1, len(k) + 1)}
        # where a key may start, and whether any key is in a text at all
        self.starts = re.compile("[" + "".join(sorted({re.escape(k[0]) for k in self.first})) + "]")
        self.any_key = re.compile("|".join(re.escape(k) for k in sorted(self.first, key=lambda k: (-len(k), k))))
        # one-character keys only: a translation table does it
        self.table = {ord(k): v for k, v in self.first.items()} if self.max_len == 1 else None

    def split(self, text: str) -> list[tuple[str, bool]]:
        """`text` as pieces (converted, True) and (unmatched, False), the way OpenCC's parse
        tree cuts it: the longest key anywhere first (leftmost on a tie), then the same in
        what is left on either side, and so on. That is the same as taking the matches in
        the order (longest, leftmost) and keeping each that overlaps none kept before."""
        if not self.first or self.any_key.search(text) is None:
            return [(text, False)]
        n = len(text)
        found: list[tuple[int, int]] = []  # (-length, start)
        for m in self.starts.finditer(text):
            i = m.start()
            for j in range(i + 1, min(n, i + self.max_len) + 1):
                key = text[i:j]
                if key not in self.prefixes:
                    break
                if key in self.first:
                    found.append((i - j, i))
        taken = [False] * n
        kept: list[tuple[int, int]] = []
        for neg, i in sorted(found):
            j = i - neg
            if not any(taken[i:j]):
                taken[i:j] = [True] * (j - i)
                kept.append((i, j))
        kept.sort()
        out: list[tuple[str, bool]] = []
        pos = 0
        for i, j in kept:
            if i > pos:
                out.append((text[pos:i], False))
            out.append((self.first[text[i:j]], True))
            pos = j
        if pos < n:
            out.append((text[pos:], False))
        return out


class _FastOpenCC:
    """What OpenCC.convert (opencc-python-reimplemented) returns, without its parse trees,
    for a conversion of one group of dictionaries (as t2s is).

    OpenCC cuts the text at separators (spaces, punctuation) and converts each part on
    its own: each dictionary of the group converts what the ones before it left
    unmatched (`_Dict.split`). Here the whole text is converted at once with the keys
    that hold no separator (no other key can match within a part), and separators are
    left as they are: the same result."""

    def __init__(self, dicts: list[_Dict]) -> None:
        self.dicts = dicts

    @classmethod
    def of(cls, cc: object) -> _FastOpenCC | None:
        """The fast form of an OpenCC converter, or None when it is not built as expected."""
        try:
            split_re = cc.split_chars_re  # type: ignore[attr-defined]
            groups = cc._dict_chain_data  # type: ignore[attr-defined]
            if not isinstance(split_re, re.Pattern) or len(groups) != 1:
                return None
            dicts = [
                _Dict({k: v for k, v in d[2].items() if not any(split_re.fullmatch(ch) for ch in k)}) for d in groups[0]
            ]
        except (AttributeError, TypeError, ValueError, IndexError):
            return None
        return cls(dicts) if dicts else None

    def convert(self, text: str) -> str:
        pieces = [(text, False)]
        for k, d in enumerate(self.dicts):
            last = k == len(self.dicts) - 1
            nxt: list[tuple[str, bool]] = []
            for piece, done in pieces:
                if done:
                    nxt.append((piece, done))
                elif d.table is not None and last:  # nothing after it needs to know what matched
                    nxt.append((piece.translate(d.table), True))
                else:
                    nxt.extend(d.split(piece))
            pieces = nxt
        return "".join(p for p, _ in pieces)


def _changeable_chars() -> frozenset[str] | None:
    """Characters some t2s dictionary entry changes; a line without any is kept.

    None (convert every line) if the dictionaries cannot be read.
    """
    try:
        import opencc

        folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
        chars: set[str] = set()
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for line in f:
                    key, _, value = line.rstrip("\n").partition("\t")
                    first = value.split(" ")[0]
                    chars.update(a for a, b in zip(key, first, strict=False) if a != b)
                    if len(key) != len(first):
                        chars.update(key)
        return frozenset(chars)
    except (OSError, ImportError, ValueError):
        return None


_converter: T2S | None = None


def t2s() -> T2S:
    global _converter
    if _converter is None:
        _converter = T2S()
    return _converter
