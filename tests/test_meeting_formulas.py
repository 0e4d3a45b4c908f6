"""Meetings a body holds by watching or relaying a higher one, chronicles, conveners,
reported speech and lists, on sentences written for these tests (invented names)."""

from __future__ import annotations

from helpers import GUANGXI, HEBEI, NINGXIA, SHEXIAN, events, follows, posts, roles, statements

from graph.gazetteer.townships import find_townships


def test_a_body_relaying_a_higher_meeting_holds_a_meeting_that_follows_it() -> None:
    sts = statements("邯郸市涉县：3月2日上午，我县在县委常委会议室传达学习全省经济工作会议精神。县委书记褚明主持会议。")
    (ev,) = events(sts)
    assert (ev.kind, ev.place, ev.month_day) == ("Meeting", SHEXIAN, "--03-02")
    assert [(f[0], f[2]) for f in follows(sts)] == [(ev.key, HEBEI)]
    assert {(n, r) for n, r, _ in roles(sts)} == {("褚明", "chairs")}


def test_watching_a_higher_meeting_is_the_bodys_meeting() -> None:
    sts = statements("邯郸市涉县：5月6日，县政府组织收听收看全省防汛工作视频会议。副县长庞洁参加会议。")
    (ev,) = events(sts)
    assert (ev.kind, ev.place) == ("Meeting", SHEXIAN)
    assert [f[2] for f in follows(sts)] == [HEBEI]


def test_watching_then_convening_its_own_meeting() -> None:
    sts = statements(
        "邯郸市涉县：5月6日，我县组织收听收看全国、省、市安全生产工作会议，并接续召开全县安全生产工作会议。"
    )
    (ev,) = events(sts)
    assert ev.label == "全县安全生产工作会议"
    assert [f[2] for f in follows(sts)] == [HEBEI]


def test_chronicle_entries_of_one_day_are_separate_meetings() -> None:
    sts = statements(
        "涉县大事记\n6月1日 县长钱进主持召开县政府常务会议。\n同日 县长钱进主持召开全县森林防火工作专题会议。"
    )
    assert [(e.label, e.month_day) for e in events(sts)] == [
        ("县政府常务会议", "--06-01"),
        ("全县森林防火工作专题会议", "--06-01"),
    ]


def test_a_bare_level_word_before_the_verb_convenes_not_the_dateline_city() -> None:
    sts = statements("本报银川5月3日讯 今天上午，自治区召开全区安全生产工作会议。")
    (ev,) = events(sts)
    assert ev.place == NINGXIA


def test_a_meeting_named_by_its_convener_is_not_held_in_the_venue_city() -> None:
    sts = statements("自治区政协十二届五次常委会议召开\n本报南宁讯 6月9日，自治区政协十二届五次常委会议在南宁召开。")
    (ev,) = events(sts)
    assert ev.place == GUANGXI


def test_people_in_reported_speech_take_no_role() -> None:
    sts = statements(
        "邯郸市涉县：8月2日，涉县召开全县干部大会。县委书记褚明主持会议。"
        "褚明说，市委书记宫平在全市干部大会上的讲话，为全县工作指明了方向。"
    )
    assert {n for n, _, _ in roles(sts)} == {"褚明"}


def test_an_official_who_convenes_chairs() -> None:
    sts = statements("邯郸市涉县：8月2日上午，县委书记褚明同志专门召开县防汛工作领导小组会议。")
    assert {(n, r) for n, r, _ in roles(sts)} == {("褚明", "chairs")}


def test_local_officials_who_report_on_a_visit_go_along_but_not_at_its_meeting() -> None:
    sts = statements(
        "邯郸市涉县：6月25日，市委副书记甘霖到涉县督导防汛工作。县委副书记葛平、副县长祁望介绍了防汛备汛情况。"
        "随后召开座谈会。会上，县水利局局长芮平作了汇报。"
    )
    visit = next(e for e in events(sts) if e.kind == "Inspection")
    conducts = {n for n, r, k in roles(sts) if r == "conducts" and k == visit.key}
    assert conducts == {"甘霖", "葛平", "祁望"}


def test_names_before_any_leader_wording_and_across_and() -> None:
    sts = statements("邯郸市涉县召开干部大会。甘霖、葛平等县四套班子领导和祁望、庞洁等老领导出席会议。")
    assert {n for n, r, _ in roles(sts) if r == "attends"} == {"甘霖", "葛平", "祁望", "庞洁"}


