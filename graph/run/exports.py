"""A build's exports replaced as one set: every file is written into a hidden staging
folder (DIR/.exports.new), then moved over the old ones with SIGTERM and SIGINT held
back, and report.json written last, naming the SHA-256 of each export it goes with. A
build stopped before the move leaves the last good set; a reader can check any set
against its report.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from graph.files import write_atomic
from graph.run.signals import held_signals

STAGING = ".exports.new"
REPORT = "report.json"


class ExportSet:
    """The staging folder of one build's exports (see the module's docstring)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.stage = self.out_dir / STAGING
        shutil.rmtree(self.stage, ignore_errors=True)  # a stopped build's
        self.stage.mkdir(parents=True)

    def path(self, name: str) -> Path:
        """Where the export `name` is written before it is published."""
        return self.stage / name

    def publish(self, report: Callable[[dict[str, str]], bytes], drop: Iterable[str] = ()) -> None:
        """Move the staged files into place, remove the exports named in `drop` (an older
        build's that this one does not write), then write report.json: `report` gets the
        SHA-256 of each export by name."""
        staged = sorted(p.name for p in self.stage.iterdir() if not p.name.startswith("."))
        digests = {name: _sha256(self.stage / name) for name in staged}
        with held_signals():
            for name in staged:
                os.replace(self.stage / name, self.out_dir / name)
            for name in drop:
                (self.out_dir / name).unlink(missing_ok=True)
            write_atomic(self.out_dir / REPORT, report(digests))
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()
