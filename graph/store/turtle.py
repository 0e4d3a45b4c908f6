"""The files a store writes from its archive: graph.ttl (updated in place of what
changed) and the N-Quads of every article's graph.
"""

import heapq
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.files import atomic_file
from graph.store.keys import (
    PLACES,
    SHARED_GRAPH,
    graph_of,
    nt_lines,
    stamp,
)

SORT_RUN = 1_000_000  # distinct lines sorted in memory at a time when graph.ttl's shared part is written afresh


class ArchiveFiles:
    """graph.ttl and N-Quads written from the archive (mixed into GraphStore)."""

    path: Path | None
    db: sqlite3.Connection

    def write_turtle(self, path: Path, into: Path | None = None) -> None:
        """The union as N-Triples (which is Turtle too): each article's own lines in name order,
        then the default graph's lines (the shared facts, the scheme, the places list) sorted.
        Both orders depend on the content alone: the same articles give the same bytes,
        however and in whatever order they were built.

        The archive remembers where each article's lines and the shared part lie in the file.
        An update copies the lines of the articles unchanged since the last write from the old
        file, and merges into its shared part the lines of the changed articles, less those
        the default graph lost (table `removed`): it rewrites little but what changed.
        Written atomically, to `into` when given (a file the caller then moves to `path`)."""
        where: list[tuple[str, int, int]] = []  # (name, start, length) in the new file
        pos = 0
        with atomic_file(into or path) as out, ExitStack() as stack:
            section = self._turtle_written(path)
            old = stack.enter_context(open(path, "rb")) if section else None
            run = [0, 0]  # bytes [start, end) of the old file still to copy

            def copy_run() -> None:
                if old is not None and run[1] > run[0]:
                    _copy_range(old, out, run[0], run[1] - run[0])
                run[:] = [0, 0]

            if old is None:  # every article's lines from the archive
                for name, own in self.db.execute("SELECT name, own FROM article ORDER BY name"):
                    length = out.write(own)
                    where.append((name, pos, length))
                    pos += length
            rows = self.db.execute(
                "SELECT name, start, length FROM article LEFT JOIN segment USING (name) ORDER BY name"
            )
            for name, start, length in rows.fetchall() if old is not None else ():
                if start is not None:  # unchanged since the last write: copied
                    if run[1] != start:
                        copy_run()
                        run[:] = [start, start]
                    run[1] += length
                else:
                    copy_run()
                    length = out.write(self._own(name))
                where.append((name, pos, length))
                pos += length
            copy_run()
            if old is not None and section is not None:
                lines = self._shared_merged(old, *section)
            else:
                lines = self._shared_sorted()
            shared = 0
            for line in lines:
                shared += out.write(line)
        stat = (into or path).stat()  # a move keeps the size and the time stamp
        with self.db:
            self.db.execute("DELETE FROM segment")
            self.db.executemany("INSERT INTO segment VALUES (?, ?, ?)", where)
            self.db.execute("DELETE FROM removed")
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('turtle', ?)", (f"{stamp(path, stat)} {pos} {shared}",)
            )

    def _turtle_written(self, path: Path) -> tuple[int, int] | None:
        """Where the shared part of `path` lies, if `path` is the graph.ttl this store wrote last
        (whose article parts can then be copied); else None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'turtle'").fetchone()
        try:
            mark = stamp(path, path.stat())
        except OSError:
            return None
        if row is None or not row[0].startswith(mark + " "):
            return None
        start, length = row[0][len(mark) + 1 :].split()
        return int(start), int(length)

    def _changed_shared(self) -> set[bytes]:
        """The shared lines of the articles written since the last graph.ttl, and the scheme's
        and places list's."""
        lines: set[bytes] = set()
        for (data,) in chain(
            self.db.execute("SELECT shared FROM article WHERE name NOT IN (SELECT name FROM segment)"),
            self.db.execute("SELECT data FROM extra"),
        ):
            lines.update(nt_lines(data))
        return lines

    def _shared_merged(self, old: BinaryIO, start: int, length: int) -> Iterator[bytes]:
        """The old file's shared part, less the lines the default graph lost, merged with the
        changed articles' shared lines: sorted, each once."""
        added = self._changed_shared()
        gone = {bytes(line) for (line,) in self.db.execute("SELECT line FROM removed")} - added
        old.seek(start)
        kept = (line for line in _lines(old, length) if line not in gone)
        last = None
        for line in heapq.merge(kept, sorted(added)):
            if line != last:
                yield line
                last = line

    def _shared_sorted(self) -> Iterator[bytes]:
        """Every article's shared lines and the scheme's and places list's: sorted, each once.
        Sorted in runs of SORT_RUN distinct lines spilled to temporary files and merged, so
        that memory stays bounded on any size of corpus."""
        with ExitStack() as stack:
            runs: list[Iterator[bytes]] = []
            lines: set[bytes] = set()
            rows = chain(self.db.execute("SELECT shared FROM article"), self.db.execute("SELECT data FROM extra"))
            for (data,) in rows:
                lines.update(nt_lines(data))
                if len(lines) >= SORT_RUN:
                    spill = stack.enter_context(tempfile.TemporaryFile(dir=self.path))
                    spill.writelines(sorted(lines))
                    spill.seek(0)
                    runs.append(iter(spill))
                    lines = set()
            runs.append(iter(sorted(lines)))
            last = None
            for line in heapq.merge(*runs):
                if line != last:
                    yield line
                    last = line

    def _own(self, name: str) -> bytes:
        row = self.db.execute("SELECT own FROM article WHERE name = ?", (name,)).fetchone()
        return bytes(row[0])

    def write_quads(self, path: Path | BinaryIO) -> None:
        """Each article's graph (its own and its shared lines: every graph is complete on its
        own), the scheme's and the places list's, as N-Quads streamed from the archive in name
        order; to a file atomically, or to an open binary stream."""
        if not isinstance(path, Path):
            for graph, data in self.graphs():
                path.write(data.replace(b" .\n", f" {graph} .\n".encode()))
            return
        with atomic_file(path) as out:
            self.write_quads(out)

    def graphs(self) -> Iterator[tuple[ox.NamedNode, bytes]]:
        """(graph name, N-Triples) of each article's complete graph in name order, then the
        scheme and the places list (in the shared graph)."""
        for name, own, shared in self.db.execute("SELECT name, own, shared FROM article ORDER BY name"):
            yield graph_of(name), bytes(own) + bytes(shared)
        for graph, data in self.db.execute("SELECT graph, data FROM extra ORDER BY graph"):
            yield (SHARED_GRAPH if graph == PLACES else ox.NamedNode(graph)), bytes(data)

    def article_ntriples(self, name: str) -> bytes | None:
        """One article's complete graph as N-Triples."""
        row = self.db.execute("SELECT own, shared FROM article WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0]) + bytes(row[1])

    def extra_ntriples(self, graph: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM extra WHERE graph = ?", (graph,)).fetchone()
        return None if row is None else bytes(row[0])


def _lines(src: BinaryIO, length: int) -> Iterator[bytes]:
    """The lines of the next `length` bytes of `src`."""
    left = length
    while left > 0:
        line = src.readline(left)
        if not line:
            raise OSError(f"{src.name}: ends {left} bytes early")
        left -= len(line)
        yield line


def _copy_range(src: BinaryIO, out: BinaryIO, start: int, length: int) -> None:
    """Append `length` bytes of `src` from `start` to `out` (in the kernel where it can)."""
    out.flush()
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < length:
                n = os.copy_file_range(src.fileno(), out.fileno(), length - done, start + done)
                if n == 0:
                    break
                done += n
        except OSError:  # another file system, or not supported: copy through user space
            pass
    while done < length:
        block = os.pread(src.fileno(), min(1 << 22, length - done), start + done)
        if not block:
            raise OSError(f"{src.name}: ends before byte {start + length}")
        out.write(block)
        done += len(block)
    out.flush()
