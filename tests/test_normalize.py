"""Tests for graph.ingest.normalize: each cleaning step, offsets, chrome, robustness."""

from __future__ import annotations

import random
import re

import pytest
from helpers import SHARED

from graph.ingest.chrome import find_chrome
from graph.ingest.normalize import (
    _ASCII_RUN,
    _align,
    _ascii_runs_to_full,
    _Buf,
    _sub,
    _to_full,
    normalize,
    normalize_text,
)
from graph.records import Document, RawArticle

SEEDS = SHARED / "seeds"
TONED = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


def norm(text: str) -> str:
    return normalize_text(text)[0]


def doc_of(text: str, **kw: str) -> Document:
    return normalize(RawArticle(name="t.txt", source="t.txt", text=text, **kw))


def check_offsets(doc: Document) -> None:
    assert len(doc.offsets) == len(doc.text)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:], strict=False))
    assert all(0 <= o < len(doc.original) for o in doc.offsets)


# --- the Document -------------------------------------------------------------


def test_document_fields_carried() -> None:
    raw = RawArticle(
        name="a.txt",
        source="/x/a.txt",
        text="會議召開",
        title="市委召開會(huì)議",
        date="2022-03-01",
        url="http://example.org/a",
    )
    doc = normalize(raw)
    assert doc.name == "a.txt"
    assert doc.text == "会议召开"
    assert doc.original == "會議召開"
    assert doc.title == "市委召开会议"
    assert doc.date == "2022-03-01"
    assert doc.url == "http://example.org/a"
    check_offsets(doc)


def test_no_title_stays_none() -> None:
    assert doc_of("会议").title is None


def test_empty_text() -> None:
    doc = doc_of("")
    assert doc.text == "" and doc.offsets == () and doc.chrome == ()


# --- step 1: line endings and junk ---------------------------------------------


def test_line_endings() -> None:
    text, offs = normalize_text("甲乙\r\n丙丁\r戊己")
    assert text == "甲乙\n丙丁\n戊己"
    assert offs[2] == 3  # the \n of \r\n
    assert offs[5] == 6  # the lone \r


def test_junk_characters_removed() -> None:
    raw = "会\ufffd议\u200b召\x07开\ue000了\ufeff吗\u202e。"
    text, offs = normalize_text(raw)
    assert text == "会议召开了吗。"
    assert [raw[o] for o in offs] == list(text)


def test_lone_surrogates_removed() -> None:
    assert norm("会\ud800议\udfff召开") == "会议召开"


def test_tabs_and_newlines_survive_cleaning() -> None:
    assert norm("甲乙\t丙丁\n戊己") == "甲乙 丙丁\n戊己"


# --- step 2: pinyin -------------------------------------------------------------


def test_pinyin_after_han_removed() -> None:
    raw = "市委召開專題會(huì)議"
    text, offs = normalize_text(raw)
    assert text == "市委召开专题会议"
    # the char after the removed pinyin maps back to 議
    assert offs[text.index("议")] == raw.index("議")
    assert offs[text.index("会")] == raw.index("會")


def test_pinyin_full_width_parens() -> None:
    assert norm("新聞網（wǎng）站") == "新闻网站"


def test_pinyin_with_umlaut_tone() -> None:
    assert norm("綠(lǜ)色發(fā)展") == "绿色发展"


def test_pinyin_inside_outer_parens() -> None:
    assert norm("各縣(市、區(qū))負(fù)責人") == "各县（市、区）负责人"


def test_mojibake_pinyin_fragments() -> None:
    assert norm("工作?huì)會議") == "工作会议"
    assert norm("討B(tài)論") == "讨B论"


def test_non_pinyin_parens_kept() -> None:
    assert norm("央視(CCTV)報道") == "央视（CCTV）报道"
    assert norm("年度(2022)報告") == "年度（2022）报告"
    assert norm("(記者 王小明)3月1日") == "（记者 王小明）3月1日"
    assert norm("(abc)") == "(abc)"


def test_pinyin_not_glued_kept() -> None:
    assert norm("拼音 (pīnyīn)") == "拼音 (pīnyīn)"


# --- step 3: Traditional -> Simplified -------------------------------------------


def test_t2s_characters() -> None:
    raw = "這是一個測試\n第二行顯示"
    text, offs = normalize_text(raw)
    assert text == "这是一个测试\n第二行显示"
    assert offs == list(range(len(raw)))


def test_t2s_phrase() -> None:
    assert norm("情況一目瞭然") == "情况一目了然"


def test_simplified_text_unchanged() -> None:
    raw = "市委书记主持会议并讲话。"
    text, offs = normalize_text(raw)
    assert text == raw
    assert offs == list(range(len(raw)))


