"""Event triggers and places composed from ontology/event_words.tsv, the source line
and townships, on sentences written for these tests (invented names)."""

from __future__ import annotations

from helpers import SHEXIAN, events, roles, statements


def test_visit_on_a_subject_without_a_destination() -> None:
    sts = statements("邯郸市涉县：6月3日，县委书记褚明就全县水利工作开展调研。")
    (ev,) = events(sts)
    assert (ev.kind, ev.place) == ("Inspection", SHEXIAN)
    assert roles(sts) == {("褚明", "conducts", ev.key)}


def test_leader_takes_others_along_on_a_visit() -> None:
    sts = statements("邯郸市涉县：6月3日，县教育局局长芮平带领副局长宫新，先后到三所学校检查开学准备工作。")
    (ev,) = events(sts)
    assert ev.kind == "Inspection"
    assert {(n, r) for n, r, _ in roles(sts)} == {("芮平", "conducts"), ("宫新", "conducts")}


def test_river_patrol_is_a_visit() -> None:
    sts = statements("邯郸市涉县：4月2日，县长钱进组织开展清漳河巡河，现场察看河道整治情况。")
    (ev,) = events(sts)
    assert ev.kind == "Inspection"


def test_source_line_names_the_county_of_our_county() -> None:
    sts = statements("涉县新闻网讯（记者 甲乙）7月4日，我县召开防汛工作会议。副县长庞洁参加会议。")
    (ev,) = events(sts)
    assert (ev.kind, ev.place) == ("Meeting", SHEXIAN)


def test_a_township_that_convenes_holds_the_meeting() -> None:
    sts = statements("涉县：8月2日，偏城镇召开防汛工作部署会。镇党委书记鲍青主持会议。")
    (ev,) = events(sts)
    assert (ev.kind, ev.place) == ("Meeting", "130426108")


def test_a_township_visited_before_a_meeting_does_not_convene_it() -> None:
    sts = statements("邯郸市涉县：8月2日，县委常委祁望赴偏城镇督导防汛工作，并召开座谈会。")
    meeting = next(e for e in events(sts) if e.kind == "Meeting")
    assert meeting.place == SHEXIAN


def test_no_epidemic_measure_from_other_work() -> None:
    sts = statements(
        "邯郸市涉县召开教育工作会议\n9月1日，涉县召开教育工作会议。县长钱进要求，要做好校园疫情防控和核酸检测工作。"
    )
    assert not [s for s in sts if type(s).__name__ == "Mandate"]
