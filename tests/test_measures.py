"""Measures an event mandates (graph/extract/measures.py)."""

from __future__ import annotations

from helpers import events, mandates, of, statements

from graph.records import Mandate

MEETING = "9月14日，长沙市召开全市疫情防控工作会议。市长李明华主持会议。"
VISIT = "邯郸市涉县：9月14日，县长王建国深入到偏城镇调研检查疫情防控工作，"


def test_directive_mandates_testing_and_health_code_check() -> None:
    sts = statements(MEETING + "会议要求，要严格落实核酸检测和健康码查验。")
    (ev,) = events(sts)
    assert mandates(sts) == {"nucleic-acid-testing", "health-code-check"}
    assert {m.event for m in of(sts, Mandate)} == {ev.key}
    assert all("要严格落实" in m.evidence.sentence for m in of(sts, Mandate))


def test_observation_on_an_inspection_mandates_nothing() -> None:
    sts = statements(VISIT + "详细了解核酸检测情况。")
    assert [e.kind for e in events(sts)] == ["Inspection"]
    assert mandates(sts) == set()


def test_report_heard_at_a_meeting_mandates_nothing() -> None:
    assert mandates(statements(MEETING + "会议听取了各区核酸检测和健康码查验情况汇报。")) == set()


def test_background_mandates_nothing() -> None:
    assert mandates(statements(MEETING + "会议指出，当前疫情形势严峻。")) == set()


def test_negated_measure_is_not_mandated() -> None:
    assert mandates(statements(MEETING + "会议要求，不再开展全员核酸检测。")) == set()


def test_non_epidemic_meeting_gets_no_covid_measures() -> None:
    text = (
        "9月14日，长沙市召开创建卫生城市动员会。市长李明华主持会议。"
        "会议要求，要加强环境卫生整治，做好消毒消杀和佩戴口罩宣传。"
    )
    sts = statements(text)
    assert [e.label for e in events(sts)] == ["创建卫生城市动员会"]
    assert mandates(sts) == set()


def test_observation_then_directive_in_one_sentence() -> None:
    sts = statements(VISIT + "详细了解核酸检测情况，要求要严格落实健康码查验。")
    assert mandates(sts) == {"health-code-check"}


def test_background_then_directive_in_one_sentence() -> None:
    sts = statements(MEETING + "会议指出，当前疫情形势严峻，出现核酸检测阳性病例，要严格落实健康码查验。")
    assert mandates(sts) == {"health-code-check"}
