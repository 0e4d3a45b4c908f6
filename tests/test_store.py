"""The embedded store: incremental rebuilds, removal, resumption, set semantics."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from graph.ingest import decoding
from graph.ingest import read as read_module
from graph.rdf.vocab import GOV, article_iri
from graph.records import ArticleGraph, Skip, Unchanged
from graph.run import pipeline, worker
from graph.run.pipeline import build_corpus
from graph.store import turtle as turtle_module
from graph.store.keys import SCHEME, SHARED_STARTS, split_shared
from graph.store.store import GraphStore, open_store, read_store

ROOT = Path(__file__).resolve().parent.parent


def build(src: Path, out: Path, **kw: object) -> tuple[object, Graph]:
    report = build_corpus([src], out, jobs=1, quiet=True, html=False, log=io.StringIO(), **kw)  # type: ignore[arg-type]
    return report, Graph().parse(out / "graph.ttl", format="turtle")


def corpus(tmp_path: Path, samples_dir: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(samples_dir, src)
    return src


def test_unchanged_rebuild_extracts_nothing_and_gives_the_same_bytes(tmp_path: Path, samples_dir: Path) -> None:
    src = corpus(tmp_path, samples_dir)
    first, _ = build(src, tmp_path / "out")
    ttl = (tmp_path / "out" / "graph.ttl").read_bytes()
    again, _ = build(src, tmp_path / "out")
    assert (first.extracted, again.extracted, again.unchanged) == (5, 0, 5)  # type: ignore[attr-defined]
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == ttl


def test_a_rebuild_decodes_only_the_changed_inputs(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = corpus(tmp_path, samples_dir)
    build(src, tmp_path / "out")
    edited = src / "001_4f639d4e8447cf99.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("4月7日", "4月8日"), encoding="utf-8")
    decoded: list[bytes] = []
    decode = decoding.decode
    monkeypatch.setattr(decoding, "decode", lambda data, html=False: decoded.append(data) or decode(data, html))
    report, _ = build(src, tmp_path / "out")
    assert (report.extracted, report.unchanged) == (1, 4)  # type: ignore[attr-defined]
    assert decoded == [edited.read_bytes()]


@pytest.mark.parametrize("large", [False, True], ids=["pretty-turtle", "streamed-n-triples"])
def test_incremental_rebuild_equals_a_full_rebuild(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    if large:  # graph.ttl from the archive: copied article parts, the shared part merged
        monkeypatch.setattr(pipeline, "VIEW_LIMIT", 100)
    src = corpus(tmp_path, samples_dir)
    build(src, tmp_path / "inc")
    # one article edited, one removed, one added
    edited = src / "001_4f639d4e8447cf99.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("4月7日", "4月8日"), encoding="utf-8")
    (src / "003_24ae2b55acadbc0c.txt").unlink()
    (src / "new.txt").write_text(
        "9月1日，长沙市召开全市疫情防控工作会议。市委书记陈志远主持会议。市领导赵丽、王建国出席会议。\n"
        "陈志远强调，要严格落实核酸检测制度。",
        encoding="utf-8",
    )
    report, incremental = build(src, tmp_path / "inc")
    assert (report.extracted, report.unchanged, report.removed) == (2, 3, 1)  # type: ignore[attr-defined]
    _, full = build(src, tmp_path / "full")
    assert isomorphic(incremental, full)
    assert (tmp_path / "inc" / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()
    assert "葛巧红" not in (tmp_path / "inc" / "graph.ttl").read_text(encoding="utf-8")


def test_a_fact_shared_by_two_articles_stays_until_both_are_gone(tmp_path: Path, samples_dir: Path) -> None:
    src = corpus(tmp_path, samples_dir)
    out = tmp_path / "out"
    build(src, out)
    (src / "000_067208011dcbc49f.txt").unlink()  # 李云峰 is still in 001
    _, g = build(src, out)
    assert "李云峰" in {str(o) for o in g.objects()}
    (src / "001_4f639d4e8447cf99.txt").unlink()
    _, g = build(src, out)
    assert "李云峰" not in {str(o) for o in g.objects()}


def test_queries_count_each_triple_once(tmp_path: Path, samples_dir: Path) -> None:
    out = tmp_path / "out"
    _, g = build(corpus(tmp_path, samples_dir), out)
    store = read_store(out)
    assert store is not None
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a gov:Official }")
    expected = len(set(g.subjects(RDF.type, GOV.Official)))
    assert expected > 30  # 李云峰 is named in two articles but counted once
    assert int(next(iter(result))[0]) == expected  # type: ignore[index]


def test_the_triple_count_is_summed_from_an_index(built_samples: tuple[Path, Graph]) -> None:
    out_dir, g = built_samples
    store = read_store(out_dir)
    assert store is not None
    assert store.triples() == len(g)
    # the count column sits behind the articles' blobs: read from the index, not the rows
    plan = store.db.execute("EXPLAIN QUERY PLAN SELECT total(triples) FROM article").fetchall()
    assert any("COVERING INDEX article_triples" in str(row) for row in plan), plan


def test_build_killed_half_way_resumes_to_the_same_graph(tmp_path: Path, samples_dir: Path) -> None:
    src = corpus(tmp_path, samples_dir)
    _, full = build(src, tmp_path / "full")
    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        str(ROOT / "build_graph.py"),
        "build",
        str(src),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--quiet",
        "--no-html",
    ]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not (out / "store").is_dir():
        time.sleep(0.05)
    time.sleep(1.0)  # let it write some articles
    proc.kill()
    proc.wait(timeout=30)
    store = open_store(out)
    partial = len(store.hashes())
    del store
    report, resumed = build(src, out)
    assert report.extracted == 5 - partial  # type: ignore[attr-defined]
    assert isomorphic(resumed, full)


def test_interrupted_store_is_repaired_on_open(tmp_path: Path, samples_dir: Path) -> None:
    src = corpus(tmp_path, samples_dir)
    out = tmp_path / "out"
    _, before = build(src, out)
    store = open_store(out)
    store.begin()  # a build starts, loads a batch into Oxigraph and dies before the rows are written:
    stray = ox.NamedNode(str(article_iri("gone.txt")))
    person = ox.NamedNode(str(GOV.strayPerson))
    for graph in (stray, ox.DefaultGraph()):
        store.store.add(ox.Quad(person, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(GOV.Official)), graph))
    for q in list(store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))[::2]:
        store.store.remove(q)  # (and, say, the default graph half written)
    del store
    assert open_store(out).dirty()
    report, after = build(src, out)
    assert report.extracted == 0  # type: ignore[attr-defined]
    assert isomorphic(before, after)
    store = open_store(out)
    assert not store.dirty()
    assert not store.store.contains_named_graph(stray)
    assert store.triples() == len(before)


def test_store_of_other_code_is_built_afresh(tmp_path: Path, samples_dir: Path) -> None:
    src = corpus(tmp_path, samples_dir)
    out = tmp_path / "out"
    build(src, out)
    store = open_store(out)
    with store.db:
        store.db.execute("UPDATE meta SET value = 'older code' WHERE key = 'code'")
    del store
    assert open_store(out).hashes() == {}
    report, _ = build(src, out)
    assert (report.extracted, report.unchanged) == (5, 0)  # type: ignore[attr-defined]


def test_large_build_streams_graph_ttl_and_rebuilds_to_the_same_bytes(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above VIEW_LIMIT graph.ttl is N-Triples streamed from the archive, in article order."""
    src = corpus(tmp_path, samples_dir)
    _, small = build(src, tmp_path / "small")
    monkeypatch.setattr(pipeline, "VIEW_LIMIT", 100)
    monkeypatch.setattr(turtle_module, "SORT_RUN", 50)  # the shared part sorted in runs, then merged
    report, large = build(src, tmp_path / "large")
    assert isomorphic(small, large)
    assert report.triples == len(small)  # type: ignore[attr-defined]
    ttl = (tmp_path / "large" / "graph.ttl").read_bytes()
    assert not ttl.startswith(b"@prefix") and ttl.count(b"\n") == len(small)  # one triple a line, each once
    assert not (tmp_path / "large" / "graph.nq").exists()
    # an incremental rebuild after a change and back gives the same bytes as the full build
    edited = src / "001_4f639d4e8447cf99.txt"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("4月7日", "4月8日"), encoding="utf-8")
    build(src, tmp_path / "large")
    assert (tmp_path / "large" / "graph.ttl").read_bytes() != ttl
    edited.write_text(text, encoding="utf-8")
    report, _ = build(src, tmp_path / "large")
    assert (report.extracted, report.unchanged) == (1, 4)  # type: ignore[attr-defined]
    assert (tmp_path / "large" / "graph.ttl").read_bytes() == ttl


