"""Every shipped query answers the same through the Oxigraph store as through rdflib:
unbound, and bound (as `build_graph.py query --bind VAR=TEXT` binds) to values picked
from the sample build at run time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.query import Result
from rdflib.term import Identifier

from graph.ask.query import QUERIES_DIR, read_query, run_query, shipped_queries, to_term
from graph.store.store import GraphStore, read_store

# GROUP_CONCAT columns: SPARQL leaves the order of the parts to the engine
CONCAT = {"articles": " ", "measures": "、"}
BY_FIRST = {"view_province"}  # ORDER BY the province only: its nodes come in each engine's order

PICKS = {  # what each binding is picked as (the first by sort order; untimed)
    "official": "SELECT ?l WHERE { ?o gov:chairs ?m ; rdfs:label ?l } ORDER BY ?l LIMIT 1",
    "province": """SELECT ?l WHERE { ?m gov:heldIn/gov:reportsTo* ?p . ?p a gov:Province ; rdfs:label ?l }
                   ORDER BY ?l LIMIT 1""",
    "event": "SELECT ?e WHERE { ?d gov:issuedAt ?e } GROUP BY ?e ORDER BY DESC(COUNT(*)) ?e LIMIT 1",
    "day": "SELECT ?d WHERE { ?e schema:startDate ?d } ORDER BY ?d LIMIT 1",
    "label": "SELECT ?l WHERE { ?d gov:issuedAt ?e . ?e rdfs:label ?l } ORDER BY ?l LIMIT 1",
    "measure": """SELECT ?l WHERE { ?d gov:directs ?m . ?m skos:prefLabel ?l FILTER(LANG(?l) = "zh-hans") }
                  ORDER BY ?l LIMIT 1""",
}
BOUND = [  # (query, {variable: (pick, days added to a picked date)})
    ("official_posts", {"name": ("official", 0)}),
    ("view_official", {"name": ("official", 0)}),
    ("view_province", {"provinceLabel": ("province", 0)}),
    ("meeting_directives", {"event": ("event", 0)}),
    ("meeting_directives", {"meetingLabel": ("label", 0)}),
    ("view_meeting", {"event": ("event", 0)}),
    ("view_dates", {"start": ("day", 0), "end": ("day", 6)}),
    ("view_dates", {"start": ("day", 1)}),
    ("who_ordered", {"measureLabel": ("measure", 0)}),
    ("places_under", {"parentLabel": ("province", 0)}),
]


@pytest.fixture(scope="module")
def both(built_samples: tuple[Path, Graph]) -> tuple[GraphStore, Graph]:
    out_dir, g = built_samples
    store = read_store(out_dir)
    assert store is not None
    return store, g


def _rows(result: Result) -> list[tuple[str, ...]]:
    variables = [str(v) for v in result.vars or []]
    out = []
    for row in result:
        cells = []
        for var, term in zip(variables, row, strict=True):  # type: ignore[call-overload]
            text = "" if term is None else str(term)
            cells.append(CONCAT[var].join(sorted(text.split(CONCAT[var]))) if var in CONCAT else text)
        out.append(tuple(cells))
    return out


def _bindings(g: Graph, wanted: dict[str, tuple[str, int]]) -> dict[str, Identifier]:
    out: dict[str, Identifier] = {}
    for var, (pick, days) in wanted.items():
        (value,) = next(iter(run_query(g, PICKS[pick])))  # type: ignore[misc]
        if isinstance(value, Literal):
            text = str(value)
            if pick == "day":
                text = (dt.date.fromisoformat(text[:10]) + dt.timedelta(days=days)).isoformat()
            value = to_term(text)
        out[var] = value
    return out


FEEDS = sorted(f"analyze/{p.stem}" for p in (QUERIES_DIR / "analyze").glob("*.rq"))


@pytest.mark.parametrize("name", [*shipped_queries(), *FEEDS])
def test_unbound_queries_answer_alike(both: tuple[GraphStore, Graph], name: str) -> None:
    store, g = both
    text = read_query(str(QUERIES_DIR / f"{name}.rq"))
    rows = _rows(run_query(g, text))
    assert rows, f"{name}: no rows on the samples, nothing compared"
    assert _same(name, text, _rows(store.query(text)), rows)


def _same(name: str, text: str, answer: list[tuple[str, ...]], rows: list[tuple[str, ...]]) -> bool:
    """Equal rows, in equal order as far as the query orders them."""
    if "ORDER BY" not in "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")):
        return sorted(answer) == sorted(rows)  # a page in the store's order, or a feed
    if name in BY_FIRST:  # ordered by the leading column only
        return sorted(answer) == sorted(rows) and [r[0] for r in answer] == [r[0] for r in rows]
    return answer == rows


@pytest.mark.parametrize(("name", "wanted"), BOUND, ids=[f"{n}-{'-'.join(w)}" for n, w in BOUND])
def test_bound_queries_answer_alike(
    both: tuple[GraphStore, Graph], name: str, wanted: dict[str, tuple[str, int]]
) -> None:
    store, g = both
    text = read_query(name)
    bindings = _bindings(g, wanted)
    rows = _rows(run_query(g, text, bindings))
    everything = _rows(run_query(g, text))
    assert rows and set(rows) <= set(everything), f"{name} {bindings}: the binding picked nothing"
    assert _same(name, text, _rows(store.query(text, bindings)), rows)


def test_bound_dates_narrow_the_answer(both: tuple[GraphStore, Graph]) -> None:
    """A store ignoring ?start and ?end (a VALUES block the query's inner groups do not see)
    would list every event: the bound answer must be smaller, on both paths."""
    store, g = both
    text = read_query("view_dates")
    first = _bindings(g, {"start": ("day", 0), "end": ("day", 0)})
    bound = {row[0] for row in _rows(store.query(text, first))}
    every = {row[0] for row in _rows(store.query(text))}
    assert bound and len(bound) < len(every)
    assert bound == {row[0] for row in _rows(run_query(g, text, first))}
