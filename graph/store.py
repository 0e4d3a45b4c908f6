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
input whose hash the archive has: graph.read.iter_articles, `unchanged`); a shared fact
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

import hashlib
import heapq
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from . import vocab as v
from .errors import QueryError
from .records import ArticleGraph, RawArticle

STORE_DIR = "store"
ARCHIVE = "store.sqlite"
SCHEME = ox.NamedNode(str(v.GOVR["graph/scheme"]))
SHARED_GRAPH = ox.NamedNode(str(v.GOVR["graph/shared"]))  # the places list's name in graph.nq and a push
PLACES = "places"  # the archive's name for the `--all-places` list (in the default graph)
DEFAULT = ox.DefaultGraph()
BATCH = 200  # articles written to the archive per transaction
SORT_RUN = 1_000_000  # distinct lines sorted in memory at a time when graph.ttl's shared part is written afresh
LOAD_CHUNK = 48 << 20  # bytes of N-Quads per bulk load: bounds the loader's memory (~10x this)
PREFIXES = {k: str(ns) for k, ns in v.PREFIXES.items()}
SHARED_STARTS = tuple(prefix.encode() for prefix in v.SHARED_PREFIXES)
SHARED = re.compile(rb"^(?:" + rb"|".join(map(re.escape, SHARED_STARTS)) + rb")[^\n]*\n", re.MULTILINE)
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS article (name TEXT PRIMARY KEY, digest TEXT NOT NULL,
                                    own BLOB NOT NULL, shared BLOB NOT NULL,
                                    triples INTEGER NOT NULL);
