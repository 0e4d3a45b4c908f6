"""Places in context (graph/extract/places.py) and where events are held."""

from __future__ import annotations

import pytest
from helpers import analysis, events, places_named, posts, statements

CHANGSHA = "430100"
CHANGSHA_COUNTY = "430121"
YIBIN = "511500"
CUIPING = "511502"
SHEXIAN = "130426"

DRUM_TOWER = "9月14日，鼓楼区召开安全生产工作会议。区委书记王建国主持会议。"


@pytest.mark.parametrize(
    ("city", "code"),
    [("福州市", "350102"), ("徐州市", "320302"), ("开封市", "410204")],
)
def test_ambiguous_district_decided_by_city_in_article(city: str, code: str) -> None:
    sts = statements(f"{city}部署安全生产工作\n{DRUM_TOWER}")
    (ev,) = events(sts)
    assert ev.place == code
    assert posts(sts) == [("王建国", "区委书记", code)]
    assert code in places_named(sts)


def test_ambiguous_district_without_a_city_stays_undecided() -> None:
    sts = statements(DRUM_TOWER)
    (ev,) = events(sts)
    assert ev.place is None
    assert posts(sts) == [("王建国", "区委书记", None)]
    assert places_named(sts) == set()


def test_ambiguous_district_province_with_two_candidates_stays_undecided() -> None:
    # 江苏 has a 鼓楼区 in both 南京 and 徐州
    sts = statements(f"江苏省部署安全生产工作\n{DRUM_TOWER}")
    (ev,) = events(sts)
    assert ev.place is None


def test_our_county_without_a_place_named_has_no_held_in() -> None:
    sts = statements("9月14日，我县召开全县安全生产工作会议。县委书记王建国主持会议。")
    (ev,) = events(sts)
    assert ev.place is None
    assert posts(sts) == [("王建国", "县委书记", None)]


def test_our_county_with_the_county_named() -> None:
    sts = statements("邯郸市涉县召开会议\n9月14日，我县召开全县安全生产工作会议。县委书记王建国主持会议。")
    (ev,) = events(sts)
    assert ev.place == SHEXIAN
    assert posts(sts) == [("王建国", "县委书记", SHEXIAN)]


def test_recurring_short_city_name() -> None:
    text = "宜宾大力推进防汛工作。宜宾各区县积极行动。9月14日，市长李明华主持召开防汛会议。"
    sts = statements(text)
    assert places_named(sts) == {YIBIN}
    assert analysis(text).home["市"] == YIBIN
    assert posts(sts) == [("李明华", "市长", YIBIN)]
    (ev,) = events(sts)
    assert ev.place == YIBIN


def test_county_short_name_needs_its_city() -> None:
    assert places_named(statements("翠屏大力推进防汛工作。区长李明华主持召开会议。")) == set()
    assert CUIPING in places_named(statements("宜宾市召开会议。翠屏大力推进防汛工作。"))


def test_recurring_short_city_name_shared_with_a_county() -> None:
    text = "9月14日，长沙召开全市防汛工作会议。长沙各区县要全力做好防汛工作。市长李明华主持会议。"
    sts = statements(text)
    assert places_named(sts) == {CHANGSHA}
    assert posts(sts) == [("李明华", "市长", CHANGSHA)]


def test_headline_short_city_name_is_the_city_named_in_the_body() -> None:
    text = (
        "长沙召开全市防汛工作会议\n"
        "2022-09-15 09:01:53 来源：长沙市政府网\n"
        "9月14日，长沙市召开全市防汛工作会议。市长李明华主持会议。"
    )
    sts = statements(text)
    assert CHANGSHA_COUNTY not in places_named(sts)
    (ev,) = events(sts)
    assert (ev.place, ev.date) == (CHANGSHA, "2022-09-14")