def test_minority_name_after_a_title_runs_to_the_verb() -> None:
    sts = statements("邯郸市涉县召开会议。副县长阿依努尔出席会议。县人大常委会主任乌兰巴特尔，副县长苏日格参加会议。")
    assert [p[0] for p in posts(sts)] == ["阿依努尔", "乌兰巴特尔", "苏日格"]


def test_names_end_before_a_time_word_or_a_predicate() -> None:
    sts = statements("台中市长江启明今（3）日召开防疫会议。县长于德率领工作组赴灾区。")
    assert [p[0] for p in posts(sts)] == ["江启明", "于德"]


def test_a_taiwan_city_is_a_place() -> None:
    sts = statements("台中市长江启明今（3）日召开防疫会议，部署防疫工作。")
    (ev,) = events(sts)
    assert ev.place == "TW-TXG"


def test_a_township_written_with_its_ethnic_group() -> None:
    text = "贺兰县常信回族乡召开人代会"
    assert find_townships(text, ["640122"]) == [(3, 8, "640122200")]


def test_a_title_whose_holder_is_named_later() -> None:
    sts = statements(
        "邯郸市涉县：昨天（25日）下午，县委书记到防汛一线，督导检查防汛工作。褚明强调，要压实责任。"
        "在沿河各村，褚明详细了解了巡堤情况。",
        date="2023-07-26",
    )
    (ev,) = events(sts)
    assert (ev.kind, ev.date) == ("Inspection", "2023-07-25")
    assert roles(sts) == {("褚明", "conducts", ev.key)}
    assert posts(sts) == [("褚明", "县委书记", SHEXIAN)]


def test_a_title_without_a_name_takes_none_when_several_could_hold_it() -> None:
    sts = statements(
        "邯郸市涉县：昨天下午，县委书记到防汛一线督导检查防汛工作。褚明强调，要压实责任。葛平指出，要加强巡查。",
        date="2023-07-26",
    )
    assert posts(sts) == []


def test_a_meeting_named_in_reported_speech_is_no_event() -> None:
    sts = statements("邯郸市涉县：9月3日，涉县召开防汛工作会议。会议指出，前期市里紧急召开防汛调度会进行了部署。")
    assert [e.label for e in events(sts)] == ["防汛工作会议"]


def test_watching_is_no_event_of_its_own_where_the_higher_meeting_is_reported() -> None:
    sts = statements(
        "我市收听收看全省防汛工作视频会议\n7月3日上午，全省防汛工作视频会议召开。省委书记甘霖主持会议。"
        "副市长庞洁在我市分会场参加会议。"
    )
    assert [e.label for e in events(sts)] == ["全省防汛工作视频会议"]


def test_officials_accompanying_a_visit_with_de_peitong_xia() -> None:
    sts = statements("邯郸市涉县：6月3日，副县长祁望在县教育局局长芮平的陪同下，先后到三所学校调研。")
    assert {(n, r) for n, r, _ in roles(sts)} == {("祁望", "conducts"), ("芮平", "conducts")}


def test_a_person_named_like_a_place_is_a_person_unless_the_place_follows() -> None:
    sts = statements("邯郸市涉县召开会议。副县长高平宣读了决定。县委常委、政法委书记孟强，高平市领导参加会议。")
    assert [p[0] for p in posts(sts)] == ["高平", "孟强", "孟强"]


def test_an_event_told_in_the_headline_takes_the_leads_day() -> None:
    sts = statements(
        "偏城镇召开防汛工作动员会\n时间：2019-07-02\n根据县委部署，偏城镇开展防汛准备。7月1日上午，镇里在三楼会议室动员部署。",
    )
    (ev,) = events(sts)
    assert ev.date == "2019-07-01"


def test_talks_and_taiwan_work_reports_are_meetings() -> None:
    sts = statements("邯郸市涉县：5月2日，县长钱进同来访的考察团举行会谈。")
    assert [e.label for e in events(sts)] == ["会谈"]
    sts = statements("台东县防台\n县长江启明今（3）日主持防台工作会报，要求各单位做好准备。", date="2023-08-03")
    (ev,) = events(sts)
    assert (ev.label, ev.place, ev.date) == ("防台工作会报", "TW-TTT", "2023-08-03")


def test_special_region_titles() -> None:
    assert posts(statements("香港特别行政区：特区行政长官黎国栋出席典礼。")) == [("黎国栋", "特区行政长官", "810000")]


def test_a_forum_held_on_a_visit_is_a_meeting_of_its_own() -> None:
    sts = statements("邯郸市涉县：6月3日，市卫生健康委主任甘霖到涉县偏城镇调研，与镇村干部就乡村医疗进行了座谈。")
    assert sorted(e.kind for e in events(sts)) == ["Inspection", "Meeting"]
