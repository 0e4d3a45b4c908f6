"""Issue 20, the build: hostile input, concurrent builds, removals, signals and disk errors
each end in one clear line, and no good article is lost."""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.errors import BuildBusy, RemovalRefused, StorageError
from graph.ingest.read import iter_articles
from graph.records import ArticleInfo, Directive, EventFound, Mandate, RawArticle, Role, Skip
from graph.run import chunks, worker
from graph.run.exports import REPORT
from graph.run.lock import build_lock
from graph.run.parts import split_article
from graph.run.pipeline import build_corpus

REPO = Path(__file__).resolve().parent.parent
BUILD_GRAPH = REPO / "build_graph.py"
SAMPLES = REPO / "graph" / "data" / "samples"

ARTICLES = sorted(SAMPLES.glob("*.txt"))


def _corpus(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in ARTICLES[:n]:
        shutil.copy(p, folder / p.name)
    return folder


def _build(paths: list[Path], out: Path, **kw: object) -> tuple[object, str]:
    log = io.StringIO()
    report = build_corpus(paths, out, jobs=1, quiet=True, html=False, log=log, **kw)  # type: ignore[arg-type]
    return report, log.getvalue()


# --- 3. one writer per build folder ---------------------------------------------


def test_a_second_build_of_a_held_folder_gets_one_line(tmp_path: Path) -> None:
    src, out = _corpus(tmp_path / "in", 1), tmp_path / "out"
    with build_lock(out):
        with pytest.raises(BuildBusy) as caught:
            _build([src], out)
        assert str(caught.value) == f"another build is writing {out} (pid {os.getpid()}); wait or use another --out"
        assert caught.value.exit_code == 2


def test_full_does_not_delete_a_store_another_build_holds(tmp_path: Path) -> None:
    src, out = _corpus(tmp_path / "in", 1), tmp_path / "out"
    _build([src], out)
    before = sorted(p.name for p in (out / "store").iterdir())
    with build_lock(out), pytest.raises(BuildBusy):
        _build([src], out, full=True)
    assert sorted(p.name for p in (out / "store").iterdir()) == before


def test_cli_second_build_exits_2_with_the_line(tmp_path: Path, run_cli) -> None:
    src, out = _corpus(tmp_path / "in", 1), tmp_path / "out"
    with build_lock(out):
        done = run_cli("build", src, "--out", out, "--quiet")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"Error: another build is writing {out} (pid {os.getpid()}); wait or use another --out"
    ]


# --- 1. input -------------------------------------------------------------------


def test_a_file_name_not_utf8_is_built_and_shown_with_escapes(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in", 1)
    shutil.copy(ARTICLES[1], os.path.join(os.fsencode(src), b"\xff.txt"))
    report, log = _build([src], tmp_path / "out")
    assert report.articles == 2, log  # type: ignore[attr-defined]
    assert '"\\\\xff.txt"' in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_a_stray_byte_is_replaced_and_counted(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    data = ARTICLES[0].read_bytes()
    cut = data.index("。".encode()) + 1  # the first byte of the next character
    (src / "cut.txt").write_bytes(data[:cut] + data[cut + 1 :])
    report, _ = _build([src], tmp_path / "out")
    assert report.articles == 1  # type: ignore[attr-defined]
    saved = json.loads((tmp_path / "out" / REPORT).read_text(encoding="utf-8"))
    assert saved["replaced_bytes"] == {str(src / "cut.txt"): 2}


def test_text_in_a_legacy_encoding_is_not_taken_for_utf8(tmp_path: Path) -> None:
    text = ARTICLES[0].read_text(encoding="utf-8")
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    (item,) = iter_articles([tmp_path / "gb.txt"])
    assert isinstance(item, RawArticle) and item.encoding == "gb18030" and item.replaced == 0


def test_a_truncated_jsonl_gz_names_the_line_it_ended_at(tmp_path: Path) -> None:
    text = ARTICLES[0].read_text(encoding="utf-8")
    lines = "".join(
        json.dumps({"id": os.urandom(512).hex(), "text": text}, ensure_ascii=False) + "\n" for i in range(40)
    )
    whole = gzip.compress(lines.encode("utf-8"))
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    items = list(iter_articles([tmp_path / "cut.jsonl.gz"]))
    good = [i for i in items if isinstance(i, RawArticle)]
    (skip,) = [i for i in items if isinstance(i, Skip)]
    assert good and skip.reason == "unreadable"
    assert f"ended at line {len(good) + 1} ({len(good)} line(s) read)" in skip.line()


# --- 4. removals ----------------------------------------------------------------


def test_an_unreadable_input_keeps_its_last_graph(tmp_path: Path) -> None:
    src, out = _corpus(tmp_path / "in", 3), tmp_path / "out"
    _build([src], out)
    victim = src / ARTICLES[0].name
    victim.unlink()
    victim.symlink_to(tmp_path / "gone.txt")  # read fails: no such file
    report, log = _build([src], out)
    assert report.kept == [ARTICLES[0].name] and report.removed == 0 and report.articles == 3  # type: ignore[attr-defined]
    assert f"kept {ARTICLES[0].name}" in log


def test_removing_more_than_half_needs_prune(tmp_path: Path) -> None:
    src, out = _corpus(tmp_path / "in", 3), tmp_path / "out"
    _build([src], out)
    before = (out / "graph.ttl").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(RemovalRefused, match=r"would remove 3 of the 3 articles .* --prune"):
        _build([empty], out)
    assert (out / "graph.ttl").read_bytes() == before
    report, log = _build([empty], out, prune=True)
    assert report.removed == 3 and "warning: no article found" in log  # type: ignore[attr-defined]


def test_strict_build_of_an_empty_folder_exits_2(tmp_path: Path, run_cli) -> None:
    (tmp_path / "empty").mkdir()
    done = run_cli("build", tmp_path / "empty", "--out", tmp_path / "out", "--quiet", "--strict")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "warning: no article found" in done.stderr


# --- 2. size and time -----------------------------------------------------------


def test_an_article_over_the_limit_is_split_at_paragraphs() -> None:
    text = "\n".join(["某市召开会议。" * 20] * 50)
    parts = split_article(RawArticle("big.txt", "big.txt", text), 4096)
    assert len(parts) > 1 and "".join(p.text for p in parts) == text
    assert all(len(p.text.encode()) <= 4096 for p in parts)
    assert [p.name for p in parts][:2] == ["big.txt#p1", "big.txt#p2"]
    assert all(p.text.endswith("\n") for p in parts[:-1])


def test_chunked_extraction_renumbers_keys_and_moves_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in ARTICLES)
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 1500)
    merged = chunks.extract_chunked(RawArticle("all.txt", "all.txt", text))
    keys = [s.key for s in merged.statements if isinstance(s, EventFound)]
    assert len(keys) == len(set(keys)) >= 2
    assert all(s.event in set(keys) for s in merged.statements if isinstance(s, (Role, Mandate, Directive)))
    assert sum(isinstance(s, ArticleInfo) for s in merged.statements) == 1


