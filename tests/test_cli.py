"""The command line's mistakes, progress bars and examples: one-line errors with the right
exit status, progress on stderr (none with --quiet), `view` under exports/ by default, and
every example of the README and of --help (except `build`'s and `serve`'s) run in a copy of
the repository holding only what a clone has."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, RunCli
from rdflib import Graph

SKIP_COMMANDS = ("serve", "build")  # serve runs until stopped (tests/test_serve.py); build: tests/test_pipeline.py


def test_unknown_bind_name_is_one_line_and_exit_2(run_cli: RunCli, built_samples: tuple[Path, Graph]) -> None:
    out_dir, _ = built_samples
    done = run_cli("query", "chairs_most", "--graph", out_dir, "--bind", "nope=1")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(
        "Error: --bind nope: the query has no variable ?nope"
    )
    assert "?official" in done.stderr
    done = run_cli("query", "chairs_most", "--graph", out_dir, "--bind", "nope")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "expected VAR=VALUE" in done.stderr


def test_missing_prefix_names_it_and_lists_the_known(run_cli: RunCli, built_samples: tuple[Path, Graph]) -> None:
    out_dir, _ = built_samples
    for graph in (out_dir, out_dir / "graph.ttl"):  # the store and rdflib alike
        done = run_cli("query", "SELECT * WHERE { ?s foo:bar ?o ; rdfs:label 'a:b' }", "--graph", graph)
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("Error: unknown prefix foo: in the query")
        assert "gov:, govr:" in done.stderr and "PREFIX foo: <…>" in done.stderr
    done = run_cli("query", "PREFIX foo: <http://x/> SELECT * WHERE { ?s foo:bar ?o }", "--graph", out_dir)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["view", "--official", "张才芳", "--out", "part.html"],
        ["analyze", "--out", "tables", "--limit", "1"],
    ],
    ids=lambda a: a[0],
)
def test_progress_bars_and_quiet(
    run_cli: RunCli, built_samples: tuple[Path, Graph], tmp_path: Path, args: list[str]
) -> None:
    out_dir = tmp_path / "build"
    shutil.copytree(built_samples[0], out_dir)
    done = run_cli(*args, "--graph", out_dir, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{args[0]}: " in done.stderr and "|" in done.stderr  # the bar and its step's name
    done = run_cli(*args, "--graph", out_dir, "--quiet", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""


def test_view_writes_under_exports_by_default(
    run_cli: RunCli, built_samples: tuple[Path, Graph], tmp_path: Path
) -> None:
    done = run_cli("view", "--graph", built_samples[0], "--official", "张才芳", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "exports" / "view.html").is_file() and not (tmp_path / "view.html").exists()


def help_examples() -> list[str]:
    """The example lines of every command's --help (without build's and serve's)."""
    import build_graph

    lines = []
    for name, command in sorted(build_graph.cli.commands.items()):
        if name in SKIP_COMMANDS:
            continue
        lines += [line.strip() for line in (command.help or "").splitlines() if "python build_graph.py" in line]
    lines += [line.strip() for line in (build_graph.cli.help or "").splitlines() if "python build_graph.py" in line]
    return lines


def readme_examples() -> list[str]:
    """The build_graph.py lines of the README's sh blocks (those not starting a server)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = line.split("&&")[-1].strip()
            if "build_graph.py" in command and " serve " not in command and "curl" not in command:
                lines.append(command)
    return lines


def test_examples_name_no_path_outside_the_repository() -> None:
    for line in help_examples() + readme_examples():
        assert "../" not in line and "/shared" not in line, line


def test_readme_and_help_examples_run_in_a_fresh_copy(tmp_path: Path) -> None:
    """Each example, in a copy holding build_graph.py, graph/ and ontology/ only, after the
    README's first step (`python build_graph.py`: build the samples into exports/)."""
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy2(REPO / "build_graph.py", clone)
    for folder in ("graph", "ontology"):
        shutil.copytree(REPO / folder, clone / folder, ignore=shutil.ignore_patterns("__pycache__"))
    python = sys.executable
    examples = readme_examples() + help_examples()
    assert len(examples) >= 10
    for line in examples:
        command = re.sub(r"^(\.venv/bin/)?python ", f"{python} ", line)
        done = subprocess.run(
            ["bash", "-c", command], cwd=clone, capture_output=True, text=True, encoding="utf-8", timeout=300
        )
        assert done.returncode == 0, f"{line}\n{done.stderr}"
