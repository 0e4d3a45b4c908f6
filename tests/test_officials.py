"""Officials and their posts (graph/extract/officials.py) on invented sentences."""

from __future__ import annotations

from helpers import SHEXIAN, events, journalists, people, posts, roles, statements

CHANGSHA = "430100"
YUELU = "430104"
TIANXIN = "430103"
YUHUA = "430111"
HUNAN = "430000"
BALINZUO = "150422"
JINJIANG = "350582"


def test_deputy_secretary_and_mayor_two_posts_title_without_place() -> None:
    sts = statements("9月14日，长沙市召开全市防汛工作会议。市委副书记、市长王建国提出具体要求。")
    assert posts(sts) == [("王建国", "市委副书记", CHANGSHA), ("王建国", "市长", CHANGSHA)]


def test_chain_of_three_county_titles() -> None:
    sts = statements("邯郸市涉县召开会议。县委常委、纪委书记、监委主任李明华参加会议。")
    assert posts(sts) == [
        ("李明华", "县委常委", SHEXIAN),
        ("李明华", "纪委书记", SHEXIAN),
        ("李明华", "监委主任", SHEXIAN),
    ]


def test_provincial_standing_member_and_named_city_secretary() -> None:
    sts = statements("湖南省部署防汛工作\n会上，省委常委、长沙市委书记陈志远主持会议。")
    assert posts(sts) == [("陈志远", "省委常委", HUNAN), ("陈志远", "市委书记", CHANGSHA)]


def test_one_title_several_names() -> None:
    sts = statements("邯郸市涉县召开会议。副县长王建国，李明华，陈志远参加会议。")
    assert posts(sts) == [
        ("王建国", "副县长", SHEXIAN),
        ("李明华", "副县长", SHEXIAN),
        ("陈志远", "副县长", SHEXIAN),
    ]


def test_leader_word_then_names_attend_without_posts() -> None:
    sts = statements("长沙市召开安全生产工作会议。市领导王建国、李明华、赵丽出席会议。")
    assert posts(sts) == []
    (ev,) = events(sts)
    assert roles(sts) == {(n, "attends", ev.key) for n in ("王建国", "李明华", "赵丽")}


def test_names_then_leader_word_attend_without_posts() -> None:
    sts = statements("长沙市召开安全生产工作会议。王建国、李明华、赵丽等市级领导参加会议。")
    assert posts(sts) == []
    (ev,) = events(sts)
    assert roles(sts) == {(n, "attends", ev.key) for n in ("王建国", "李明华", "赵丽")}


def test_district_secretary() -> None:
    sts = statements("长沙市岳麓区召开会议。区委书记王建国主持会议。")
    assert posts(sts) == [("王建国", "区委书记", YUELU)]


def test_banner_head() -> None:
    sts = statements("赤峰市巴林左旗召开会议。旗委副书记、旗长李明华主持会议。")
    assert posts(sts) == [("李明华", "旗委副书记", BALINZUO), ("李明华", "旗长", BALINZUO)]


def test_traditional_script_gives_simplified_names_and_titles() -> None:
    text = "9月14日，涉縣縣委書記劉誌遠主持召開縣委常委會會議。縣長陳誌遠出席會議並講話。"
    sts = statements(text)
    assert posts(sts) == [("刘志远", "县委书记", SHEXIAN), ("陈志远", "县长", SHEXIAN)]
    (ev,) = events(sts)
    assert roles(sts) == {("刘志远", "chairs", ev.key), ("陈志远", "attends", ev.key)}
    # the evidence still points into the Traditional original
    post = next(s for s in sts if type(s).__name__ == "PostHeld")
    assert "劉誌遠" in text[post.evidence.original_start : post.evidence.original_end]


def test_padded_name_in_editor_line_is_a_journalist_not_an_official() -> None:
    text = "长沙市召开全市防汛工作会议。市委书记王建国出席会议并讲话。\n编辑：张 浩\n"
    sts = statements(text)
    assert journalists(sts) == [("张浩", "编辑")]
    assert "张浩" not in people(sts)
    assert posts(sts) == [("王建国", "市委书记", CHANGSHA)]


def test_padded_name_in_responsible_editor_line() -> None:
    sts = statements("长沙市召开全市防汛工作会议。市长李明华主持会议。\n责任编辑 张 浩")
    assert journalists(sts) == [("张浩", "责任编辑")]
    assert "张浩" not in people(sts)


def test_relayed_instruction_gives_a_post() -> None:
    sts = statements("9月14日，长沙市召开全市疫情防控工作会议，传达了省委书记赵丽重要批示精神。")
    assert ("赵丽", "省委书记", HUNAN) in posts(sts)


def test_county_level_city_secretary() -> None:
    sts = statements("晋江市召开全市防汛工作会议\n9月14日，晋江市召开全市防汛工作会议。市委书记王建国主持会议。")
    assert posts(sts) == [("王建国", "市委书记", JINJIANG)]


def test_digest_district_titles_follow_their_own_item() -> None:
    text = (
        "长沙市各区工作动态\n"
        "9月12日，岳麓区召开安全生产工作会。区委书记王建国主持会议。\n"
        "9月13日，天心区召开防汛工作会。区长李明华出席会议。\n"
        "9月14日，雨花区召开招商引资推进会。区委副书记陈志远参加会议。"
    )
    assert posts(statements(text)) == [
        ("王建国", "区委书记", YUELU),
        ("李明华", "区长", TIANXIN),
        ("陈志远", "区委副书记", YUHUA),
    ]
