"""Titles composed from the vocabulary tables, names read after them, and the dates,
on sentences written for these tests (invented names and places)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import SHEXIAN, posts, roles, statements

from graph.extract.dates import find_day, publication_date
from graph.extract.titles import find_titles


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("省农业农村厅党组成员、副厅长", ["省农业农村厅党组成员", "副厅长"]),
        ("县人大常委会副主任", ["县人大常委会副主任"]),
        ("市委政法委副书记", ["市委政法委副书记"]),
        ("，办公室主任", ["办公室主任"]),
        ("，县委常委、宣传部长", ["县委常委", "宣传部长"]),
        ("旗人大常委会党组书记", ["旗人大常委会党组书记"]),
        ("，政府旗长", ["政府旗长"]),
        ("，林业股长", ["林业股长"]),
        ("，市生态环境局局长", ["市生态环境局局长"]),
        ("州政协工委党组副书记", ["州政协工委党组副书记"]),
        ("，军分区政治委员", ["军分区政治委员"]),
        ("，县人武部副部长", ["县人武部副部长"]),
        ("镇党委组织委员", ["镇党委组织委员"]),
        ("，派出所指导员", ["派出所指导员"]),
        ("县政府二级调研员", ["县政府二级调研员"]),
    ],
)
def test_titles_composed_from_organs_and_positions(text: str, titles: list[str]) -> None:
    assert [t.title for t in find_titles(text)] == titles


def test_level_of_composed_titles() -> None:
    (hit,) = find_titles("镇党委副书记")
    assert (hit.level, hit.level_word) == ("township", "镇")
    (hit,) = find_titles("，政府乡长")
    assert (hit.level, hit.level_word) == ("township", "乡")


@pytest.mark.parametrize("text", ["召开县委常委会会议", "人大常委会主任会议", "参加会议的有关部门负责人"])
def test_bodies_and_meetings_are_not_titles(text: str) -> None:
    assert [t.title for t in find_titles(text) if t.end < len(text) and text[t.end] == "会"] == []


def test_a_place_and_its_level_word_are_not_a_department() -> None:
    assert [t.title for t in find_titles("丰宁县委常委")] == ["县委常委"]


def test_name_after_title_needs_no_known_surname() -> None:
    sts = statements("邯郸市涉县召开会议。县委副书记、县长苏日格出席会议并讲话。")
    assert posts(sts) == [("苏日格", "县委副书记", SHEXIAN), ("苏日格", "县长", SHEXIAN)]


def test_name_with_middle_dot_after_title() -> None:
    sts = statements("邯郸市涉县召开会议。县政协主席古丽娜·艾山江参加会议。")
    assert posts(sts) == [("古丽娜·艾山江", "县政协主席", SHEXIAN)]


def test_name_does_not_take_the_following_preposition_or_verb() -> None:
    sts = statements("邯郸市涉县召开会议。县委书记郑宏在会上讲话。副县长孔青作工作报告。")
    assert [p[0] for p in posts(sts)] == ["郑宏", "孔青"]


def test_list_after_title_stops_at_a_phrase() -> None:
    sts = statements("邯郸市涉县召开会议。县委常委、政法委书记孟强，县应急管理局负责人参加会议。")
    assert [p[0] for p in posts(sts)] == ["孟强", "孟强"]


def test_list_of_titled_officials_shares_the_verb() -> None:
    sts = statements(
        "8月3日，涉县召开防汛工作会议。县委副书记葛平，县委常委、办公室主任罗新，副县长、公安局局长戚明，"
        "县人大常委会副主任邝文参加会议。"
    )
    assert {(n, r) for n, r, _ in roles(sts)} == {(n, "attends") for n in ("葛平", "罗新", "戚明", "邝文")}


def test_a_national_title_is_not_followed_by_a_name() -> None:
    sts = statements("邯郸市涉县召开会议。会议传达了总书记重要讲话精神。县长钱进主持会议。")
    assert [p[0] for p in posts(sts)] == ["钱进"]


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        ("今(3)日市府召开会议", dt.date(2023, 5, 3), (2023, 5, 3)),
        ("112年5月17日市府召开会议", None, (2023, 5, 17)),
        ("6月29号上午，县里召开会议", dt.date(2018, 7, 1), (2018, 6, 29)),
        ("5月25日，中心组召开2021年第4次集中学习会议", None, (2021, 5, 25)),
        ("昨天（25日）召开会议", dt.date(2022, 3, 26), (2022, 3, 25)),
    ],
)
def test_event_days(text: str, published: dt.date | None, day: tuple[int, int, int]) -> None:
    found = find_day(text, 0, len(text), published)
    assert found is not None and (found.year, found.month, found.day) == day


def test_publication_dates_of_page_chrome() -> None:
    assert publication_date("标题\n13.08.2014 16:57\n正文", None) == dt.date(2014, 8, 13)
    assert publication_date("首页\n" + "导航" * 400 + "\n发布日期： 2023-01-09 15:42 来源：某某发布", None) == dt.date(
        2023, 1, 9
    )
    assert publication_date("中央社记者台北电 112年3月2日", None) == dt.date(2023, 3, 2)
