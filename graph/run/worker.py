"""The unit of work of a build: one article read -> its graph's N-Triples, run in a
worker process (the local pool of graph.run.pipeline, or a Dask task of
graph.run.distributed).

A worker of the local pool is started by `init_worker`: it ignores SIGINT (the build
stops it), dies with the build (Linux's parent-death signal, so a build killed with
kill -9 leaves no worker behind) and gives each article a time budget (`ARTICLE_SECONDS`):
an article still being extracted when it runs out becomes one message instead of a graph.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
from types import FrameType

from graph.rdf.build import GraphBuilder
from graph.records import ArticleGraph, Extraction, RawArticle
from graph.run.chunks import extract_chunked
from graph.run.lock import close_inherited

ARTICLE_SECONDS = 120.0  # default time budget of one article's extraction
_PR_SET_PDEATHSIG = 1
_budget = 0.0  # seconds per article in this process (0: none)


class OverBudget(BaseException):
    """An article's extraction ran out of its time budget (not an Exception: extract_article
    must not report it as a failure)."""


def init_worker(parent: int, budget: float) -> None:
    """Set up a pool worker process (see the module's docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    close_inherited()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the build still stops its workers itself
        pass
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)
    set_budget(budget)


def set_budget(seconds: float) -> None:
    """The time budget of each article extracted in this process (0: none)."""
    global _budget
    _budget = seconds


def _over_budget(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


def extract_article(raw: RawArticle) -> Extraction | str:
    """Normalise and extract one article (for the graph: without the offsets in the text
    as read, which it does not record; a long article by chunks, graph.run.chunks); a
    message instead when it fails."""
    try:
        return extract_chunked(raw)
    except Exception as exc:
        return f"failed {raw.source}: {type(exc).__name__}: {exc}"


def article_triples(job: tuple[RawArticle, str]) -> ArticleGraph | str:
    """One article to the N-Triples of its graph (run in a worker process); a one-line
    message when it fails or runs out of its time budget."""
    raw, digest = job
    timed = (
        _budget > 0
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, _over_budget)
    )
    if timed:
        signal.signal(signal.SIGALRM, _over_budget)
        signal.setitimer(signal.ITIMER_REAL, _budget)
    try:
        result = extract_article(raw)
        if isinstance(result, str):
            return result
        builder = GraphBuilder()
        builder.add(result)
        return ArticleGraph(raw.name, digest, *builder.parts())
    except OverBudget:
        return (
            f"skipped {raw.source}: over-time: extraction took more than {_budget:g} s "
            f"({len(raw.text)} characters); raise --article-seconds or split the article"
        )
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
