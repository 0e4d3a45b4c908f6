"""graph.ask.query: loading, query lookup, bindings, formats and the shipped queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery

from graph.ask.query import QUERIES_DIR, display_width, format_result, read_query, run_query, shipped_queries, to_term
from graph.errors import GraphNotFound, QueryError
from graph.rdf import vocab
from graph.rdf.serialize import write_turtle
from graph.rdf.vocab import GOV, GOVM, GOVR, SCHEMA
from graph.store.source import load_graph
from graph.tables import ONTOLOGY

WANG, LI = GOVR["person/wang"], GOVR["person/li"]
M1, M2, M3 = GOVR["event/m1"], GOVR["event/m2"], GOVR["event/m3"]
PROVINCE, CITY, COUNTY = (
    GOVR["place/910000"],
    GOVR["place/910100"],
    GOVR["place/910102"],
)
A1, A2 = GOVR["article/a1"], GOVR["article/a2"]
P1, P2 = GOVR["post/p1"], GOVR["post/p2"]
PERSON = "https://w3id.org/govkg/resource/person/"

CHAIRS = """
PREFIX gov: <https://w3id.org/govkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name (COUNT(?m) AS ?n) ?who WHERE {
  ?who gov:chairs ?m ; rdfs:label ?l . BIND(STR(?l) AS ?name)
} GROUP BY ?who ?name ORDER BY DESC(?n)
"""


def small_graph() -> Graph:
    """Two invented officials, three meetings, three places, one mandate."""
    g = vocab.bind_prefixes(Graph())
    for place, cls, name in (
        (PROVINCE, GOV.Province, "北岭省"),
        (CITY, GOV.City, "青川市"),
        (COUNTY, GOV.County, "石桥县"),
    ):
        g.add((place, RDF.type, cls))
        g.add((place, RDFS.label, Literal(name, lang="zh-Hans")))
        g.add((place, GOV.adminCode, Literal(str(place).rsplit("/", 1)[1])))
    g.add((CITY, GOV.reportsTo, PROVINCE))
    g.add((COUNTY, GOV.reportsTo, CITY))
    g.add((A1, GOV.fileName, Literal("a1.txt")))
    g.add((A2, GOV.fileName, Literal("a2.txt")))
    g.add((WANG, RDF.type, GOV.Official))
    g.add((WANG, RDFS.label, Literal("王小明", lang="zh-Hans")))
    g.add((LI, RDF.type, GOV.Official))
    g.add((LI, RDFS.label, Literal("李大华")))
    for person, post, title, place, article in (
        (WANG, P1, "市委书记", CITY, A1),
        (LI, P2, "县长", COUNTY, A2),
    ):
        g.add((person, GOV.holdsPost, post))
        g.add((post, RDF.type, GOV.Post))
        g.add((post, GOV.title, Literal(title)))
        g.add((post, GOV.jurisdiction, place))
        g.add((post, PROV.wasDerivedFrom, article))
    date = rns.XSD.date
    for meeting, place, when in (
        (M1, CITY, Literal("2022-09-14", datatype=date)),
        (M2, COUNTY, Literal("--10-01", datatype=rns.XSD.gMonthDay)),
        (M3, PROVINCE, Literal("2022-09-20", datatype=date)),
    ):
        g.add((meeting, RDF.type, GOV.Meeting))
        g.add((meeting, GOV.heldIn, place))
        g.add((meeting, SCHEMA.startDate if when.datatype == date else GOV.monthDay, when))
    g.add((M1, RDFS.label, Literal("全市疫情防控会议")))
    g.add((WANG, GOV.chairs, M1))
    g.add((WANG, GOV.chairs, M2))
    g.add((LI, GOV.chairs, M3))
    g.add((LI, GOV.attends, M1))
    g.add((M1, GOV.mandates, GOVM["mask-wearing"]))
    for key, (s, p, o), sentence, start in (
        ("e1", (WANG, GOV.chairs, M1), "王小明主持召开会议。", 5),
        ("e2", (M1, GOV.mandates, GOVM["mask-wearing"]), "要坚持\t佩戴口罩。", 20),
    ):
        ev, sn = GOVR[f"evidence/{key}"], GOVR[f"sentence/{key}"]
        if p == GOV.mandates:  # a mandate's evidence: the directive that orders it
            links = [(RDF.type, GOV.Directive), (GOV.issuedAt, s), (GOV.directs, o)]
        else:
            links = [(RDF.type, GOV.Evidence), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o)]
        for pred, obj in (*links, (GOV.inSentence, sn)):
            g.add((ev, pred, obj))
        for pred, obj in (
            (RDF.type, GOV.Sentence),
            (PROV.wasDerivedFrom, A1),
            (GOV.sentence, Literal(sentence)),
            (GOV.startOffset, Literal(start)),
            (GOV.endOffset, Literal(start + len(sentence))),
        ):
            g.add((sn, pred, obj))
    return g


@pytest.fixture(scope="module")
def g() -> Graph:
    return small_graph()


def _select(g: Graph, query: str, **bindings: object) -> list[tuple[str, ...]]:
    result = run_query(g, read_query(query), bindings or None)
    variables = result.vars or []
    return [tuple(str(row[v]) if row.get(v) is not None else "" for v in variables) for row in result.bindings if row]


# ---------------------------------------------------------------- formats


def test_display_width_counts_cjk_as_two() -> None:
    assert display_width("abc") == 3
    assert display_width("王小明") == 6
    assert display_width("Ａ，") == 4  # fullwidth forms
    assert display_width("e\u0301") == 1  # combining accent


def test_table(g: Graph) -> None:
    out = format_result(run_query(g, CHAIRS), "table")
    assert out == (
        "name    n  who\n"
        "------  -  ----------------\n"
        "王小明  2  govr:person/wang\n"
        "李大华  1  govr:person/li\n"
        "(2 rows)\n"
    )


def test_table_clips_long_cells_by_display_width(g: Graph) -> None:
    query = "SELECT ?s WHERE { ?e gov:sentence ?s } ORDER BY ?s"
    out = format_result(run_query(g, query), "table", max_width=9)
    assert out.splitlines()[2:4] == ["王小明主…", "要坚持 …"]
    full = format_result(run_query(g, query), "table", max_width=None)
    assert "王小明主持召开会议。" in full


def test_csv(g: Graph) -> None:
    out = format_result(run_query(g, CHAIRS), "csv")
    assert out == (f"name,n,who\r\n王小明,2,{PERSON}wang\r\n李大华,1,{PERSON}li\r\n")


def test_tsv(g: Graph) -> None:
    out = format_result(run_query(g, CHAIRS), "tsv")
    assert out == (f'?name\t?n\t?who\n"王小明"\t2\t<{PERSON}wang>\n"李大华"\t1\t<{PERSON}li>\n')


def test_tsv_escapes_tabs_and_keeps_language(g: Graph) -> None:
    query = "SELECT ?s WHERE { ?e gov:sentence ?s } ORDER BY ?s"
    lines = format_result(run_query(g, query), "tsv").splitlines()
    assert lines == ["?s", '"王小明主持召开会议。"', '"要坚持\\t佩戴口罩。"']
    lang = "SELECT ?l WHERE { ?p gov:adminCode '910000' ; rdfs:label ?l }"
    assert format_result(run_query(g, lang), "tsv") == '?l\n"北岭省"@zh-Hans\n'


def test_json(g: Graph) -> None:
    doc = json.loads(format_result(run_query(g, CHAIRS), "json"))
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert doc == {
        "head": {"vars": ["name", "n", "who"]},
        "results": {
            "bindings": [
                {
                    "name": {"type": "literal", "value": "王小明"},
                    "n": {"type": "literal", "value": "2", "datatype": integer},
                    "who": {"type": "uri", "value": f"{PERSON}wang"},
                },
                {
                    "name": {"type": "literal", "value": "李大华"},
                    "n": {"type": "literal", "value": "1", "datatype": integer},
                    "who": {"type": "uri", "value": f"{PERSON}li"},
                },
            ]
        },
    }


def test_json_language_and_unbound(g: Graph) -> None:
    query = "SELECT ?l ?none WHERE { ?p gov:adminCode '910000' ; rdfs:label ?l OPTIONAL { ?p gov:title ?none } }"
    doc = json.loads(format_result(run_query(g, query), "json"))
    assert doc["results"]["bindings"] == [{"l": {"type": "literal", "value": "北岭省", "xml:lang": "zh-Hans"}}]


def test_ask(g: Graph) -> None:
    yes = run_query(g, "ASK { ?x gov:chairs ?m }")
    no = run_query(g, "ASK { ?x gov:conducts ?m }")
    assert format_result(yes, "table") == "true\n"
    assert format_result(no, "csv") == "false\n"
    assert json.loads(format_result(yes, "json")) == {"head": {}, "boolean": True}


def test_construct_gives_turtle(g: Graph) -> None:
    result = run_query(g, "CONSTRUCT { ?x gov:chairs ?m } WHERE { ?x gov:chairs ?m }")
    text = format_result(result, "table")
    assert "@prefix gov: <https://w3id.org/govkg/ontology#> ." in text
    back = Graph().parse(data=text, format="turtle")
    assert len(back) == 3 and (WANG, GOV.chairs, M1) in back


def test_unknown_format(g: Graph) -> None:
    with pytest.raises(QueryError, match="unknown format 'xml'"):
        format_result(run_query(g, CHAIRS), "xml")


# ---------------------------------------------------------------- running


def test_bindings_are_init_bindings_not_text(g: Graph) -> None:
    query = "SELECT ?name WHERE { ?who rdfs:label ?name ; a gov:Official }"
    assert _select(g, query, who=WANG) == [("王小明",)]
    assert _select(g, query, who="govr:person/li") == [("李大华",)]
    # a value that would break a formatted query is just a literal that matches nothing
    assert _select(g, "SELECT ?who WHERE { ?who rdfs:label ?name }", name='x" } #') == []


def test_bad_query_is_one_line(g: Graph) -> None:
    with pytest.raises(QueryError) as info:
        run_query(g, "SELEC ?x WHERE {\n ?x ?y ?z }")
    message = str(info.value)
    assert message.startswith("bad SPARQL:")
    assert "\n" not in message


def test_unknown_prefix_is_a_query_error(g: Graph) -> None:
    with pytest.raises(QueryError, match="nope"):
        run_query(g, "SELECT ?x WHERE { ?x nope:thing ?y }")


# ---------------------------------------------------------------- loading


def test_load_graph_folder_and_file(tmp_path: Path, g: Graph) -> None:
    write_turtle(g, tmp_path / "graph.ttl")
    assert isomorphic(load_graph(tmp_path), g)
    assert isomorphic(load_graph(tmp_path / "graph.ttl"), g)


def test_missing_graph_message(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere", tmp_path):
        with pytest.raises(GraphNotFound) as info:
            load_graph(path)
        message = str(info.value)
        assert str(path) in message
        assert "python build_graph.py build" in message


def test_unreadable_graph_message(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(GraphNotFound, match="not a readable graph"):
        load_graph(tmp_path)


def test_read_query_text_name_and_file(tmp_path: Path) -> None:
    assert read_query(CHAIRS) == CHAIRS
    shipped = (QUERIES_DIR / "chairs_most.rq").read_text(encoding="utf-8")
    assert read_query("chairs_most") == shipped
    own = tmp_path / "mine.rq"
    own.write_text("ASK {}", encoding="utf-8")
    assert read_query(str(own)) == "ASK {}"


def test_read_query_missing_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match=r"no_such_query\.rq"):
        read_query("no_such_query")
    missing = tmp_path / "gone.rq"
    with pytest.raises(QueryError, match=str(missing)):
        read_query(str(missing))


# ---------------------------------------------------------------- shipped queries

SHIPPED = [
    "chairs_most",
    "evidence",
    "mandates_with_sentence",
    "meetings_by_province_month",
    "official_posts",
    "places_under",
]


def test_shipped_queries_exist_and_parse() -> None:
    assert set(SHIPPED) <= set(shipped_queries())
    for name in SHIPPED:
        text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
        prepareQuery(text)  # no initNs: the file declares its prefixes
        assert "PREFIX gov: <https://w3id.org/govkg/ontology#>" in text


def test_chairs_most(g: Graph) -> None:
    assert _select(g, "chairs_most") == [
        ("王小明", "2", str(WANG)),
        ("李大华", "1", str(LI)),
    ]


def test_meetings_by_province_month(g: Graph) -> None:
    assert _select(g, "meetings_by_province_month") == [
        ("北岭省", "--10", "1"),
        ("北岭省", "2022-09", "2"),
    ]


def test_by_province_month_lists_provinces_in_code_order(g: Graph) -> None:
    # a second province whose code (820000) comes before 北岭省's (910000) and whose
    # label sorts after it (南 U+5357 > 北 U+5317): the rows follow the codes
    g2 = vocab.bind_prefixes(Graph())
    for triple in g:
        g2.add(triple)
    south, m4, mask = GOVR["place/820000"], GOVR["event/m4"], GOVM["mask-wearing"]
    g2.add((south, RDF.type, GOV.Province))
    g2.add((south, RDFS.label, Literal("南江省", lang="zh-Hans")))
    g2.add((south, GOV.adminCode, Literal("820000")))
    g2.add((m4, RDF.type, GOV.Meeting))
    g2.add((m4, GOV.heldIn, south))
    g2.add((m4, SCHEMA.startDate, Literal("2022-08-05", datatype=rns.XSD.date)))
    g2.add((m4, GOV.mandates, mask))
    g2.add((mask, SKOS.prefLabel, Literal("佩戴口罩", lang="zh-Hans")))
    assert _select(g2, "meetings_by_province_month") == [
        ("南江省", "2022-08", "1"),
        ("北岭省", "--10", "1"),
        ("北岭省", "2022-09", "2"),
    ]
    assert _select(g2, "measures_by_province_month") == [
        ("南江省", "2022-08", "佩戴口罩", "1"),
        ("北岭省", "2022-09", "佩戴口罩", "1"),
    ]


def test_official_posts(g: Graph) -> None:
    everyone = _select(g, "official_posts")
    assert everyone == [
        (str(LI), "李大华", "县长", "石桥县", "a2.txt"),
        (str(WANG), "王小明", "市委书记", "青川市", "a1.txt"),
    ]
    assert _select(g, "official_posts", name="王小明") == [everyone[1]]
    # the name is matched as the label is stored: text binds tagged zh-hans, which a
    # plain label is not; a plain literal bound as such matches it
    assert _select(g, "official_posts", name="李大华") == []
    assert _select(g, "official_posts", name=Literal("李大华")) == [everyone[0]]
    assert _select(g, "official_posts", name="无此人") == []
    nobody = run_query(g, read_query("official_posts"), {"name": "无此人"})
    assert format_result(nobody, "table").endswith("(0 rows)\n")


def test_places_under(g: Graph) -> None:
    assert _select(g, "places_under", parentLabel="青川市") == [
        (str(COUNTY), "石桥县", "county", "910102", "青川市"),
    ]
    under_province = _select(g, "places_under", parentLabel="北岭省")
    assert [row[1] for row in under_province] == ["青川市", "石桥县"]
    assert len(_select(g, "places_under")) == 3  # county->city, county->province, city->province


def test_evidence(g: Graph) -> None:
    rows = _select(g, "evidence")
    assert rows == [(str(WANG), str(GOV.chairs), str(M1), "王小明主持召开会议。", "a1.txt", "5", "15")]
    assert _select(g, "evidence", p="gov:mandates") == []  # a mandate's evidence: its directives
    assert _select(g, "evidence", s=WANG, p=GOV.chairs, o=M1)[0][3] == "王小明主持召开会议。"
    assert _select(g, "evidence", s=URIRef(f"{PERSON}nobody")) == []


def test_mandates_with_sentence(g: Graph) -> None:
    assert _select(g, "mandates_with_sentence") == [
        (
            str(M1),
            "全市疫情防控会议",
            str(GOVM["mask-wearing"]),
            "mask-wearing",
            "要坚持\t佩戴口罩。",
            "a1.txt",
        )
    ]
    with_labels = small_graph()
    with_labels.parse(ONTOLOGY / "measures.ttl", format="turtle")
    assert _select(with_labels, "mandates_with_sentence")[0][3] == "佩戴口罩"


def test_to_term_tags_chinese_text_as_the_graph_does() -> None:
    assert to_term("张三") == Literal("张三", lang="zh-hans")
    assert to_term("2022-09-01") == Literal("2022-09-01")
    assert to_term("gov:chairs") == GOV.chairs
    assert to_term("<https://example.org/x>") == URIRef("https://example.org/x")
    plain = Literal("张三")
    assert to_term(plain) is plain  # a term passes through untouched
