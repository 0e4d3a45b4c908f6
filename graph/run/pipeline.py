"""Run the stages over a corpus: read, normalise, extract, build, export.

    report = build_corpus(["articles/"], Path("exports"))

Bad articles are reported (one line each on stderr) and skipped; every other
article is built. Extraction is a pure function of one article, so it runs in
a process pool when jobs > 1.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TextIO, TypeVar

from tqdm import tqdm

from graph.errors import GovkgError, RemovalRefused, StorageError, one_line
from graph.ingest.read import check_paths, count_articles, iter_articles
from graph.outputs.html import write_html
from graph.rdf.build import GraphBuilder, scheme_ntriples
from graph.rdf.serialize import write_turtle
from graph.records import ArticleGraph, RawArticle, Skip, Unchanged
from graph.run import worker
from graph.run.exports import ExportSet
from graph.run.lock import build_lock
from graph.run.parts import split_article
from graph.run.report import BuildReport
from graph.run.signals import interruptible, stop_pool
from graph.run.validate import validate, write_report
from graph.store.keys import ARCHIVE, content_hash, input_hash
from graph.store.source import VIEW_LIMIT
from graph.store.store import GraphStore, discard_store, open_store
from graph.tables import PACKAGE

SAMPLES = PACKAGE / "data" / "samples"
VALIDATE_LIMIT = 300_000  # triples; SHACL validation of larger builds is left to `build_graph.py validate`
ENGINES = ("local", "dask")  # where extraction runs: a process pool here, or a Dask cluster
PUSH_TIMEOUT = 120  # seconds per request to a --push store
MAX_ARTICLE_MB = 2.0  # articles larger than this are split at paragraph boundaries (--max-article-mb)
__all__ = ["SAMPLES", "BuildReport", "build_corpus"]


POOL_BATCH = 8  # articles sent to a worker at a time
IN_FLIGHT = 2000  # articles the pool may hold: workers go on while the store loads a chunk
T = TypeVar("T")


def batched(items: Iterable[T], n: int) -> Iterator[tuple[T, ...]]:
    it = iter(items)
    while chunk := tuple(islice(it, n)):
        yield chunk


def _run(jobs: Iterable[tuple[RawArticle, str]], workers: int, budget: float) -> Iterator[ArticleGraph | str]:
    if workers <= 1:
        worker.set_budget(budget)
        try:
            yield from map(worker.article_triples, jobs)
        finally:
            worker.set_budget(0)
        return
    # a bounded window of batches in flight (Executor.map would read the whole corpus first),
    # wide enough to keep the workers busy while the store loads a chunk
    window: deque[Future[list[ArticleGraph | str]]] = deque()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker.init_worker, initargs=(os.getpid(), budget))
    try:
        for batch in batched(jobs, POOL_BATCH):
            window.append(pool.submit(_triples_of, list(batch)))
            if len(window) >= max(workers * 4, IN_FLIGHT // POOL_BATCH):
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    except BaseException:  # a signal, an error, or the consumer gone: the workers stop now
        stop_pool(pool)
        raise
    pool.shutdown()


def _triples_of(batch: list[tuple[RawArticle, str]]) -> list[ArticleGraph | str]:
    return [worker.article_triples(job) for job in batch]


def build_corpus(
    paths: Sequence[str | Path],
    out_dir: Path,
    *,
    jobs: int | None = None,
    quiet: bool = False,
    html: bool = True,
    full: bool = False,
    all_places: bool = False,
    log: TextIO = sys.stderr,
    engine: str = "local",
    scheduler: str | None = None,
    partition_dir: Path | None = None,
    push: str | None = None,
    prune: bool = False,
    max_article_mb: float = MAX_ARTICLE_MB,
    article_seconds: float = worker.ARTICLE_SECONDS,
) -> BuildReport:
    """Build the graph of every article under `paths` into `out_dir`.

    The store in out_dir/store is updated: articles whose content changed are
    extracted again, articles no longer among the inputs are removed, the rest
    are kept as they are (`full=True` starts from an empty store). An input that
    cannot be read keeps the graph it had; a rebuild that would remove more than
    half of the articles raises RemovalRefused unless `prune`.

    The whole build holds out_dir's lock (graph.run.lock: BuildBusy when another build
    has it); SIGTERM and SIGINT stop it with Interrupted, workers killed, the last
    exports kept; disk and I/O errors become StorageError naming the path. An article
    over `max_article_mb` is split at paragraph boundaries (graph.run.parts); one whose
    extraction takes more than `article_seconds` (0: no limit) is skipped with one line.

    `engine="dask"` extracts on a Dask cluster (graph/run/distributed.py): a local one
    of `jobs` processes, or the scheduler at `scheduler` (tcp://host:port), with
    N-Quads partitions in `partition_dir` (default out_dir/partitions; shared
    storage on a real cluster). `push` is a SPARQL 1.1 Graph Store endpoint the
    built graphs are sent to once the local store is written (graph/run/push.py)."""
    if engine not in ENGINES:
        raise GovkgError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise GovkgError(f"a scheduler ({scheduler}) needs engine 'dask'")
    if max_article_mb <= 0:
        raise GovkgError(f"max article size {max_article_mb} MB: expected a positive number")
    report = BuildReport()
    check_paths(paths)  # now (InputError), before anything is opened or shown
    options = _Options(jobs, quiet, log, engine, scheduler, partition_dir or out_dir / "partitions", prune)
    options.max_bytes = int(max_article_mb * (1 << 20))
    options.seconds = article_seconds
    try:
        with build_lock(out_dir), interruptible(out_dir):
            return _build_locked(
                paths, out_dir, report, options, html=html, full=full, all_places=all_places, push=push
            )
    except OSError as exc:
        where = exc.filename if exc.filename is not None else out_dir
        raise StorageError(f"{where}: {_os_words(exc)}; free space or fix the file system and build again") from exc
    except sqlite3.Error as exc:
        raise StorageError(f"{out_dir / ARCHIVE}: {one_line(exc)}; free space or build again with --full") from exc


class _Options:
    """A build's settings, as _update takes them."""

    def __init__(
        self,
        jobs: int | None,
        quiet: bool,
        log: TextIO,
        engine: str,
        scheduler: str | None,
        partition_dir: Path,
        prune: bool,
    ) -> None:
        self.jobs, self.quiet, self.log, self.engine = jobs, quiet, log, engine
        self.scheduler, self.partition_dir, self.prune = scheduler, partition_dir, prune
        self.max_bytes = int(MAX_ARTICLE_MB * (1 << 20))
        self.seconds = worker.ARTICLE_SECONDS


def _os_words(exc: OSError) -> str:
    return exc.strerror or one_line(exc)


def _build_locked(
    paths: Sequence[str | Path],
    out_dir: Path,
    report: BuildReport,
    options: _Options,
    *,
    html: bool,
    full: bool,
    all_places: bool,
    push: str | None,
) -> BuildReport:
    if full:
        discard_store(out_dir)
    store = open_store(out_dir)
    try:
        removed = _update(store, paths, report, options)
        if report.articles == 0 and not report.kept:
            _say(options.log, f"warning: no article found in {', '.join(map(str, paths))}", None)
        store.put_scheme(scheme_ntriples())
        store.put_places(_all_places() if all_places else None)
        exports = ExportSet(out_dir)
        try:
            store.commit(
                during_compaction=lambda: _export(store, out_dir, exports, report, html, options.quiet, options.log)
            )
        finally:
            exports.discard()
        if push is not None:
            from graph.run.push import push_graph

            pushed = push_graph(store, push, timeout=PUSH_TIMEOUT, removed=removed)
            if not options.quiet:
                _say(options.log, pushed.summary(push), None)
        return report
    finally:
        store.close()


def _update(store: GraphStore, paths: Sequence[str | Path], report: BuildReport, options: _Options) -> list[str]:
    """Extract the new and changed articles into the store and remove the vanished ones
    (their names are returned); the counts go into the report."""
    log, quiet = options.log, options.quiet
    store.begin()
    known = store.hashes()
    seen: set[str] = set()
    unreadable: list[str] = []  # names of inputs that could not be read (a jsonl file: NAME#)
    # an input whose bytes are those of the article the store has is not even decoded
    items = iter_articles(paths, unchanged=lambda name, digest: known.get(name) == input_hash(name, digest))
    total = None if quiet else count_articles(paths)  # for the bar's ETA
    bar = tqdm(desc="articles", total=total, unit=" art", disable=quiet, file=log, dynamic_ncols=True)

    def todo() -> Iterator[tuple[RawArticle, str]]:
        for item in items:
            if isinstance(item, Skip):
                report.skipped[item.reason] += 1
                report.skip_lines.append(item.line())
                if item.reason == "unreadable" and item.name:
                    unreadable.append(item.name)
                _say(log, item.line(), bar)
                bar.update(1)
                continue
            if isinstance(item, Unchanged):
                seen.add(item.name)
                report.unchanged += 1
                bar.update(1)
                continue
            if item.replaced:
                report.replaced[item.source] = item.replaced
            parts = split_article(item, options.max_bytes)
            if len(parts) > 1:
                report.split[item.source] = len(parts)
                _say(log, f"split {item.source}: over {options.max_bytes / (1 << 20):g} MB, in {len(parts)} parts", bar)
            for part in parts:
                seen.add(part.name)
                digest = content_hash(part)
                if len(parts) > 1 and known.get(part.name) == digest:
                    report.unchanged += 1  # a part of a split article, as it was built
                    continue
                yield part, digest
            bar.update(1)

    if options.engine == "dask":
        from graph.run.distributed import run_dask

        results = run_dask(todo(), options.scheduler, options.partition_dir, workers=options.jobs)
    else:
        results = _run(todo(), options.jobs or os.cpu_count() or 1, options.seconds)
    try:
        for result in results:
            if isinstance(result, str):
                report.failed.append(result)
                _say(log, result, bar)
            else:
                store.put_graph(result)
                report.extracted += 1
    finally:
        if isinstance(results, Generator):  # stop the workers (a cluster) now, not when collected
            results.close()
    bar.close()
    kept = sorted(n for n in set(known) - seen if any(n == u or n.startswith(u + "#") for u in unreadable))
    for name in kept:
        _say(log, f"kept {name}: its input could not be read; its last good graph stays", None)
    report.kept = kept
    seen.update(kept)
    removed = sorted(set(known) - seen)
    if len(removed) * 2 > len(known) and not options.prune:
        raise RemovalRefused(
            f"this build would remove {len(removed)} of the {len(known)} articles built before "
            f"(inputs missing or unreadable); check the paths, or give --prune to remove them"
        )
    for gone in removed:
        store.remove_article(gone)
        report.removed += 1
    report.articles = len(seen) - len(report.failed)
    return removed


def _all_places() -> bytes:
    builder = GraphBuilder()
    builder.add_all_places()
    return builder.ntriples()


def _export(
    store: GraphStore, out_dir: Path, exports: ExportSet, report: BuildReport, html: bool, quiet: bool, log: TextIO
) -> None:
    """graph.ttl from the store (pretty Turtle when small, streamed N-Triples when large);
    graph.nq, validation and the HTML view when the graph is small: staged, then published
    with report.json (graph.run.exports)."""
    report.triples = store.triples()
    small = report.triples <= VIEW_LIMIT
    drop = []
    if small:
        union = store.union_graph()
        write_turtle(union, exports.path("graph.ttl"))
    else:
        store.write_turtle(out_dir / "graph.ttl", into=exports.path("graph.ttl"))
    report.outputs.append(str(out_dir / "graph.ttl"))
    if small:
        store.write_quads(exports.path("graph.nq"))
        report.outputs.append(str(out_dir / "graph.nq"))
    else:
        drop.append("graph.nq")  # an older, smaller build's
        if not quiet:
            _say(
                log,
                f"graph.nq not written for {report.triples} triples; write it with "
                f"`python build_graph.py export --graph {out_dir} --format nquads --out FILE`",
                None,
            )
    if small and report.triples <= VALIDATE_LIMIT:
        result = validate(union)
        write_report(result, exports.path("validation.ttl"))
        report.conforms = result.conforms
        report.violations = result.results
        report.outputs.append(str(out_dir / "validation.ttl"))
        if not result.conforms:
            _say(
                log,
                f"the graph does not conform to ontology/shapes.ttl: {result.results} result(s), "
                f"see {out_dir / 'validation.txt'}",
                None,
            )
    else:
        report.validation = (
            f"SHACL validation skipped: {report.triples} triples is more than {VALIDATE_LIMIT}; "
            f"run `python build_graph.py validate --graph {out_dir}`"
        )
    if html:
        if small:
            write_html(union, exports.path("graph.html"))
            report.outputs.append(str(out_dir / "graph.html"))
        else:
            _say(
                log,
                f"graph.html not drawn: {report.triples} triples is more than {VIEW_LIMIT}; "
                "draw a part with `python build_graph.py view`",
                None,
            )
    report.outputs.append(str(out_dir / "report.json"))

    def report_json(digests: dict[str, str]) -> bytes:
        report.exports = digests
        return (json.dumps(report.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    exports.publish(report_json, drop=drop)


def _say(log: TextIO, line: str, bar: tqdm | None) -> None:
    """One line on stderr, without breaking the progress bar."""
    if bar is not None and not bar.disable:
        bar.write(line, file=log)
    else:
        print(line, file=log)
