"""benchmarks/audit.py: the recall audit's patterns, on small invented texts.

Most tests give audit_document an Extraction made by hand, so that they hold whatever
the extraction rules find; a few run the real pipeline and check only what does not
depend on the rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import audit

from graph.records import Document, EventFound, Evidence, Extraction, PostHeld, RawArticle, Role, Statement


def doc_of(text: str, chrome: tuple[tuple[int, int], ...] = ()) -> Document:
    return Document("t.txt", text, text, tuple(range(len(text))), chrome=chrome)


def ev(doc: Document, sentence: str) -> Evidence:
    start = doc.text.index(sentence)
    return Evidence(doc.name, start, start + len(sentence), sentence, "test")


def counts(doc: Document, *statements: Statement) -> dict[str, int]:
    result = audit.audit_document(doc, Extraction(doc.name, tuple(statements)))
    return {p: result.counts()[p] for p in audit.PATTERNS}


def keys(doc: Document, *statements: Statement) -> list[tuple[str, str]]:
    result = audit.audit_document(doc, Extraction(doc.name, tuple(statements)))
    return [(f.pattern, f.key) for f in result.flags]


S1 = "3月5日，县委书记张某某主持召开县委常委会会议。"
S2 = "副县长李某、王某某出席会议。"


def test_everything_extracted_gives_no_flag() -> None:
    doc = doc_of(S1 + S2)
    e1, e2 = ev(doc, S1), ev(doc, S2)
    found = (
        PostHeld(e1, "张某某", "县委书记", None),
        EventFound(e1, "e1", "Meeting", "县委常委会会议", None, month_day="--03-05", span=(0, len(doc.text))),
        Role(e1, "张某某", "chairs", "e1"),
        PostHeld(e2, "李某", "副县长", None),
        PostHeld(e2, "王某某", "副县长", None),
        Role(e2, "李某", "attends", "e1"),
        Role(e2, "王某某", "attends", "e1"),
    )
    assert counts(doc, *found) == {"a": 0, "b": 0, "c": 0, "d": 0}


def test_nothing_extracted_flags_each_sentence_once_per_pattern() -> None:
    doc = doc_of(S1 + S2)
    assert keys(doc) == [("a", "主持"), ("b", "书记"), ("c", "召开"), ("a", "出席"), ("b", "副县长")]
    assert counts(doc) == {"a": 2, "b": 2, "c": 1, "d": 0}
    assert audit.audit_document(doc, Extraction(doc.name)).sentences == 2


def test_role_evidence_elsewhere_still_flags_but_is_marked() -> None:
    headline = "县委书记张某某主持会议\n"
    doc = doc_of(headline + S1)
    e0 = ev(doc, "县委书记张某某主持会议")
    result = audit.audit_document(doc, Extraction(doc.name, (Role(e0, "张某某", "chairs", "e1"),)))
    a_flags = [f for f in result.flags if f.pattern == "a"]
    assert [(f.key, f.sentence, f.elsewhere) for f in a_flags] == [("主持", S1, True)]


def test_role_verb_after_a_place_and_a_bare_name_list() -> None:
    doc = doc_of("市长赵某某到某某镇调研。钱某、孙某某等陪同。")
    assert keys(doc) == [("a", "调研"), ("b", "市长"), ("a", "陪同")]


def test_role_verb_without_a_name_is_no_candidate() -> None:
    doc = doc_of("全县各级干部参加会议。有关部门负责同志陪同检查。高度重视督导工作。")
    assert counts(doc) == {"a": 0, "b": 0, "c": 0, "d": 0}


def test_post_must_name_the_person_after_the_title() -> None:
    s = "县委书记张某某、县长周某出席。"
    doc = doc_of(s)
    e = ev(doc, s)
    roles = (Role(e, "张某某", "attends", "e1"), Role(e, "周某", "attends", "e1"))
    # a post for one of the two: the other is flagged, by its own position word
    assert keys(doc, *roles, PostHeld(e, "张某某", "县委书记", None)) == [("b", "县长")]
    assert keys(doc, *roles, PostHeld(e, "张某某", "县委书记", None), PostHeld(e, "周某", "县长", None)) == []
    # a person's name that overlaps the run counts (the run is 3 characters, the name 2)
    s2 = "副镇长吴某等出席。"
    doc2 = doc_of(s2)
    e2 = ev(doc2, s2)
    assert keys(doc2, Role(e2, "吴某", "attends", "e1"), PostHeld(e2, "吴某", "副镇长", None)) == []


def test_middle_dot_names() -> None:
    doc = doc_of("自治区副主席阿某·某某提出要求。")
    assert keys(doc) == [("b", "副主席")]


def test_title_before_a_common_word_is_no_candidate() -> None:
    doc = doc_of("县委书记高度重视此项工作。主任委员会议决定。县长热线开通。")
    assert counts(doc) == {"a": 0, "b": 0, "c": 0, "d": 0}


def test_meeting_covered_by_an_event_span_or_evidence() -> None:
    s1 = "某某县召开安全生产工作会议。"
    s2 = "会议传达了省委全会精神。"
    doc = doc_of(s1 + s2)
    assert keys(doc) == [("c", "召开"), ("c", "传达")]
    only_evidence = EventFound(ev(doc, s1), "e1", "Meeting", "安全生产工作会议", None, span=(0, len(s1)))
    assert keys(doc, only_evidence) == [("c", "传达")]
    whole = EventFound(ev(doc, s1), "e1", "Meeting", "安全生产工作会议", None, span=(0, len(doc.text)))
    assert keys(doc, whole) == []


def test_meeting_noun_without_a_meeting_verb_is_no_candidate() -> None:
    doc = doc_of("会议指出，要抓好落实。座谈会气氛热烈。")
    assert counts(doc) == {"a": 0, "b": 0, "c": 0, "d": 0}


@pytest.mark.parametrize(
    ("text", "date", "month_day", "flagged"),
    [
        ("5月8日，某某市召开防汛会议。", None, None, 1),
        ("5月8日，某某市召开防汛会议。", None, "--05-08", 0),
        ("8日，某某市召开防汛会议。", None, None, 1),
        ("8日，某某市召开防汛会议。", "2021-05-08", "--05-08", 0),
        ("某某市召开防汛会议。", None, None, 0),
    ],
)
def test_date_in_an_event_sentence(text: str, date: str | None, month_day: str | None, flagged: int) -> None:
    doc = doc_of(text)
    event = EventFound(ev(doc, text), "e1", "Meeting", "防汛会议", None, date, month_day, span=(0, len(text)))
    assert counts(doc, event)["d"] == flagged


def test_date_without_an_event_is_no_candidate() -> None:
    doc = doc_of("5月8日，天气晴。")
    assert counts(doc)["d"] == 0


def test_page_chrome_is_not_audited() -> None:
    byline = "编辑 县长赵某某主持"
    doc = doc_of(byline + "\n正文没有人名。", chrome=((0, len(byline)),))
    result = audit.audit_document(doc, Extraction(doc.name))
    assert (result.sentences, result.flags) == (1, ())


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("王某主持", 2),
        ("欧阳某某出席", 4),
        ("张某某，", 3),
        ("阿某·某某等", 5),
        ("高度重视", None),
        ("各级领导", None),
        ("王某某某某", None),
    ],
)
def test_name_at(text: str, end: int | None) -> None:
    assert audit.name_at(text, 0) == end


def test_report_text_and_totals() -> None:
    doc = doc_of(S1 + S2)
    rep = audit.CorpusReport("toy")
    rep.add(audit.audit_document(doc, Extraction(doc.name)), examples=1)
    out = rep.text()
    assert out.splitlines()[-1] == "TOTALS toy: articles 1, sentences 2, flagged a=2 b=2 c=1 d=0"
    assert "by verb: 主持 1  出席 1" in out
    assert "by position word: 书记 1  副县长 1" in out
    assert out.count("e.g.") == 3  # one per pattern that has a flag
    assert rep.to_json()["patterns"]["c"]["by_key"] == {"召开": 1}


def test_corpus_with_a_bad_article_and_a_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("某某县召开工作会议，县委书记张某某主持会议，副县长李某某出席会议并讲话。", "utf-8")
    (tmp_path / "b.txt").write_text("某某镇召开工作会议，镇长王某某主持会议，副镇长赵某某出席会议并作部署。", "utf-8")
    (tmp_path / "c.txt").write_text("", "utf-8")  # skipped by the reader (empty)
    real = audit.extract

    def flaky(doc: Document, *args: object, **kw: bool) -> Extraction:
        if doc.name == "b.txt":
            raise ValueError("boom")
        return real(doc, *args, **kw)

    monkeypatch.setattr(audit, "extract", flaky)
    rep = audit.audit_corpus(tmp_path, jobs=1)
    assert (rep.articles, rep.skipped, rep.sentences) == (1, 2, 1)
    assert any("ValueError: boom" in line for line in rep.skip_lines)


def test_real_extraction_is_audited_consistently() -> None:
    """With the real rules: a sentence is flagged in (a) only when no Role's evidence is in it."""
    text = "县委书记张某某主持会议。\n某某县召开会议，县长李某出席。"
    result = audit.audit_raw(RawArticle("r.txt", "r.txt", text))
    assert isinstance(result, audit.ArticleAudit)
    assert result.sentences == 2
    doc = audit.normalize(RawArticle("r.txt", "r.txt", text))
    extraction = audit.extract(doc, original_offsets=False)
    roles = [s.evidence for s in extraction.statements if isinstance(s, Role)]
    for f in result.flags:
        if f.pattern == "a":
            assert not any(e.start < f.end and f.start < e.end for e in roles)


def test_main_prints_one_report_per_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text("某某县召开工作会议，县委书记张某某主持会议。", "utf-8")
    out_json = tmp_path / "audit.json"
    assert audit.main([str(tmp_path / "x"), "--quiet", "--jobs", "1", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== x ==")
    assert out.splitlines()[-1].startswith("TOTALS x: articles 1, sentences 1, flagged a=")
    assert out_json.exists()
