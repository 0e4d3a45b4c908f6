"""One writer per build folder: an exclusive lock (flock) on DIR/.build.lock, held for the
whole build, --full's discarding of the old store included.

The kernel releases the lock when the process holding it ends, however it ends (kill -9
too), so a lock is never left behind; the file keeps the pid of the last holder, which a
second build names in its one-line refusal. Worker processes forked while the lock is held
close their copy of its descriptor (`close_inherited`), so a worker never holds it.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from graph.errors import BuildBusy

LOCK_FILE = ".build.lock"
_held: set[int] = set()  # descriptors of the locks this process holds


class build_lock:
    """`with build_lock(out_dir):` the build of out_dir, or BuildBusy (exit status 2) at once
    when another process holds it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.fd = -1

    def __enter__(self) -> build_lock:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BuildBusy(
                f"another build is writing {self.out_dir} (pid {holder}); wait or use another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        _held.add(fd)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        _held.discard(self.fd)
        os.close(self.fd)  # releases the lock


def close_inherited() -> None:
    """In a forked worker: close the copies of the parent's lock descriptors."""
    for fd in list(_held):
        with suppress(OSError):
            os.close(fd)
    _held.clear()
