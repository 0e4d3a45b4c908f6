"""Network analysis of a built graph: who meets whom, who is central, when.

co_attendance           officials as a networkx.Graph (nodes: IRI strings with
                        label and province; an edge for every pair that shared
                        an event, weight = number of shared events)
centrality_by_province  degree and betweenness centrality of each official
                        within the co-attendance subgraph of its province
participation           events each official chaired, attended, conducted
meetings_per_month      meetings and inspections per YYYY-MM (or --MM)
compute_tables          all of the above as rows, computed once
write_tables            the tables as UTF-8 CSV files with a header
format_tables           the tables as aligned text for a terminal

The graph (an rdflib Graph, or a built folder's Oxigraph store) is read only through
the SPARQL in graph/queries/analyze/*.rq (feeds that return every row, kept apart from
the example queries in graph/queries/); the functions here are pure (no printing) and
deterministic: rows are sorted, every networkx graph is built with its nodes and edges
in sorted order, and sampled betweenness uses a fixed seed.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
from rdflib import Literal
from rdflib.query import ResultRow

from graph.ask.query import QUERIES_DIR, display_width, read_query, run_query
from graph.files import write_atomic
from graph.store.source import Source

UNDATED = "?"  # the month of an event with neither schema:startDate nor gov:monthDay
CSV_FILES = {
    "co_attendance": "co_attendance.csv",
    "centrality": "centrality_by_province.csv",
    "participation": "participation.csv",
    "months": "meetings_per_month.csv",
}


# ---------------------------------------------------------------- rows


class CoAttendanceRow(NamedTuple):
    official_a: str
    official_b: str
    shared_events: int
    iri_a: str
    iri_b: str


class CentralityRow(NamedTuple):
    province: str
    official: str
    degree: float
    betweenness: float
    iri: str


class ParticipationRow(NamedTuple):
    official: str
    chaired: int
    attended: int
    conducted: int
    iri: str


class MonthRow(NamedTuple):
    month: str
    meetings: int
    inspections: int


@dataclass(frozen=True)
class Tables:
    """Every analysis table of one graph."""

    co_attendance: list[CoAttendanceRow]
    centrality: list[CentralityRow]
    participation: list[ParticipationRow]
    months: list[MonthRow]


# ---------------------------------------------------------------- reading

ANALYZE_QUERIES = QUERIES_DIR / "analyze"


def _select(g: Source, name: str) -> list[ResultRow]:
    """The rows of the feed graph/queries/analyze/NAME.rq on g."""
    result = run_query(g, read_query(str(ANALYZE_QUERIES / f"{name}.rq")))
    return [row for row in result if isinstance(row, ResultRow)]


def _int(value: Any) -> int:
    return int(value.toPython()) if isinstance(value, Literal) else int(value or 0)


def _label_key(label: Literal) -> tuple[int, str]:
    """zh-Hans first, then other Chinese, then plain, then any other language."""
    lang = (label.language or "").lower()
    rank = 0 if lang == "zh-hans" else 1 if lang.startswith("zh") else 3 if lang else 2
    return rank, str(label)


def _official_labels(g: Source) -> dict[str, str]:
    """Official IRI -> its label (the IRI itself when it has none)."""
    labels: dict[str, list[Literal]] = {}
    for row in _select(g, "officials"):
        official = str(row.official)
        labels.setdefault(official, [])
        if isinstance(row.label, Literal):
            labels[official].append(row.label)
    return {iri: str(min(found, key=_label_key)) if found else iri for iri, found in labels.items()}


def _official_provinces(g: Source) -> dict[str, str]:
    """Official IRI -> the province most of its posts lie in (ties: first label)."""
    posts: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in _select(g, "provinces"):
        posts[str(row.official)].append((-_int(row.posts), str(row.province)))
    return {iri: min(found)[1] for iri, found in posts.items()}


# ---------------------------------------------------------------- analyses


def co_attendance(g: Source) -> nx.Graph:
    """Officials and the events they shared.

    Nodes are official IRIs (strings) with attributes label and province (the
    province their posts' gov:jurisdiction reaches through gov:reportsTo; with
    posts in several, the one with most posts, ties broken by the label; None
    without any). An edge joins two officials who both chaired, attended or
    conducted at least one common event; its weight is the number of such events.
    """
    labels = _official_labels(g)
    provinces = _official_provinces(g)
    net = nx.Graph()
    for iri in sorted(labels):
        net.add_node(iri, label=labels[iri], province=provinces.get(iri))
    for (a, b), weight in sorted(_shared_events(g).items()):
        net.add_edge(a, b, weight=weight)
    return net


def _shared_events(g: Source) -> dict[tuple[str, str], int]:
    """(official a, official b), a < b -> the number of events both took part in."""
    people: dict[str, set[str]] = defaultdict(set)
    for row in _select(g, "roles"):
        people[str(row.event)].add(str(row.official))
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for group in people.values():
        for pair in combinations(sorted(group), 2):
            shared[pair] += 1
    return dict(shared)


def _ordered_subgraph(net: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The induced subgraph, rebuilt with nodes and edges in sorted order.

    (networkx's subgraph views iterate a set, so their order, and with it the
    rounding of betweenness sums, would follow string hashing.)
    """
    keep = sorted(nodes)
    sub = nx.Graph()
    sub.add_nodes_from(keep)
    members = set(keep)
    sub.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in net.edges(keep) if u in members and v in members))
    return sub


