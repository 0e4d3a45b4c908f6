"""Shared fixtures: the sample articles, one shared build of them, and a CLI runner.

samples_dir    graph/data/samples (the five bundled articles)
built_samples  (out_dir, rdflib.Graph): the samples built once per session with
               build_corpus(jobs=1, quiet=True, html=True), graph.ttl parsed back
run_cli        run_cli(*args, cwd=None, env=None) -> CompletedProcess (text):
               `sys.executable build_graph.py ARGS...`; cwd defaults to a fresh
               temporary folder, so a default build never writes into the repo
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from rdflib import Graph

REPO = Path(__file__).resolve().parent.parent
BUILD_GRAPH = REPO / "build_graph.py"
SAMPLES = REPO / "graph" / "data" / "samples"

if str(REPO) not in sys.path:  # `import graph` however pytest is started
    sys.path.insert(0, str(REPO))

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> tuple[Path, Graph]:
    """The samples built once for the whole session: (out_dir, graph parsed from graph.ttl)."""
    from graph.run.pipeline import build_corpus

    out_dir = tmp_path_factory.mktemp("samples-build")
    log = io.StringIO()
    report = build_corpus([samples_dir], out_dir, jobs=1, quiet=True, html=True, log=log)
    assert report.articles == 5, log.getvalue()
    g = Graph()
    g.parse(out_dir / "graph.ttl", format="turtle")
    return out_dir, g


def _run_cli(
    *args: str | os.PathLike[str],
    cwd: str | os.PathLike[str],
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, str(BUILD_GRAPH), *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def run_cli(tmp_path_factory: pytest.TempPathFactory) -> RunCli:
    """run_cli(*args, cwd=None, env=None): build_graph.py in a subprocess, text output."""

    def run(
        *args: str | os.PathLike[str],
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        where = cwd if cwd is not None else tmp_path_factory.mktemp("cli-cwd")
        return _run_cli(*args, cwd=where, env=env, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def sample_graph(built_samples: tuple[Path, Graph]) -> Graph:
    """The sample graph as parsed from graph.ttl."""
    return built_samples[1]
