"""benchmarks/bench.py's report of a run without the extraction-only phases (--skip-extract)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench


def test_report_without_extraction_rows() -> None:
    build = {
        "build_s": 200.0,
        "articles": 1000,
        "triples": 250_000,
        "ttl_bytes": 40e6,
        "store_bytes": 90e6,
        "output_bytes": 130e6,
        "peak_rss_mb": 700.0,
    }
    update = {"build_s": 10.0, "extracted": 10, "unchanged": 990, "peak_rss_mb": 500.0}
    res = {"label": "gen 1k", "file_mb": 1.2, "build": build, "update": update, "changed": 10}
    lines = bench.report([res], 2).splitlines()
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in lines[2:]}
    assert rows == {
        "input file (MB)": "1.2",
        "build_corpus (s)": "200.0",
        "build art/s": "5.0",
        "triples": "250,000",
        "graph.ttl (MB)": "40.0",
        "store + archive (MB)": "90.0",
        "all output files (MB)": "130.0",
        "peak RSS build (MB)": "700",
        "changed articles": "10",
        "incremental rebuild (s)": "10.0",
        "extracted / unchanged": "10 / 990",
        "incremental / full build": "5.0%",
        "peak RSS rebuild (MB)": "500",
    }


def test_lookups_are_bound_to_picked_values() -> None:
    from rdflib import Literal, URIRef

    event = URIRef("https://w3id.org/govkg/resource/event/x/e1")
    answers = {"official": Literal("王小明"), "event": event, "day": Literal("2022-09-28")}

    def run(text: str) -> list[tuple[object]]:
        key = next(k for k, q in bench.PICKERS.items() if q == text)
        return [(answers[key],)] if key in answers else []  # no province in this graph

    names = ["official_posts", "view_dates", "view_meeting", "view_province", "who_ordered"]
    binds = bench.pick_bindings(run, names)
    assert binds == {
        "official_posts": {"name": Literal("王小明", lang="zh-hans")},  # as `--bind name=王小明` binds it
        "view_dates": {"start": Literal("2022-09-28"), "end": Literal("2022-10-04")},
        "view_meeting": {"event": event},
    }
    assert "analyze/months" in bench.query_names() and "chairs_most" in bench.query_names()


def test_query_table_shows_bindings_and_aligns_chinese() -> None:
    from graph.ask.query import display_width

    queries = {
        "official_posts": {"ms": 15.0, "rows": 10, "error": None, "bind": {"name": "王小明"}},
        "view_dates": {
            "ms": None,
            "rows": None,
            "error": "timeout after 20 s",
            "bind": {"start": "2022-09-28", "end": "2022-10-04"},
        },
        "who_ordered": {"ms": 359.0, "rows": 1000, "error": None, "bind": {}},
    }
    run = {"queries": queries, "load_s": 0.03, "peak_rss_mb": 500.0, "graph_triples": 250_000}
    res = {"label": "gen 1k", "file_mb": 1.2, "query_timeout": 20.0, "queries": run}
    lines = bench.report([res], 2).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| query latency"))
    rows = lines[start : start + 5]
    assert [line.split("|")[1].strip() for line in rows[2:]] == [
        "official_posts name=王小明",
        "view_dates start=2022-09-28 end=2022-10-04",
        "who_ordered",
    ]
    assert [line.split("|")[2].strip() for line in rows[2:]] == [
        "15 ms (10 rows)",
        "> 20 s (cut off)",
        "359 ms (1,000 rows)",
    ]
    assert len({display_width(line) for line in rows}) == 1  # the Chinese name takes two columns a character
