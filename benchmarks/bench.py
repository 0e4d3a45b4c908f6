"""Throughput, memory and query latency of the pipeline, on generated or given corpora.

    python benchmarks/bench.py                                  # a generated 1k corpus
    python benchmarks/bench.py --sizes 1000,10000
    python benchmarks/bench.py --path ../shared/corpus/xwlb/xwlb.jsonl.gz --skip-build

For each corpus (a generated one of each size, made with make_corpus.py and kept
in --workdir, or each --path):

  read        graph.ingest.read.iter_articles over the file, all articles into a list;
              MB is the UTF-8 size of the article texts as read (HTML stripped)
  extract     graph.run.worker.extract_article (normalise + every extractor) over
              that list, with 1 process, then with --jobs processes through a
              ProcessPoolExecutor (map, chunksize 8); each call returns its
              number of statements (a build's workers return N-Triples bytes,
              cheap to send back, rather than the records).
              Loading the gazetteer, lexicons and OpenCC (in each worker) is
              timed apart as warm-up. Best of --repeat runs; "art per CPU-s"
              divides by the CPU time of the process and its workers, a figure
              less sensitive than wall time to other load on the machine
  build       graph.run.pipeline.build_corpus(html=False, jobs=--jobs) into an
              emptied folder: read, extract, build, write every output
  update      the same build_corpus into the same folder after 1% of the
              articles changed (--change; a sentence added to every 100th
              article of a .jsonl(.gz) copy with the same file name): an
              incremental rebuild
  queries     every shipped .rq query (shipped_queries), and the analyze
              command's feeds (graph/queries/analyze/*.rq), each timed once;
              the lookups (official_posts, view_*, meeting_directives) bound
              to a value picked from the graph (PICKERS, untimed), the rest
              unbound; on both paths in the same run: through the Oxigraph
              store the build wrote (graph.store.store.read_store(...).query, what
              `build_graph.py query --graph DIR` uses), and through rdflib's
              in-memory store (graph.ask.query.load_graph of graph.ttl, then
              run_query), the latter only up to --rdflib-limit triples. A query
              still running after --query-timeout seconds is cut off (its
              process killed, a new one opens the graph for the rest)

Every phase runs in a fresh interpreter, so its peak RSS (sampled every 100 ms with
psutil, the process and all its children summed) is its own. Figures go to
stdout as tables; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for p in (REPO, HERE):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

SAMPLE_EVERY = 0.1  # seconds between RSS samples
CHUNKSIZE = 8  # as graph.run.pipeline.POOL_BATCH


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- phases (each run in a child interpreter: bench.py --phase NAME ...) ------------


WARM_TEXT = "9月14日，市委书记张浩主持召开市委常委会会议，传达学习省委会议精神。会议要求，要严格落实核酸检测。"


def _warm(_: int) -> int:
    """Load the gazetteer, lexicons and OpenCC in a worker (and hold it a moment, so each
    worker of the pool gets one)."""
    from graph.records import RawArticle
    from graph.run.worker import extract_article

    extract_article(RawArticle("warm.txt", "warm.txt", WARM_TEXT))
    time.sleep(0.5)
    return os.getpid()


def _extract_count(raw: Any) -> int | str:
    """extract_article on one article, returning its number of statements (or the failure):
    the parallel runs measure extraction, not the pickling of its records back to the parent
    (graph.run.pipeline's workers send back N-Triples bytes)."""
    from graph.run.worker import extract_article

    result = extract_article(raw)
    return result if isinstance(result, str) else len(result.statements)


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process and its live children."""
    me = psutil.Process()
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return total


def phase_extract(path: Path, jobs: int, repeat: int) -> dict[str, Any]:
    from concurrent.futures import ProcessPoolExecutor

    from graph.ingest.read import iter_articles
    from graph.records import RawArticle

    t = time.perf_counter()
    raws: list[RawArticle] = []
    skipped = 0
    for item in iter_articles([path]):
        if isinstance(item, RawArticle):
            raws.append(item)
        else:
            skipped += 1
    read_s = time.perf_counter() - t
    mb = sum(len(r.text.encode("utf-8")) for r in raws) / 1e6
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    t = time.perf_counter()
    if pool is None:
        _warm(0)
    else:
        list(pool.map(_warm, range(jobs)))
    warm_s = time.perf_counter() - t
    runs: list[tuple[float, float]] = []
    failed: list[str] = []
    statements = 0
    for _ in range(max(repeat, 1)):
        failed, statements = [], 0
        cpu, t = _cpu_s(), time.perf_counter()
        results = map(_extract_count, raws) if pool is None else pool.map(_extract_count, raws, chunksize=CHUNKSIZE)
        for r in results:  # counted as they come, not kept: 100k extractions do not fit in memory
            if isinstance(r, str):
                failed.append(r)
            else:
                statements += r
        runs.append((time.perf_counter() - t, _cpu_s() - cpu))
    if pool is not None:
        pool.shutdown()
    extract_s, cpu_s = min(runs)
    return {
        "articles": len(raws),
        "skipped": skipped,
        "mb": mb,
        "read_s": read_s,
        "warm_s": warm_s,
        "extract_s": extract_s,
        "cpu_s": cpu_s,
        "runs": runs,
        "failed": len(failed),
        "failures": failed[:5],
        "statements": statements,
    }


def phase_build(path: Path, jobs: int, out: Path, update: bool = False) -> dict[str, Any]:
    """A full build into an emptied `out`, or (`update`) a rebuild of the build already there."""
    import io
    import shutil

    from graph.run.pipeline import build_corpus

    if not update:
        shutil.rmtree(out, ignore_errors=True)  # a full build, not an update of an earlier one
    log = io.StringIO()
    t = time.perf_counter()
    report = build_corpus([path], out, jobs=jobs, quiet=True, html=False, log=log)
    build_s = time.perf_counter() - t
    files = {f.relative_to(out).as_posix(): f.stat().st_size for f in out.rglob("*") if f.is_file()}
    return {
        "build_s": build_s,
        "articles": report.articles,
        "extracted": report.extracted,
        "unchanged": report.unchanged,
        "triples": report.triples,
        "failed": len(report.failed),
        "failures": report.failed[:5],
        "output_bytes": sum(files.values()),
        "store_bytes": sum(n for f, n in files.items() if f.startswith("store")),
        "ttl_bytes": files.get("graph.ttl", 0),
        "files": files,
    }


def changed_copy(path: Path, out: Path, every: int) -> int:
    """A copy of the .jsonl(.gz) corpus `path` at `out` (same file name, so the same article
    names) with a sentence added to every `every`-th article; how many were changed."""
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    changed = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with opener(path, "rt", encoding="utf-8") as src, opener(out, "wt", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i % every == every - 1 and line.strip():
                item = json.loads(line)
                item["text"] = item.get("text", "") + "\n会议要求，各地要严格落实核酸检测和隔离管控措施。"
                line = json.dumps(item, ensure_ascii=False) + "\n"
                changed += 1
            dst.write(line)
    return changed


# The lookup queries are timed the way their headers say they are used: bound to one value.
# The value is picked from the graph itself (untimed), as a heavy case: the official who
# chaired most meetings, the province with most meetings, the event with most directives,
# the week from the busiest day. The aggregates and the pages run unbound.
PICKERS = {
    "official": """SELECT ?label WHERE {
      { SELECT ?o (COUNT(*) AS ?n) WHERE { { SELECT ?o ?m WHERE { ?o gov:chairs ?m } } }
        GROUP BY ?o ORDER BY DESC(?n) LIMIT 1 }
      ?o rdfs:label ?l . BIND(STR(?l) AS ?label) } LIMIT 1""",
    "province": """SELECT ?label WHERE {
      { SELECT ?prov (COUNT(DISTINCT ?m) AS ?n) WHERE {
          { SELECT ?place ?prov WHERE { ?prov a gov:Province . ?place gov:reportsTo* ?prov } }
          { SELECT ?m ?place WHERE { ?m gov:heldIn ?place } } }
        GROUP BY ?prov ORDER BY DESC(?n) LIMIT 1 }
      ?prov rdfs:label ?l . BIND(STR(?l) AS ?label) } LIMIT 1""",
    "event": """SELECT ?e WHERE { { SELECT ?d ?e WHERE { ?d gov:issuedAt ?e } } }
      GROUP BY ?e ORDER BY DESC(COUNT(*)) LIMIT 1""",
    "day": """SELECT ?day WHERE { { SELECT ?e ?d WHERE { ?e schema:startDate ?d } } BIND(STR(?d) AS ?day) }
      GROUP BY ?day ORDER BY DESC(COUNT(*)) LIMIT 1""",
}
BOUND = {  # query: {variable: (picker, days added to a picked date)}
    "official_posts": {"name": ("official", 0)},
    "view_official": {"name": ("official", 0)},
    "view_province": {"provinceLabel": ("province", 0)},
    "meeting_directives": {"event": ("event", 0)},
    "view_meeting": {"event": ("event", 0)},
    "view_dates": {"start": ("day", 0), "end": ("day", 6)},
}
FEEDS = "analyze/"  # graph/queries/analyze/*.rq: the analyze command's feeds, every row


def query_names() -> list[str]:
    from graph.ask.query import QUERIES_DIR, shipped_queries

    return [*shipped_queries(), *sorted(FEEDS + p.stem for p in (QUERIES_DIR / "analyze").glob("*.rq"))]


def pick_bindings(run: Any, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The binding of each bound query in `names`, from the picker queries (run once each)."""
    from rdflib import Literal

    from graph.ask.query import to_term

    picked: dict[str, Any] = {}
    for key in sorted({key for n in names for key, _ in BOUND.get(n, {}).values()}):
        rows = list(run(PICKERS[key]))
        picked[key] = rows[0][0] if rows else None
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        wanted = BOUND.get(name, {})
        if not wanted or any(picked[key] is None for key, _ in wanted.values()):
            continue
        bind = {}
        for var, (key, days) in wanted.items():
            value = picked[key]
            if isinstance(value, Literal):  # a label or a date, bound as `--bind VAR=TEXT` binds it
                day = dt.date.fromisoformat(str(value)[:10]) + dt.timedelta(days=days) if days else None
                value = to_term(day.isoformat() if day else str(value))
            bind[var] = value
        out[name] = bind
    return out


def phase_queries(out: Path, names: Sequence[str], engine: str) -> None:
    """Open the graph, then run each query; one JSON line on stdout per step, as it ends."""
    from graph.ask.query import QUERIES_DIR, read_query, run_query
    from graph.errors import QueryError
    from graph.store.source import load_graph
    from graph.store.store import read_store

    t = time.perf_counter()
    if engine == "rdflib":
        g = load_graph(out)
        emit({"load_s": time.perf_counter() - t, "graph_triples": len(g)})

        def run(text: str, bindings: Any = None) -> Any:
            return run_query(g, text, bindings)
    else:
        store = read_store(out)
        assert store is not None, f"no store in {out}"
        emit({"load_s": time.perf_counter() - t, "graph_triples": store.triples()})
        run = store.query
    binds = pick_bindings(run, names)
    emit({"binds": {name: {k: str(v) for k, v in bind.items()} for name, bind in binds.items()}})
    for name in names:
        text = read_query(str(QUERIES_DIR / f"{name}.rq"))
        bind = binds.get(name)
        t = time.perf_counter()
        try:
            result = run(text, bind)
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                rows = len(result.graph) if result.graph is not None else 0
            else:
                rows = 1 if result.type == "ASK" else len(result)
            error = None
        except QueryError as exc:
            rows, error = None, str(exc)[:120]
        shown = {k: str(v) for k, v in (bind or {}).items()}
        emit({"query": name, "ms": (time.perf_counter() - t) * 1000, "rows": rows, "error": error, "bind": shown})


def emit(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def run_phase(args: argparse.Namespace) -> int:
    path = Path(args.path[-1]) if args.path else None
    if args.phase == "extract":
        assert path is not None
        emit(phase_extract(path, args.jobs, args.repeat))
    elif args.phase in ("build", "update"):
        assert path is not None
        emit(phase_build(path, args.jobs, Path(args.out), update=args.phase == "update"))
    else:
        phase_queries(Path(args.out), args.queries.split(","), args.engine)
    return 0


class Child:
    """`bench.py --phase PHASE …` in a fresh interpreter: its JSON lines, wall time, peak RSS."""

    def __init__(self, phase: str, *extra: str) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, *extra]
        self.phase = phase
        self.started = time.perf_counter()
        self.proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=sys.stderr, text=True, encoding="utf-8")
        self.peak = 0
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.done = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()
        threading.Thread(target=self._read, daemon=True).start()

    def _sample(self) -> None:
        while not self.done.is_set():
            total = 0
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self.done.wait(SAMPLE_EVERY)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.strip():
                self.lines.put(line)
        self.lines.put(None)

    def next(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next JSON line; None when the child has ended; raises queue.Empty on timeout."""
        line = self.lines.get(timeout=timeout)
        if line is None:
            self.proc.wait()
            if self.proc.returncode != 0:
                raise SystemExit(f"phase {self.phase} failed (exit {self.proc.returncode})")
            return None
        obj: dict[str, Any] = json.loads(line)
        return obj

    def stop(self) -> float:
        """End the child (and its children) if still running; its peak RSS in MB."""
        with contextlib.suppress(psutil.Error):
            for p in [*self.proc.children(recursive=True), self.proc]:
                p.kill()
        self.proc.wait()
        self.done.set()
        return self.peak / 1e6


def in_child(phase: str, *extra: str) -> dict[str, Any]:
    """Run one phase to its end; its JSON answer plus wall time and peak RSS (MB)."""
    child = Child(phase, *extra)
    result = child.next()
    if result is None:
        raise SystemExit(f"phase {phase} gave no answer")
    child.next()  # wait for the end
    result["wall_s"] = time.perf_counter() - child.started
    result["peak_rss_mb"] = child.stop()
    return result


def run_queries(out: Path, timeout: float, engine: str) -> dict[str, Any]:
    """Every shipped query on the graph in `out` (engine "oxigraph": the store; "rdflib":
    graph.ttl in memory), each cut off after `timeout` seconds (the child is then killed and
    a new one opens the graph for the rest)."""
    todo = query_names()
    res: dict[str, Any] = {"queries": {}, "peak_rss_mb": 0.0}
    while todo:
        child = Child("queries", "--out", str(out), "--queries", ",".join(todo), "--engine", engine)
        loaded = child.next()
        assert loaded is not None
        res.setdefault("load_s", loaded["load_s"])
        res["graph_triples"] = loaded["graph_triples"]
        picked = child.next()  # the values the lookups are bound to (shown for a cut-off one too)
        assert picked is not None
        while todo:
            try:
                q = child.next(timeout=timeout)
            except queue.Empty:
                q = {
                    "query": todo[0],
                    "ms": None,
                    "rows": None,
                    "error": f"timeout after {timeout:.0f} s",
                    "bind": picked["binds"].get(todo[0], {}),
                }
            assert q is not None
            res["queries"][q["query"]] = q
            todo.remove(q["query"])
            ms = f"{q['ms']:,.0f} ms" if q["ms"] is not None else q["error"]
            say(f"  {engine} {q['query']}: {ms}, {q['rows']} rows")
            if q["ms"] is None:
                break
        res["peak_rss_mb"] = max(res["peak_rss_mb"], child.stop())
    return res


# --- the benchmark ---------------------------------------------------------------------


def label_of(n: int) -> str:
    return f"gen {n // 1000}k" if n % 1000 == 0 else f"gen {n}"


def corpus_for(n: int, workdir: Path, seed: int) -> Path:
    from make_corpus import write_corpus

    path = workdir / f"corpus-{n}-s{seed}.jsonl.gz"
    if not path.exists():
        say(f"generating {n} articles -> {path}")
        t = time.perf_counter()
        write_corpus(n, path, seed=seed)
        say(f"generated in {time.perf_counter() - t:.1f} s")
    return path


def bench_one(
    label: str,
    path: Path,
    jobs: int,
    skip_build: bool,
    workdir: Path,
    query_timeout: float,
    repeat: int,
    rdflib_limit: int,
    change_every: int,
    skip_extract: bool = False,
    queries_only: bool = False,
) -> dict[str, Any]:
    res: dict[str, Any] = {"label": label, "path": str(path), "file_mb": path.stat().st_size / 1e6}
    res["query_timeout"] = query_timeout
    out = workdir / f"build-{path.name.split('.')[0]}"
    if queries_only:
        say(f"{label}: shipped queries through the Oxigraph store of {out}")
        res["queries"] = run_queries(out, query_timeout, "oxigraph")
        return res
    if not skip_extract:
        say(f"{label}: extract, 1 process")
        res["serial"] = in_child("extract", "--path", str(path), "--jobs", "1", "--repeat", str(repeat))
        say(f"{label}: extract, {jobs} processes")
        res["parallel"] = in_child("extract", "--path", str(path), "--jobs", str(jobs), "--repeat", str(repeat))
    if not skip_build:
        say(f"{label}: build_corpus (html=False, jobs={jobs}) -> {out}")
        res["build"] = in_child("build", "--path", str(path), "--jobs", str(jobs), "--out", str(out))
        say(f"{label}: shipped queries through the Oxigraph store")
        res["queries"] = run_queries(out, query_timeout, "oxigraph")
        if res["build"]["triples"] <= rdflib_limit:
            say(f"{label}: shipped queries through rdflib (graph.ttl in memory)")
            res["rdflib_queries"] = run_queries(out, query_timeout, "rdflib")
        if path.name.endswith((".jsonl", ".jsonl.gz")):
            changed = workdir / "changed" / path.name
            res["changed"] = changed_copy(path, changed, change_every)
            say(f"{label}: incremental rebuild after changing {res['changed']} articles")
            res["update"] = in_child("update", "--path", str(changed), "--jobs", str(jobs), "--out", str(out))
    return res


def _f(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def corpus_rows(res: dict[str, Any], jobs: int) -> dict[str, str]:
    rows = {"input file (MB)": _f(res["file_mb"])}
    if "serial" in res:  # not with --skip-extract
        rows |= extract_rows(res, jobs)
    return _rest_rows(res, rows)


def extract_rows(res: dict[str, Any], jobs: int) -> dict[str, str]:
    s, p = res["serial"], res["parallel"]
    n, mb = s["articles"], s["mb"]
    return {
        "articles (skipped)": f"{n:,} ({s['skipped']})",
        "article text (MB)": _f(mb),
        "read (s)": _f(s["read_s"]),
        "warm-up 1 proc (s)": _f(s["warm_s"]),
        "extract 1 proc (s)": _f(s["extract_s"]),
        "1 proc art/s": _f(n / s["extract_s"]),
        "1 proc MB/s": _f(mb / s["extract_s"], 3),
        "1 proc art per CPU-s": _f(n / s["cpu_s"]),
        f"pool start + warm-up {jobs} proc (s)": _f(p["warm_s"]),
        f"extract {jobs} proc (s)": _f(p["extract_s"]),
        f"{jobs} proc art/s": _f(n / p["extract_s"]),
        f"{jobs} proc MB/s": _f(mb / p["extract_s"], 3),
        f"{jobs} proc art per CPU-s": _f(n / p["cpu_s"]),
        "speed-up": f"{s['extract_s'] / p['extract_s']:.2f}x",
        "statements": f"{s['statements']:,}",
        "extraction failures": str(s["failed"]),
        "peak RSS extract 1 proc (MB)": _f(s["peak_rss_mb"], 0),
        f"peak RSS extract {jobs} proc (MB)": _f(p["peak_rss_mb"], 0),
    }


def _rest_rows(res: dict[str, Any], rows: dict[str, str]) -> dict[str, str]:
    b = res.get("build")
    if b:
        rows |= {
            "build_corpus (s)": _f(b["build_s"]),
            "build art/s": _f(b["articles"] / b["build_s"]),
            "triples": f"{b['triples']:,}",
            "graph.ttl (MB)": _f(b["ttl_bytes"] / 1e6),
            "store + archive (MB)": _f(b["store_bytes"] / 1e6),
            "all output files (MB)": _f(b["output_bytes"] / 1e6),
            "peak RSS build (MB)": _f(b["peak_rss_mb"], 0),
        }
    u = res.get("update")
    if u and b:
        rows |= {
            "changed articles": f"{res['changed']:,}",
            "incremental rebuild (s)": _f(u["build_s"]),
            "extracted / unchanged": f"{u['extracted']:,} / {u['unchanged']:,}",
            "incremental / full build": f"{u['build_s'] / b['build_s']:.1%}",
            "peak RSS rebuild (MB)": _f(u["peak_rss_mb"], 0),
        }
    q = res.get("queries")
    if q:
        rows |= {
            "open store (s)": _f(q["load_s"], 2),
            "peak RSS store queries (MB)": _f(q["peak_rss_mb"], 0),
        }
    r = res.get("rdflib_queries")
    if r:
        rows |= {
            "load graph.ttl into rdflib (s)": _f(r["load_s"]),
            "peak RSS rdflib queries (MB)": _f(r["peak_rss_mb"], 0),
        }
    return rows


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, aligned in a terminal (a Chinese character takes two columns)."""
    from graph.ask.query import display_width

    widths = [max(display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    aligned = ["<", *[">"] * (len(header) - 1)]

    def cell(text: str, align: str, width: int) -> str:
        pad = " " * (width - display_width(text))
        return text + pad if align == "<" else pad + text

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell(str(c), a, w) for c, a, w in zip(cells, aligned, widths, strict=True)) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + ":" if a == ">" else "-" * (w + 2) for a, w in zip(aligned, widths, strict=True)
    )
    return "\n".join([line(header), rule + "|", *(line(r) for r in rows)])


def report(results: list[dict[str, Any]], jobs: int) -> str:
    per = [corpus_rows(r, jobs) for r in results]
    keys = list(dict.fromkeys(k for rows in per for k in rows))
    header = ["", *(r["label"] for r in results)]
    out = [table(header, [[k, *(rows.get(k, "") for rows in per)] for k in keys])]
    columns = [(r, key) for r in results for key in ("queries", "rdflib_queries") if r.get(key)]
    if columns:
        names = list(dict.fromkeys(n for r, key in columns for n in r[key]["queries"]))
        qrows = []
        for name in names:
            bind = next((r[key]["queries"][name].get("bind") for r, key in columns if name in r[key]["queries"]), None)
            cells = [name + "".join(f" {k}={v}" for k, v in (bind or {}).items())]
            for r, key in columns:
                q = r[key]["queries"].get(name)
                if q is None:
                    cells.append("")
                elif q["ms"] is None:
                    cells.append(f"> {r['query_timeout']:g} s (cut off)")
                elif q["error"]:
                    cells.append(f"{q['ms']:,.0f} ms (error)")
                else:
                    cells.append(f"{q['ms']:,.0f} ms ({q['rows']:,} rows)")
            qrows.append(cells)
        header = [f"{r['label']} {'Oxigraph' if key == 'queries' else 'rdflib'}" for r, key in columns]
        out.append("")
        out.append(table(["query latency", *header], qrows))
        out.append(
            f"(the lookups run bound to the value shown, picked from the graph; {FEEDS}* are the analyze "
            "command's feeds, every row, not example queries)"
        )
        skipped = [r["label"] for r in results if r.get("queries") and not r.get("rdflib_queries")]
        if skipped:
            out.append(f"(rdflib path not run on {', '.join(skipped)}: more triples than --rdflib-limit)")
    failures = [f for r in results for f in r.get("serial", {}).get("failures", [])]
    if failures:
        out += ["", "extraction failures (first few):", *failures]
    return "\n".join(out)


def machine() -> str:
    return (
        f"{dt.date.today().isoformat()}, {platform.node() or 'host'}: {os.cpu_count()} CPUs (nproc), "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="comma-separated generated corpus sizes (default 1000 when no --path)")
    ap.add_argument("--path", action="append", default=[], help="a corpus file or folder (repeatable)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel runs")
    ap.add_argument("--skip-build", action="store_true", help="extraction only: no build_corpus, no queries")
    ap.add_argument(
        "--skip-extract", action="store_true", help="build, update and queries only: no extraction-only runs"
    )
    ap.add_argument(
        "--queries-only",
        action="store_true",
        help="only the queries, on the build an earlier run left in --workdir (its store as it is)",
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated corpora")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govkg-bench")
    ap.add_argument("--repeat", type=int, default=1, help="time each extraction this many times, keep the best")
    ap.add_argument("--query-timeout", type=float, default=120, help="seconds a query may run (default 120)")
    ap.add_argument(
        "--rdflib-limit",
        type=int,
        default=2_000_000,
        help="run the queries through rdflib only on graphs of at most this many triples",
    )
    ap.add_argument(
        "--change-every",
        type=int,
        default=100,
        help="the incremental rebuild changes every N-th article (default 100: 1%%)",
    )
    ap.add_argument("--phase", choices=("extract", "build", "update", "queries"), help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="oxigraph", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        return run_phase(args)

    from make_corpus import parse_count

    sizes = [parse_count(s) for s in args.sizes.split(",") if s.strip()] if args.sizes else []
    if not sizes and not args.path:
        sizes = [1000]
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpora = [(label_of(n), corpus_for(n, args.workdir, args.seed)) for n in sizes]
    for given in args.path:
        path = Path(given)
        if not path.exists():
            ap.error(f"no such corpus: {given}")
        corpora.append((path.name, path))
    results = []
    for label, path in corpora:
        results.append(
            bench_one(
                label,
                path,
                args.jobs,
                args.skip_build,
                args.workdir,
                args.query_timeout,
                args.repeat,
                args.rdflib_limit,
                args.change_every,
                args.skip_extract,
                args.queries_only,
            )
        )
    (args.workdir / "results.json").write_text(json.dumps(results, indent=1, default=str))  # kept if the report fails
    print(machine())
    print(f"command: python benchmarks/bench.py {' '.join(sys.argv[1:] if argv is None else argv)}")
    print()
    print(report(results, args.jobs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
