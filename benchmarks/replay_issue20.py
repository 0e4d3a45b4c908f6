"""Replay the cases of issue 20 (build and `query`; the HTTP endpoint's are issue 21's) and
check that each ends in a clear line, with no good article lost, no traceback and no
worker process left behind.

    python benchmarks/replay_issue20.py [--corpus DIR] [--big-mb 50] [--work DIR] [--only TEXT]

DIR holds the good articles (.txt; default: the bundled samples). Prints one line per
case, `ok` or `FAILED` with what went wrong, and exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(REPO / "build_graph.py")]
results: list[tuple[str, list[str]]] = []


def run(*args: object, timeout: float = 900, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=REPO, **kw)  # type: ignore[call-overload]


def start(*args: object, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, **kw
    )  # type: ignore[call-overload]


def live_govkg(work: Path) -> set[int]:
    """Live (not zombie) processes running build_graph.py on the replay's folder."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if state != "Z" and b"build_graph.py" in cmd and os.fsencode(str(work)) in cmd:
            found.add(int(entry.name))
    return found


def articles(out: Path) -> int:
    return int(json.loads((out / "report.json").read_text(encoding="utf-8"))["articles"])


def exports_match(out: Path) -> bool:
    saved = json.loads((out / "report.json").read_text(encoding="utf-8"))["exports"]
    return saved.get("graph.ttl") == hashlib.sha256((out / "graph.ttl").read_bytes()).hexdigest()


def clear(done: subprocess.CompletedProcess[str] | tuple[int, str], ok_codes: tuple[int, ...]) -> list[str]:
    """Problems with a finished command: a traceback, an unexpected exit, an error not in one line."""
    code, err = (done.returncode, done.stderr) if isinstance(done, subprocess.CompletedProcess) else done
    problems = []
    if "Traceback" in err:
        problems.append("traceback")
    if code not in ok_codes:
        problems.append(f"exit {code} (expected {ok_codes}): {err.strip()[-300:]}")
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    if code != 0 and (len(errors) != 1 or errors[0] != err.strip().splitlines()[-1]):
        problems.append(f"not one clear line: {err.strip()[-300:]!r}")
    return problems


WORK: list[Path] = []
ONLY = [""]