EXACT_BETWEENNESS = 1_000  # officials in a province up to which betweenness is computed exactly
BETWEENNESS_SOURCES = 100  # above that, estimated from this many sampled sources (seed 0)


def centrality_by_province(net: nx.Graph) -> list[CentralityRow]:
    """Degree and betweenness centrality of each official within its province.

    For each province, the co-attendance subgraph induced by the officials of
    that province is taken alone (edges to other provinces do not count), and
    networkx's degree_centrality and betweenness_centrality (normalised,
    unweighted: a shared event is a link whatever its weight) are computed on
    it. Exact betweenness takes a breadth-first search from every official, hours
    for the ten thousand officials a province has in 100,000 articles: above
    EXACT_BETWEENNESS officials it is estimated from BETWEENNESS_SOURCES sources
    drawn with a fixed seed (networkx's `k`; the same numbers on every run).
    An official alone in its province gets 0.0 for both (networkx would
    give a lone node degree 1.0). Officials without a province are left out.
    Rows: by province, then degree and betweenness (highest first), then name.
    """
    by_province: dict[str, list[str]] = defaultdict(list)
    for node, province in net.nodes(data="province"):
        if province is not None:
            by_province[province].append(node)
    rows: list[CentralityRow] = []
    for province in sorted(by_province):
        sub = _ordered_subgraph(net, by_province[province])
        if sub.number_of_nodes() > 1:
            degree = nx.degree_centrality(sub)
            if sub.number_of_nodes() > EXACT_BETWEENNESS:
                betweenness = nx.betweenness_centrality(sub, k=BETWEENNESS_SOURCES, seed=0)
            else:
                betweenness = nx.betweenness_centrality(sub)
        else:
            degree = betweenness = dict.fromkeys(sub, 0.0)
        for node in sub:
            label = net.nodes[node].get("label") or node
            rows.append(CentralityRow(province, label, float(degree[node]), float(betweenness[node]), node))
    rows.sort(key=lambda r: (r.province, -r.degree, -r.betweenness, r.official, r.iri))
    return rows


def co_attendance_rows(net: nx.Graph) -> list[CoAttendanceRow]:
    """The edges of a co-attendance network, most shared events first."""
    rows = []
    for u, v, weight in net.edges(data="weight"):
        a, b = sorted((net.nodes[n].get("label") or n, n) for n in (u, v))
        rows.append(CoAttendanceRow(a[0], b[0], int(weight or 0), a[1], b[1]))
    rows.sort(key=lambda r: (-r.shared_events, r.official_a, r.official_b, r.iri_a, r.iri_b))
    return rows


def participation(g: Source) -> list[ParticipationRow]:
    """Events each official chaired, attended and conducted (officials with none left out).

    Rows: most events in all first, then most chaired, attended, conducted, then name.
    """
    labels = _official_labels(g)
    rows = [
        ParticipationRow(
            labels.get(str(row.official), str(row.official)),
            _int(row.chaired),
            _int(row.attended),
            _int(row.conducted),
            str(row.official),
        )
        for row in _select(g, "participation")
    ]
    rows.sort(
        key=lambda r: (
            -(r.chaired + r.attended + r.conducted),
            -r.chaired,
            -r.attended,
            -r.conducted,
            r.official,
            r.iri,
        )
    )
    return rows


def _month_key(month: str) -> tuple[int, str]:
    return (1 if month == UNDATED else 0, month)


