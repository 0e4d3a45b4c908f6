"""benchmarks/bench.py's report of a run without the extraction-only phases (--skip-extract)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench


def test_report_without_extraction_rows() -> None:
    build = {"build_s": 200.0, "articles": 1000, "triples": 250_000, "ttl_bytes": 40e6, "store_bytes": 90e6,
             "output_bytes": 130e6, "peak_rss_mb": 700.0}
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
