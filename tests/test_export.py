"""graph.rdf.serialize and graph.outputs.html: deterministic Turtle and the escaped, legend-bearing HTML view."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import rdflib.namespace as rns
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from graph.outputs.html import render_html, write_html
from graph.outputs.network import to_networkx
from graph.rdf import vocab
from graph.rdf.serialize import turtle_bytes, write_turtle
from graph.rdf.vocab import GOV, GOVM, GOVR, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
EVIL = "王小明主持召开青川市疫情防控会议<script>alert(1)</script>。"

WANG = GOVR["person/wang"]
MEETING = GOVR["event/a1/e1"]
INSPECTION = GOVR["event/a1/e2"]
PROVINCE, CITY, COUNTY = (
    GOVR["place/910000"],
    GOVR["place/910100"],
    GOVR["place/910102"],
)
ARTICLE = GOVR["article/a1"]
POST = GOVR["post/wang-secretary"]
REPORTER = GOVR["journalist/zhao"]
MASKS = GOVM["mask-wearing"]


def _evidence(g: Graph, key: str, triple: tuple[URIRef, URIRef, URIRef], sentence: str) -> None:
    ev = GOVR[f"evidence/{key}"]
    sn = GOVR[f"sentence/{key}"]
    s, p, o = triple
    g.add(triple)
    if p == GOV.mandates:  # as the builder writes it: the directive is the evidence
        links = [(RDF.type, GOV.Directive), (GOV.issuedAt, s), (GOV.directs, o)]
    else:
        links = [(RDF.type, GOV.Evidence), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o)]
    for pred, obj in (*links, (GOV.inSentence, sn)):
        g.add((ev, pred, obj))
    for pred, obj in (
        (RDF.type, GOV.Sentence),
        (PROV.wasDerivedFrom, ARTICLE),
        (GOV.sentence, Literal(sentence)),
        (GOV.startOffset, Literal(10)),
        (GOV.endOffset, Literal(10 + len(sentence))),
    ):
        g.add((sn, pred, obj))


def sample_graph() -> Graph:
    """A small invented graph using every shape of the contract."""
    g = vocab.bind_prefixes(Graph())
    g.add((ARTICLE, RDF.type, GOV.Article))
    g.add((ARTICLE, GOV.fileName, Literal("a1.txt")))
    g.add((ARTICLE, SCHEMA.headline, Literal("青川市召开会议", lang="zh-Hans")))
    g.add((ARTICLE, SCHEMA.datePublished, Literal("2022-09-15", datatype=rns.XSD.date)))
    for place, cls, name, code in (
        (PROVINCE, GOV.Province, "北岭省", "910000"),
        (CITY, GOV.City, "青川市", "910100"),
        (COUNTY, GOV.County, "石桥县", "910102"),
    ):
        g.add((place, RDF.type, cls))
        g.add((place, RDFS.label, Literal(name, lang="zh-Hans")))
        g.add((place, GOV.adminCode, Literal(code)))
    g.add((CITY, SKOS.altLabel, Literal("靑川市")))
    g.add((CITY, GOV.reportsTo, PROVINCE))
    g.add((COUNTY, GOV.reportsTo, CITY))
    g.add((WANG, RDF.type, GOV.Official))
    g.add((WANG, RDFS.label, Literal("王小明", lang="zh-Hans")))
    g.add((POST, RDF.type, GOV.Post))
    g.add((POST, GOV.title, Literal("市委书记")))
    g.add((POST, GOV.jurisdiction, CITY))
    g.add((POST, PROV.wasDerivedFrom, ARTICLE))
    _evidence(g, "post", (WANG, GOV.holdsPost, POST), "青川市委书记王小明出席。")
    g.add((MEETING, RDF.type, GOV.Meeting))
    g.add((MEETING, RDFS.label, Literal("全市疫情防控工作会议")))
    g.add((MEETING, PROV.wasDerivedFrom, ARTICLE))
    g.add((MEETING, GOV.heldIn, CITY))
    g.add((MEETING, SCHEMA.startDate, Literal("2022-09-14", datatype=rns.XSD.date)))
    g.add((INSPECTION, RDF.type, GOV.Inspection))
    g.add((INSPECTION, PROV.wasDerivedFrom, ARTICLE))
    g.add((INSPECTION, GOV.heldIn, COUNTY))
    g.add((INSPECTION, GOV.monthDay, Literal("--09-15", datatype=rns.XSD.gMonthDay)))
    _evidence(g, "chairs", (WANG, GOV.chairs, MEETING), EVIL)
    _evidence(g, "conducts", (WANG, GOV.conducts, INSPECTION), "王小明到石桥县调研。")
    _evidence(g, "mandates", (MEETING, GOV.mandates, MASKS), "要严格佩戴口罩。")
    g.add((REPORTER, RDF.type, GOV.Journalist))
    g.add((REPORTER, RDFS.label, Literal("赵小刚")))
    g.add((REPORTER, GOV.journalistRole, Literal("记者")))
    g.add((ARTICLE, GOV.mentionsPlace, COUNTY))
    return g


# ---------------------------------------------------------------- Turtle


def test_turtle_round_trip(tmp_path: Path) -> None:
    g = sample_graph()
    path = tmp_path / "graph.ttl"
    write_turtle(g, path)
    back = Graph().parse(path, format="turtle")
    assert isomorphic(g, back)
    assert (
        MEETING,
        SCHEMA.startDate,
        Literal("2022-09-14", datatype=rns.XSD.date),
    ) in back
    month_day = Literal("--09-15", datatype=rns.XSD.gMonthDay)
    assert (INSPECTION, GOV.monthDay, month_day) in back
    assert (WANG, RDFS.label, Literal("王小明", lang="zh-Hans")) in back


def test_turtle_uses_project_prefixes_and_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    write_turtle(sample_graph(), path)
    text = path.read_text(encoding="utf-8")
    assert "@prefix gov: <https://w3id.org/govkg/ontology#> ." in text
    assert "<https://w3id.org/govkg/resource/person/wang>" in text
    assert '"王小明"@zh-Hans' in text  # not \\u-escaped
    assert '"--09-15"^^xsd:gMonthDay' in text


def test_turtle_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "one.ttl", tmp_path / "two.ttl"
    write_turtle(sample_graph(), first)
    write_turtle(sample_graph(), second)
    assert first.read_bytes() == second.read_bytes()
    reversed_graph = vocab.bind_prefixes(Graph())
    for triple in sorted(sample_graph(), reverse=True):
        reversed_graph.add(triple)
    assert turtle_bytes(reversed_graph) == first.read_bytes()


def test_turtle_deterministic_across_processes(tmp_path: Path) -> None:
    source = tmp_path / "in.nt"
    sample_graph().serialize(source, format="nt", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from rdflib import Graph;"
        "from graph.rdf.serialize import write_turtle;"
        "write_turtle(Graph().parse(sys.argv[1], format='nt'), Path(sys.argv[2]))"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-c", script, str(source), str(out)], check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_turtle_blank_nodes_deterministic() -> None:
    def with_bnodes() -> Graph:
        g = sample_graph()
        node = BNode()
        g.add((ARTICLE, SCHEMA.publisher, node))
        g.add((node, RDFS.label, Literal("青川日报")))
        return g

    assert turtle_bytes(with_bnodes()) == turtle_bytes(with_bnodes())


def test_write_is_atomic_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out" / "graph.ttl"
    path.parent.mkdir()
    path.write_text("old", encoding="utf-8")
    write_turtle(sample_graph(), path)
    assert path.read_text(encoding="utf-8").startswith("@prefix")
    assert sorted(p.name for p in path.parent.iterdir()) == ["graph.ttl"]


# ---------------------------------------------------------------- network


def test_to_networkx_nodes_and_edges() -> None:
    net = to_networkx(sample_graph())
    kinds = dict(net.nodes(data="kind"))
    assert kinds[str(WANG)] == "official"
    assert kinds[str(MASKS)] == "measure"
    assert kinds[str(REPORTER)] == "journalist"
    assert kinds[str(COUNTY)] == "county"
    assert str(ARTICLE) not in kinds and str(POST) not in kinds
    assert net.nodes[str(MASKS)]["name"] == "佩戴口罩"  # from ontology/measures.ttl
    assert net.nodes[str(INSPECTION)]["name"] == "调研检查 --09-15"
    chairs = net.get_edge_data(str(WANG), str(MEETING))[str(GOV.chairs)]
    assert chairs["label"] == "主持"
    assert "<i>《青川市召开会议》，2022-09-15</i>" in chairs["title"] and "a1.txt" not in chairs["title"]
    assert "&lt;script&gt;" in chairs["title"] and "<script>" not in chairs["title"]
    mandates = net.get_edge_data(str(MEETING), str(MASKS))[str(GOV.mandates)]
    assert mandates["evidence"] == 1 and "要严格佩戴口罩。" in mandates["title"]  # the directive's sentence
    posts = net.get_edge_data(str(WANG), str(CITY))
    (post_edge,) = posts.values()
    assert post_edge["label"] == "市委书记"
    assert post_edge["evidence"] == 1
    assert net.get_edge_data(str(COUNTY), str(CITY))[str(GOV.reportsTo)]["label"] == "隶属"


def test_html_contents(tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write_html(sample_graph(), path, title="测试 <b>图谱</b> & co")
    page = path.read_text(encoding="utf-8")
    assert 'id="govkg-legend"' in page and "图例" in page
    for name in (
        "官员",
        "会议",
        "防控措施",
        "王小明",
        "青川市",
        "全市疫情防控工作会议",
    ):
        assert name in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<title>测试 &lt;b&gt;图谱&lt;/b&gt; &amp; co</title>" in page
    assert "<b>图谱</b>" not in page
    assert "青川市召开会议" in page
    assert "cdn.jsdelivr.net/npm/vis-network" not in page  # vis-network inlined
    assert "vis.Network" in page


def test_html_deterministic() -> None:
    assert render_html(sample_graph()) == render_html(sample_graph())


def _big_graph(people: int, meetings: int, places: int) -> Graph:
    g = Graph()
    place_iris = [GOVR[f"place/{i:06d}"] for i in range(places)]
    for i, place in enumerate(place_iris):
        g.add((place, RDF.type, GOV.County))
        g.add((place, RDFS.label, Literal(f"测试{i}县")))
        if i:
            g.add((place, GOV.reportsTo, place_iris[0]))
    for i in range(people):
        person = GOVR[f"person/{i}"]
        g.add((person, RDF.type, GOV.Official))
        g.add((person, RDFS.label, Literal(f"官员{i}")))
    for i in range(meetings):
        meeting = GOVR[f"event/{i}"]
        g.add((meeting, RDF.type, GOV.Meeting))
        g.add((meeting, RDFS.label, Literal(f"第{i}次会议")))
        g.add((meeting, GOV.heldIn, place_iris[i % places]))
        g.add((GOVR[f"person/{i % people}"], GOV.chairs, meeting))
        g.add((GOVR[f"person/{(i * 7) % people}"], GOV.attends, meeting))
    return g


def test_html_scales_to_5000_nodes(tmp_path: Path) -> None:
    g = _big_graph(people=2000, meetings=2000, places=1000)
    started = time.perf_counter()
    write_html(g, tmp_path / "big.html")
    elapsed = time.perf_counter() - started
    page = (tmp_path / "big.html").read_text(encoding="utf-8")
    assert elapsed < 60, f"write_html took {elapsed:.1f}s for 5,000 nodes"
    assert "5000 个节点" in page
    assert '"improvedLayout": false' in page  # big graphs: no O(n^2) layout
    assert "setOptions({physics: {enabled: false}})" in page


def test_evidence_cites_the_article() -> None:
    """Headline, date, publisher and an http(s) link where the article has them; its file
    name only without a headline."""
    g = sample_graph()
    g.add((ARTICLE, SCHEMA.publisher, Literal("青川日报", lang="zh-Hans")))
    g.add((ARTICLE, SCHEMA.url, Literal("https://example.org/a1?x=1&y=2")))
    title = to_networkx(g).get_edge_data(str(WANG), str(MEETING))[str(GOV.chairs)]["title"]
    assert "《青川市召开会议》，2022-09-15，青川日报" in title
    assert '<a href="https://example.org/a1?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">' in title
    g.set((ARTICLE, SCHEMA.url, Literal("javascript:alert(1)")))
    assert "javascript" not in to_networkx(g).get_edge_data(str(WANG), str(MEETING))[str(GOV.chairs)]["title"]
    g.remove((ARTICLE, SCHEMA.headline, None))
    assert "<i>a1.txt" in to_networkx(g).get_edge_data(str(WANG), str(MEETING))[str(GOV.chairs)]["title"]
