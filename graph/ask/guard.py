"""Queries checked before they reach the engine, and run with a time limit.

`check_query(text)` refuses (QueryRefused, one line) a query that could crash Oxigraph's
parser or that the build cannot answer as asked: Oxigraph parses recursively, and a
query nested thousands deep (braces, brackets, parentheses), a long run of unary
operators (`!!!…`) or a long chain of binary operators or UNIONs overflows its stack and
kills the process (measured 2026-12-08 with pyoxigraph on the 2-core build machine:
3,000 nested braces, 20,000 `!`, 20,000 UNIONs and 20,000 `||` each ended the process
with a segmentation fault; 1,000 braces and 5,000 UNIONs parsed). The limits below are
far under those. FROM and FROM NAMED are refused: a query sees the union of the
build's graphs, and one article's graph is read with GRAPH <article-iri> { … }.

`uses_service`, `query_variables` and `unknown_prefixes` read a query's text for the
endpoint and the query command (SERVICE refused, --bind names checked, undeclared
prefixes named).

`run_limited(work, seconds)` runs a query in a forked child process and kills it when
the time is up (pyoxigraph has no cancellation, and a thread cannot be stopped: a killed
process is what really stops the work and frees its memory); a crash of the child is
one line too.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import multiprocessing.connection
import re
import signal
from collections.abc import Callable

from graph.errors import GovkgError, QueryError, QueryRefused, QueryTimeout

MAX_QUERY_BYTES = 64 * 1024  # size of a query's text
MAX_DEPTH = 64  # nesting of { [ ( in a query
MAX_UNARY = 64  # unary operators in a row (! - +)
MAX_OPERATORS = 1_000  # binary operators (|| && = != < > + - * /) and UNION, MINUS, OPTIONAL in all
QUERY_SECONDS = 30.0  # default time limit of a query (--timeout)

# strings, IRIs and comments (whose brackets and words do not count), then what does
_TOKEN = re.compile(
    r"""(?P<skip>"""
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""|'''
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|"""
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"<[^<>\"{}|^`\\\s]*>|"
    r"\#[^\n]*"
    r""")"""
    r"|(?P<open>[{(\[])|(?P<close>[})\]])"
    r"|(?P<unary>(?:[!+-]\s*){2,})"
    r"|(?P<op>\|\||&&|!=|<=|>=|[=<>*/+-])"
    r"|(?P<word>\b(?:UNION|MINUS|OPTIONAL|FROM)\b)",
    re.IGNORECASE,
)


def check_query(text: str) -> None:
    """Raise QueryRefused (a GovkgError, one line) if `text` is over the size, nesting or
    operator limits, or has FROM / FROM NAMED; return None if it may be run."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryRefused(f"query of {size} bytes refused: at most {MAX_QUERY_BYTES} bytes")
    depth = deepest = operators = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryRefused(
                    f"query nested more than {MAX_DEPTH} deep (at character {m.start()}) refused: "
                    f"at most {MAX_DEPTH} levels of {{ }}, ( ) and [ ]"
                )
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "unary":
            run = sum(1 for ch in m.group() if ch in "!+-")
            if run > MAX_UNARY:
                raise QueryRefused(
                    f"query with {run} operators in a row (at character {m.start()}) refused: at most {MAX_UNARY}"
                )
            operators += run
        elif kind in ("op", "word"):
            if kind == "word" and m.group().upper() == "FROM":
                raise QueryRefused(
                    "FROM / FROM NAMED is not supported: a query sees the union of the build's graphs; "
                    "read one article's graph with GRAPH <article-iri> { … } instead"
                )
            operators += 1
        if operators > MAX_OPERATORS:
            raise QueryRefused(
                f"query with more than {MAX_OPERATORS} operators, UNIONs and OPTIONALs refused: "
                "split it into smaller queries"
            )


def run_limited(work: Callable[[], bytes], seconds: float) -> bytes:
    """work() run in a forked child process, its answer (bytes) returned; QueryTimeout when
    it runs longer than `seconds` (the child is killed), QueryError when it dies or fails."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(work, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds if seconds > 0 else None):
            raise QueryTimeout(
                f"query stopped after {seconds:g} s (--timeout): narrow it (LIMIT, fewer patterns) "
                "or give a longer --timeout"
            )
        try:
            ok, answer = receive.recv()
        except EOFError:
            child.join(5)
            code = child.exitcode
            why = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"
            raise QueryError(f"the query engine died ({why}) on this query") from None
        if not ok:
            raise QueryError(answer.decode("utf-8"))
        return bytes(answer)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()


def _child(work: Callable[[], bytes], send: multiprocessing.connection.Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    faulthandler.disable()  # a crash is reported by the parent, in one line
    try:
        answer = (True, work())
    except GovkgError as exc:
        answer = (False, str(exc).encode("utf-8"))
    except Exception as exc:
        answer = (False, f"query failed: {type(exc).__name__}: {exc}".encode())
    send.send(answer)
    send.close()


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
