"""Directive units, speakers, targets and topics (graph/extract/measures.py, topics.py),
with hand-written sentences; and the sample build's mandates all backed by a directive."""

from __future__ import annotations

from helpers import events, mandates, of, statements
from rdflib import Graph

from graph.ask.query import read_query, run_query
from graph.rdf import vocab
from graph.records import Directive

HEAD = "9月14日，长沙市召开全市疫情防控工作会议。市委书记陈志远主持会议，市长李明华出席会议并讲话。\n"


def directives(text: str) -> list[Directive]:
    return of(statements(HEAD + text), Directive)


def test_speaker_statement_gives_the_speaker() -> None:
    (d,) = directives("陈志远强调，要严格落实核酸检测制度。")
    assert d.speaker == "陈志远"
    assert d.measures == ("nucleic-acid-testing",)
    assert d.text.startswith("要严格落实")


def test_speaker_carries_over_within_the_paragraph_and_he_refers_back() -> None:
    ds = directives("李明华指出，要做好消毒消杀。他强调，要加强冷链食品监管。")
    assert [(d.speaker, d.measures) for d in ds] == [
        ("李明华", ("disinfection",)),
        ("李明华", ("cold-chain-and-goods",)),
    ]


def test_the_meeting_itself_as_speaker() -> None:
    (d,) = directives("会议要求，要全面开展疫苗接种。")
    assert d.speaker is None
    assert d.measures == ("vaccination",)


def test_enumeration_yi_yao_er_yao_gives_one_directive_each() -> None:
    ds = directives("陈志远强调，一要严格落实核酸检测；二要做好隔离点管理，三要加强校园防控。")
    assert [d.measures for d in ds if d.measures] == [
        ("nucleic-acid-testing",),
        ("centralized-quarantine",),
        ("school-controls",),
    ]
    assert all(d.speaker == "陈志远" for d in ds)


def test_enumeration_yi_shi_and_yi_fang_mian() -> None:
    ds = directives("会议要求，一是要强化流调溯源，二是要做好物资储备。一方面要落实戴口罩，另一方面要做到不扎堆。")
    assert [d.measures for d in ds if d.measures] == [
        ("contact-tracing",),
        ("supplies-reserve",),
        ("mask-wearing",),
        ("physical-distancing",),
    ]


def test_target_group_is_kept() -> None:
    (d,) = directives("会议要求，要对省外来返人员严格落实核酸检测。")
    assert d.targets == ("省外来返人员",)
    assert set(d.measures) == {"nucleic-acid-testing", "arrival-screening"}


def test_list_of_places_ending_in_key_places_counts_as_key_places_only() -> None:
    (d,) = directives("会议要求，要加强对商场、学校、车站等重点场所的管控。")
    assert d.measures == ("key-places-control",)


def test_what_another_body_did_is_not_an_order() -> None:
    assert mandates(statements(HEAD + "会议指出，省疫情防控办已下发通知，部署了核酸检测工作。")) == set()


def test_hypothetical_code_name_is_not_vaccination() -> None:
    assert "vaccination" not in mandates(statements(HEAD + "会议要求，严格查验健康码、疫苗接种码。"))


def test_paragraph_on_another_subject_gives_no_epidemic_measure() -> None:
    text = "陈志远强调，要统筹安全生产工作，加强学校周边交通安全宣传。"
    assert mandates(statements(HEAD + text)) == set()


def test_meeting_on_another_subject_gets_that_topic_and_no_measures() -> None:
    sts = statements("6月2日，长沙市召开全市防汛工作会议。市长李明华主持会议。会议要求，要加强学校安全宣传。")
    (ev,) = events(sts)
    assert ev.topic == "flood-control"
    assert mandates(sts) == set()


def test_epidemic_meeting_topic() -> None:
    (ev,) = events(statements(HEAD))
    assert ev.topic == "epidemic-control"


def test_every_mandate_of_the_samples_has_a_directive_with_its_sentence(built_samples: tuple) -> None:
    _, g = built_samples
    assert isinstance(g, Graph)
    rows = list(run_query(g, read_query("mandates_with_directive")))
    pairs = set(g.subject_objects(vocab.mandates))
    backed = {(r.event, r.measure) for r in rows if r.directive is not None and str(r.sentence)}
    assert len(pairs) >= 80  # the five samples mandate about ninety event–measure pairs
    assert pairs == backed
