"""graph.ask.views: each view of a small invented graph keeps exactly the expected
nodes (hand-checked), with the evidence of what it keeps; and the HTML page
carries the search box, class checkboxes, province options and date inputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from graph.ask.query import QUERIES_DIR
from graph.ask.views import province_index, subgraph
from graph.errors import GovkgError
from graph.outputs.html import render_html
from graph.outputs.network import to_networkx
from graph.rdf import vocab
from graph.rdf.vocab import GOV, GOVM, GOVR, SCHEMA
from graph.store.store import GraphStore

# Two invented provinces:
#   北岭省 P1 <- 青川市 C1 <- 石桥县 K1          南川省 P2 <- 白沙市 C2
# 王小明 市委书记 of C1, chairs M1 (C1, 2022-09-14; mandates masks; follows M0)
# 李大华 县长 of K1, attends M1, conducts I1 (K1, --09-15, no label)
# M0 北岭省疫情防控视频会议 (P1, no date)
# 赵四 市长 of C2, chairs M2 (C2, 2022-06-01; mandates testing); 钱五 (no post) attends M2
# 孙小刚: a journalist, linked to no event
P1, C1, K1 = GOVR["place/910000"], GOVR["place/910100"], GOVR["place/910102"]
P2, C2 = GOVR["place/920000"], GOVR["place/920100"]
WANG, LI = GOVR["person/wang"], GOVR["person/li"]
ZHAO, QIAN = GOVR["person/zhao"], GOVR["person/qian"]
REPORTER = GOVR["journalist/sun"]
M0, M1, I1, M2 = (GOVR[f"event/a/{k}"] for k in ("m0", "m1", "i1", "m2"))
MASKS, TESTING = GOVM["mask-wearing"], GOVM["nucleic-acid-testing"]
ARTICLE = GOVR["article/a"]
NAMES = {
    P1: "北岭省",
    C1: "青川市",
    K1: "石桥县",
    P2: "南川省",
    C2: "白沙市",
    WANG: "王小明",
    LI: "李大华",
    ZHAO: "赵四",
    QIAN: "钱五",
    REPORTER: "孙小刚",
    M0: "北岭省疫情防控视频会议",
    M1: "青川市疫情防控工作会议",
    M2: "白沙市防汛工作会议",
}


def _fact(g: Graph, s: URIRef, p: URIRef, o: URIRef | Literal, sentence: str) -> None:
    """The triple and an evidence node saying it."""
    g.add((s, p, o))
    ev = vocab.evidence_iri(str(s), str(p), str(o))
    sn = vocab.sentence_iri(f"{ARTICLE}#{sentence}", 0, len(sentence))  # a node per distinct sentence
    if p == GOV.mandates:  # as the builder writes it: the directive is the evidence
        links = [(RDF.type, GOV.Directive), (GOV.issuedAt, s), (GOV.directs, o)]
    else:
        links = [(RDF.type, GOV.Evidence), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o)]
    for pred, obj in (*links, (GOV.inSentence, sn)):
        g.add((ev, pred, obj))
    for pred, obj in (
        (PROV.wasDerivedFrom, ARTICLE),
        (GOV.sentence, Literal(sentence)),
        (GOV.startOffset, Literal(0)),
    ):
        g.add((sn, pred, obj))


def small_graph() -> Graph:
    g = vocab.bind_prefixes(Graph())
    g.add((ARTICLE, RDF.type, GOV.Article))
    g.add((ARTICLE, GOV.fileName, Literal("a.txt")))
    for place, cls, code, parent in (
        (P1, GOV.Province, "910000", None),
        (C1, GOV.City, "910100", P1),
        (K1, GOV.County, "910102", C1),
        (P2, GOV.Province, "920000", None),
        (C2, GOV.City, "920100", P2),
    ):
        g.add((place, RDF.type, cls))
        g.add((place, GOV.adminCode, Literal(code)))
        if parent is not None:
            g.add((place, GOV.reportsTo, parent))
    for person in (WANG, LI, ZHAO, QIAN):
        g.add((person, RDF.type, GOV.Official))
    g.add((REPORTER, RDF.type, GOV.Journalist))
    for node, name in NAMES.items():
        g.add((node, RDFS.label, Literal(name, lang="zh-Hans")))
    for person, title, place in (
        (WANG, "市委书记", C1),
        (LI, "县长", K1),
        (ZHAO, "市长", C2),
    ):
        post = GOVR[f"post/{title}"]
        g.add((post, RDF.type, GOV.Post))
        g.add((post, PROV.wasDerivedFrom, ARTICLE))
        _fact(g, post, GOV.title, Literal(title), f"{title}{NAMES[person]}")
        _fact(g, post, GOV.jurisdiction, place, f"{NAMES[place]}{title}")
        _fact(g, person, GOV.holdsPost, post, f"{NAMES[place]}{title}{NAMES[person]}")
    for event, cls in ((M0, GOV.Meeting), (M1, GOV.Meeting), (I1, GOV.Inspection), (M2, GOV.Meeting)):
        g.add((event, RDF.type, cls))
        g.add((event, PROV.wasDerivedFrom, ARTICLE))
    g.add((M1, SCHEMA.startDate, Literal("2022-09-14", datatype=rns.XSD.date)))
    g.add((M2, SCHEMA.startDate, Literal("2022-06-01", datatype=rns.XSD.date)))
    g.add((I1, GOV.monthDay, Literal("--09-15", datatype=rns.XSD.gMonthDay)))
    for s, p, o, sentence in (
        (M0, GOV.heldIn, P1, "北岭省召开视频会议。"),
        (M1, GOV.heldIn, C1, "青川市召开会议。"),
        (I1, GOV.heldIn, K1, "李大华到石桥县调研。"),
        (M2, GOV.heldIn, C2, "白沙市召开防汛会议。"),
        (WANG, GOV.chairs, M1, "王小明主持召开会议<script>alert(1)</script>。"),
        (LI, GOV.attends, M1, "李大华出席。"),
        (LI, GOV.conducts, I1, "李大华到石桥县调研。"),
        (ZHAO, GOV.chairs, M2, "赵四主持会议。"),
        (QIAN, GOV.attends, M2, "钱五出席。"),
        (M1, GOV.mandates, MASKS, "要严格佩戴口罩。"),
        (M2, GOV.mandates, TESTING, "要做好核酸检测。"),
        (M1, GOV.follows, M0, "收听收看省视频会议后召开。"),
    ):
        _fact(g, s, p, o, sentence)
    return g


@pytest.fixture(scope="module")
def g() -> Graph:
    return small_graph()


def drawn(part: Graph) -> set[URIRef]:
    return {URIRef(n) for n in to_networkx(part).nodes}


# ---------------------------------------------------------------- the views


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ({"official": "王小明"}, {WANG, C1, M1, LI}),
        ({"official": "李大华"}, {LI, K1, M1, I1, WANG, C1}),
        ({"official": "钱五"}, {QIAN, M2, ZHAO, C2}),
        ({"province": "北岭省"}, {P1, C1, K1, M0, M1, I1, WANG, LI}),
        ({"province": "南川省"}, {P2, C2, M2, ZHAO}),
        ({"start": "2022-09-01", "end": "2022-09-30"}, {M1, WANG, LI, C1, MASKS, M0, I1, K1}),
        ({"start": "2022-05-01", "end": "2022-06-30"}, {M2, ZHAO, QIAN, C2, TESTING}),
        ({"start": "2022-09-15", "end": "2022-09-15"}, {I1, LI, K1}),
        # --09-15 falls in a range spanning a new year when the range holds 15 Sep
        ({"start": "2021-09-01", "end": "2022-01-31"}, {I1, LI, K1}),
        # an open start: I1 (month and day only) falls in it in some year
        ({"end": "2022-07-01"}, {M2, ZHAO, QIAN, C2, TESTING, I1, LI, K1}),
        ({"meeting": "防汛"}, {M2, ZHAO, QIAN, C2, TESTING}),
        ({"meeting": "青川市疫情防控工作会议"}, {M1, WANG, LI, C1, MASKS, M0}),
        ({"meeting": f"<{M0}>"}, {M0, M1, P1}),
        ({"meeting": str(I1)}, {I1, LI, K1}),
        # several views: the nodes all of them keep
        ({"official": "李大华", "start": "2022-09-15", "end": "2022-09-15"}, {I1, LI, K1}),
        ({"province": "北岭省", "meeting": "青川市疫情防控"}, {M1, WANG, LI, C1, M0}),
    ],
)
def test_view_keeps_exactly(g: Graph, view: dict[str, str], expected: set[URIRef]) -> None:
    part = subgraph(g, **view)
    assert drawn(part) == expected, {NAMES.get(n, str(n)) for n in drawn(part) ^ expected}


def test_no_view_is_the_whole_graph(g: Graph) -> None:
    whole = subgraph(g)
    assert set(whole) == set(g)
    assert whole is not g


def test_view_keeps_evidence_of_kept_triples_only(g: Graph) -> None:
    part = subgraph(g, official="王小明")
    net = to_networkx(part)
    chairs = net.get_edge_data(str(WANG), str(M1))[str(GOV.chairs)]
    assert chairs["evidence"] == 1 and "a.txt" in chairs["title"]
    assert "&lt;script&gt;" in chairs["title"]
    (post_edge,) = net.get_edge_data(str(WANG), str(C1)).values()
    assert post_edge["label"] == "市委书记" and post_edge["evidence"] == 3
    # 李大华 is drawn (he attends M1), but his post in 石桥县 is not in the view
    assert net.get_edge_data(str(LI), str(K1)) is None
    assert "职务" not in net.nodes[str(LI)]["title"]
    said: set[tuple[Node, Node, Node]] = set()
    for ev in part.subjects(RDF.type, GOV.Evidence):
        s, p, o = (part.value(ev, link) for link in (RDF.subject, RDF.predicate, RDF.object))
        assert s is not None and p is not None and o is not None
        said.add((s, p, o))
    post = GOVR["post/市委书记"]
    assert said == {
        (WANG, GOV.chairs, M1),
        (LI, GOV.attends, M1),
        (M1, GOV.heldIn, C1),
        (WANG, GOV.holdsPost, post),
        (post, GOV.title, Literal("市委书记")),
        (post, GOV.jurisdiction, C1),
    }
    assert all(triple in part for triple in said)
    assert (ARTICLE, GOV.fileName, Literal("a.txt")) in part


def test_view_keeps_labels_and_dates_for_tooltips(g: Graph) -> None:
    net = to_networkx(subgraph(g, meeting="防汛"))
    assert net.nodes[str(M2)]["name"] == "白沙市防汛工作会议"
    assert "2022-06-01" in net.nodes[str(M2)]["title"]
    assert net.nodes[str(C2)]["title"].count("代码：920100") == 1
    assert net.nodes[str(TESTING)]["kind"] == "measure"


def test_view_keeps_a_mandates_directive_as_its_evidence(g: Graph) -> None:
    part = subgraph(g, meeting="防汛")
    mandates = to_networkx(part).get_edge_data(str(M2), str(TESTING))[str(GOV.mandates)]
    assert mandates["evidence"] == 1 and "要做好核酸检测。" in mandates["title"]
    (directive,) = part.subjects(GOV.directs, TESTING)
    assert (directive, GOV.issuedAt, M2) in part
    assert (directive, RDF.type, GOV.Directive) in part


# ---------------------------------------------------------------- nothing matches


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ({"official": "王大明"}, r"no official labelled '王大明'; officials include: .*李大华.*王小明"),
        ({"official": '王小明" || true || "'}, r"no official labelled"),
        ({"province": "东海省"}, r"no province labelled '东海省'; provinces: 北岭省、南川省"),
        ({"province": "青川市"}, r"no province labelled '青川市'"),
        ({"start": "2022-13-01"}, r"bad start date '2022-13-01': use YYYY-MM-DD"),
        ({"end": "14/09/2022"}, r"bad end date"),
        ({"start": "2022-10-01", "end": "2022-09-01"}, r"start date 2022-10-01 is after end date 2022-09-01"),
        (
            {"start": "2021-12-01", "end": "2022-01-31"},
            r"no meeting or inspection dated between 2021-12-01 and 2022-01-31; "
            r"dated events run from 2022-06-01 to 2022-09-14; plus 1 with only a month and day",
        ),
        ({"meeting": "党代会"}, r"no meeting or inspection whose label contains '党代会'; meetings include: "),
        ({"meeting": "疫情防控"}, r"'疫情防控' matches 2 differently labelled events: 北岭省.*; 青川市.*IRI"),
        ({"meeting": "govr:event/none"}, r"no meeting or inspection with IRI"),
        ({"official": "王小明", "meeting": "防汛"}, r"official '王小明' and meeting '防汛' have no node in common"),
    ],
)
def test_nothing_matches_is_one_clear_line(g: Graph, view: dict[str, str], message: str) -> None:
    with pytest.raises(GovkgError, match=message) as err:
        subgraph(g, **view)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------- on a store


@pytest.fixture(scope="module")
def store(g: Graph) -> GraphStore:
    """The same graph in an (in-memory) Oxigraph store, as one article's graph."""
    st = GraphStore(None)
    st.begin()
    st.put_article("views.txt", "0", g.serialize(format="nt", encoding="utf-8"))
    st.commit()
    assert st.triples() == len(g)
    return st


