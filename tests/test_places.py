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


# -- ambiguous names decided by the article's province or city -------------------


@pytest.mark.parametrize(
    ("context", "name", "code"),
    [
        ("北京市部署防汛工作。", "朝阳区", "110105"),
        ("长春市部署防汛工作。", "朝阳区", "220104"),
        ("长春市部署防汛工作。", "朝阳", "220104"),  # the short name, within its city
        ("沧州市部署防汛工作。", "新华区", "130902"),
        ("石家庄市部署防汛工作。", "新华区", "130105"),
        ("河南省部署防汛工作。", "新华区", "410402"),  # the only 新华区 in the province
        ("南京市部署防汛工作。", "鼓楼区", "320106"),
    ],
)
def test_ambiguous_name_decided_by_the_articles_place(context: str, name: str, code: str) -> None:
    named = places_named(statements(f"{context}{name}各街道积极行动，全力做好防汛工作。"))
    assert code in named


def test_ambiguous_name_with_no_place_around_stays_undecided() -> None:
    for name in ("朝阳区", "新华区", "鼓楼区"):
        assert places_named(statements(f"{name}各街道积极行动，全力做好防汛工作。")) == set()


def test_a_district_written_after_its_city_is_that_citys() -> None:
    assert places_named(statements("江苏徐州鼓楼区召开防汛会议。")) == {"320000", "320300", "320302"}


# -- places the province administers directly ------------------------------------


@pytest.mark.parametrize(
    ("city", "code", "province"),
    [("定州市", "130682", "130000"), ("仙桃市", "429004", "420000"), ("济源市", "419001", "410000")],
)
def test_province_administered_city(city: str, code: str, province: str) -> None:
    text = f"9月14日，{city}召开全市防汛工作会议，传达学习省委全会精神。市委书记王建国主持会议。"
    a = analysis(text)
    assert a.home["市"] == code
    assert a.home["省"] == province
    assert posts(statements(text)) == [("王建国", "市委书记", code)]
    assert a.gaz.get(code).parent == province  # type: ignore[union-attr]


# -- the article's year ------------------------------------------------------------

TAIGU_COUNTY = "140726"
TAIGU_DISTRICT = "140703"
JINZHONG = "140700"


def test_a_county_named_in_its_own_year() -> None:
    text = "9月14日，晋中市太谷县召开防汛工作会议。县委书记王建国主持会议。"
    a = analysis(text, date="2018-09-15")
    assert a.year == 2018
    assert {m.code for m in a.places.mentions} == {JINZHONG, TAIGU_COUNTY}
    sts = statements(text, date="2018-09-15")
    assert posts(sts) == [("王建国", "县委书记", TAIGU_COUNTY)]
    (ev,) = events(sts)
    assert ev.place == TAIGU_COUNTY


def test_the_district_it_became_in_a_later_year() -> None:
    sts = statements("9月14日，晋中市太谷区召开防汛工作会议。区委书记王建国主持会议。", date="2022-09-15")
    assert places_named(sts) == {JINZHONG, TAIGU_DISTRICT}
    assert posts(sts) == [("王建国", "区委书记", TAIGU_DISTRICT)]


def test_an_old_name_in_a_later_article_is_the_place_of_that_year() -> None:
    assert places_named(statements("太谷县各乡镇全力做好防汛工作。", date="2022-09-15")) == {TAIGU_DISTRICT}
    assert places_named(statements("太谷区各街道全力做好防汛工作。", date="2018-09-15")) == {TAIGU_COUNTY}


def test_the_year_comes_from_the_dateline_too() -> None:
    text = "晋中市召开会议\n2018-09-15 09:01:53 来源：晋中新闻网\n9月14日，太谷县召开防汛工作会议。"
    assert TAIGU_COUNTY in places_named(statements(text))


def test_without_a_date_the_newest_divisions() -> None:
    assert places_named(statements("晋中市太谷区召开防汛工作会议。")) == {JINZHONG, TAIGU_DISTRICT}


def test_the_old_code_links_to_the_new() -> None:
    gaz = analysis("").gaz
    assert gaz.successor(TAIGU_COUNTY) == [TAIGU_DISTRICT]
    assert gaz.predecessor(TAIGU_DISTRICT) == [TAIGU_COUNTY]


# -- joined forms: a county short name right after its city ------------------------


@pytest.mark.parametrize(
    ("text", "date", "city", "county"),
    [
        ("晋中太谷今年小麦长势良好。", None, JINZHONG, TAIGU_DISTRICT),
        ("晋中太谷今年小麦长势良好。", "2018-06-01", JINZHONG, TAIGU_COUNTY),
        ("运城稷山的枣树挂满了果实。", None, "140800", "140824"),
        ("大同云冈的游客明显增多。", None, "140200", "140214"),  # 大同 alone is also 大同县 / 大同区
    ],
)
def test_joined_city_and_county(text: str, date: str | None, city: str, county: str) -> None:
    sts = statements(text, date=date)
    assert places_named(sts) == {city, county}
    assert analysis(text, date=date).gaz.get(county).parent == city  # type: ignore[union-attr]