def test_align_length_change_is_monotone() -> None:
    offs = _align("甲乙丙", "甲乙乙丙丁", [10, 11, 12])
    assert len(offs) == 5
    assert offs[0] == 10 and offs[-1] == 12
    assert offs == sorted(offs)
    assert _align("甲乙丙丁", "甲丁", [0, 1, 2, 3]) == [0, 3]


# --- step 4: width ----------------------------------------------------------------


def test_full_width_letters_digits_space() -> None:
    assert norm("ＡＢＣ１２３\u3000測試") == "ABC123 测试"
    assert norm("第１０４次會議") == "第104次会议"


def test_ascii_punctuation_next_to_han() -> None:
    assert norm("會議強調,要堅持;要落實!真的?") == "会议强调，要坚持；要落实！真的？"
    assert norm("來源:新聞網") == "来源：新闻网"


@pytest.mark.parametrize("seed", range(5))
def test_ascii_runs_found_as_the_regex_finds_them(seed: int) -> None:
    """The fast path (the regex over the runs of punctuation holding an ASCII mark only)
    makes the edits the regex makes over the whole text."""
    rng = random.Random(seed)
    alphabet = ",;:?!，；：？！、。中文a1 (\n“”…\u3000"
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        buf = _Buf(text, list(range(len(text))))
        whole = _sub(buf, _ASCII_RUN, _to_full)
        fast = _ascii_runs_to_full(buf)
        assert (fast.text, fast.offs) == (whole.text, whole.offs), text


def test_colon_between_digits_and_date_hyphens_kept() -> None:
    assert norm("2022-09-15 09:01:53 來源:某網") == "2022-09-15 09:01:53 来源：某网"
    assert norm("時間:09:30") == "时间：09:30"
    assert norm("共計1,500人") == "共计1,500人"


def test_parentheses_pairs() -> None:
    assert norm("各縣(市、區)設分會場") == "各县（市、区）设分会场"
    assert norm("f(x) = 1") == "f(x) = 1"
    assert norm("會議(2)") == "会议（2）"


def test_punctuation_after_quote() -> None:
    assert norm("“動態清零”,堅持") == "“动态清零”，坚持"


# --- step 5: doubled punctuation -----------------------------------------------------


def test_doubled_punctuation() -> None:
    assert norm("市長,、市新冠") == "市长、市新冠"
    assert norm("晚,,在會議") == "晚，在会议"
    assert norm("再部署,。") == "再部署。"
    assert norm("甲：；乙") == "甲；乙"
    assert norm("甲、，乙") == "甲、乙"


def test_doubled_punctuation_offsets() -> None:
    raw = "再部署,。下一步"
    text, offs = normalize_text(raw)
    assert text == "再部署。下一步"
    assert offs[3] == raw.index("。")
    assert offs[4] == raw.index("下")


def test_ellipsis_dash_and_mixed_marks_kept() -> None:
    assert norm("等等……還有——結束") == "等等……还有——结束"
    assert norm("真的嗎？！") == "真的吗？！"


# --- step 6: whitespace ----------------------------------------------------------------


def test_padded_two_char_name_joined() -> None:
    raw = "張 浩出席"
    text, offs = normalize_text(raw)
    assert text == "张浩出席"
    assert offs[1] == raw.index("浩")


def test_padded_name_after_role() -> None:
    assert norm("記者 張 浩") == "记者 张浩"
    assert norm("王\u00a0明") == "王明"
    assert norm("王\u3000明") == "王明"
    assert norm("李 雲峰") == "李云峰"


def test_names_of_two_or_more_kept_apart() -> None:
    assert norm("黃巍 郭行傑") == "黄巍 郭行杰"
    assert norm("坚决扛起责任 从严做好工作") == "坚决扛起责任 从严做好工作"


def test_lines_stripped_and_blank_lines_collapsed() -> None:
    assert norm("  甲乙  \n丙丁\t\n\n\n\n戊己   ") == "甲乙\n丙丁\n\n戊己"
    assert norm("\n\n甲乙\n\n") == "甲乙"


def test_space_runs_and_space_next_to_chinese_punctuation() -> None:
    assert norm("来源:某网   浏览次数:") == "来源：某网 浏览次数："
    assert norm("王小明、 李大伟") == "王小明、李大伟"
    assert norm("某网讯 （记者 王小明）") == "某网讯（记者 王小明）"


# --- offsets under everything at once ---------------------------------------------------