@pytest.mark.parametrize(
    "view",
    [
        {"official": "王小明"},
        {"province": "北岭省"},
        {"start": "2021-09-01", "end": "2022-01-31"},
        {"end": "2022-07-01"},
        {"meeting": "防汛"},
        {"meeting": f"<{M0}>"},
        {"official": "李大华", "start": "2022-09-15", "end": "2022-09-15"},
        {},
    ],
)
def test_a_store_draws_the_same_part(g: Graph, store: GraphStore, view: dict[str, str]) -> None:
    part = subgraph(store, **view)
    # compared as sets of rdflib terms: Oxigraph gives the fixture's "zh-Hans" tags in lower
    # case, which rdflib's term equality ignores and isomorphic()'s hashing does not
    assert len(part) > 0 and set(part) == set(subgraph(g, **view))


@pytest.mark.parametrize(
    "view",
    [
        {"official": "王大明"},
        {"province": "东海省"},
        {"start": "2021-12-01", "end": "2022-01-31"},
        {"meeting": "党代会"},
    ],
)
def test_a_store_gives_the_same_messages(g: Graph, store: GraphStore, view: dict[str, str]) -> None:
    with pytest.raises(GovkgError) as on_graph:
        subgraph(g, **view)
    with pytest.raises(GovkgError) as on_store:
        subgraph(store, **view)
    assert str(on_store.value) == str(on_graph.value)


