"""graph.ask.analyze on a hand-made graph (every number worked out by hand), the
GraphML and JSON-LD exports, and the `analyze` and `export` commands."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
import rdflib.namespace as rns
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from graph.ask import analyze
from graph.ask.analyze import (
    CSV_FILES,
    CentralityRow,
    CoAttendanceRow,
    MonthRow,
    ParticipationRow,
    centrality_by_province,
    co_attendance,
    co_attendance_rows,
    compute_tables,
    format_tables,
    meetings_per_month,
    participation,
    write_tables,
)
from graph.ask.query import display_width
from graph.errors import GraphTooLarge
from graph.outputs.formats import graphml_bytes, jsonld_bytes, write_graphml, write_jsonld
from graph.outputs.network import to_networkx
from graph.rdf import vocab
from graph.rdf.vocab import GOV, GOVR, SCHEMA
from graph.store.source import load_small_graph, open_graph
from graph.store.store import GraphStore, read_store

# rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

# ---------------------------------------------------------------- the hand-made graph
#
# places    甲省 (P1) <- 一市 (C1) <- 一县 (K1)        乙省 (P2) <- 二市 (C2)
# officials 张甲 A: post in 一市          -> 甲省
#           李乙 B: post in 甲省 itself   -> 甲省 (zero reportsTo steps)
#           王丙 C: post in 一县          -> 甲省 (two steps)
#           赵丁 D: post in 二市          -> 乙省
#           钱戊 E: posts in 二市, 乙省 and 一县 -> 乙省 (2 posts there against 1)
# events    M1 meeting    2022-03-05  A chairs, B attends, D attends
#           M2 meeting    2022-03-20  B chairs, C attends, E attends
#           M3 meeting    --04-02     D chairs, E attends
#           I1 inspection 2022-04-10  D conducts, E conducts
#           I2 inspection (no date)   C conducts

P1, C1, K1, P2, C2 = (GOVR[f"place/{c}"] for c in ("910000", "910100", "910102", "920000", "920100"))
A, B, C, D, E = (GOVR[f"person/{k}"] for k in "abcde")
M1, M2, M3, I1, I2 = (GOVR[f"event/x/{k}"] for k in ("m1", "m2", "m3", "i1", "i2"))
ARTICLE = GOVR["article/x"]
NAMES = {A: "张甲", B: "李乙", C: "王丙", D: "赵丁", E: "钱戊"}


def triples() -> list[tuple[URIRef, URIRef, object]]:
    t: list[tuple[URIRef, URIRef, object]] = [
        (ARTICLE, RDF.type, GOV.Article),
        (ARTICLE, GOV.fileName, Literal("x.txt")),
    ]
    for place, cls, label, parent in (
        (P1, GOV.Province, "甲省", None),
        (C1, GOV.City, "一市", P1),
        (K1, GOV.County, "一县", C1),
        (P2, GOV.Province, "乙省", None),
        (C2, GOV.City, "二市", P2),
    ):
        t += [(place, RDF.type, cls), (place, RDFS.label, Literal(label, lang="zh-Hans"))]
        if parent is not None:
            t.append((place, GOV.reportsTo, parent))
    posts = {A: [C1], B: [P1], C: [K1], D: [C2], E: [C2, P2, K1]}
    for person, places in posts.items():
        t += [(person, RDF.type, GOV.Official), (person, RDFS.label, Literal(NAMES[person]))]
        for i, place in enumerate(places):
            post = GOVR[f"post/{NAMES[person]}{i}"]
            t += [
                (person, GOV.holdsPost, post),
                (post, RDF.type, GOV.Post),
                (post, GOV.title, Literal("书记")),
                (post, GOV.jurisdiction, place),
            ]
    for event, cls in (
        (M1, GOV.Meeting),
        (M2, GOV.Meeting),
        (M3, GOV.Meeting),
        (I1, GOV.Inspection),
        (I2, GOV.Inspection),
    ):
        t += [(event, RDF.type, cls), (event, PROV.wasDerivedFrom, ARTICLE)]
    t += [
        (M1, RDFS.label, Literal("一号会议")),
        (M1, SCHEMA.startDate, Literal("2022-03-05", datatype=rns.XSD.date)),
        (M2, SCHEMA.startDate, Literal("2022-03-20", datatype=rns.XSD.date)),
        (M3, GOV.monthDay, Literal("--04-02", datatype=rns.XSD.gMonthDay)),
        (I1, SCHEMA.startDate, Literal("2022-04-10", datatype=rns.XSD.date)),
        (M1, GOV.heldIn, C1),
        (A, GOV.chairs, M1),
        (B, GOV.attends, M1),
        (D, GOV.attends, M1),
        (B, GOV.chairs, M2),
        (C, GOV.attends, M2),
        (E, GOV.attends, M2),
        (D, GOV.chairs, M3),
        (E, GOV.attends, M3),
        (D, GOV.conducts, I1),
        (E, GOV.conducts, I1),
        (C, GOV.conducts, I2),
    ]
    return t


def make_graph(reverse: bool = False) -> Graph:
    g = Graph()
    for triple in reversed(triples()) if reverse else triples():
        g.add(triple)  # type: ignore[arg-type]
    return vocab.bind_prefixes(g)


@pytest.fixture()
def g() -> Graph:
    return make_graph()


# ---------------------------------------------------------------- co-attendance


def test_co_attendance_weights(g: Graph) -> None:
    net = co_attendance(g)
    # pairs per event: M1 {A,B,D} -> AB AD BD; M2 {B,C,E} -> BC BE CE;
    # M3 {D,E} -> DE; I1 {D,E} -> DE again; I2 {C} -> no pair.
    # So DE = 1 + 1 = 2, the six others 1 each: 7 edges.
    expected = {
        frozenset((A, B)): 1,
        frozenset((A, D)): 1,
        frozenset((B, D)): 1,
        frozenset((B, C)): 1,
        frozenset((B, E)): 1,
        frozenset((C, E)): 1,
        frozenset((D, E)): 2,
    }
    got = {frozenset((URIRef(u), URIRef(v))): w for u, v, w in net.edges(data="weight")}
    assert got == expected
    assert sorted(net.nodes) == sorted(map(str, NAMES))
    assert {n: d["label"] for n, d in net.nodes(data=True)} == {str(k): v for k, v in NAMES.items()}
    # E: two posts reach 乙省 (二市 -> 乙省, 乙省 itself), one 甲省 (一县 -> 一市 -> 甲省)
    assert dict(net.nodes(data="province")) == {
        str(A): "甲省",
        str(B): "甲省",
        str(C): "甲省",
        str(D): "乙省",
        str(E): "乙省",
    }
    assert co_attendance_rows(net)[0] == CoAttendanceRow("赵丁", "钱戊", 2, str(D), str(E))
    assert len(co_attendance_rows(net)) == 7


def test_official_without_post_has_no_province(g: Graph) -> None:
    f = GOVR["person/f"]
    g.add((f, RDF.type, GOV.Official))
    g.add((f, RDFS.label, Literal("孙己")))
    net = co_attendance(g)
    assert net.nodes[str(f)] == {"label": "孙己", "province": None}
    assert net.degree(str(f)) == 0
    assert str(f) not in {r.iri for r in centrality_by_province(net)}


# ---------------------------------------------------------------- centrality


def test_centrality_by_province(g: Graph) -> None:
    rows = centrality_by_province(co_attendance(g))
    # 甲省 = {A, B, C}; edges inside it: AB, BC (AD, BD, BE, CE leave the province).
    #   degree = neighbours / (n - 1) = / 2:  A 1/2 = 0.5, B 2/2 = 1.0, C 1/2 = 0.5
    #   betweenness: the one pair not adjacent, (A, C), has its only shortest path
    #   A-B-C through B -> B 1; normalised by (n-1)(n-2)/2 = 2*1/2 = 1 -> B 1.0, A, C 0
    # 乙省 = {D, E}; edge DE: degree 1/1 = 1.0 each; no path of length 2 -> betweenness 0
    # order: province (乙 U+4E59 < 甲 U+7532), degree, betweenness (high first), name
    # (赵 U+8D75 < 钱 U+94B1; 张 U+5F20 < 王 U+738B)
    assert rows == [
        CentralityRow("乙省", "赵丁", 1.0, 0.0, str(D)),
        CentralityRow("乙省", "钱戊", 1.0, 0.0, str(E)),
        CentralityRow("甲省", "李乙", 1.0, 1.0, str(B)),
        CentralityRow("甲省", "张甲", 0.5, 0.0, str(A)),
        CentralityRow("甲省", "王丙", 0.5, 0.0, str(C)),
    ]


def test_large_province_betweenness_is_estimated_the_same_way_each_run(monkeypatch: pytest.MonkeyPatch) -> None:
    net = nx.path_graph([f"o{i}" for i in range(6)])  # o0 - o1 - ... - o5
    nx.set_node_attributes(net, "甲省", "province")
    exact = centrality_by_province(net)
    # o2 and o3 lie on 6 of the 10 pairs' paths: 6 / ((6-1)(6-2)/2) = 0.6
    assert {r.iri: r.betweenness for r in exact}["o2"] == pytest.approx(0.6)
    monkeypatch.setattr(analyze, "EXACT_BETWEENNESS", 5)  # the province's 6 are above it
    monkeypatch.setattr(analyze, "BETWEENNESS_SOURCES", 6)  # every official a source: exact
    assert centrality_by_province(net) == exact
    monkeypatch.setattr(analyze, "BETWEENNESS_SOURCES", 3)  # sampled: an estimate, fixed seed
    estimate = centrality_by_province(net)
    assert estimate != exact and estimate == centrality_by_province(net)


def test_lone_official_in_a_province_scores_zero(g: Graph) -> None:
    p3, f = GOVR["place/930000"], GOVR["person/f"]
    post = GOVR["post/f"]
    for t in (
        (p3, RDF.type, GOV.Province),
        (p3, RDFS.label, Literal("丙省")),
        (f, RDF.type, GOV.Official),
        (f, RDFS.label, Literal("孙己")),
        (f, GOV.holdsPost, post),
        (post, GOV.jurisdiction, p3),
        (f, GOV.attends, M1),
    ):
        g.add(t)
    net = co_attendance(g)
    assert net.degree(str(f)) == 3  # A, B, D from M1, all in other provinces
    row = next(r for r in centrality_by_province(net) if r.iri == str(f))
    assert row == CentralityRow("丙省", "孙己", 0.0, 0.0, str(f))


# ---------------------------------------------------------------- participation, months


def test_participation(g: Graph) -> None:
    # A chairs M1                              -> 1 0 0 (total 1)
    # B chairs M2, attends M1                  -> 1 1 0 (2)
    # C attends M2, conducts I2                -> 0 1 1 (2)
    # D chairs M3, attends M1, conducts I1     -> 1 1 1 (3)
    # E attends M2 and M3, conducts I1         -> 0 2 1 (3)
    # order: total, then chaired (high first): D, E, B, C, A
    assert participation(g) == [
        ParticipationRow("赵丁", 1, 1, 1, str(D)),
        ParticipationRow("钱戊", 0, 2, 1, str(E)),
        ParticipationRow("李乙", 1, 1, 0, str(B)),
        ParticipationRow("王丙", 0, 1, 1, str(C)),
        ParticipationRow("张甲", 1, 0, 0, str(A)),
    ]


def test_meetings_per_month(g: Graph) -> None:
    # M1 2022-03-05, M2 2022-03-20 -> 2022-03: 2 meetings
    # M3 --04-02 (no year)         -> --04: 1 meeting
    # I1 2022-04-10                -> 2022-04: 1 inspection
    # I2 undated                   -> ?: 1 inspection
    assert meetings_per_month(g) == [
        MonthRow("--04", 1, 0),
        MonthRow("2022-03", 2, 0),
        MonthRow("2022-04", 0, 1),
        MonthRow("?", 0, 1),
    ]


def test_tables_do_not_depend_on_insertion_order() -> None:
    assert compute_tables(make_graph()) == compute_tables(make_graph(reverse=True))


def test_write_and_format_tables(g: Graph, tmp_path: Path) -> None:
    written = write_tables(g, tmp_path)
    assert [p.name for p in written] == list(CSV_FILES.values())
    with (tmp_path / "participation.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["official", "chaired", "attended", "conducted", "iri"]
    assert rows[1] == ["赵丁", "1", "1", "1", str(D)]
    with (tmp_path / "centrality_by_province.csv").open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh))[3] == ["甲省", "李乙", "1.000000", "1.000000", str(B)]
    text = format_tables(g)
    assert "Meetings and inspections per month" in text and "(4 rows)" in text
    assert str(A) not in text  # IRIs only in the CSV files
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("province"))
    # columns line up in terminal cells: 甲省 (4 cells) padded like 乙省
    row_lines = lines[header + 2 : header + 7]
    assert len({display_width(line.split("  ")[0]) for line in row_lines}) == 1
    assert "(7 rows, first 2 shown)" in format_tables(g, limit=2)


# ---------------------------------------------------------------- GraphML, JSON-LD


def test_graphml_round_trip(g: Graph, tmp_path: Path) -> None:
    # a control character in an evidence sentence must not break the XML
    ev, sn = GOVR["evidence/1"], GOVR["sentence/1"]
    for t in (
        (ev, RDF.type, GOV.Evidence),
        (ev, RDF.subject, A),
        (ev, RDF.predicate, GOV.chairs),
        (ev, RDF.object, M1),
        (ev, GOV.inSentence, sn),
        (sn, PROV.wasDerivedFrom, ARTICLE),
        (sn, GOV.sentence, Literal("张甲主持\x0b召开会议。")),
        (sn, GOV.startOffset, Literal(3)),
    ):
        g.add(t)
    path = tmp_path / "g.graphml"
    write_graphml(g, path)
    back = nx.read_graphml(path)
    net = to_networkx(g)
    # nodes: 5 officials + 3 meetings + 2 inspections + 5 places = 15
    # edges: 11 roles + 1 heldIn + 3 reportsTo + 7 posts (E has 3) = 22
    assert (net.number_of_nodes(), net.number_of_edges()) == (15, 22)
    assert (back.number_of_nodes(), back.number_of_edges()) == (15, 22)
    assert back.nodes[str(A)]["name"] == "张甲"
    assert back.nodes[str(A)]["kind"] == "official"
    chairs = back.get_edge_data(str(A), str(M1))  # one edge: read back as a DiGraph
    assert chairs["evidence"] == 1 and chairs["predicate"] == str(GOV.chairs)
    assert graphml_bytes(make_graph()) == graphml_bytes(make_graph(reverse=True))


def test_jsonld_round_trip(g: Graph, tmp_path: Path) -> None:
    path = tmp_path / "g.jsonld"
    write_jsonld(g, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"]["gov"] == str(GOV)
    assert doc["@context"]["govr"] == str(GOVR)
    back = Graph().parse(path, format="json-ld")
    assert isomorphic(back, g)
    assert jsonld_bytes(make_graph()) == jsonld_bytes(make_graph(reverse=True))


def test_exports_of_the_built_samples(built_samples: tuple[Path, Graph]) -> None:
    _, samples = built_samples
    back = Graph().parse(data=jsonld_bytes(samples), format="json-ld")
    assert isomorphic(back, samples)
    net = nx.read_graphml(io.BytesIO(graphml_bytes(samples)))
    view = to_networkx(samples)
    assert (net.number_of_nodes(), net.number_of_edges()) == (view.number_of_nodes(), view.number_of_edges())


def test_tables_from_the_store_equal_those_from_turtle(built_samples: tuple[Path, Graph]) -> None:
    out_dir, samples = built_samples
    store = read_store(out_dir)
    assert store is not None
    assert isinstance(open_graph(out_dir), GraphStore)  # a built folder: its store
    assert isinstance(open_graph(out_dir / "graph.ttl"), Graph)  # a Turtle file: rdflib
    from_store, from_turtle = compute_tables(store), compute_tables(samples)
    assert from_store.participation and from_store.co_attendance  # not two empty answers
    assert from_store == from_turtle


# ---------------------------------------------------------------- command line


def test_cli_analyze(run_cli, built_samples: tuple[Path, Graph], tmp_path: Path) -> None:
    out_dir, samples = built_samples
    graph_dir = tmp_path / "graph"
    graph_dir.mkdir()
    shutil.copy(out_dir / "graph.ttl", graph_dir / "graph.ttl")  # the CSVs land beside it
    proc = run_cli("analyze", "--graph", graph_dir, "--limit", "0")
    assert proc.returncode == 0, proc.stderr
    for title in (
        "Co-attendance",
        "Centrality within each province",
        "Participation",
        "Meetings and inspections per month",
    ):
        assert title in proc.stdout
    assert "wrote" in proc.stderr
    tables = compute_tables(samples)
    assert tables.participation  # the samples do have officials at meetings
    for key, name in CSV_FILES.items():
        text = (graph_dir / name).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == 1 + len(getattr(tables, key)), name
    first = tables.participation[0]
    assert first.official in proc.stdout

    elsewhere = tmp_path / "tables"
    proc = run_cli("analyze", "--graph", graph_dir / "graph.ttl", "--out", elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(CSV_FILES.values())

    proc = run_cli("analyze", "--graph", tmp_path / "nothing")
    assert proc.returncode != 0 and "no built graph" in proc.stderr


def test_cli_export_turtle_of_a_build_is_its_graph_ttl(
    run_cli, built_samples: tuple[Path, Graph], tmp_path: Path
) -> None:
    out_dir, samples = built_samples
    proc = run_cli("export", "--graph", out_dir, "--format", "turtle", "--out", tmp_path / "g.ttl")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "g.ttl").read_bytes() == (out_dir / "graph.ttl").read_bytes()
    assert isomorphic(Graph().parse(tmp_path / "g.ttl"), samples)


def test_graphml_of_a_large_build_is_refused_in_one_line(
    built_samples: tuple[Path, Graph], monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.store import source

    out_dir, samples = built_samples
    assert len(load_small_graph(out_dir, "--format graphml")) == len(samples)
    monkeypatch.setattr(source, "VIEW_LIMIT", 10)
    too_large = r"triples is more than 10 to load into memory for --format graphml; "
    with pytest.raises(GraphTooLarge, match=too_large) as err:
        load_small_graph(out_dir, "--format graphml")
    assert str(err.value).startswith(f"{out_dir}: ") and "\n" not in str(err.value)
    assert len(load_small_graph(out_dir / "graph.ttl", "--format graphml")) == len(samples)  # a file: loaded


def test_cli_export(run_cli, built_samples: tuple[Path, Graph], tmp_path: Path) -> None:
    out_dir, samples = built_samples
    for fmt, name in (("graphml", "g.graphml"), ("jsonld", "g.jsonld"), ("turtle", "g.ttl")):
        proc = run_cli("export", "--graph", out_dir, "--format", fmt, "--out", tmp_path / name)
        assert proc.returncode == 0, proc.stderr
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == to_networkx(samples).number_of_nodes()
    assert isomorphic(Graph().parse(tmp_path / "g.jsonld", format="json-ld"), samples)
    assert (tmp_path / "g.ttl").read_bytes() == (out_dir / "graph.ttl").read_bytes()
    proc = run_cli("export", "--graph", out_dir, "--format", "jsonld")
    assert proc.returncode == 0 and proc.stdout == (tmp_path / "g.jsonld").read_text(encoding="utf-8")
    proc = run_cli("export", "--graph", out_dir, "--format", "pdf")
    assert proc.returncode != 0


def test_graphml_for_gephi(built_samples: tuple[Path, Graph]) -> None:
    """Unique edge ids (as many as edges), colours as r/g/b, label, class and province."""
    from xml.etree import ElementTree

    from graph.outputs.network import KIND_BY_KEY

    _, samples = built_samples
    data = graphml_bytes(samples)
    view = to_networkx(samples)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = ElementTree.fromstring(data).findall(".//g:edge", ns)
    ids = [edge.get("id") for edge in edges]
    assert len(edges) == view.number_of_edges() > 100
    assert len(set(ids)) == len(ids) and None not in ids
    net = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert net.number_of_edges() == view.number_of_edges()
    assert {key for _, _, key in net.edges(keys=True)} == set(ids)
    provinces = 0
    for node, attrs in net.nodes(data=True):
        kind = KIND_BY_KEY[attrs["class"]]
        assert attrs["label"] == view.nodes[node]["name"] and attrs["class_name"] == kind.name
        assert f"#{attrs['r']:02x}{attrs['g']:02x}{attrs['b']:02x}" == kind.color == attrs["color"]
        provinces += "province" in attrs
    assert provinces >= net.number_of_nodes() / 3
    assert all(a["province"] == a["label"] for _, a in net.nodes(data=True) if a["class"] == "province")
