"""Issue 20, queries: every query is checked before it reaches the engine (graph.ask.guard),
and runs in a child process stopped at its time limit."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from graph.ask.guard import MAX_DEPTH, MAX_QUERY_BYTES, check_query, run_limited
from graph.ask.query import QUERIES_DIR
from graph.errors import GovkgError, QueryError, QueryRefused, QueryTimeout

HOSTILE = {
    "3,000 braces": "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "20,000 !": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "true) }",
    "20,000 UNIONs": "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 20000) + " }",
    "5,000 ||": "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["true"] * 5000) + ") }",
    "deep parentheses": "SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }",
    "FROM": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "FROM NAMED": "select * from named <http://example.org/g> where { graph ?g { ?s ?p ?o } }",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_queries_are_refused_in_one_line(name: str) -> None:
    with pytest.raises(QueryRefused) as caught:
        check_query(HOSTILE[name])
    message = str(caught.value)
    assert "\n" not in message and len(message) < 200
    assert isinstance(caught.value, GovkgError) and caught.value.exit_code == 2


def test_limits_are_named_in_the_messages() -> None:
    with pytest.raises(QueryRefused, match=f"at most {MAX_DEPTH} levels"):
        check_query(HOSTILE["3,000 braces"])
    with pytest.raises(QueryRefused, match=f"at most {MAX_QUERY_BYTES} bytes"):
        check_query(HOSTILE["20,000 UNIONs"])


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.rglob("*.rq")), ids=lambda p: p.stem)
def test_every_shipped_query_passes(path: Path) -> None:
    check_query(path.read_text(encoding="utf-8"))


def test_brackets_and_words_in_strings_iris_and_comments_do_not_count() -> None:
    check_query('SELECT * WHERE { ?s ?p "{{{{ FROM (((" . ?s ?q <http://x/FROM> } # FROM {{{{\n')
    check_query("SELECT * WHERE { ?s ?p ?o FILTER(?o != 1 && -?o < 2) }")


def test_a_timeout_kills_the_work_and_says_so() -> None:
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"stopped after 0\.5 s \(--timeout\)"):
        run_limited(lambda: time.sleep(30) or b"", 0.5)
    assert time.monotonic() - start < 5


def test_an_engine_crash_is_one_line() -> None:
    with pytest.raises(QueryError, match=r"the query engine died \(signal SIGSEGV\)"):
        run_limited(lambda: os.kill(os.getpid(), signal.SIGSEGV) or b"", 10)


def test_an_answer_comes_back() -> None:
    assert run_limited(lambda: "答".encode() * 100_000, 10) == "答".encode() * 100_000


def test_cli_query_cross_product_times_out_and_a_simple_query_still_answers(
    built_samples: tuple[Path, object], run_cli
) -> None:
    out_dir, _ = built_samples
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    start = time.monotonic()
    done = run_cli("query", cross, "--graph", out_dir, "--timeout", "1")
    assert time.monotonic() - start < 20
    assert done.returncode == 3 and done.stderr.strip().startswith("Error: query stopped after 1 s")
    assert len(done.stderr.strip().splitlines()) == 1
    simple = run_cli("query", "ASK { ?s ?p ?o }", "--graph", out_dir)
    assert simple.returncode == 0 and "true" in simple.stdout


def test_cli_query_nested_too_deep_is_refused(built_samples: tuple[Path, object], run_cli) -> None:
    out_dir, _ = built_samples
    done = run_cli("query", HOSTILE["3,000 braces"], "--graph", out_dir)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: query nested more than {MAX_DEPTH} deep (at character {15 + MAX_DEPTH}) refused: "
        f"at most {MAX_DEPTH} levels of {{ }}, ( ) and [ ]"
    ]