def test_a_large_store_is_not_drawn_whole(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.store import source

    monkeypatch.setattr(source, "VIEW_LIMIT", 10)
    with pytest.raises(GovkgError, match=r"^the whole graph is \d+ triples, more than 10 to draw; choose a part"):
        subgraph(store)
    assert len(subgraph(store, meeting="防汛")) > 0  # a part still is


def test_view_queries_are_shipped_and_name_their_bindings() -> None:
    bound = {
        "view_official": "?name",
        "view_province": "?provinceLabel",
        "view_dates": "?start",
        "view_meeting": "?text",
    }
    for name, variable in bound.items():
        text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
        assert "PREFIX gov: <https://w3id.org/govkg/ontology#>" in text
        assert f"Bind {variable}" in text  # the comment users read
        assert text.count(variable) >= 2  # and the query uses it


def test_province_index(g: Graph) -> None:
    index = province_index(g)
    assert index.names == {P1: "北岭省", P2: "南川省"}
    assert index.members[K1] == {P1}
    assert index.members[I1] == {P1}
    assert index.members[ZHAO] == {P2}
    assert QIAN not in index.members and MASKS not in index.members


# ---------------------------------------------------------------- the page


def _page_nodes(page: str) -> dict[str, dict[str, object]]:
    match = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page)
    assert match, "node data not found"
    return {n["id"]: n for n in json.loads(match.group(1))}