-- the triple count sits behind the blobs: summed from this index, not by reading every row
-- (100k articles: 12 s cold for the sum from the table)
CREATE INDEX IF NOT EXISTS article_triples ON article (triples);
-- what changes about an article after it is archived lives apart from its (large) row,
-- which SQLite would rewrite whole: archived but not yet loaded into Oxigraph ...
CREATE TABLE IF NOT EXISTS unloaded (name TEXT PRIMARY KEY) WITHOUT ROWID;
-- ... and where its own lines lie in the graph.ttl last written (none: not written since)
CREATE TABLE IF NOT EXISTS segment (name TEXT PRIMARY KEY, start INTEGER NOT NULL,
                                    length INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS extra (graph TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS removed (line BLOB PRIMARY KEY) WITHOUT ROWID;
"""


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code and the data tables it reads: when they change,
    every article is extracted again."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    files = sorted(root.rglob("*.py")) + sorted((root.parent / "ontology").glob("*.*"))
    for f in files:
        h.update(f.relative_to(root.parent).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def content_hash(raw: RawArticle) -> str:
    """What decides whether an article must be extracted again: the code, its name, and the
    bytes it was read from (`input_digest`, set by graph.read; for an article made in
    code, which has none, its content stands for them)."""
    digest = raw.input_digest
    if digest is None:
        h = hashlib.sha256()
        for part in (raw.title or "", raw.date or "", raw.url or "", raw.text):
            h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
        digest = h.hexdigest()
    return input_hash(raw.name, digest)


def input_hash(name: str, input_digest: str) -> str:
    """The content hash of the article `name` read from bytes whose SHA-256 is
    `input_digest`: what the reader's `unchanged` check compares before it decodes anything."""
    h = hashlib.sha256(code_version().encode())
    h.update(b"input\x1f" + name.encode("utf-8", "surrogatepass") + b"\x1f" + input_digest.encode())
    return h.hexdigest()


def split_shared(ntriples: bytes) -> tuple[bytes, bytes]:
    """An article's N-Triples as (its own lines, the lines about shared resources).

    The builder writes the shared lines last (GraphBuilder.ntriples), so the split is
    where the first of them starts; other input is sorted out line by line."""
    if ntriples and not ntriples.endswith(b"\n"):
        ntriples += b"\n"
    starts = [i + 1 for p in SHARED_STARTS if (i := ntriples.find(b"\n" + p)) >= 0]
    if ntriples.startswith(SHARED_STARTS):
        starts.append(0)
    cut = min(starts, default=len(ntriples))
    own, shared = ntriples[:cut], ntriples[cut:]
    if not shared or shared.count(b"\n") == sum(shared.count(b"\n" + p) for p in SHARED_STARTS) + 1:
        return own, shared  # every line after the cut is a shared one
    shared = b"".join(SHARED.findall(ntriples))
    return SHARED.sub(b"", ntriples), shared


class GraphStore:
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
        keep = {_graph_of(name).value for name in self.hashes()}
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
            self._unloaded[name] = (_quads(name, own), shared)
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
            self._bulk_load((_quads(name, own), shared) for name, own, shared in rows)
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
        self.store.remove_graph(_graph_of(name))  # its own lines: no other graph has them
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
            self.db.executemany("INSERT OR IGNORE INTO removed VALUES (?)", ((ln,) for ln in _nt_lines(lines)))
        self._remove_from(lines, DEFAULT)

    def _shared_rows(self) -> Iterator[tuple[bytes]]:
        """The shared lines of every article, then the places list's."""
        yield from self.db.execute("SELECT shared FROM article")
        yield from self.db.execute("SELECT data FROM extra WHERE graph = ?", (PLACES,))

    def put_scheme(self, data: bytes) -> None:
        """The measure scheme's N-Triples (graph.build.scheme_ntriples), replacing the last ones."""
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

    # -- reading ----------------------------------------------------------------
    def union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of every graph, each once (no triple is in two graphs)."""
        return (ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None))

    # rdflib's read methods, over the union of the graphs (distinct answers): graph.views
    # walks the neighbourhood of the nodes it draws with them, on a store of any size
    def _union(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[ox.Quad]:
        if isinstance(s, Literal) or (p is not None and not isinstance(p, URIRef)):
            return iter(())  # no triple has a literal subject, or a predicate other than an IRI
        if o is not None and not isinstance(o, Identifier):
            return iter(())  # a formula (rdflib's N3 graphs) is never an object here
        subject = None if s is None else ox.BlankNode(str(s)) if isinstance(s, BNode) else ox.NamedNode(str(s))
        predicate = None if p is None else ox.NamedNode(str(p))
        return iter(self.store.quads_for_pattern(subject, predicate, None if o is None else to_ox(o), None))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Identifier]:
        yield from dict.fromkeys(_rdflib_term(q.subject) for q in self._union(None, predicate, obj))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Identifier]:
        yield from dict.fromkeys(_rdflib_term(q.object) for q in self._union(subject, predicate, None))

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Identifier, Identifier]]:
        pairs = ((_rdflib_term(q.predicate), _rdflib_term(q.object)) for q in self._union(subject, None, None))
        yield from dict.fromkeys(pairs)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Identifier, Identifier]]:
        pairs = ((_rdflib_term(q.subject), _rdflib_term(q.object)) for q in self._union(None, predicate, None))
        yield from dict.fromkeys(pairs)

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        return next(iter(self._union(*triple)), None) is not None

    def union_graph(self) -> Graph:
        """The union as an in-memory rdflib Graph (for small builds: the HTML view, validation)."""
        g = v.bind_prefixes(Graph())
        for t in self.union_triples():
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return g

    def triples(self) -> int:
        """The number of triples in the union: the articles' own lines (each in one article
        graph, counted when archived) and the default graph's triples."""
        (own,) = self.db.execute("SELECT total(triples) FROM article").fetchone()
        answer = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the default graph
        assert isinstance(answer, ox.QuerySolutions)
        return int(own) + int(next(iter(answer))[0].value)

    def write_turtle(self, path: Path) -> None:
        """The union as N-Triples (which is Turtle too): each article's own lines in name order,
        then the default graph's lines (the shared facts, the scheme, the places list) sorted.
        Both orders depend on the content alone: the same articles give the same bytes,
        however and in whatever order they were built.

        The archive remembers where each article's lines and the shared part lie in the file.
        An update copies the lines of the articles unchanged since the last write from the old
        file, and merges into its shared part the lines of the changed articles, less those
        the default graph lost (table `removed`): it rewrites little but what changed.
        Written atomically."""
        where: list[tuple[str, int, int]] = []  # (name, start, length) in the new file
        pos = 0
        with _atomic(path) as out, ExitStack() as stack:
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
        stat = path.stat()
        with self.db:
            self.db.execute("DELETE FROM segment")
            self.db.executemany("INSERT INTO segment VALUES (?, ?, ?)", where)
            self.db.execute("DELETE FROM removed")
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('turtle', ?)", (f"{_stamp(path, stat)} {pos} {shared}",)
            )

    def _turtle_written(self, path: Path) -> tuple[int, int] | None:
        """Where the shared part of `path` lies, if `path` is the graph.ttl this store wrote last
        (whose article parts can then be copied); else None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'turtle'").fetchone()
        try:
            stamp = _stamp(path, path.stat())
        except OSError:
            return None
        if row is None or not row[0].startswith(stamp + " "):
            return None
        start, length = row[0][len(stamp) + 1:].split()
        return int(start), int(length)

    def _changed_shared(self) -> set[bytes]:
        """The shared lines of the articles written since the last graph.ttl, and the scheme's
        and places list's."""
        lines: set[bytes] = set()
        for (data,) in chain(
            self.db.execute("SELECT shared FROM article WHERE name NOT IN (SELECT name FROM segment)"),
            self.db.execute("SELECT data FROM extra"),
        ):
            lines.update(_nt_lines(data))
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
                lines.update(_nt_lines(data))
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
        with _atomic(path) as out:
            self.write_quads(out)

    def graphs(self) -> Iterator[tuple[ox.NamedNode, bytes]]:
        """(graph name, N-Triples) of each article's complete graph in name order, then the
        scheme and the places list (in the shared graph)."""
        for name, own, shared in self.db.execute("SELECT name, own, shared FROM article ORDER BY name"):
            yield _graph_of(name), bytes(own) + bytes(shared)
        for graph, data in self.db.execute("SELECT graph, data FROM extra ORDER BY graph"):
            yield (SHARED_GRAPH if graph == PLACES else ox.NamedNode(graph)), bytes(data)

    def article_ntriples(self, name: str) -> bytes | None:
        """One article's complete graph as N-Triples."""
        row = self.db.execute("SELECT own, shared FROM article WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0]) + bytes(row[1])

    def extra_ntriples(self, graph: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM extra WHERE graph = ?", (graph,)).fetchone()
        return None if row is None else bytes(row[0])

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL over the union of all graphs; the answer as an rdflib Result."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k.lstrip("?$")): to_ox(val) for k, val in (bindings or {}).items()
        }
        try:
            try:
                answer = self.store.query(
                    text, prefixes=PREFIXES, substitutions=subs, use_default_graph_as_union=True
                )
            except RuntimeError as exc:
                if "projection" not in str(exc):
                    raise QueryError(f"query failed: {' '.join(str(exc).split())}") from exc
                # Oxigraph substitutes only projected variables; bind the others as rdflib's
                # initBindings does, with a VALUES block of the terms as Oxigraph writes them
                answer = self.store.query(with_values(text, subs), prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL: {' '.join(str(exc).split())}") from exc
        return to_result(answer)

    def __len__(self) -> int:
        return len(self.store)


def _catching(work: Callable[[], object], failed: list[BaseException]) -> Callable[[], None]:
    """work() for a thread: an exception is kept for the caller to raise, not printed and lost."""

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the thread that joins
            failed.append(exc)

    return run


def _stamp(path: Path, stat: os.stat_result) -> str:
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def _nt_lines(data: bytes) -> list[bytes]:
    """N-Triples lines, each ending in a newline."""
    data = bytes(data)
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data.splitlines(keepends=True)


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


def copy_file(src: Path, dest: Path | BinaryIO) -> None:
    """src streamed to dest: a path (written atomically) or an open binary stream."""
    with open(src, "rb") as f:
        if not isinstance(dest, Path):
            shutil.copyfileobj(f, dest, 1 << 20)
            return
        with _atomic(dest) as out:
            shutil.copyfileobj(f, out, 1 << 20)


class _atomic:
    """A file written under a temporary name and renamed over `path` when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part = path.with_name(f".{path.name}.tmp")

    def __enter__(self) -> BinaryIO:
        self.out: BinaryIO = open(self.part, "wb", buffering=1 << 20)
        return self.out

    def __exit__(self, kind: object, *rest: object) -> None:
        self.out.close()
        if kind is None:
            self.part.replace(self.path)
        else:
            self.part.unlink(missing_ok=True)


WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, subs: Mapping[ox.Variable, Any]) -> str:
    """`query` with `VALUES (?v …) { (term …) }` at the head of its outermost WHERE group.
    The terms are serialised by Oxigraph (N-Triples escaping), so no value can change the
    query's structure."""
    m = WHERE_OPEN.search(query)
    if m is None:
        raise QueryError("binding values needs a query with a WHERE { … } clause")
    names = " ".join(str(var) for var in subs)
    terms = " ".join(str(term) for term in subs.values())
    return f"{query[: m.end()]} VALUES ({names}) {{ ({terms}) }} {query[m.end() :]}"



def _graph_of(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(v.article_iri(name)))


def _quads(name: str, own: bytes) -> bytes:
    """An article's own N-Triples as N-Quads in its graph."""
    return own.replace(b" .\n", f" {_graph_of(name)} .\n".encode())


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


# -- term conversion -------------------------------------------------------------


def to_ox(term: Identifier | str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.Literal(str(term))


def to_rdflib(term: Any) -> Identifier | None:
    return None if term is None else _rdflib_term(term)


def _rdflib_term(term: Any) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def to_result(answer: Any) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(answer)
        return r
    if isinstance(answer, ox.QuerySolutions):
        r = Result("SELECT")
        r.vars = [Variable(var.value) for var in answer.variables]
        columns = list(enumerate(r.vars))
        # a term is converted once: an aggregate's rows repeat a few labels and counts,
        # and rdflib's Literal costs microseconds to make (70,000 rows: 2.7 s → 0.1 s)
        made: dict[Any, Identifier] = {}
        bindings: list[Mapping[Variable, Identifier]] = []
        for sol in answer:
            row: dict[Variable, Identifier] = {}
            for i, var in columns:
                term = sol[i]
                if term is not None:
                    if (value := made.get(term)) is None:
                        value = made[term] = _rdflib_term(term)
                    row[var] = value
            bindings.append(row)
        r.bindings = bindings
        return r
    g = Graph()
    for t in answer:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    r = Result("CONSTRUCT")
    r.graph = g
    return r
