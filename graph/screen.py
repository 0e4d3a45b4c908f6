"""Literal screens for regexes: cheap tests that a text cannot hold a match.

`required_literals(pattern)` reads a compiled pattern's syntax tree and returns
strings of which every match contains at least one (None when it cannot tell):

    required_literals(re.compile(r"(?:代|常务)?副?(?:省|市)长"))  # ("市长", "省长")

A text that holds none of them cannot match, so the regex need not be run.
`Screened` wraps one regex so (for patterns the regex engine scans slowly), and
`LiteralIndex` tells in one pass which of many patterns may match a text.

The analysis is conservative: whatever it does not understand (case-insensitive
matching, back-references, character ranges …) gives no screen, never a wrong one.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Iterator
from itertools import product
from typing import Any

import ahocorasick

_LIMIT = 64  # most strings an exact set may hold

try:  # the parser re itself uses (not a public module: without it, nothing is screened)
    _parser: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _parser = None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` holds one; None when not known."""
    if _parser is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - the pattern compiled, so it parses
        return None
    found = _required(list(tree))
    return tuple(sorted(_minimal(found))) if found else None


def screen(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex that finds one of the required literals of `pattern` (None: no screen)."""
    found = required_literals(pattern)
    return literal_alternation(found) if found else None


def literal_alternation(strings: Iterable[str]) -> re.Pattern[str]:
    """A regex that finds one of `strings` where the text holds any (a string that holds
    another of them is left out: it adds nothing to the test)."""
    return re.compile("|".join(re.escape(s) for s in sorted(_minimal(set(strings)))))


def _minimal(strings: set[str]) -> set[str]:
    return {s for s in strings if not any(t != s and t in s for t in strings)}


def _op(op: object) -> str:
    return str(op)


def _exact_seq(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Every string a sequence of nodes can match, when they are few."""
    out = {""}
    for op, av in items:
        e = _exact(op, av)
        if e is None:
            return None
        out = {a + b for a in out for b in e}
        if len(out) > _LIMIT:
            return None
    return out


def _exact(op: object, av: Any) -> set[str] | None:
    """Every string one node can match, when they are few (zero-width nodes match "")."""
    name = _op(op)
    if name == "LITERAL":
        return {chr(av)}
    if name == "IN":
        if all(_op(o) == "LITERAL" for o, _ in av):
            return {chr(a) for _, a in av}
        return None
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, sub = av
        return _exact_seq(list(sub)) if not add_flags and not del_flags else None
    if name == "ATOMIC_GROUP":
        return _exact_seq(list(av))
    if name == "BRANCH":
        out: set[str] = set()
        for alt in av[1]:
            e = _exact_seq(list(alt))
            if e is None:
                return None
            out |= e
        return out if len(out) <= _LIMIT else None
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, sub = av
        if hi > 4:
            return None
        item = _exact_seq(list(sub))
        if item is None:
            return None
        reps: set[str] = set()
        for n in range(lo, hi + 1):
            reps.update("".join(p) for p in product(sorted(item), repeat=n))
            if len(reps) > _LIMIT:
                return None
        return reps
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {""}
    return None


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Strings of which every match of a sequence of nodes holds one (None: not known)."""
    candidates: list[set[str]] = []
    run = {""}  # the strings a run of exact nodes matches
    for op, av in items:
        e = _exact(op, av)
        if e is not None:
            joined = {a + b for a in run for b in e}
            if len(joined) <= _LIMIT:
                run = joined
                continue
            candidates.append(run)
            run = e
            continue
        candidates.append(run)
        run = {""}
        req = _node_required(op, av)
        if req is not None:
            candidates.append(req)
    candidates.append(run)
    usable = [c for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _node_required(op: object, av: Any) -> set[str] | None:
    name = _op(op)
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, sub = av
        return _required(list(sub)) if not add_flags and not del_flags else None
    if name == "ATOMIC_GROUP":
        return _required(list(av))
    if name == "BRANCH":
        out: set[str] = set()
        for alt in av[1]:
            req = _required(list(alt))
            if req is None:
                return None
            out |= req
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, _hi, sub = av
        return _required(list(sub)) if lo >= 1 else None
    return None


class Screened:
    """A regex behind its literal screen: `search` and `finditer` give what the
    compiled pattern gives, but skip the regex where the screen finds nothing. Worth it
    for patterns the regex engine cannot scan fast (ones starting with a lookbehind, an
    optional part or a character class)."""

    def __init__(self, pattern: str | re.Pattern[str], flags: int = 0) -> None:
        self.compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        self.pattern = self.compiled.pattern
        self.screen = screen(self.compiled)

    def _may_match(self, text: str, pos: int, endpos: int) -> bool:
        return self.screen is None or self.screen.search(text, pos, endpos) is not None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos) if self._may_match(text, pos, endpos) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos) if self._may_match(text, pos, endpos) else iter(())


class LiteralIndex:
    """Which of several patterns a text may match, in one pass: an Aho-Corasick automaton
    over the required literals of each. A pattern without a screen is always a candidate;
    so is one whose literals hold `unsafe` (a character a caller puts into texts, as
    measures.py masks exclusions with □)."""

    def __init__(self, patterns: Iterable[re.Pattern[str]], unsafe: str = "") -> None:
        self.always: set[int] = set()
        words: dict[str, list[int]] = {}
        for i, pattern in enumerate(patterns):
            found = required_literals(pattern)
            if found is None or any(ch in s for s in found for ch in unsafe):
                self.always.add(i)
                continue
            for s in found:
                words.setdefault(s, []).append(i)
        self.automaton: Any = None
        if words:
            self.automaton = ahocorasick.Automaton()
            for s, indices in words.items():
                self.automaton.add_word(s, tuple(indices))
            self.automaton.make_automaton()

    def candidates(self, text: str) -> set[int]:
        """Indices of the patterns that may match `text` (the others cannot)."""
        found = set(self.always)
        if self.automaton is not None:
            for _end, indices in self.automaton.iter(text):
                found.update(indices)
        return found
