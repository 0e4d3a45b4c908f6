"""The Oxigraph server process behind graph.ask.serve.

oxigraph_binary  the `oxigraph` executable of the `oxigraph` wheel
store_location   the store to serve: a build's DIR/store, or a scratch store loaded from a .ttl
Oxigraph         `oxigraph serve-read-only` on a private 127.0.0.1 port, started again if it dies
"""

from __future__ import annotations

import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from graph.errors import GovkgError, one_line


def oxigraph_binary() -> str:
    """The `oxigraph` server executable: beside this Python's, or on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.is_file() else shutil.which("oxigraph")
    if found is None:
        raise GovkgError("the oxigraph server is not installed: pip install -r requirements.txt")
    return found


def store_location(graph_dir: Path, scratch: Path) -> Path:
    """The Oxigraph store to serve: a built folder's DIR/store, or (for a .ttl file or a
    folder with only graph.ttl) a store loaded from that Turtle into scratch."""
    from pyoxigraph import RdfFormat, Store

    from graph.store.keys import STORE_DIR

    if (graph_dir / STORE_DIR).is_dir():
        return (graph_dir / STORE_DIR).resolve()
    ttl = graph_dir / "graph.ttl" if graph_dir.is_dir() else graph_dir
    if not ttl.is_file():
        raise GovkgError(f"{graph_dir}: no built graph (run `python build_graph.py build PATH... --out DIR` first)")
    store = Store(str(scratch))
    try:
        store.bulk_load(path=str(ttl), format=RdfFormat.TURTLE)
    except (OSError, SyntaxError, ValueError) as exc:
        raise GovkgError(f"cannot load {ttl}: {one_line(exc)}") from exc
    store.flush()
    del store
    return scratch


def _die_with_parent() -> None:
    """In the Oxigraph child (Linux): SIGTERM when the server's process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Oxigraph:
    """`oxigraph serve-read-only` on a private port, started again if it dies or is restarted
    (Oxigraph 0.5.13's --timeout-s does not stop an aggregate over a cross product: measured
    on 2026-12-08, a COUNT over four unconnected patterns on the sample store still ran 10 s
    after a 1 s limit, its client gone; so the proxy restarts the process then). generation
    counts the starts. One long-lived thread starts it every time: Linux's parent-death
    signal follows the thread that forked."""

    def __init__(self, location: Path, timeout: float) -> None:
        self.location, self.timeout = location, timeout
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.generation = 0
        self.jobs: queue.Queue[queue.Queue[BaseException | None]] = queue.Queue()
        threading.Thread(target=self._keeper, name="oxigraph-keeper", daemon=True).start()
        self.start()

    def _keeper(self) -> None:
        while True:
            reply = self.jobs.get()
            try:
                self._spawn()
                reply.put(None)
            except BaseException as exc:  # handed to the thread that asked
                reply.put(exc)

    def start(self, generation: int | None = None) -> None:
        """Start Oxigraph unless it runs; given the generation a caller used, kill it and
        start it again, unless that was done since. Waits until it listens."""
        with self.lock:
            if generation is None and self.alive():
                return
            if generation is not None and generation != self.generation:
                return
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            reply: queue.Queue[BaseException | None] = queue.Queue()
            self.jobs.put(reply)
            failure = reply.get()
            if failure is not None:
                raise failure
            self.generation += 1

    def _spawn(self) -> None:
        self.port = _free_port()
        command = [oxigraph_binary(), "serve-read-only", "--location", str(self.location)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        command += ["--timeout-s", str(max(1, round(self.timeout)))]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise GovkgError(f"oxigraph serve-read-only exited with {self.proc.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise GovkgError(f"oxigraph serve-read-only did not start listening on 127.0.0.1:{self.port}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
