"""Where the shipped data tables are (ontology/), and the one reader of their files:
tab-separated tables (`tsv_rows`) and word lists (`word_list`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graph.errors import DataError

PACKAGE = Path(__file__).resolve().parent  # graph/
ONTOLOGY = PACKAGE.parent / "ontology"  # the ontology, the shapes and the data tables


def tsv_rows(path: Path, ncols: int, what: str) -> Iterable[tuple[int, list[str]]]:
    """(line number, stripped columns) of each row of a tab-separated table, skipping blank
    lines and `#` comments; a row with fewer than `ncols` columns is a DataError naming
    the line and `what` a row should hold."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < ncols:
            raise DataError(f"{path}:{n}: expected {what}")
        yield n, [c.strip() for c in cols]


def word_list(path: Path) -> tuple[str, ...]:
    """The words of a word list: separated by white space, `#` lines are comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    return tuple(w for line in text.splitlines() if not line.startswith("#") for w in line.split())
