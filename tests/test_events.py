"""Meetings and inspections, roles and followed meetings (graph/extract/events.py)."""

from __future__ import annotations

from helpers import events, follows, posts, roles, statements

CHANGSHA = "430100"
YUELU = "430104"
TIANXIN = "430103"
YUHUA = "430111"
HUNAN = "430000"
YIBIN = "511500"
SICHUAN = "510000"


def test_secretary_attends_while_mayor_chairs() -> None:
    sts = statements("9月14日，长沙市召开全市疫情防控工作会议。市委书记王建国出席会议并讲话，市长李明华主持会议。")
    (ev,) = events(sts)
    assert (ev.kind, ev.label, ev.place, ev.month_day) == ("Meeting", "全市疫情防控工作会议", CHANGSHA, "--09-14")
    assert roles(sts) == {("王建国", "attends", ev.key), ("李明华", "chairs", ev.key)}


def test_digest_of_three_district_meetings() -> None:
    text = (
        "长沙市各区工作动态\n"
        "9月12日，岳麓区召开安全生产工作会。区委书记王建国主持会议。\n"
        "9月13日，天心区召开防汛工作会。区长李明华出席会议。\n"
        "9月14日，雨花区召开招商引资推进会。区委副书记陈志远参加会议。"
    )
    sts = statements(text)
    found = [(e.kind, e.label, e.place, e.month_day) for e in events(sts)]
    assert found == [
        ("Meeting", "安全生产工作会", YUELU, "--09-12"),
        ("Meeting", "防汛工作会", TIANXIN, "--09-13"),
        ("Meeting", "招商引资推进会", YUHUA, "--09-14"),
    ]
    e1, e2, e3 = (e.key for e in events(sts))
    assert roles(sts) == {("王建国", "chairs", e1), ("李明华", "attends", e2), ("陈志远", "attends", e3)}


def test_inspection_led_by_county_head_with_deputy_accompanying() -> None:
    sts = statements("邯郸市涉县：9月14日，县长王建国深入到偏城镇调研检查疫情防控工作，副县长李明华陪同。")
    (ev,) = events(sts)
    assert ev.kind == "Inspection"
    assert ev.place == "130426108"  # 偏城镇 of 涉县: a visit named down to the township is held there
    assert ev.month_day == "--09-14"
    assert roles(sts) == {("王建国", "conducts", ev.key), ("李明华", "conducts", ev.key)}


def test_meeting_after_watching_provincial_meeting_follows_it() -> None:
    text = (
        "宜宾部署疫情防控工作\n"
        "9月14日，在收听收看省委疫情防控工作会议后，我市立即召开全市疫情防控工作会议。市委书记王建国主持会议。"
    )
    sts = statements(text)
    (ev,) = events(sts)
    assert (ev.label, ev.place) == ("全市疫情防控工作会议", YIBIN)
    assert follows(sts) == [(ev.key, "省委疫情防控工作会议", SICHUAN)]
    assert roles(sts) == {("王建国", "chairs", ev.key)}


def test_planned_meeting_is_not_an_event() -> None:
    text = "9月14日，长沙市召开全市安全生产工作会议。会议要求，要定期召开研判会议，及时分析形势。市长李明华主持会议。"
    sts = statements(text)
    assert [e.label for e in events(sts)] == ["全市安全生产工作会议"]
    assert all("研判" not in e.label for e in events(sts))


def test_relayed_instruction_gives_post_but_no_role() -> None:
    text = "9月14日，长沙市召开全市疫情防控工作会议，传达了省委书记赵丽重要批示精神。市长李明华主持会议。"
    sts = statements(text)
    (ev,) = events(sts)
    assert ("赵丽", "省委书记", HUNAN) in posts(sts)
    assert roles(sts) == {("李明华", "chairs", ev.key)}


def test_relayed_instruction_in_its_own_sentence() -> None:
    text = "9月14日，长沙市召开全市疫情防控工作会议。会议传达了省委书记赵丽重要批示精神。市长李明华主持会议。"
    sts = statements(text)
    (ev,) = events(sts)
    assert ("赵丽", "省委书记", HUNAN) in posts(sts)
    assert roles(sts) == {("李明华", "chairs", ev.key)}


def test_standing_committee_meeting_label_is_whole() -> None:
    (ev,) = events(statements("9月14日，涉縣縣委書記劉誌遠主持召開縣委常委會會議。"))
    assert ev.label == "县委常委会会议"
