"""What the store's parts are called, and how articles are keyed: the file and graph
names, the archive's schema, content hashes, and an article's split into its own and
its shared lines.
"""

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.rdf import vocab as v
from graph.records import RawArticle
from graph.tables import ONTOLOGY, PACKAGE

STORE_DIR = "store"
ARCHIVE = "store.sqlite"
SCHEME = ox.NamedNode(str(v.SCHEME_GRAPH))
SHARED_GRAPH = ox.NamedNode(str(v.SHARED_GRAPH))  # the places list's name in graph.nq and a push
PLACES = "places"  # the archive's name for the `--all-places` list (in the default graph)
DEFAULT = ox.DefaultGraph()
BATCH = 200  # articles written to the archive per transaction
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
    root = PACKAGE
    files = sorted(root.rglob("*.py")) + sorted(ONTOLOGY.glob("*.*"))
    for f in files:
        h.update(f.relative_to(root.parent).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def content_hash(raw: RawArticle) -> str:
    """What decides whether an article must be extracted again: the code, its name, and the
    bytes it was read from (`input_digest`, set by graph.ingest.read; for an article made in
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


def stamp(path: Path, stat: os.stat_result) -> str:
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def nt_lines(data: bytes) -> list[bytes]:
    """N-Triples lines, each ending in a newline."""
    data = bytes(data)
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data.splitlines(keepends=True)


def graph_of(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(v.article_iri(name)))


def article_quads(name: str, own: bytes) -> bytes:
    """An article's own N-Triples as N-Quads in its graph."""
    return own.replace(b" .\n", f" {graph_of(name)} .\n".encode())
