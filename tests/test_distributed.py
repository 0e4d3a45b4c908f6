"""`build --engine dask`: the same graph as a local build, partitions in input order.

A LocalCluster of 2 worker processes (one thread each) stands in for a real
cluster: once started by run_dask itself (scheduler None), once as a running
cluster reached through its tcp:// address, as `--scheduler` does.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

pytest.importorskip("distributed")

from graph.errors import GovkgError
from graph.ingest.read import iter_articles
from graph.records import ArticleGraph, RawArticle
from graph.run import distributed
from graph.run.distributed import Partition, read_partition, run_dask, to_nquads, to_ntriples, write_partition
from graph.run.pipeline import build_corpus
from graph.run.worker import article_triples
from graph.store.keys import content_hash
from graph.store.store import open_store


def _jobs(folder: Path) -> list[tuple[RawArticle, str]]:
    return [(a, content_hash(a)) for a in iter_articles([folder]) if isinstance(a, RawArticle)]


def _lines(result: ArticleGraph | str) -> tuple[str, str, list[bytes], list[bytes]] | str:
    """A result with its N-Triples parts as sorted lines (rdflib writes them in a per-process order)."""
    if isinstance(result, str):
        return result
    return result.name, result.digest, sorted(result.own.splitlines()), sorted(result.shared.splitlines())


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_build_equals_local_build(tmp_path: Path, samples_dir: Path, built_samples: tuple[Path, Graph]) -> None:
    local_dir, local_graph = built_samples
    out = tmp_path / "dask"
    log = io.StringIO()
    report = build_corpus([samples_dir], out, jobs=2, quiet=True, html=False, log=log, engine="dask")
    assert report.articles == 5 and report.extracted == 5 and not report.failed, log.getvalue()
    assert (out / "graph.ttl").read_bytes() == (local_dir / "graph.ttl").read_bytes()
    g = Graph().parse(out / "graph.ttl", format="turtle")
    assert isomorphic(g, local_graph)
    assert (out / "graph.nq").read_bytes() == (local_dir / "graph.nq").read_bytes()
    store = open_store(out)
    assert store.hashes() == {a.name: digest for a, digest in _jobs(samples_dir)}
    assert not (out / "partitions").exists()  # partitions are removed once loaded


def test_run_dask_keeps_input_order(tmp_path: Path, samples_dir: Path, cluster_address: str) -> None:
    jobs = _jobs(samples_dir)
    parts = tmp_path / "parts"
    parts.mkdir()
    got = list(run_dask(jobs, cluster_address, parts, batch=2))  # 3 partitions over 2 workers
    assert [_lines(r) for r in got] == [_lines(article_triples(job)) for job in jobs]
    assert list(parts.iterdir()) == []  # the run's folder is gone, the given folder kept


def test_incremental_rebuild_on_a_running_cluster(
    tmp_path: Path, samples_dir: Path, cluster_address: str, built_samples: tuple[Path, Graph]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(samples_dir, corpus)
    out = tmp_path / "out"
    build_corpus([corpus], out, quiet=True, html=False, engine="dask", scheduler=cluster_address)
    first = sorted(corpus.iterdir())[0]
    first.unlink()
    report = build_corpus([corpus], out, quiet=True, html=False, engine="dask", scheduler=cluster_address)
    assert (report.extracted, report.unchanged, report.removed) == (0, 4, 1)
    shutil.copy(samples_dir / first.name, first)
    report = build_corpus([corpus], out, quiet=True, html=False, engine="dask", scheduler=cluster_address)
    assert (report.extracted, report.unchanged, report.removed) == (1, 4, 0)
    assert (out / "graph.ttl").read_bytes() == (built_samples[0] / "graph.ttl").read_bytes()


def test_partition_keeps_failures_in_place(tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = _jobs(samples_dir)[:3]
    real = article_triples

    def flaky(job: tuple[RawArticle, str]) -> ArticleGraph | str:
        return f"failed {job[0].source}: boom" if job is jobs[1] else real(job)

    monkeypatch.setattr("graph.run.worker.article_triples", flaky)
    part = write_partition(jobs, str(tmp_path / "part-000000.nq"))
    assert isinstance(part, Partition) and isinstance(part.entries[1], str)
    quads = (tmp_path / "part-000000.nq").read_bytes()
    expected = [real(j) for j in (jobs[0], jobs[2])]
    assert quads.count(b"\n") == sum(r.ntriples.count(b"\n") for r in expected if not isinstance(r, str))
    got = [_lines(r) for r in read_partition(part)]
    assert got == [_lines(real(jobs[0])), f"failed {jobs[1][0].source}: boom", _lines(real(jobs[2]))]
    assert not (tmp_path / "part-000000.nq").exists()


def test_nquads_round_trip() -> None:
    nt = (
        b'<http://a/s> <http://a/p> "x .\\n y" .\n'
        b'<http://a/s> <http://a/q> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        b'<http://a/s> <http://a/r> "\xe4\xb8\xad"@zh .\n'
    )
    nq = to_nquads(nt, "<http://g/1>")
    assert nq.splitlines()[0] == b'<http://a/s> <http://a/p> "x .\\n y" <http://g/1> .'
    assert to_ntriples(nq, "<http://g/1>") == nt
    with pytest.raises(GovkgError):
        to_ntriples(nq, "<http://g/2>")


def test_unreachable_scheduler_is_one_line(tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 2)
    with pytest.raises(GovkgError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        list(run_dask(_jobs(samples_dir)[:1], "tcp://127.0.0.1:9", tmp_path / "parts"))


def test_scheduler_needs_dask_engine(tmp_path: Path, samples_dir: Path) -> None:
    with pytest.raises(GovkgError, match="needs engine 'dask'"):
        build_corpus([samples_dir], tmp_path, quiet=True, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(GovkgError, match="engine 'spark'"):
        build_corpus([samples_dir], tmp_path, quiet=True, engine="spark")
