"""Run the stages over a corpus: read, normalise, extract, build, export.

    report = build_corpus(["articles/"], Path("exports"))

Bad articles are reported (one line each on stderr) and skipped; every other
article is built. Extraction is a pure function of one article, so it runs in
a process pool when jobs > 1.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter, deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TextIO, TypeVar

from tqdm import tqdm

from graph.errors import GovkgError
from graph.files import write_atomic
from graph.ingest.read import check_paths, count_articles, iter_articles
from graph.outputs.html import write_html
from graph.rdf.build import GraphBuilder, scheme_ntriples
from graph.rdf.serialize import write_turtle
from graph.records import ArticleGraph, RawArticle, Skip, Unchanged
from graph.run import worker
from graph.run.validate import validate, write_report
from graph.store.keys import content_hash, input_hash
from graph.store.source import VIEW_LIMIT
from graph.store.store import GraphStore, discard_store, open_store
from graph.tables import PACKAGE

SAMPLES = PACKAGE / "data" / "samples"
VALIDATE_LIMIT = 300_000  # triples; SHACL validation of larger builds is left to `build_graph.py validate`
ENGINES = ("local", "dask")  # where extraction runs: a process pool here, or a Dask cluster
PUSH_TIMEOUT = 120  # seconds per request to a --push store


@dataclass
class BuildReport:
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skip_lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    triples: int = 0
    extracted: int = 0  # articles extracted in this run
    unchanged: int = 0  # articles whose content had not changed since the last build
    removed: int = 0  # articles no longer among the inputs, taken out of the store
    conforms: bool | None = None  # SHACL validation (None: not validated)
    violations: int = 0
    outputs: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"built {self.articles} article(s), {self.triples} triples"]
        if self.unchanged or self.removed:
            parts.append(f"{self.extracted} extracted, {self.unchanged} unchanged, {self.removed} removed")
        if self.skipped:
            why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
            parts.append(f"skipped {sum(self.skipped.values())} ({why})")
        if self.failed:
            parts.append(f"{len(self.failed)} failed in extraction")
        if self.conforms is not None:
            parts.append("conforms to the shapes" if self.conforms else f"{self.violations} SHACL result(s)")
        return "; ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "extracted": self.extracted,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "conforms": self.conforms,
            "violations": self.violations,
            "triples": self.triples,
            "skipped": dict(sorted(self.skipped.items())),
            "skips": self.skip_lines,
            "failed": self.failed,
            "outputs": self.outputs,
        }


POOL_BATCH = 8  # articles sent to a worker at a time
IN_FLIGHT = 2000  # articles the pool may hold: workers go on while the store loads a chunk
T = TypeVar("T")


def batched(items: Iterable[T], n: int) -> Iterator[tuple[T, ...]]:
    it = iter(items)
    while chunk := tuple(islice(it, n)):
        yield chunk


def _run(jobs: Iterable[tuple[RawArticle, str]], workers: int) -> Iterator[ArticleGraph | str]:
    if workers <= 1:
        yield from map(worker.article_triples, jobs)
        return
    # a bounded window of batches in flight (Executor.map would read the whole corpus first),
    # wide enough to keep the workers busy while the store loads a chunk
    window: deque[Future[list[ArticleGraph | str]]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in batched(jobs, POOL_BATCH):
            window.append(pool.submit(_triples_of, list(batch)))
            if len(window) >= max(workers * 4, IN_FLIGHT // POOL_BATCH):
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


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
) -> BuildReport:
    """Build the graph of every article under `paths` into `out_dir`.

    The store in out_dir/store is updated: articles whose content changed are
    extracted again, articles no longer among the inputs are removed, the rest
    are kept as they are (`full=True` starts from an empty store).

    `engine="dask"` extracts on a Dask cluster (graph/run/distributed.py): a local one
    of `jobs` processes, or the scheduler at `scheduler` (tcp://host:port), with
    N-Quads partitions in `partition_dir` (default out_dir/partitions; shared
    storage on a real cluster). `push` is a SPARQL 1.1 Graph Store endpoint the
    built graphs are sent to once the local store is written (graph/run/push.py)."""
    if engine not in ENGINES:
        raise GovkgError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise GovkgError(f"a scheduler ({scheduler}) needs engine 'dask'")
    report = BuildReport()
    check_paths(paths)  # now (InputError), before anything is opened or shown
    out_dir.mkdir(parents=True, exist_ok=True)
    if full:
        discard_store(out_dir)
    store = open_store(out_dir)
    try:
        removed = _update(
            store, paths, report, jobs, quiet, log, engine, scheduler, partition_dir or out_dir / "partitions"
        )
        store.put_scheme(scheme_ntriples())
        store.put_places(_all_places() if all_places else None)
        store.commit(during_compaction=lambda: _export(store, out_dir, report, html, quiet, log))
        if push is not None:
            from graph.run.push import push_graph

            pushed = push_graph(store, push, timeout=PUSH_TIMEOUT, removed=removed)
            if not quiet:
                _say(log, pushed.summary(push), None)
        return report
    finally:
        store.close()


def _update(
    store: GraphStore,
    paths: Sequence[str | Path],
    report: BuildReport,
    jobs: int | None,
    quiet: bool,
    log: TextIO,
    engine: str,
    scheduler: str | None,
    partition_dir: Path,
) -> list[str]:
    """Extract the new and changed articles into the store and remove the vanished ones
    (their names are returned); the counts go into the report."""
    store.begin()
    known = store.hashes()
    seen: set[str] = set()
    # an input whose bytes are those of the article the store has is not even decoded
    items = iter_articles(paths, unchanged=lambda name, digest: known.get(name) == input_hash(name, digest))
    total = None if quiet else count_articles(paths)  # for the bar's ETA
    bar = tqdm(desc="articles", total=total, unit=" art", disable=quiet, file=log, dynamic_ncols=True)

    def todo() -> Iterator[tuple[RawArticle, str]]:
        for item in items:
            if isinstance(item, Skip):
                report.skipped[item.reason] += 1
                report.skip_lines.append(item.line())
                _say(log, item.line(), bar)
                bar.update(1)
                continue
            seen.add(item.name)
            if isinstance(item, Unchanged):
                report.unchanged += 1
                bar.update(1)
                continue
            yield item, content_hash(item)

    if engine == "dask":
        from graph.run.distributed import run_dask

        results = run_dask(todo(), scheduler, partition_dir, workers=jobs)
    else:
        results = _run(todo(), jobs or os.cpu_count() or 1)
    try:
        for result in results:
            if isinstance(result, str):
                report.failed.append(result)
                _say(log, result, bar)
            else:
                store.put_graph(result)
                report.extracted += 1
            bar.update(1)
    finally:
        if isinstance(results, Generator):  # stop the workers (a cluster) now, not when collected
            results.close()
    bar.close()
    removed = sorted(set(known) - seen)
    for gone in removed:
        store.remove_article(gone)
        report.removed += 1
    report.articles = len(seen) - len(report.failed)
    return removed


def _all_places() -> bytes:
    builder = GraphBuilder()
    builder.add_all_places()
    return builder.ntriples()


def _export(store: GraphStore, out_dir: Path, report: BuildReport, html: bool, quiet: bool, log: TextIO) -> None:
    """graph.ttl from the store (pretty Turtle when small, streamed N-Triples when large);
    graph.nq, validation and the HTML view when the graph is small."""
    report.triples = store.triples()
    small = report.triples <= VIEW_LIMIT
    if small:
        union = store.union_graph()
        write_turtle(union, out_dir / "graph.ttl")
    else:
        store.write_turtle(out_dir / "graph.ttl")
    report.outputs.append(str(out_dir / "graph.ttl"))
    if small:
        store.write_quads(out_dir / "graph.nq")
        report.outputs.append(str(out_dir / "graph.nq"))
    else:
        (out_dir / "graph.nq").unlink(missing_ok=True)  # an older, smaller build's
        if not quiet:
            _say(
                log,
                f"graph.nq not written for {report.triples} triples; write it with "
                f"`python build_graph.py export --graph {out_dir} --format nquads --out FILE`",
                None,
            )
    if small and report.triples <= VALIDATE_LIMIT:
        result = validate(union)
        write_report(result, out_dir / "validation.ttl")
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
    if html:
        if small:
            write_html(union, out_dir / "graph.html")
            report.outputs.append(str(out_dir / "graph.html"))
        else:
            _say(
                log,
                f"graph.html not drawn: {report.triples} triples is more than {VIEW_LIMIT}; "
                "draw a part with `python build_graph.py view`",
                None,
            )
    write_atomic(
        out_dir / "report.json",
        (json.dumps(report.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"),
    )
    report.outputs.append(str(out_dir / "report.json"))


def _say(log: TextIO, line: str, bar: tqdm | None) -> None:
    """One line on stderr, without breaking the progress bar."""
    if bar is not None and not bar.disable:
        bar.write(line, file=log)
    else:
        print(line, file=log)
