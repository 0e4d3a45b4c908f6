"""Tests for graph.extract.journalists on invented bylines."""

from __future__ import annotations

from graph.extract.journalists import extract_journalists
from graph.ingest.normalize import normalize
from graph.records import Document, Journalist, RawArticle


def doc_of(text: str) -> Document:
    return normalize(RawArticle(name="j.txt", source="j.txt", text=text))


def found(text: str) -> list[tuple[str, str]]:
    return [(j.person, j.role) for j in extract_journalists(doc_of(text))]


def test_bracket_byline_traditional_padded() -> None:
    assert found("某某網訊 (記者 張 浩)9月1日,市委召開會議。") == [("张浩", "记者")]


def test_newspaper_byline() -> None:
    text = "本报讯（江北日报记者 陈小青）3月2日，市委召开会议。"
    assert found(text) == [("陈小青", "记者")]


def test_outlet_prefix_not_a_name() -> None:
    assert found("（新华社记者 王一鸣）会议指出，要落实责任。") == [("王一鸣", "记者")]
    assert found("（本报记者 王一鸣）会议指出，要落实责任。") == [("王一鸣", "记者")]


def test_several_reporters() -> None:
    expected = [("王一鸣", "记者"), ("李欣然", "记者")]
    assert found("（记者 王一鸣 李欣然）会议召开。") == expected
    assert found("（记者 王一鸣、李欣然）会议召开。") == expected


def test_reporter_and_correspondent() -> None:
    text = "某网5月3日讯（记者 王一鸣 通讯员 赵子龙）5月2日，会议召开。"
    assert found(text) == [("王一鸣", "记者"), ("赵子龙", "通讯员")]


def test_special_correspondent_glued() -> None:
    text = "健康讯（记者林晓 特约记者周子航）近日，会议召开。"
    assert found(text) == [("林晓", "记者"), ("周子航", "记者")]


def test_intern_is_a_role_not_a_name() -> None:
    text = "（记者 王一鸣 实习生 李欣然）会议召开。"
    assert found(text) == [("王一鸣", "记者"), ("李欣然", "实习生")]
    assert all(name != "实习生" for name, _ in found(text))


def test_editor_lines() -> None:
    text = "会议召开。\n\n责任编辑：孙明辉\n编辑：周晓梅\n作者：林海\n通讯员 赵子龙"
    assert found(text) == [
        ("孙明辉", "责任编辑"),
        ("周晓梅", "编辑"),
        ("林海", "作者"),
        ("赵子龙", "通讯员"),
    ]


def test_bracketed_editor() -> None:
    assert found("会议召开。\n[编辑：周晓梅]") == [("周晓梅", "编辑")]
    assert found("会议召开。（责任编辑：孙明辉）") == [("孙明辉", "责任编辑")]
    assert found("会议召开。（责编：孙明辉、刘洋）") == [
        ("孙明辉", "责任编辑"),
        ("刘洋", "责任编辑"),
    ]


def test_ascii_editor_id_gives_nothing() -> None:
    assert found("会议召开。\n（责任编辑：news10）") == []
    assert found("会议召开。\n责任编辑：editor01") == []


def test_compiled_by_credit() -> None:
    assert found("各地召开会议。\n\n（以上由郑雅文编辑整理）") == [("郑雅文", "编辑")]


def test_bare_name_closing_the_body() -> None:
    text = "市委召开会议。\n要求确保整改到位。（吴思远）\n\n原标题：某市召开会议\n[编辑：周晓梅]"
    assert found(text) == [("吴思远", "作者"), ("周晓梅", "编辑")]


def test_bare_names_closing_the_body() -> None:
    assert found("要求确保整改到位。（吴思远 郑雅）") == [
        ("吴思远", "作者"),
        ("郑雅", "作者"),
    ]


def test_bare_name_not_at_the_end_ignored() -> None:
    text = "要求确保整改到位。（吴思远）\n会议还研究了其他事项。"
    assert found(text) == []


def test_body_parentheses_are_not_names() -> None:
    assert found("各县（市区）设分会场。") == []
    assert found("会议要求确保整改到位（试行）") == []


def test_official_is_not_a_journalist() -> None:
    assert found("市委书记刘建国主持会议并讲话。") == []
    assert found("市委书记刘建国主持会议") == []
    assert found("市委书记刘建国接受记者采访") == []


def test_reporter_in_prose_is_not_a_byline() -> None:
    assert found("记者了解到，市委书记刘建国主持会议") == []
    assert found("会议召开。记者从会上获悉，工作进展顺利。") == []
    assert found("医务工作者 张明") == []


def test_photo_credit_tail() -> None:
    assert found("会议现场。江北日报记者 陈小青 摄") == [("陈小青", "记者")]


def test_text_order_and_no_duplicates() -> None:
    text = "（记者 王一鸣）会议召开。\n会议强调。（记者 王一鸣）\n责任编辑：王一鸣"
    assert found(text) == [("王一鸣", "记者"), ("王一鸣", "责任编辑")]


def test_evidence() -> None:
    doc = doc_of("本报讯（记者 王一鸣）3月1日，会议召开。\n责任编辑：孙明辉")
    js = extract_journalists(doc)
    assert [type(j) for j in js] == [Journalist, Journalist]
    first, second = js
    assert first.evidence.article == "j.txt"
    assert first.evidence.extractor == "journalists"
    assert doc.text[first.evidence.start : first.evidence.end] == "王一鸣"
    assert first.evidence.sentence == "（记者 王一鸣）"
    assert second.evidence.sentence == "责任编辑：孙明辉"
    assert doc.text[second.evidence.start : second.evidence.end] == "孙明辉"
