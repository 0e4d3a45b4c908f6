"""Stopping a build cleanly: SIGTERM and SIGINT become `Interrupted` (one line, exit status
128 + the signal's number) in the build's main thread; a process pool is stopped at once
(its workers killed, not waited for); exports are moved into place with the signals held
back, so that a build stopped then leaves either the old set or the new one.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

from graph.errors import Interrupted

STOPPING = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def interruptible(out_dir: Path) -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise Interrupted (in the main thread only:
    elsewhere the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for s in STOPPING:  # a second signal while stopping does not interrupt the clean-up
            signal.signal(s, signal.SIG_IGN)
        name = signal.Signals(signum).name
        raise Interrupted(
            f"stopped by {name}: workers stopped; {out_dir} keeps its last good exports "
            "and the next build resumes from its store",
            signum,
        )

    before = {s: signal.signal(s, stop) for s in STOPPING}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


@contextmanager
def held_signals() -> Iterator[None]:
    """SIGTERM and SIGINT held back during the block and delivered after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers now and drop its queued work (shutdown would wait for them)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with suppress(OSError, AttributeError, ValueError):
            proc.kill()
    for proc in procs:
        with suppress(OSError, AttributeError, ValueError, AssertionError):
            proc.join(5)
    pool.shutdown(wait=False, cancel_futures=True)