def test_page_has_search_and_filters(g: Graph) -> None:
    page = render_html(g)
    assert re.search(r'<input id="govkg-search" type="search" list="govkg-names"', page)
    assert '<form id="govkg-search-form"' in page and '<datalist id="govkg-names">' in page
    kinds = re.findall(r'<input type="checkbox" class="govkg-kind" value="(\w+)" checked>', page)
    assert kinds == ["official", "journalist", "meeting", "inspection", "province", "city", "county", "measure"]
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page)
    assert options == [("", "全部"), (str(P1), "北岭省"), (str(P2), "南川省")]
    assert '<input id="govkg-from" type="date"' in page and '<input id="govkg-to" type="date"' in page
    assert 'id="govkg-reset"' in page
    assert "new vis.DataView(nodes" in page and "new vis.DataView(edges" in page
    assert 'setAttribute(\n                          "data-govkg-ready"' in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing loaded from the network
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


def test_page_node_facets(g: Graph) -> None:
    nodes = _page_nodes(render_html(g))
    assert nodes[str(WANG)]["govkgProvinces"] == [str(P1)]
    assert nodes[str(I1)]["govkgProvinces"] == [str(P1)]
    assert nodes[str(M2)]["govkgProvinces"] == [str(P2)]
    assert nodes[str(QIAN)]["govkgProvinces"] == []
    assert nodes[str(M1)]["govkgDate"] == "2022-09-14"
    assert nodes[str(I1)]["govkgDate"] == "--09-15"
    assert "govkgDate" not in nodes[str(M0)] and "govkgDate" not in nodes[str(WANG)]
    assert nodes[str(M0)]["govkgName"] == "北岭省疫情防控视频会议"


def test_page_of_a_view_offers_its_province_only(g: Graph) -> None:
    page = render_html(subgraph(g, province="南川省"))
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page)
    assert options == [("", "全部"), (str(P2), "南川省")]
    assert "4 个节点" in page


def test_cli_view_draws_the_same_page_from_the_store_and_from_turtle(
    run_cli, built_samples: tuple[Path, Graph], tmp_path: Path
) -> None:
    out_dir, samples = built_samples
    name = sorted(str(n) for o in samples.subjects(RDF.type, GOV.Official) for n in samples.objects(o, RDFS.label))[0]
    for view in ((), ("--official", name)):
        pages: list[bytes] = []
        for source in (out_dir, out_dir / "graph.ttl"):  # the folder: its store; the file: rdflib
            page = tmp_path / f"{len(pages)}.html"
            proc = run_cli("view", "--graph", source, *view, "--out", page)
            assert proc.returncode == 0, proc.stderr
            pages.append(page.read_bytes())
        assert pages[0] == pages[1], view