def case(name: str) -> Callable[[Callable[[], list[str]]], None]:
    def register(body: Callable[[], list[str]]) -> None:
        if ONLY[0] not in name:
            return
        before = live_govkg(WORK[0])
        began = time.monotonic()
        try:
            problems = body()
        except Exception as exc:  # the replay's own failure
            problems = [f"{type(exc).__name__}: {exc}"]
        time.sleep(0.5)
        left = live_govkg(WORK[0]) - before
        if left:
            problems.append(f"processes left: {sorted(left)}")
        results.append((name, problems))
        status = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print(f"{name} ({time.monotonic() - began:.1f} s): {status}", flush=True)

    return register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "graph" / "data" / "samples")
    parser.add_argument("--big-mb", type=float, default=50)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--only", default="", help="replay only the cases whose name contains this")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="replay20-"))
    WORK.append(work)
    ONLY[0] = args.only
    good = sorted(args.corpus.glob("*.txt"))
    n = len(good)

    def corpus(name: str, copies: int = 1) -> Path:
        folder = work / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for k in range(copies):
            for p in good:
                shutil.copy(p, folder / (p.name if k == 0 else f"{p.stem}-{k}{p.suffix}"))
        return folder

    @case("a file name not UTF-8 beside good articles")
    def _() -> list[str]:
        src = corpus("badname")
        shutil.copy(good[0], os.path.join(os.fsencode(src), b"\xff.txt"))
        done = run("build", src, "--out", work / "badname.out", "--quiet", "--jobs", "2")
        return clear(done, (0,)) + ([] if articles(work / "badname.out") == n + 1 else ["articles lost"])

    @case(f"one {args.big_mb:g} MB file beside good articles")
    def _() -> list[str]:
        src = corpus("big")
        body = "\n\n".join(p.read_text(encoding="utf-8") for p in good)
        size = int(args.big_mb * (1 << 20))
        text = "\n\n".join([body] * (size // len(body.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")
        (src / "zz-big.txt").write_text(text, encoding="utf-8")
        done = run("build", src, "--out", work / "big.out", "--quiet", "--jobs", "2")
        return clear(done, (0,)) + ([] if articles(work / "big.out") >= n + 1 else ["articles lost"])

    @case("a UTF-8 article with one byte deleted mid-file")
    def _() -> list[str]:
        src = corpus("cut")
        data = good[0].read_bytes()
        cut = data.index("。".encode()) + 1
        (src / good[0].name).write_bytes(data[:cut] + data[cut + 1 :])
        done = run("build", src, "--out", work / "cut.out", "--quiet")
        saved = json.loads((work / "cut.out" / "report.json").read_text(encoding="utf-8"))
        return clear(done, (0,)) + ([] if saved["articles"] == n and saved["replaced_bytes"] else ["article lost"])

    def concurrent(full: bool) -> list[str]:
        src, out = corpus("conc", copies=20), work / "conc.out"
        shutil.rmtree(out, ignore_errors=True)
        first = start("build", src, "--out", out, "--quiet", "--jobs", "2")
        time.sleep(2)
        second = run("build", src, "--out", out, "--quiet", *(["--full"] if full else []))
        _, err = first.communicate(timeout=900)
        problems = clear(second, (2,))
        if not second.stderr.strip().endswith("; wait or use another --out"):
            problems.append(f"unexpected line {second.stderr.strip()!r}")
        problems += clear((first.returncode, err), (0,))
        after = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", out)
        return problems + clear(after, (0,)) + ([] if articles(out) == 20 * n else ["articles lost"])

    case("build --full while another build writes the folder")(lambda: concurrent(True))
    case("two plain builds of one folder at once")(lambda: concurrent(False))

    @case("a file unreadable on a rebuild")
    def _() -> list[str]:
        src, out = corpus("unread"), work / "unread.out"
        first = run("build", src, "--out", out, "--quiet")
        (src / good[0].name).unlink()
        (src / good[0].name).symlink_to(work / "nowhere.txt")
        again = run("build", src, "--out", out, "--quiet")
        kept = "kept " + good[0].name in again.stderr
        return clear(first, (0,)) + clear(again, (0,)) + ([] if kept and articles(out) == n else ["article lost"])

    @case("an empty folder given to an existing build")
    def _() -> list[str]:
        out, empty = work / "unread.out", work / "empty"
        empty.mkdir(exist_ok=True)
        done = run("build", empty, "--out", out, "--quiet")
        return clear(done, (2,)) + ([] if articles(out) == n else ["articles lost"])

    @case("kill -9 of a build, then a rebuild")
    def _() -> list[str]:
        src, out = corpus("kill", copies=20), work / "kill.out"
        shutil.rmtree(out, ignore_errors=True)
        proc = start("build", src, "--out", out, "--quiet", "--jobs", "2")
        time.sleep(4)
        proc.kill()
        proc.communicate()
        time.sleep(0.5)
        again = run("build", src, "--out", out, "--quiet", "--jobs", "2")
        clean = run("build", src, "--out", work / "kill.clean", "--quiet", "--jobs", "2")
        same = (out / "graph.ttl").read_bytes() == (work / "kill.clean" / "graph.ttl").read_bytes()
        return clear(again, (0,)) + clear(clean, (0,)) + ([] if same else ["resumed graph differs"])

    @case("SIGTERM of a build at several moments (exports and report.json agree)")
    def _() -> list[str]:
        src, out = corpus("term", copies=20), work / "term.out"
        problems = clear(run("build", corpus("term-small"), "--out", out, "--quiet"), (0,))
        for delay in (1.0, 3.0, 5.0, 7.0):
            proc = start("build", src, "--out", out, "--quiet", "--jobs", "2", "--prune")
            time.sleep(delay)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
            problems += clear((proc.returncode, err), (0, 128 + signal.SIGTERM))
            if not exports_match(out):
                problems.append(f"graph.ttl and report.json differ after SIGTERM at {delay} s")
        return problems

    @case("disk full (file size limit) during a build")
    def _() -> list[str]:
        src, out = corpus("full"), work / "full.out"

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

        done = run("build", src, "--out", out, "--quiet", preexec_fn=limit)
        problems = clear(done, (1,))
        if str(out) not in done.stderr:
            problems.append(f"no path named: {done.stderr.strip()!r}")
        return problems + clear(run("build", src, "--out", out, "--quiet"), (0,))

    graph = work / "badname.out"
    if not (graph / "store").exists():  # --only query: the queries need a built graph
        run("build", corpus("queries"), "--out", graph, "--quiet", "--jobs", "2")
    queries = {
        "3,000 nested braces": "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
        "20,000 !": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "true) }",
        "20,000 UNIONs": "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 20000) + " }",
        "a cross product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "a (p|^p)+ path": "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://x/p>|^<http://x/p>|!<http://x/q>)+ ?b }",
        "FROM <iri>": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    }
    for name, text in queries.items():

        @case(f"query: {name}")
        def _(text: str = text, name: str = name) -> list[str]:
            began = time.monotonic()
            rq = work / f"{len(text)}.rq"  # as a file: 20,000 UNIONs are too long for a command line
            rq.write_text(text, encoding="utf-8")
            done = run("query", rq, "--graph", graph, "--timeout", "5", timeout=120)
            # a slow query either answers within the limit or is stopped at it (exit 3);
            # on a small build the path query can finish in time
            allowed = (0, 3) if name in ("a cross product", "a (p|^p)+ path") else (2, 3)
            problems = clear(done, allowed)
            if time.monotonic() - began > 30:
                problems.append("took over 30 s")
            return problems + clear(run("query", "ASK { ?s ?p ?o }", "--graph", graph), (0,))

    failed = [name for name, problems in results if problems]
    print(f"{len(results) - len(failed)} of {len(results)} cases ok" + (f"; failed: {failed}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
