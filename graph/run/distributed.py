"""Extraction on a Dask distributed cluster (`build --engine dask`).

    for result in run_dask(jobs, "tcp://10.0.0.5:8786", Path("/shared/govkg/partitions")):
        ...  # an ArticleGraph per article in input order, or a failure message

Articles go to the workers in batches; each task runs the same pure function
as the local process pool (graph.run.worker.article_triples) over its batch and
writes one N-Quads partition file (each article's triples in the named graph
of its IRI) into `partition_dir`, returning only the names, digests and byte
ranges. The driver reads each partition back in input order and hands every
article's chunk to the caller, which loads it into the store as usual
(GraphStore.put_graph: archived and loaded as in a local build). Only a
window of batches is in flight at a time, so memory is bounded whatever the
corpus size.

On a real cluster `partition_dir` must be shared storage (NFS, a cluster file
system) mounted at the same path on the driver and every worker, and every
worker must run the same version of govkg (checked: a worker with other code
would give other graphs for the same content hashes). See docs/cluster.md.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from graph.errors import GovkgError, one_line
from graph.rdf.vocab import article_iri
from graph.records import ArticleGraph, RawArticle

Result = ArticleGraph | str
CONNECT_TIMEOUT = 30  # seconds to reach a scheduler


@dataclass(frozen=True)
class Partition:
    """What a task returns: its file, and per article (name, digest, start, end) or a failure message."""

    path: str
    entries: list[tuple[str, str, int, int] | str]
    code: str  # graph.store.store.code_version() on the worker


def run_dask(
    jobs: Iterable[tuple[RawArticle, str]],
    scheduler: str | None,
    partition_dir: Path,
    batch: int = 500,
    *,
    workers: int | None = None,
) -> Iterator[Result]:
    """Extract `jobs` (article, content hash) on Dask; yield results in input order.

    `scheduler` None starts a LocalCluster of `workers` processes (default: one per
    core, one thread each); otherwise it is the address of a running scheduler
    (tcp://host:8786). Partition files are removed once loaded."""
    if batch < 1:
        raise GovkgError(f"batch must be at least 1, not {batch}")
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise GovkgError("--engine dask needs the dask[distributed] package: pip install 'dask[distributed]'") from exc
    from graph.store.keys import code_version

    todo = iter(jobs)
    first = list(islice(todo, batch))
    if not first:  # nothing changed: no cluster to start
        return
    partition_dir = partition_dir.resolve()  # workers may start in another folder
    created = not partition_dir.exists()
    try:
        partition_dir.mkdir(parents=True, exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix="build-", dir=partition_dir))
    except OSError as exc:
        raise GovkgError(f"cannot create the partition folder {partition_dir}: {exc}") from exc
    cluster: Any = None
    client: Any = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                processes=True,
                threads_per_worker=1,
                host="127.0.0.1",
                dashboard_address=None,
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},  # no fixed :8787
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise GovkgError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(exc)}") from exc
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
        window = max(2, 2 * threads)  # batches in flight
        expected = code_version()
        pending: deque[Any] = deque()
        seq = 0
        while True:
            while len(pending) < window:
                chunk, first = first or list(islice(todo, batch)), []
                if not chunk:
                    break
                path = run_dir / f"part-{seq:06d}.nq"
                pending.append(client.submit(write_partition, chunk, str(path), key=f"govkg-part-{seq}-{run_dir.name}"))
                seq += 1
            if not pending:
                break
            future = pending.popleft()
            try:
                part: Partition = future.result()
            except Exception as exc:
                raise GovkgError(
                    f"a Dask task failed: {type(exc).__name__}: {one_line(exc)} (the scheduler and every worker "
                    "need govkg importable, the same version as here: see docs/cluster.md)"
                ) from exc
            if part.code != expected:
                raise GovkgError(
                    f"a Dask worker runs other govkg code (version {part.code[:12]}, here {expected[:12]}): "
                    "install the same version on every worker"
                )
            yield from read_partition(part)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        shutil.rmtree(run_dir, ignore_errors=True)
        if created:
            with suppress(OSError):  # only when empty: another build may be using it
                partition_dir.rmdir()


def write_partition(chunk: list[tuple[RawArticle, str]], path: str) -> Partition:
    """The task: extract every article of `chunk` and write their graphs as one N-Quads file."""
    from graph.run.worker import article_triples  # looked up per task (tests replace it)
    from graph.store.keys import code_version

    entries: list[tuple[str, str, int, int] | str] = []
    parts: list[bytes] = []
    offset = 0
    for job in chunk:
        result = article_triples(job)
        if isinstance(result, str):
            entries.append(result)
            continue
        quads = to_nquads(result.ntriples, f"<{article_iri(result.name)}>")
        entries.append((result.name, result.digest, offset, offset + len(quads)))
        parts.append(quads)
        offset += len(quads)
    target = Path(path)
    part = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # a retried task may race a lost one
    part.write_bytes(b"".join(parts))
    part.replace(target)
    return Partition(path, entries, code_version())


def read_partition(part: Partition) -> Iterator[Result]:
    """Each article of a written partition as an ArticleGraph, or its failure message."""
    from graph.store.keys import split_shared

    path = Path(part.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GovkgError(
            f"cannot read the partition {path} written by a Dask worker ({exc.strerror}): "
            "the partition folder must be shared storage mounted at the same path everywhere"
        ) from exc
    path.unlink(missing_ok=True)
    for entry in part.entries:
        if isinstance(entry, str):
            yield entry
            continue
        name, digest, start, end = entry
        yield ArticleGraph(name, digest, *split_shared(to_ntriples(data[start:end], f"<{article_iri(name)}>")))


def to_nquads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines (each ending ' .') as N-Quads lines in `graph` (an IRI in <…>)."""
    tail = f" {graph} .\n".encode()
    lines = (line.rstrip() for line in ntriples.splitlines())
    return b"".join(line[:-1].rstrip() + tail for line in lines if line)


def to_ntriples(nquads: bytes, graph: str) -> bytes:
    """The inverse of to_nquads for lines of one graph."""
    tail = f" {graph} .".encode()
    out = []
    for line in nquads.splitlines():
        if not line.endswith(tail):
            raise GovkgError(f"a partition line is not in the graph {graph}: {line[:80]!r}")
        out.append(line[: -len(tail)] + b" .\n")
    return b"".join(out)
