"""Atomic file writes: a file appears complete under its name, or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import BinaryIO


class atomic_file:
    """A file written under a temporary name in the same folder (mode 0644) and renamed
    over `path` when the block ends without an exception; removed when it raises."""

    def __init__(self, path: Path, *, fsync: bool = False) -> None:
        self.path = Path(path)
        self.fsync = fsync

    def __enter__(self) -> BinaryIO:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        self.part = Path(tmp)
        self.out: BinaryIO = os.fdopen(fd, "wb", buffering=1 << 20)
        return self.out

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self.out.flush()
                if self.fsync:
                    os.fsync(self.out.fileno())
            self.out.close()
            if kind is None:
                os.chmod(self.part, 0o644)
                os.replace(self.part, self.path)
        finally:
            self.part.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path via a temporary file in the same folder, fsync and os.replace."""
    with atomic_file(path, fsync=True) as out:
        out.write(data)


def copy_file(src: Path, dest: Path | BinaryIO) -> None:
    """src streamed to dest: a path (written atomically) or an open binary stream."""
    with open(src, "rb") as f:
        if not isinstance(dest, Path):
            shutil.copyfileobj(f, dest, 1 << 20)
            return
        with atomic_file(dest) as out:
            shutil.copyfileobj(f, out, 1 << 20)
