"""Property-based fuzzing of read -> normalize -> extract (hypothesis, derandomized).

Inputs: random Unicode (Simplified, Traditional, Latin, emoji, control and
format characters), pathological punctuation (runs of ，、。；, unbalanced quotes
and brackets, 市长,,、,,), very long lines, broken HTML fragments and text built
from shuffled fragments of the genre (titles, verbs, dates, gazetteer places,
names, bylines, directives). Properties:

  * normalize() and every extractor (graph.extract.extract) never raise, and
    iter_articles never raises on a .txt/.html file, whatever its bytes;
  * Document.offsets is non-decreasing, one per character of the text, each
    an index of the original text;
  * every Statement's Evidence names the article, lies inside the text
    (0 <= start <= end <= len(doc.text)), maps to a span of the original, and
    its sentence is exactly doc.text[start:end] (officials, events, measures,
    places), or contains it (journalists: the name inside its byline segment);
    a headline that does not occur in the text (an HTML <title>, a jsonl `title`)
    gets an empty span and an empty sentence.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from graph.extract import EXTRACTORS, extract
from graph.gazetteer import gazetteer
from graph.ingest.normalize import normalize
from graph.ingest.read import iter_articles
from graph.records import (
    ArticleInfo,
    Directive,
    Document,
    EventFound,
    Extraction,
    Follows,
    Journalist,
    Mandate,
    PlaceNamed,
    PostHeld,
    RawArticle,
    Role,
    Skip,
)

REPO = Path(__file__).resolve().parent.parent
PLACE_LINE_CUT = 300  # graph/extract/places.py _line keeps this much of the line

SLOW_OK = (HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example)
FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=False, suppress_health_check=SLOW_OK)

# --- fragments of the genre ------------------------------------------------------

TITLES = (
    "市委书记", "市长", "副市长", "市委副书记、市长", "县长", "县委书记", "区委书记", "区长", "省委书记",
    "省长", "副省长", "县委常委、常务副县长", "市委常委、秘书长", "镇党委书记", "市政协主席", "市人大常委会主任",
    "州长", "旗长", "代县长", "市委常委、宣传部部长", "市领导", "市级领导", "四大班子领导",
)  # fmt: skip
VERBS = (
    "主持", "出席", "召开", "调研", "主持召开", "强调", "指出", "要求", "参加", "督导", "检查", "深入",
    "来到", "看望慰问", "陪同", "讲话", "传达", "部署", "听取", "率队", "一行", "等", "和", "与",
)  # fmt: skip
EVENTS = (
    "会议", "常委会会议", "疫情防控专题会", "常务会议", "工作推进会", "视频会议", "领导小组会议",
    "第104次疫情防控专题会暨领导小组会议", "省委常委会（扩大）会议", "防汛工作", "会议，传达学习省委常委会会议精神",
    "会议，在收听收看省委第104次疫情防控专题会后",
)  # fmt: skip
DIRECTIVES = (
    "要严格落实", "核酸检测", "隔离管控", "一是", "二要", "三是要", "加强对省外来返人员的排查",
    "坚决扛起政治责任", "从严从紧", "不得", "必须", "确保", "全面落实", "封控区", "停课", "戴口罩",
)  # fmt: skip
CHROME = (
    "来源：临汾新闻网", "责任编辑：张浩", "（记者 张 浩）", "通讯员 李明", "编辑：", "作者：王", "浏览次数：",
    "当前位置：首页 > 新闻 > 要闻", "【字体：大 中 小】", "原标题：", "2022-09-15 09:01:53", "（张浩）",
    "本报讯", "记者", "摄", "（以上由王芳编辑整理）",
)  # fmt: skip
TRADITIONAL = (
    "會議", "書記", "主持召開", "縣長", "調研", "強調", "專題會(huì)", "臨汾市", "記者 張 浩", "傳達學習",
    "疫情防控", "堅決", "閆晨曦", "廣東省", "臺灣", "澳門",
)  # fmt: skip
PUNCT = (
    "，", "、", "。", "；", "：", "，，，", "、、、", "。。", "；；；", "，、。；", "市长,,、,,", "“", "”", "「",
    "』", "《", "》", "（", "）", "(", ")", "【", "】", "[", "]", "〈", "……", "——", "!", "?", ",", ";",
    ":", "・", "·", "：：", "（（（", "））", "“”“", "\"", "'",
)  # fmt: skip
ODD = (
    "😷", "🇨🇳", "👍🏽", "\u200d", "\ufeff", "\u200b", "\u00ad", "\ufffd", "\u3000", "\xa0", "\t", "\x00",
    "\x1b", "\u2028", "\u2029", "\ue000", "\U0010fffd", "\u0301", "e\u0301", "Ａ１２", "ＣＯＶＩＤ－１９", "COVID-19",
    "huì", "(huì)", "?huì)", "(qiáng)", "<p>", "&nbsp;", "\r", "\r\n", "\ud800",
)  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超浩宇云峰希亮巍"
SEPARATORS = ("", "", "", "，", "、", "。", "\n", "\n\n\n", " ", "  ", "\r\n", "；")


@lru_cache(maxsize=1)
def place_names() -> tuple[str, ...]:
    gaz = gazetteer()
    names = {p.name for p in gaz.places.values()} | {p.short for p in gaz.places.values() if len(p.short) >= 2}
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    text = (REPO / "ontology" / "surnames.txt").read_text(encoding="utf-8")
    return tuple(sorted({w for line in text.splitlines() if not line.startswith("#") for w in line.split()}))


places = st.integers(0, 10**6).map(lambda i: place_names()[i % len(place_names())])
names = st.builds(
    lambda i, given: surnames()[i % len(surnames())] + given,
    st.integers(0, 10**4),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
)
dates = st.one_of(
    st.builds(lambda m, d: f"{m}月{d}日", st.integers(0, 13), st.integers(0, 40)),
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 31)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1990, 2030), st.integers(0, 13), st.integers(0, 32)),
    st.sampled_from(("上午", "下午", "当天", "昨天", "日前", "近日", "9月14日上午", "九月十四日")),
)
chars = st.characters(codec="utf-8", exclude_categories=("Cs",))  # any scalar value
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
mixed_chars = st.one_of(chars, cjk, cjk, st.sampled_from("會議書記縣長調研強調臨汾市長醫療機構，、。；"))
random_text = st.text(alphabet=mixed_chars, max_size=400)

fragment = st.one_of(
    st.sampled_from(TITLES),
    st.sampled_from(VERBS),
    st.sampled_from(EVENTS),
    st.sampled_from(DIRECTIVES),
    st.sampled_from(CHROME),
    st.sampled_from(TRADITIONAL),
    st.sampled_from(PUNCT),
    st.sampled_from(ODD),
    places,
    places,
    names,
    names,
    dates,
    st.text(alphabet=mixed_chars, max_size=12),
)
# a sentence of the genre, parts optional and shuffled: 9月14日，临汾市委书记张浩主持召开会议，要严格落实核酸检测。
sentence = (
    st.lists(
        st.one_of(
            st.tuples(dates, st.sampled_from(("", "，", "上午，"))).map("".join),
            st.tuples(st.one_of(places, st.just("")), st.sampled_from(TITLES), names).map("".join),
            st.tuples(st.sampled_from(VERBS), st.one_of(places, st.just("")), st.sampled_from(EVENTS)).map("".join),
            st.tuples(st.sampled_from(("会议要求，", "他强调，", "会议指出，", "")), st.sampled_from(DIRECTIVES)).map(
                "".join
            ),
            st.sampled_from(PUNCT),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda x: x,
    )
    .flatmap(st.permutations)
    .map(lambda parts: "".join(parts) + "。")
)
# the formula itself: 9月14日，临汾市委书记张浩主持召开市委常委会会议，副市长李明出席。
event_sentence = st.builds(
    lambda d, p, t, n, v, e, t2, n2, v2: f"{d}，{p}{t}{n}{v}{e}，{t2}{n2}{v2}。",
    dates,
    places,
    st.sampled_from(TITLES),
    names,
    st.sampled_from(("主持召开", "召开", "出席", "调研", "主持", "深入", "来到")),
    st.sampled_from(EVENTS),
    st.sampled_from(TITLES),
    names,
    st.sampled_from(("出席", "参加", "陪同", "讲话", "强调，要严格落实核酸检测")),
)
piece = st.tuples(st.one_of(fragment, sentence, sentence, event_sentence), st.sampled_from(SEPARATORS)).map("".join)
# a long line: a run of pieces repeated without a line break
long_line = st.builds(lambda ps, n: "".join(ps) * n, st.lists(piece, min_size=1, max_size=6), st.integers(10, 80))
genre_text = st.lists(st.one_of(piece, piece, piece, piece, long_line), max_size=80).map("".join)
any_text = st.one_of(genre_text, genre_text, random_text)

HTML_BITS = (
    "<p>", "</p>", "<div class='c'>", "</div>", "<div", "<br>", "<br/>", "<script>var a='市委书记';", "</script>",
    "<!--", "-->", "<title>", "</title>", "<h1>", "</h1>", "&nbsp;", "&#x4e00;", "&#12288;", "&amp", "&lt;p&gt;",
    "<table><tr><td>", "</td><td>", "</tr></table>", "<pre>", "</pre>", "<![CDATA[", "]]>", "<meta charset=gbk>",
    "<meta charset='big5'>", "<?xml version='1.0'?>", "<!DOCTYPE html>", "<svg><text>", "<li>", "<ul>", "</ul>",
    "<a href='/x?a=1&b=2'>", "</a>", "<style>p{}</style>", "<nav>首页 > 新闻</nav>", "<", ">", "</", "<p <p>",
    "<html><head>", "</head><body>", "</body></html>", "<noscript>", "<iframe src=x>", "<b><i></b></i>",
)  # fmt: skip
html_text = st.lists(st.one_of(st.sampled_from(HTML_BITS), piece, piece, long_line), max_size=60).map("".join)
ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-32")


# --- checks ------------------------------------------------------------------------


def check_offsets(doc: Document) -> None:
    assert len(doc.offsets) == len(doc.text)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:], strict=False)), "offsets not monotone"
    assert all(0 <= o < len(doc.original) for o in doc.offsets)
    for s, e in doc.chrome:
        assert 0 <= s <= e <= len(doc.text)


KINDS = (ArticleInfo, PlaceNamed, PostHeld, EventFound, Role, Follows, Mandate, Directive, Journalist)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def check_evidence(doc: Document, ex: Extraction) -> None:
    """Every invariant of the evidence that holds today (see the module docstring)."""
    text = doc.text
    assert ex.article == doc.name
    for st_ in ex.statements:
        ev = st_.evidence
        what = f"{type(st_).__name__} {ev.extractor} [{ev.start}:{ev.end}] {ev.sentence[:60]!r}"
        assert ev.article == doc.name, what
        assert ev.extractor in EXTRACTORS, what
        assert 0 <= ev.start <= ev.end <= len(text), what
        assert 0 <= ev.original_start <= ev.original_end <= len(doc.original), what
        span = text[ev.start : ev.end]
        if isinstance(st_, PlaceNamed):
            assert span and ev.sentence == span, what
            assert st_.place in gazetteer().places or st_.place.startswith("zone:"), what
        elif isinstance(st_, Journalist):
            assert span == st_.person, what
            assert span in ev.sentence, what
            assert ev.sentence in text, what
        elif isinstance(st_, ArticleInfo):
            assert ev.sentence in ("", st_.headline), what
            assert span == ev.sentence, what
        else:
            assert ev.sentence == span, what
        if isinstance(st_, PostHeld):
            assert st_.person in ev.sentence, what
        if isinstance(st_, EventFound):
            lo, hi = st_.span
            assert 0 <= lo <= hi <= len(text), what
        if isinstance(st_, Directive):
            assert st_.text in ev.sentence, what
        assert isinstance(st_, KINDS), what


def run_all(raw: RawArticle) -> tuple[Document, Extraction]:
    doc = normalize(raw)
    check_offsets(doc)
    ex = extract(doc)
    check_evidence(doc, ex)
    return doc, ex


def raw_of(text: str, title: str | None = None, date: str | None = None) -> RawArticle:
    return RawArticle("fuzz.txt", "fuzz.txt", text, title=title, date=date)


# --- properties --------------------------------------------------------------------


@settings(FUZZ, max_examples=120)
@given(st.one_of(random_text, genre_text, st.text(max_size=300)))
def test_normalize_total_and_offsets_monotone(text: str) -> None:
    doc = normalize(raw_of(text, title=text[:30] or None))
    check_offsets(doc)
    assert doc.original == text


@settings(FUZZ, max_examples=100)
@given(genre_text, st.one_of(st.none(), st.sampled_from(("2022-09-15", "2016-02-29", "1999-12-31"))))
def test_genre_text_extracts_with_sound_evidence(text: str, date: str | None) -> None:
    run_all(raw_of(text, date=date))


@settings(FUZZ, max_examples=100)
@given(random_text)
def test_random_unicode_extracts_with_sound_evidence(text: str) -> None:
    run_all(raw_of(text))


@settings(FUZZ, max_examples=50, suppress_health_check=(*SLOW_OK, HealthCheck.function_scoped_fixture))
@given(st.one_of(html_text, genre_text), st.sampled_from((".html", ".htm", ".txt")), st.sampled_from(ENCODINGS))
def test_files_read_and_extract(tmp_path: Path, body: str, suffix: str, encoding: str) -> None:
    for old in tmp_path.iterdir():
        old.unlink()
    path = tmp_path / f"a{suffix}"
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    path.write_bytes(body.encode(encoding, errors=errors))
    items = list(iter_articles([path]))
    assert len(items) == 1
    item = items[0]
    if isinstance(item, Skip):
        assert item.reason in ("empty", "binary", "undecodable", "not-an-article", "unreadable")
        return
    run_all(item)


MARKS = ("，", "、", "。", "；", "：", ",", "、,", "市长,,、,,", "“", "”", "（", "）", "【", "》")


@settings(FUZZ, max_examples=30)
@given(st.lists(st.sampled_from(MARKS), max_size=400))
def test_punctuation_runs(marks: list[str]) -> None:
    run_all(raw_of("市委书记张浩主持召开会议" + "".join(marks) + "县长李明出席" + "".join(reversed(marks))))


# --- once known violations, now fixed ------------------------------------------------------------------

NO_SHRINK = settings(FUZZ, phases=(Phase.explicit, Phase.generate), max_examples=20)


@NO_SHRINK
@given(places, st.integers(PLACE_LINE_CUT, 2000))
def test_place_evidence_contains_the_mention_on_long_lines(place: str, pad: int) -> None:
    sentence = "市委书记张浩在" + place + "调研。"
    doc = normalize(raw_of("一" * pad + "，" + sentence))
    found = [s for s in extract(doc).statements if isinstance(s, PlaceNamed)]
    alone = [s for s in extract(normalize(raw_of(sentence))).statements if isinstance(s, PlaceNamed)]
    assert bool(found) == bool(alone), f"{place}: found alone, not on a long line (or the reverse)"
    for s in found:
        assert doc.text[s.evidence.start : s.evidence.end] == s.evidence.sentence
        assert place in s.evidence.sentence or gazetteer().places[s.place].name in s.evidence.sentence


@NO_SHRINK
@given(st.text(alphabet=cjk, min_size=6, max_size=80), genre_text)
def test_headline_evidence_is_in_the_text(title: str, body: str) -> None:
    doc = normalize(raw_of("市委书记张浩主持召开会议。" + body, title="【标题】" + title))
    statements = extract(doc).statements
    for s in statements:
        ev = s.evidence
        assert 0 <= ev.start <= ev.end <= len(doc.text)
    infos = [s for s in statements if isinstance(s, ArticleInfo)]
    assert infos, "no ArticleInfo for an article with a headline"
    for s in infos:
        assert doc.text[s.evidence.start : s.evidence.end] == s.evidence.sentence
