"""Latency of the SPARQL endpoint under parallel clients, three ways of serving one built store.

    .venv/bin/python benchmarks/serve_bench.py DIR [--clients 100] [--rounds 5]

DIR is a build folder (its DIR/store is served). The servers, each on 127.0.0.1 only:

* oxigraph    `oxigraph serve-read-only` (the `oxigraph` wheel) alone;
* govkg       `build_graph.py serve`'s server: graph.ask.serve's checking proxy in front of it;
* pyoxigraph  pyoxigraph's Store.query in a tornado application (a thread pool of 8
              threads), results serialised by pyoxigraph: the "pyoxigraph behind a
              production-grade server" alternative, for comparison only.

Each round starts --clients threads at once, each sending one simple query (the officials
and their labels, LIMIT 20, as JSON) on its own connection; prints p50, p95 and max of the
request times over all rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.ask.engine import oxigraph_binary
from graph.ask.serve import make_server, with_prefixes

SIMPLE = "SELECT ?p ?name WHERE { ?p a gov:Official ; rdfs:label ?name } LIMIT 20"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listening on {port}")


def one_request(port: int, path: str, query: str) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"{path}?{urlencode({'query': query})}", headers={"Accept": "application/sparql-results+json"})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    if answer.status != 200:
        raise SystemExit(f"status {answer.status}")
    return time.perf_counter() - start


def measure(name: str, port: int, path: str, query: str, clients: int, rounds: int) -> None:
    times: list[float] = []
    for _ in range(rounds):
        barrier = threading.Barrier(clients)

        def client(barrier: threading.Barrier = barrier) -> float:
            barrier.wait()
            return one_request(port, path, query)

        with ThreadPoolExecutor(clients) as pool:
            times += list(pool.map(lambda _: client(), range(clients)))
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{name:<11} {clients} parallel x {rounds}: p50 {statistics.median(times):.3f} s  "
        f"p95 {p95:.3f} s  max {times[-1]:.3f} s"
    )


def pyoxigraph_tornado(location: Path, port: int) -> Callable[[], None]:
    """Store.query in a tornado app on a thread pool; returns a function that stops it."""
    import pyoxigraph
    import tornado.web

    store = pyoxigraph.Store.read_only(str(location))
    pool = ThreadPoolExecutor(8)

    def run(query: str) -> bytes:
        result = store.query(query, use_default_graph_as_union=True)
        return result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)

    class Handler(tornado.web.RequestHandler):
        async def get(self) -> None:
            data = await asyncio.get_running_loop().run_in_executor(pool, run, self.get_argument("query"))
            self.set_header("Content-Type", "application/sparql-results+json")
            self.write(data)

    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        tornado.web.Application([("/query", Handler)]).listen(port, "127.0.0.1")
        started.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    started.wait()
    return lambda: loop.call_soon_threadsafe(loop.stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    location = args.dir / "store"
    query = with_prefixes(SIMPLE)

    port = free_port()
    command = [oxigraph_binary(), "serve-read-only", "--location", str(location)]
    proc = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "30"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port)
        measure("oxigraph", port, "/query", query, args.clients, args.rounds)
    finally:
        proc.terminate()
        proc.wait()

    server = make_server(args.dir, "127.0.0.1", 0, timeout=30)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        measure("govkg", int(server.server_address[1]), "/sparql", SIMPLE, args.clients, args.rounds)
    finally:
        server.shutdown()
        server.server_close()

    port = free_port()
    stop = pyoxigraph_tornado(location, port)
    try:
        measure("pyoxigraph", port, "/query", query, args.clients, args.rounds)
    finally:
        stop()


if __name__ == "__main__":
    main()
