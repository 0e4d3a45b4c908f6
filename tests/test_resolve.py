"""One node per real person across articles (graph/rdf/resolve.py, graph/rdf/build.py)."""

from __future__ import annotations

from helpers import doc_of
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS

from graph.extract import extract
from graph.rdf import vocab as v
from graph.rdf.build import GraphBuilder


def build(*articles: tuple[str, str]) -> Graph:
    b = GraphBuilder()
    for name, text in articles:
        b.add(extract(doc_of(text, name=name)))
    return b.g


def officials(g: Graph, label: str) -> list:
    return sorted(s for s in g.subjects(RDFS.label, Literal(label, lang="zh-Hans")) if (s, RDF.type, v.Official) in g)


def test_same_name_same_city_in_two_articles_is_one_node() -> None:
    g = build(
        ("a.txt", "9月1日，长沙市召开全市防汛工作会议。市委副书记、市长王建国主持会议。"),
        ("b.txt", "9月8日，长沙市召开疫情防控工作会议。市长王建国主持会议并讲话。"),
    )
    (person,) = officials(g, "王建国")
    titles = {str(g.value(p, v.title)) for p in g.objects(person, v.holdsPost)}
    assert titles == {"市委副书记", "市长"}
    assert g.value(person, v.identityKey) == Literal("王建国@430100")
    assert len(set(g.subjects(v.chairs, None))) == 1
    assert len(list(g.objects(person, v.chairs))) == 2


def test_namesakes_in_different_provinces_stay_apart() -> None:
    g = build(
        ("a.txt", "9月1日，长沙市召开全市防汛工作会议。市长李强主持会议。"),
        ("b.txt", "9月8日，宜宾市召开疫情防控工作会议。市长李强主持会议。"),
    )
    people = officials(g, "李强")
    assert len(people) == 2
    keys = {str(g.value(p, v.identityKey)) for p in people}
    assert keys == {"李强@430100", "李强@511500"}


def test_name_listed_without_title_takes_the_article_city() -> None:
    g = build(("a.txt", "9月1日，长沙市召开全市防汛工作会议。市长王建国主持会议。市领导赵丽、陈志远出席会议。"))
    (person,) = officials(g, "赵丽")
    assert g.value(person, v.identityKey) == Literal("赵丽@430100")


def test_samples_have_one_node_for_the_mayor_named_in_two_articles(built_samples: tuple) -> None:
    _, g = built_samples
    people = officials(g, "李云峰")
    assert len(people) == 1
    (person,) = people
    articles = {
        str(g.value(a, v.fileName))
        for post in g.objects(person, v.holdsPost)
        for a in g.objects(post, PROV.wasDerivedFrom)
    }
    assert articles == {"000_067208011dcbc49f.txt", "001_4f639d4e8447cf99.txt"}


def test_a_national_leader_is_one_node_across_provinces() -> None:
    g = build(
        ("a.txt", "9月1日，国务院总理王建国主持召开国务院常务会议。"),
        ("b.txt", "9月8日，国务院总理王建国到长沙市考察。"),
    )
    (person,) = officials(g, "王建国")
    assert g.value(person, v.identityKey) == Literal("王建国@CN")