def test_county_short_name_alone_is_not_a_place() -> None:
    assert places_named(statements("稷山的枣树挂满了果实。")) == set()


# -- functional zones --------------------------------------------------------------


def test_listed_zones_are_mentions() -> None:
    named = places_named(statements("西咸新区、太原高新区和长春高新区签署合作协议。"))
    assert named == {"zone:陕西西咸新区", "zone:太原高新技术产业开发区", "220173"}


def test_zone_of_a_city_not_listed() -> None:
    a = analysis("临汾市召开会议。临汾经济开发区设分会场。")
    zone = next(m for m in a.places.mentions if m.code.startswith("zone:"))
    assert (zone.code, zone.surface) == ("zone:临汾经济开发区", "临汾经济开发区")
    assert a.gaz.get(zone.code).parent == "141000"  # type: ignore[union-attr]
    assert "zone:临汾经济开发区" in places_named(statements("临汾市召开会议。临汾经济开发区设分会场。"))


def test_zone_of_a_county_needs_the_county_supported() -> None:
    assert "zone:太谷开发区" in places_named(statements("晋中市召开会议。太谷开发区设分会场。"))
    assert places_named(statements("太谷开发区设分会场。")) == set()


def test_an_article_about_a_zone_is_about_its_city() -> None:
    text = "9月14日，晋中经开区召开安全生产工作会议。市委书记王建国出席会议。"
    assert analysis(text).home["市"] == JINZHONG


# -- 我县 ------------------------------------------------------------------------


def test_our_county_with_the_county_named_in_an_older_year() -> None:
    text = "晋中市太谷县召开会议\n9月14日，我县召开全县防汛工作会议。县委书记王建国主持会议。"
    sts = statements(text, date="2018-09-15")
    (ev,) = events(sts)
    assert ev.place == TAIGU_COUNTY
    assert posts(sts) == [("王建国", "县委书记", TAIGU_COUNTY)]


def test_our_county_with_only_a_city_named_has_no_county() -> None:
    sts = statements("晋中市各地防汛工作综述\n9月14日，我县召开全县防汛工作会议。县委书记王建国主持会议。")
    (ev,) = events(sts)
    assert ev.place is None
    assert posts(sts) == [("王建国", "县委书记", None)]


# -- the article's province --------------------------------------------------------


def test_province_of_a_city_article_is_that_citys() -> None:
    text = "临汾市召开会议，传达学习省委全会精神。会议要求赴浙江省学习的干部认真总结。省委书记李明华作出批示。"
    assert analysis(text).home["省"] == "140000"


def test_province_with_no_province_named_is_the_citys() -> None:
    text = "9月14日，临汾市召开会议，传达学习省委全会精神。省委书记李明华作出批示。"
    assert analysis(text).home["省"] == "140000"


# -- one-character province names ----------------------------------------------------


def test_province_abbreviation_supports_a_short_name() -> None:
    a = analysis("做好入晋人员排查。古交各乡镇积极行动。")
    assert [m.code for m in a.places.hints] == ["140000"]
    assert places_named(statements("做好入晋人员排查。古交各乡镇积极行动。")) == {"140181"}
    assert places_named(statements("做好人员排查。古交各乡镇积极行动。")) == set()


def test_province_abbreviation_is_never_a_place_mention() -> None:
    text = "返晋人员要主动报备，晋籍务工人员返岗前要做好检测。"
    a = analysis(text)
    assert a.home["省"] == "140000"
    assert len(a.places.hints) == 2
    assert places_named(statements(text)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "在新时代，我们要奋发有为。",  # 新 is 新疆 only as 返新 / 新籍 or in a headline
        "我们要加快融入新发展格局。",
        "全体干部在晋升职级前要参加培训。",  # 晋 is not followed by a word end
        "来宁工作的人员要主动报备。",  # 宁 is also 南京: only in a headline
        "全国会议在京召开。",  # 在京 is where national meetings are held
        "晋中市召开防汛会议。",  # 晋 starts a place name
    ],
)
def test_province_abbreviation_only_in_fixed_forms(text: str) -> None:
    assert analysis(text).places.hints == []


def test_province_abbreviation_as_headline_prefix() -> None:
    a = analysis("晋：全省防汛工作会议召开\n9月14日，全省防汛工作会议召开。")
    assert [(m.code, m.start) for m in a.places.hints] == [("140000", 0)]
    assert a.home["省"] == "140000"
