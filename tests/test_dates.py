"""Event days (graph/extract/dates.py, via the events extractor)."""

from __future__ import annotations

import datetime as dt

from helpers import events, of, statements

from graph.extract.dates import find_day, publication_date
from graph.records import ArticleInfo

BODY = "，长沙市召开全市防汛工作会议。市长李明华主持会议。"


def day_of(text: str, date: str | None = None) -> tuple[str | None, str | None]:
    (ev,) = events(statements(text, date))
    return ev.date, ev.month_day


def test_dateline_gives_the_year_of_the_event_day() -> None:
    text = "2022-09-15 09:01:53 来源：长沙市政府网\n9月14日" + BODY
    assert day_of(text) == ("2022-09-14", "--09-14")
    (info,) = of(statements(text), ArticleInfo)
    assert info.published == "2022-09-15"


def test_publication_line_gives_the_year() -> None:
    assert day_of("发布时间：2022年9月15日\n9月14日" + BODY) == ("2022-09-14", "--09-14")


def test_metadata_date_gives_the_year() -> None:
    assert day_of("9月14日" + BODY, date="2022-09-15") == ("2022-09-14", "--09-14")


def test_no_year_anywhere_gives_month_day_only() -> None:
    assert day_of("9月14日" + BODY) == (None, "--09-14")


def test_december_event_in_a_january_article_is_last_year() -> None:
    assert day_of("2023-01-03\n12月30日" + BODY) == ("2022-12-30", "--12-30")


def test_yesterday_with_day_in_brackets() -> None:
    text = "2022-09-26 来源：长沙市政府网\n昨天（25日）" + BODY
    assert day_of(text) == ("2022-09-25", "--09-25")
    assert day_of("昨天（25日）" + BODY, date="2022-09-26") == ("2022-09-25", "--09-25")


def test_yesterday_whose_bracketed_day_disagrees_gives_no_day() -> None:
    assert day_of("昨天（24日）" + BODY, date="2022-09-26") == (None, None)


def test_today_with_publication_date() -> None:
    assert day_of("今天上午" + BODY, date="2022-09-15") == ("2022-09-15", "--09-15")


def test_dateline_day_is_not_the_event_day() -> None:
    # 9月15日讯 is when the outlet filed the story, not when the meeting was held
    assert day_of("长沙网9月15日讯 9月14日" + BODY) == (None, "--09-14")


def test_find_day_and_publication_date_directly() -> None:
    pub = publication_date("2022-09-15 来源：某网\n正文", None)
    assert pub == dt.date(2022, 9, 15)
    day = find_day("9月14日，会议召开。", 0, 10, pub)
    assert day is not None and (day.iso(), day.month_day()) == ("2022-09-14", "--09-14")


def test_day_without_month_uses_the_publication_month() -> None:
    assert day_of("14日上午" + BODY, date="2022-09-15") == ("2022-09-14", "--09-14")