def test_large_rebuild_copies_unchanged_articles_from_the_old_graph_ttl(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = corpus(tmp_path, samples_dir)
    monkeypatch.setattr(pipeline, "VIEW_LIMIT", 100)
    out = tmp_path / "out"
    build(src, out)
    ttl = (out / "graph.ttl").read_bytes()
    read: list[str] = []
    copied: list[int] = []
    own, copy = GraphStore._own, turtle_module._copy_range
    monkeypatch.setattr(GraphStore, "_own", lambda self, name: read.append(name) or own(self, name))
    monkeypatch.setattr(turtle_module, "_copy_range", lambda *a: copied.append(a[3]) or copy(*a))
    edited = src / "001_4f639d4e8447cf99.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("4月7日", "4月8日"), encoding="utf-8")
    build(src, out)
    assert read == ["001_4f639d4e8447cf99.txt"]  # the other four copied from the old file
    assert len(copied) == 2 and sum(copied) > len(ttl) // 2  # the parts before and after it
    read.clear()
    copied.clear()
    (out / "graph.ttl").write_bytes(b"# edited by hand\n" + ttl)  # not the file the store wrote
    edited.write_text(edited.read_text(encoding="utf-8").replace("4月8日", "4月7日"), encoding="utf-8")
    build(src, out)
    assert (read, copied) == ([], [])  # nothing copied from it: written afresh from the archive
    assert (out / "graph.ttl").read_bytes() == ttl


def test_export_nquads_streams_one_complete_graph_per_article(tmp_path: Path, samples_dir: Path, run_cli) -> None:
    src = corpus(tmp_path, samples_dir)
    _, union = build(src, tmp_path / "out")
    proc = run_cli("export", "--graph", tmp_path / "out", "--format", "nquads", "--out", tmp_path / "all.nq")
    assert proc.returncode == 0, proc.stderr
    quads = list(ox.parse(path=str(tmp_path / "all.nq"), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert graphs == {str(article_iri(p.name)) for p in src.iterdir()} | {SCHEME.value}
    assert {(q.subject, q.predicate, q.object) for q in quads} == set(
        (t.subject, t.predicate, t.object) for t in open_store(tmp_path / "out").union_triples()
    )
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(union)
    # each article's graph names its officials and their labels (complete on its own)
    first = str(article_iri("000_067208011dcbc49f.txt"))
    labels = {q.object.value for q in quads if q.graph_name.value == first and q.predicate.value.endswith("#label")}
    assert "李云峰" in labels
    proc = run_cli("export", "--graph", tmp_path / "nowhere", "--format", "nquads")
    assert proc.returncode != 0 and "no built store" in proc.stderr


def test_split_shared_keeps_each_line_once() -> None:
    own_line = b"<https://w3id.org/govkg/resource/event/ab/e1> <p> <o> ."
    shared_lines = [
        b"<https://w3id.org/govkg/resource/person/12> <p> <o> .",
        b"<https://w3id.org/govkg/resource/place/140100> <p> <o> .",
        b"<https://w3id.org/govkg/topic/epidemic> <p> <o> .",
    ]
    # as the builder writes it (own lines first) and shuffled (the line-by-line fallback)
    ordered = b"\n".join([own_line, *shared_lines]) + b"\n"
    shuffled = b"\n".join([shared_lines[1], own_line, *shared_lines[::2]])
    for data in (ordered, shuffled):
        own, shared = split_shared(data)
        assert own == own_line + b"\n"
        assert sorted(shared.splitlines()) == sorted(shared_lines)
    assert split_shared(b"") == (b"", b"")
    assert split_shared(own_line + b"\n") == (own_line + b"\n", b"")


def test_worker_parts_are_the_stores_split(samples_dir: Path) -> None:
    # a worker sends an article's graph in two parts (ArticleGraph) so that the store need
    # not look for the shared lines; they must be what split_shared finds in the whole
    for raw in read_module.iter_articles([samples_dir]):
        assert not isinstance(raw, (Skip, Unchanged))
        result = worker.article_triples((raw, "h"))
        assert isinstance(result, ArticleGraph) and (result.name, result.digest) == (raw.name, "h")
        assert result.own and result.shared
        assert split_shared(result.ntriples) == (result.own, result.shared)
        assert not any(line.startswith(SHARED_STARTS) for line in result.own.splitlines())
        assert all(line.startswith(SHARED_STARTS) for line in result.shared.splitlines())


class _Compacting:
    """An Oxigraph store whose compaction is recorded (and made to fail on request)."""

    def __init__(self, real: ox.Store, fail: bool = False) -> None:
        self.real, self.fail = real, fail
        self.threads: list[str] = []

    def optimize(self) -> None:
        import threading

        self.threads.append(threading.current_thread().name)
        if self.fail:
            raise OSError("disk full while compacting")

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def _committing_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool = False
) -> tuple[GraphStore, _Compacting]:
    st = GraphStore(tmp_path / "store")
    st.begin()
    fake = _Compacting(st.store, fail)
    monkeypatch.setattr(st, "store", fake)
    monkeypatch.setattr(st, "_must_compact", lambda: True)
    return st, fake


def test_commit_runs_the_export_while_another_thread_compacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    st, fake = _committing_store(tmp_path, monkeypatch)
    seen: list[tuple[str, bool]] = []
    st.commit(during_compaction=lambda: seen.append((threading.current_thread().name, st.dirty())))
    assert fake.threads == ["compaction"]
    assert seen == [("MainThread", True)]  # the work ran before the mark was cleared
    assert not st.dirty()


def test_commit_clears_the_mark_when_the_export_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st, fake = _committing_store(tmp_path, monkeypatch)

    def export() -> None:
        raise OSError("no space left for graph.ttl")

    with pytest.raises(OSError, match=r"no space left for graph\.ttl"):
        st.commit(during_compaction=export)
    assert fake.threads == ["compaction"]
    assert not st.dirty()  # the store itself is complete


def test_a_failed_compaction_is_raised_and_leaves_the_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st, _ = _committing_store(tmp_path, monkeypatch, fail=True)
    with pytest.raises(OSError, match="disk full while compacting"):
        st.commit(during_compaction=lambda: None)
    assert st.dirty()