def meetings_per_month(g: Source) -> list[MonthRow]:
    """Meetings and inspections per month.

    The month is YYYY-MM from schema:startDate, else --MM from gov:monthDay
    (year unknown), else '?' (undated). Rows: --MM first (they sort before
    digits), then YYYY-MM in order, then '?'.
    """
    rows = [MonthRow(str(row.month), _int(row.meetings), _int(row.inspections)) for row in _select(g, "months")]
    rows.sort(key=lambda r: _month_key(r.month))
    return rows


def compute_tables(g: Source) -> Tables:
    """All four tables of g."""
    net = co_attendance(g)
    return Tables(
        co_attendance=co_attendance_rows(net),
        centrality=centrality_by_province(net),
        participation=participation(g),
        months=meetings_per_month(g),
    )


# ---------------------------------------------------------------- output


def _tables(source: Source | Tables) -> Tables:
    return source if isinstance(source, Tables) else compute_tables(source)


def _cell(value: object, digits: int) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return "" if value is None else str(value)


def _fields(tables: Tables) -> list[tuple[str, Sequence[str], Sequence[NamedTuple]]]:
    """(key, header, rows) of each table, in output order."""
    return [
        ("co_attendance", CoAttendanceRow._fields, tables.co_attendance),
        ("centrality", CentralityRow._fields, tables.centrality),
        ("participation", ParticipationRow._fields, tables.participation),
        ("months", MonthRow._fields, tables.months),
    ]


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A header line and the rows as CSV (floats to 6 decimals, CRLF lines)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v, 6) for v in row] for row in rows])
    return buf.getvalue()


def write_tables(source: Source | Tables, out_dir: Path) -> list[Path]:
    """Write each table as a UTF-8 CSV file in out_dir (atomically); the paths written."""
    tables = _tables(source)
    out_dir = Path(out_dir)
    written = []
    for key, header, rows in _fields(tables):
        path = out_dir / CSV_FILES[key]
        write_atomic(path, csv_text(header, rows).encode("utf-8"))
        written.append(path)
    return written


TITLES = {
    "co_attendance": "Co-attendance: officials who shared events",
    "centrality": "Centrality within each province",
    "participation": "Participation: events chaired, attended, conducted",
    "months": "Meetings and inspections per month",
}
_HIDDEN = {"iri", "iri_a", "iri_b"}  # in the CSV files, not on the terminal


def _text_table(header: Sequence[str], rows: Sequence[Sequence[object]], limit: int | None) -> str:
    """Aligned columns (CJK counted as two columns), numbers right-aligned."""
    keep = [i for i, h in enumerate(header) if h not in _HIDDEN]
    shown = rows if limit is None else rows[:limit]
    cells = [[_cell(row[i], 4) for i in keep] for row in shown]
    names = [header[i] for i in keep]
    numeric = [bool(rows) and all(isinstance(row[i], int | float) for row in rows) for i in keep]
    widths = [max([display_width(n)] + [display_width(r[j]) for r in cells]) for j, n in enumerate(names)]

    def line(values: Sequence[str]) -> str:
        parts: list[str] = []
        for value, width, right in zip(values, widths, numeric, strict=True):
            pad = " " * (width - display_width(value))
            parts.append(pad + value if right else value + pad)
        return "  ".join(parts).rstrip()

    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    count = f"({len(rows)} row{'' if len(rows) == 1 else 's'}"
    if len(shown) < len(rows):
        count += f", first {len(shown)} shown"
    out.append(count + ")")
    return "\n".join(out) + "\n"


def format_tables(source: Source | Tables, limit: int | None = None) -> str:
    """The tables as text for a terminal: a title, then aligned columns.

    limit: at most that many rows of each table (None: all). IRIs are left out
    here (they are in the CSV files); names are never clipped.
    """
    tables = _tables(source)
    blocks = []
    for key, header, rows in _fields(tables):
        title = TITLES[key]
        blocks.append(f"{title}\n{'=' * display_width(title)}\n" + _text_table(header, rows, limit))
    return "\n".join(blocks)


__all__: list[str] = [
    "CentralityRow",
    "CoAttendanceRow",
    "MonthRow",
    "ParticipationRow",
    "Tables",
    "centrality_by_province",
    "co_attendance",
    "co_attendance_rows",
    "compute_tables",
    "csv_text",
    "format_tables",
    "meetings_per_month",
    "participation",
    "write_tables",
]