def test_offsets_through_all_steps() -> None:
    raw = "\ufeff  縣長,、市委書記(jì)  王 明\r\n\r\n\r\n\r\n會議(2022)召開。"
    doc = doc_of(raw)
    # 王 明 joins (one char each side); 书记 | 王明 (two and two) stays apart
    assert doc.text == "县长、市委书记 王明\n\n会议（2022）召开。"
    check_offsets(doc)
    assert doc.offsets[doc.text.index("明")] == raw.index("明")
    assert doc.offsets[doc.text.index("召")] == raw.index("召")
    s, e = doc.original_span(doc.text.index("王"), doc.text.index("明") + 1)
    assert raw[s:e] == "王 明"


JUNK_PIECES = [
    "會(huì)",
    "(huì",
    "huì)",
    "（",
    "）",
    "(",
    ")",
    ",,",
    "，。",
    "\r",
    "\n\n\n",
    "\u3000",
    "\u00a0",
    " ",
    "😀",
    "👨‍👩‍👧",
    "Ａ",
    "\ud83d",
    "\udc00",
    "\ufffd",
    "\u200d",
    "\ue123",
    "\x00",
    "Привет",
    "مرحبا",
    "한국어",
    "カタカナ",
    "記者",
    "張",
    "浩",
    ":",
    "09:01",
    "?",
    "!",
    "…",
    "》",
    "[编辑：",
    "]",
    ">",
]


@pytest.mark.parametrize("seed", range(40))
def test_random_junk_does_not_crash(seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
    parts = [data.decode("utf-8", errors="replace")]
    parts += [rng.choice(JUNK_PIECES) for _ in range(rng.randrange(60))]
    rng.shuffle(parts)
    raw = "".join(parts)
    doc = doc_of(raw, title=raw[:30])
    check_offsets(doc)
    assert not re.search("[\ufffd\ud800-\udfff\ue000-\uf8ff\x00-\x08\r]", doc.text)
    for s, e in doc.chrome:
        assert 0 <= s < e <= len(doc.text)


def test_gbk_mojibake_does_not_crash() -> None:
    raw = "市委召開會議，強調落實".encode("big5").decode("utf-8", errors="replace")
    check_offsets(doc_of(raw))


# --- chrome ---------------------------------------------------------------------------


def chrome_texts(text: str) -> list[str]:
    doc = doc_of(text)
    return [doc.text[s:e] for s, e in doc.chrome]


CHROME_LINES = (
    "某市召开会议",
    "首页 > 新闻中心 > 正文",
    "当前位置：首页 > 要闻",
    "2022-03-05 10:20:30 来源：某某新闻网",
    "发布日期：2022-03-05 浏览次数：",
    "市委书记主持会议并讲话。",
    "来源：某某日报",
    "作者：林海",
    "记者 王小明 李大伟",
    "原标题：某市召开会议",
    "责任编辑：孙明辉",
    "编辑：周晓梅",
    "版权声明：本网所有稿件未经授权不得转载。",
    "【字体：大 中 小】 打印本页 关闭窗口",
    "分享到：",
    "• 某某频道",
    "（以上由郑雅文编辑整理）",
)


def test_chrome_lines() -> None:
    text = "\n".join(CHROME_LINES)
    lines = norm(text).split("\n")
    body = {"某市召开会议", "市委书记主持会议并讲话。"}
    assert chrome_texts(text) == [line for line in lines if line not in body]


def test_chrome_brackets() -> None:
    text = (
        "本报讯（记者 王小明）3月1日，市委召开会议。"
        "会议要求落实责任。（责任编辑：孙明辉）\n"
        "[编辑：周晓梅]\n"
        "（以上由郑雅文编辑整理）"
    )
    assert chrome_texts(text) == [
        "（记者 王小明）",
        "（责任编辑：孙明辉）",
        "[编辑：周晓梅]",
        "（以上由郑雅文编辑整理）",
    ]


def test_body_parentheses_are_not_chrome() -> None:
    assert chrome_texts("各县（市、区）设分会场。记者从会上获悉，工作进展顺利。") == []


def test_find_chrome_merges_overlaps() -> None:
    spans = find_chrome("来源：某网 （记者 王小明）")
    assert spans == ((0, len("来源：某网 （记者 王小明）")),)


# --- the real seed articles ----------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles absent")
def test_seed_articles_are_clean() -> None:
    files = sorted(SEEDS.glob("*.txt"))
    assert files
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        doc = normalize(RawArticle(name=path.name, source=str(path), text=raw))
        check_offsets(doc)
        assert "會" not in doc.text and "區" not in doc.text, path.name
        assert not TONED.search(doc.text), path.name
        assert ",," not in doc.text and "，，" not in doc.text, path.name