def test_an_article_over_its_time_budget_is_one_skip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "extract_chunked", lambda raw: time.sleep(5))
    worker.set_budget(0.2)
    try:
        start = time.monotonic()
        line = worker.article_triples((RawArticle("slow.txt", "in/slow.txt", "文" * 30), "d"))
    finally:
        worker.set_budget(0)
    assert time.monotonic() - start < 2
    assert isinstance(line, str) and line.startswith("skipped in/slow.txt: over-time:")


# --- 5. signals, exports, disk errors ---------------------------------------------


def test_report_names_the_digest_of_the_exports(tmp_path: Path) -> None:
    import hashlib

    out = tmp_path / "out"
    _build([_corpus(tmp_path / "in", 1)], out)
    saved = json.loads((out / REPORT).read_text(encoding="utf-8"))
    assert saved["exports"]["graph.ttl"] == hashlib.sha256((out / "graph.ttl").read_bytes()).hexdigest()
    assert not (out / ".exports.new").exists()


def test_disk_full_is_one_line_naming_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.run import pipeline

    def full(g: object, path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(pipeline, "write_turtle", full)
    with pytest.raises(StorageError, match=r"graph\.ttl: No space left on device"):
        _build([_corpus(tmp_path / "in", 1)], tmp_path / "out")


def _live_children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigterm_stops_the_workers_at_once_and_keeps_the_exports(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    _build([_corpus(src, 1)], out)
    before = (out / "graph.ttl").read_bytes(), (out / REPORT).read_bytes()
    for i in range(40):
        shutil.copy(ARTICLES[i % len(ARTICLES)], src / f"x{i:03}.txt")
    proc = subprocess.Popen(
        [sys.executable, str(BUILD_GRAPH), "build", str(src), "--out", str(out), "--jobs", "2", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(_live_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _live_children(proc.pid)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines() == [
        f"Error: stopped by SIGTERM: workers stopped; {out} keeps its last good exports "
        "and the next build resumes from its store"
    ]
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and _live_children(proc.pid)]
    assert ((out / "graph.ttl").read_bytes(), (out / REPORT).read_bytes()) == before
    report, _ = _build([src], out)  # resumes
    assert report.articles == 41  # type: ignore[attr-defined]


def test_a_build_splits_an_article_over_max_article_mb(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = "\n".join(p.read_text(encoding="utf-8") for p in ARTICLES[:3])
    (src / "long.txt").write_text(text, encoding="utf-8")
    report, log = _build([src], tmp_path / "out", max_article_mb=4000 / (1 << 20))
    parts = report.split[str(src / "long.txt")]  # type: ignore[attr-defined]
    assert parts > 1 and report.articles == parts  # type: ignore[attr-defined]
    assert f"in {parts} parts" in log
    assert "long.txt#p1" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
