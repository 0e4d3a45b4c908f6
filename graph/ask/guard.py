"""Checks a SPARQL query's text before any engine parses it.

check_query  raises QueryRejected when the text is larger than MAX_QUERY_CHARS, nests
             brackets ({ ( [) deeper than MAX_DEPTH, has more than MAX_UNARY unary
             operators (! + -) in a row or more than MAX_OPERATORS binary operators and
             UNION, MINUS, OPTIONAL in all; strings, IRIs and comments are skipped, so
             what is inside them does not count.

Why: Oxigraph's parser is recursive. Measured on 2026-12-08 (2-core machine, `oxigraph
serve-read-only` 0.5.13 over the sample build): a query nesting 1,600 group braces is
answered, one nesting 3,000 overflows the server thread's stack and aborts the whole
server process. MAX_DEPTH stays far below that; no shipped query nests deeper than 6.
A FILTER of 20,000 `!` in a row aborts it too (measured the same day through `serve`,
which restarted it).
"""

from __future__ import annotations

import re

from graph.errors import QueryError

MAX_QUERY_CHARS = 200_000
MAX_DEPTH = 100
MAX_UNARY = 64
MAX_OPERATORS = 1_000

_OPEN, _CLOSE = "{([", "})]"
# the parts of a query whose brackets are not structure: long and short strings, IRIs, comments
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.S,
)


_UNARY_RUN = re.compile(rf"(?:[!+\-]\s*){{{MAX_UNARY + 1},}}")
_OPERATOR = re.compile(r"\|\||&&|!=|<=|>=|(?i:\b(?:UNION|MINUS|OPTIONAL)\b)")


class QueryRejected(QueryError):
    """A query refused before it reaches the engine (too large, or nested too deeply)."""


def check_query(text: str) -> None:
    """Raise QueryRejected if text is too large, nests too deep or chains too many operators."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRejected(f"query of {len(text):,} characters refused (at most {MAX_QUERY_CHARS:,})")
    depth = deepest = 0
    for part in _SKIP.split(text):
        for char in part:
            if char in _OPEN:
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > MAX_DEPTH:
                        raise QueryRejected(f"query nests brackets more than {MAX_DEPTH} deep: refused")
            elif char in _CLOSE:
                depth = max(depth - 1, 0)
    code = " ".join(_SKIP.split(text))
    if _UNARY_RUN.search(code):
        raise QueryRejected(f"query has more than {MAX_UNARY} unary operators in a row: refused")
    operators = len(_OPERATOR.findall(code))
    if operators > MAX_OPERATORS:
        raise QueryRejected(f"query has {operators:,} operators and UNION/MINUS/OPTIONAL (at most {MAX_OPERATORS:,})")


def uses_service(text: str) -> bool:
    """Whether the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return any(re.search(r"(?i)(?<![\w:?$])SERVICE\b", part) for part in _SKIP.split(text))


_PREFIXED = re.compile(r"(?<![\w?$:.\-])([^\W\d_][\w.\-]*)?:")
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([^\W\d_][\w.\-]*)?:")
_VARIABLE = re.compile(r"[?$]([^\W][\w]*)")


def query_variables(text: str) -> set[str]:
    """The names of the variables (?x or $x) a query mentions."""
    return {m.group(1) for part in _SKIP.split(text) for m in _VARIABLE.finditer(part)}


def unknown_prefixes(text: str, known: set[str]) -> list[str]:
    """The prefixes a query uses that it does not declare and that are not in known, sorted."""
    parts = _SKIP.split(text)
    declared = {m.group(1) or "" for part in parts for m in _DECLARED.finditer(part)}
    used = {m.group(1) or "" for part in parts for m in _PREFIXED.finditer(part)}
    return sorted(used - declared - known)
