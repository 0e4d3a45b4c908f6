"""The persistent store: Oxigraph on disk, one named graph per article, and an archive.

Oxigraph holds the queryable graph: each article's own statements (its article
node, events, directives and evidence, whose IRIs carry the article's slug) in
the named graph of the article's IRI, so an article is replaced or removed as a
unit; in the default graph, once, the facts about resources several articles
share (officials and their posts, places, topics, journalists), the measure
scheme and the `--all-places` list. No triple is in two graphs, so a query over
their union (Oxigraph's union default graph, which `query` uses) counts each
fact once, and each article's triples are loaded once.

Beside it, an SQLite archive (`store.sqlite`) keeps for each article its
content hash (`content_hash`: the code, and the bytes it was read from) and its
N-Triples, split into its own lines and its shared lines. A rebuild compares
hashes and re-extracts only what changed (the reader does not even decode an
input whose hash the archive has: graph.ingest.read.iter_articles, `unchanged`); a shared fact
leaves the default graph when no article (nor the places list) states it any
more; a large graph.ttl is each article's own lines in name order, then the
shared lines sorted (deterministic whatever the order of extraction), and an
update copies the unchanged articles' parts from the old file and merges the
changes into the shared part; `graph.nq` and `--push` send each article's
complete graph (its own and its shared lines).

During a build, extracted articles go to the archive in batches (one
transaction each), and into Oxigraph by bulk loads of bounded size (LOAD_CHUNK)
as they accumulate, repeated shared lines dropped first; `commit` loads the
rest and compacts the database.
The archive is marked dirty while a build runs: a build killed half-way keeps
the articles it archived (the next build loads them, without extracting them
again), and the next build drops the graphs of articles the archive lost and
reloads the default graph. A store made by other code (another
`code_version`) is discarded and built afresh.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path

import pyoxigraph as ox

from graph.records import ArticleGraph
from graph.store.keys import (
    ARCHIVE,
    BATCH,
    DEFAULT,
    LOAD_CHUNK,
    PLACES,
    SCHEMA_SQL,
    SCHEME,
    STORE_DIR,
    article_quads,
    code_version,
    graph_of,
    nt_lines,
    split_shared,
)
from graph.store.reads import UnionReads
from graph.store.turtle import ArchiveFiles


class GraphStore(ArchiveFiles, UnionReads):
    """An Oxigraph store on disk with its archive (or both in memory when `path` is None)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        if path is None:
            self.store = ox.Store()
            self.db = sqlite3.connect(":memory:")
        elif read_only:
            self.store = ox.Store.read_only(str(path))
            self.db = sqlite3.connect(f"file:{path.with_name(ARCHIVE)}?mode=ro", uri=True)
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.store = ox.Store(str(path))
            self.db = sqlite3.connect(path.with_name(ARCHIVE))
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        if not read_only:
            self.db.executescript(SCHEMA_SQL)
        self._pending: dict[str, ArticleGraph] = {}  # articles not yet written, by name
        self._orphans: set[bytes] = set()  # shared lines of replaced or removed articles
        self._unloaded: dict[str, tuple[bytes, bytes]] = {}  # archived, not yet in Oxigraph: name -> (quads, shared)
        self._unloaded_size = 0
        self._loads = 0  # bulk loads since the last compaction
        self._loaded = 0  # bytes bulk-loaded since the last compaction

    # -- the build state --------------------------------------------------------
    def begin(self) -> None:
        """Mark the store as being written; a build that dies leaves the mark behind."""
        if self.dirty():
            self.repair()
        self._load_archived()  # what a killed build archived and did not load
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('state', 'writing')")

    def commit(self, during_compaction: Callable[[], None] | None = None) -> None:
        """Archive the last batch, load every article not yet in Oxigraph, drop the shared
        facts nothing states any more, compact, and clear the mark.

        `during_compaction` runs while Oxigraph compacts (in its own thread, without the
        GIL: minutes on a large build), so that it takes the other core: work that does not
        write to the store (reading it meanwhile is safe), such as writing graph.ttl from
        the archive."""
        self._write_pending()
        self._load_archived()
        self._collect_orphans()
        failed: list[BaseException] = []
        compaction = None
        if self._must_compact():
            compaction = threading.Thread(target=_catching(self.store.optimize, failed), name="compaction")
            compaction.start()
        self._loads = self._loaded = 0
        try:
            if during_compaction is not None:
                during_compaction()
        finally:  # the store is complete whether or not that work failed
            if compaction is not None:
                compaction.join()
            if failed:
                raise failed[0]
            self.flush()
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_version(),))
                self.db.execute("DELETE FROM meta WHERE key = 'state'")

    def _compact(self) -> None:
        if self._must_compact():
            self.store.optimize()
        self._loads = self._loaded = 0

    def _must_compact(self) -> bool:
        """Whether to compact the store (so that queries read few files): after a build that
        loaded much of it in several bulk loads; a small update is left to RocksDB's own
        compaction (compacting a large store takes minutes)."""
        if self._loads <= 1:
            return False
        (archived,) = self.db.execute("SELECT total(length(own) + length(shared)) FROM article").fetchone()
        return bool(self._loaded * 2 >= archived)

    def dirty(self) -> bool:
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'state'").fetchone() is not None

    def code(self) -> str | None:
        """The code_version of the build that wrote the store last."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
        return None if row is None else str(row[0])

    def repair(self) -> None:
        """After an interrupted build: drop the article graphs the archive has no row for,
        and reload the default graph from the archive (articles not loaded yet are loaded
        by `begin`)."""
        keep = {graph_of(name).value for name in self.hashes()}
        for graph in list(self.store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value not in keep:
                self.store.remove_graph(graph)
        self.store.clear_graph(DEFAULT)
        with self.db:  # graph.ttl's shared part is written afresh
            self.db.execute("DELETE FROM meta WHERE key = 'turtle'")
        rows = self.db.execute("SELECT shared FROM article WHERE name NOT IN (SELECT name FROM unloaded)")
        extras = self.db.execute("SELECT data FROM extra")
        self._bulk_load((b"", data) for (data,) in chain(rows, extras))
        self._orphans.clear()
        self._compact()

    # -- articles ---------------------------------------------------------------
    def hashes(self) -> dict[str, str]:
        """Article file name -> content hash, for every article in the store."""
        return dict(self.db.execute("SELECT name, digest FROM article"))

    def put_article(self, name: str, digest: str, ntriples: bytes) -> None:
        """Replace an article's graph with `ntriples` and record its hash (put_graph)."""
        self.put_graph(ArticleGraph(name, digest, *split_shared(ntriples)))

    def put_graph(self, article: ArticleGraph) -> None:
        """Replace an article's graph and record its hash. Articles are archived in batches
        and bulk-loaded into Oxigraph as they add up (the rest by `commit`)."""
        self._pending[article.name] = article
        if len(self._pending) >= BATCH:
            self._write_pending()

    def _write_pending(self) -> None:
        """Archive the pending batch in one transaction (after dropping the graphs of the
        articles it replaces)."""
        batch, self._pending = self._pending, {}
        if not batch:
            return
        for name in batch:
            self._remove_written(name)
        rows = [(name, a.digest, a.own, a.shared, a.own.count(b"\n")) for name, a in batch.items()]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO article VALUES (?, ?, ?, ?, ?)", rows)
            self.db.executemany("INSERT OR IGNORE INTO unloaded VALUES (?)", ((row[0],) for row in rows))
            self.db.executemany("DELETE FROM segment WHERE name = ?", ((row[0],) for row in rows))
        for name, _, own, shared, _ in rows:  # kept until loaded: not read back from the archive
            self._unloaded[name] = (article_quads(name, own), shared)
            self._unloaded_size += len(own) + len(shared)
        if self._unloaded_size >= LOAD_CHUNK:  # load while the workers go on extracting (the GIL is released)
            self._load_archived()

    def _load_archived(self) -> None:
        """Load every archived article not yet in Oxigraph: its own lines in its graph, its
        shared lines in the default graph. Those of this build are in memory; those a killed
        build archived and did not load are read from the archive (loading one twice is
        harmless)."""
        batch, self._unloaded, self._unloaded_size = self._unloaded, {}, 0
        if batch:
            self._bulk_load(batch.values())
            with self.db:
                self.db.executemany("DELETE FROM unloaded WHERE name = ?", ((name,) for name in batch))
        elif self.db.execute("SELECT 1 FROM unloaded LIMIT 1").fetchone():
            rows = self.db.execute("SELECT name, own, shared FROM article WHERE name IN (SELECT name FROM unloaded)")
            self._bulk_load((article_quads(name, own), shared) for name, own, shared in rows)
            with self.db:
                self.db.execute("DELETE FROM unloaded")

    def _bulk_load(self, chunks: Iterable[tuple[bytes, bytes]]) -> None:
        """(N-Quads, N-Triples for the default graph) pairs into Oxigraph, in bulk loads of
        about LOAD_CHUNK bytes each (not transactional; lenient: the data is the builder's
        own). Default-graph lines repeated within a load (the places, officials and posts
        many articles name) are dropped before the loader parses them; the quads, unique to
        their article, go as they are."""
        part: list[bytes] = []
        size = loads = 0
        seen: set[bytes] = set()
        for quads, triples in chunks:
            part.append(quads)
            size += len(quads)
            for line in triples.splitlines(keepends=True):
                if line not in seen:
                    seen.add(line)
                    part.append(line)
                    size += len(line)
            if size >= LOAD_CHUNK:
                self.store.bulk_load(b"".join(part), format=ox.RdfFormat.N_QUADS, lenient=True)
                self._loaded += size
                part, size, loads = [], 0, loads + 1
                seen.clear()
        if part:
            self.store.bulk_load(b"".join(part), format=ox.RdfFormat.N_QUADS, lenient=True)
            self._loaded += size
            loads += 1
        self._loads += loads

    def remove_article(self, name: str) -> None:
        """Forget the row first, then the graph: a crash in between only costs a repair."""
        self._pending.pop(name, None)
        self._unloaded.pop(name, None)
        self._remove_written(name)

    def _remove_written(self, name: str) -> None:
        row = self.db.execute("SELECT own, shared FROM article WHERE name = ?", (name,)).fetchone()
        if row is None:
            return
        with self.db:
            for table in ("article", "unloaded", "segment"):
                self.db.execute(f"DELETE FROM {table} WHERE name = ?", (name,))
        self.store.remove_graph(graph_of(name))  # its own lines: no other graph has them
        self._orphans.update(row[1].splitlines())

    def _remove_from(self, ntriples: bytes, *graphs: ox.NamedNode | ox.DefaultGraph) -> None:
        for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
            for graph in graphs:
                self.store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))

    def _collect_orphans(self) -> None:
        """Take out of the default graph the shared lines of replaced or removed articles
        that no article (nor the places list) states any more."""
        if not self._orphans:
            return
        for (shared,) in self._shared_rows():
            self._orphans.difference_update(shared.splitlines())
            if not self._orphans:
                return
        gone = b"".join(line + b"\n" for line in sorted(self._orphans))
        self._orphans.clear()
        self._forget_shared(gone)

    def _forget_shared(self, lines: bytes) -> None:
        """Take lines out of the default graph, and note them for graph.ttl's shared part."""
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO removed VALUES (?)", ((ln,) for ln in nt_lines(lines)))
        self._remove_from(lines, DEFAULT)

    def _shared_rows(self) -> Iterator[tuple[bytes]]:
        """The shared lines of every article, then the places list's."""
        yield from self.db.execute("SELECT shared FROM article")
        yield from self.db.execute("SELECT data FROM extra WHERE graph = ?", (PLACES,))

    def put_scheme(self, data: bytes) -> None:
        """The measure scheme's N-Triples (graph.rdf.build.scheme_ntriples), replacing the last ones."""
        old = self.extra_ntriples(SCHEME.value)
        if old == data:
            return
        if old:  # no article states facts about the measures (their IRIs are only objects)
            self._forget_shared(old)
        self._bulk_load([(b"", data)])
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO extra VALUES (?, ?)", (SCHEME.value, data))

    def put_places(self, ntriples: bytes | None) -> None:
        """The whole division hierarchy (`build --all-places`) in the default graph, or none."""
        data = ntriples or b""
        old = self.extra_ntriples(PLACES) or b""
        if old == data:
            return
        with self.db:
            self.db.execute("DELETE FROM extra WHERE graph = ?", (PLACES,))
            if data:
                self.db.execute("INSERT INTO extra VALUES (?, ?)", (PLACES, data))
        if data:
            self._bulk_load([(b"", data)])
        self._orphans.update(old.splitlines())  # taken out at commit if no article states them

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    def close(self) -> None:
        """Release the store's lock and the archive now, rather than when the object is
        collected (a reference cycle elsewhere, e.g. in pyshacl, can delay that, and
        opening the folder again in this process then fails on the lock)."""
        self.db.close()
        del self.store


def _catching(work: Callable[[], object], failed: list[BaseException]) -> Callable[[], None]:
    """work() for a thread: an exception is kept for the caller to raise, not printed and lost."""

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the thread that joins
            failed.append(exc)

    return run


def open_store(out_dir: Path) -> GraphStore:
    """The store of `out_dir`, created if need be. A store without its archive (made by an
    older version) is started afresh: its articles are extracted again."""
    if (out_dir / STORE_DIR).exists() and not (out_dir / ARCHIVE).exists():
        discard_store(out_dir)
    store = GraphStore(out_dir / STORE_DIR)
    if store.code() not in (None, code_version()):
        del store
        discard_store(out_dir)
        store = GraphStore(out_dir / STORE_DIR)
    return store


def read_store(out_dir: Path) -> GraphStore | None:
    """The store of a built folder, opened read-only (a build may be writing it), or None."""
    path = out_dir / STORE_DIR
    if not path.is_dir() or not (out_dir / ARCHIVE).is_file():
        return None
    return GraphStore(path, read_only=True)


def discard_store(out_dir: Path) -> None:
    shutil.rmtree(out_dir / STORE_DIR, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        (out_dir / (ARCHIVE + suffix)).unlink(missing_ok=True)
