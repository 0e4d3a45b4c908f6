"""Tests for graph.ingest.read: fixture files are written into tmp_path at run time."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest
from helpers import SHARED

from graph.errors import InputError
from graph.ingest.read import count_articles, iter_articles
from graph.records import RawArticle, Skip, Unchanged

SIMPLIFIED = (
    "本报讯 3月5日上午，市委书记主持召开市委常委会会议，传达学习全国两会精神，"
    "研究部署我市贯彻落实工作。\n"
    "会议强调，要坚持稳中求进工作总基调，扎实推进经济社会高质量发展，"
    "确保全年目标任务圆满完成。市委副书记、市长出席会议。\n"
)
TRADITIONAL = (
    "本報訊 3月5日上午，市委書記主持召開市委常委會會議，傳達學習全國兩會精神，"
    "研究部署我市貫徹落實工作。\n"
    "會議強調，要堅持穩中求進工作總基調，紮實推進經濟社會高質量發展，"
    "確保全年目標任務圓滿完成。市委副書記、市長出席會議。\n"
)
SECOND = (
    "本报讯 县政府召开常务会议，听取全县防汛抗旱工作情况汇报，研究部署下一阶段重点任务。"
    "会议要求，各乡镇各部门要压实责任，加强值班值守，切实保障人民群众生命财产安全。\n"
)
HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>市政府召开常务会议</title>
<style>p { color: red; }</style>
<script>var tracking = "统计代码不应出现";</script></head>
<body>
<nav><a href="/">首页</a> <a href="/news">新闻中心</a></nav>
<h1>市政府召开常务会议</h1>
<div class="content">
  <p>本报讯 市政府召开常务会议，研究部署
  安全生产工作。</p>
  <p>会议强调，要压实各方责任，<br>深入开展隐患排查整治，坚决遏制重特大事故发生。</p>
  <!-- 编辑注释 -->
  <ul><li>加强组织领导</li><li>强化督促检查</li></ul>
</div>
<noscript>请启用脚本</noscript>
</body></html>
"""
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"

XWLB = SHARED / "corpus" / "xwlb" / "xwlb.jsonl.gz"
SEEDS = SHARED / "seeds"


# --- fixture helpers ----------------------------------------------------------


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to folder/name (making folders) and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def jsonl_lines(*items: object) -> bytes:
    """JSON lines from objects; str items are written verbatim (for bad lines)."""
    lines = [i if isinstance(i, str) else json.dumps(i, ensure_ascii=False) for i in items]
    return ("\n".join(lines) + "\n").encode("utf-8")


def truncated_utf8(text: str) -> tuple[bytes, str]:
    """UTF-8 bytes of `text` cut one byte into its last 3-byte character."""
    data = text.encode("utf-8")
    cut = len(data) - 2  # the text ends in a 3-byte "。"; keep only its first byte
    assert text.endswith("。")
    return data[:cut], text[:-1]


def make_folder(root: Path) -> Path:
    """The mixed folder of the brief, with files that must be passed over."""
    folder = root / "articles"
    write(folder, "a_good.txt", SIMPLIFIED.encode("utf-8"))
    write(folder, "b_bom.txt", b"\xef\xbb\xbf" + SECOND.encode("utf-8"))
    write(folder, "c_empty.txt", b"")
    write(folder, "d_image.txt", PNG_HEADER + b"\x00" * 64)
    write(folder, "e_gbk.txt", SIMPLIFIED.encode("gbk"))
    write(folder, "f_big5.txt", TRADITIONAL.encode("big5"))
    write(folder, "g_cut.txt", truncated_utf8(SIMPLIFIED.rstrip("\n"))[0])
    write(folder, "h_page.html", HTML_PAGE.encode("utf-8"))
    write(folder, "README.md", "# 说明\n".encode())
    write(folder, "SOURCES.tsv", b"name\turl\n")
    write(folder, ".hidden.txt", SIMPLIFIED.encode("utf-8"))
    write(folder, ".cache/inside.txt", SIMPLIFIED.encode("utf-8"))
    return folder


def by_name(records: list[RawArticle | Skip]) -> dict[str, RawArticle | Skip]:
    return {r.name if isinstance(r, RawArticle) else Path(r.source).name: r for r in records}


def article_names(records: list[RawArticle | Skip]) -> list[str]:
    """Names of the records, which must all be articles."""
    assert all(isinstance(r, RawArticle) for r in records), records
    return [r.name for r in records if isinstance(r, RawArticle)]


def only_article(path: Path) -> RawArticle:
    records = list(iter_articles([path]))
    assert len(records) == 1
    record = records[0]
    assert isinstance(record, RawArticle), record
    return record


def only_skip(path: Path) -> Skip:
    records = list(iter_articles([path]))
    assert len(records) == 1
    record = records[0]
    assert isinstance(record, Skip), record
    return record


# --- folders ------------------------------------------------------------------


def test_folder_yields_articles_and_one_skip_per_bad_file(tmp_path: Path) -> None:
    records = list(iter_articles([make_folder(tmp_path)]))
    articles = [r.name for r in records if isinstance(r, RawArticle)]
    assert articles == [
        "a_good.txt",
        "b_bom.txt",
        "e_gbk.txt",
        "f_big5.txt",
        "g_cut.txt",
        "h_page.html",
    ]
    skips = {Path(r.source).name: r.reason for r in records if isinstance(r, Skip)}
    assert skips == {"c_empty.txt": "empty", "d_image.txt": "binary"}
    assert len(records) == 8


def test_folder_records_use_base_name_and_full_source(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    record = by_name(list(iter_articles([str(folder)])))["a_good.txt"]
    assert isinstance(record, RawArticle)
    assert record.source == str(folder / "a_good.txt")
    assert record.text == SIMPLIFIED
    assert (record.encoding, record.title, record.date, record.url) == (
        "utf-8",
        None,
        None,
        None,
    )


def test_order_follows_paths_then_sorted_recursive_walk(tmp_path: Path) -> None:
    write(tmp_path, "z/b.txt", SECOND.encode())
    write(tmp_path, "z/a/2.txt", SECOND.encode())
    write(tmp_path, "z/a/1.txt", SECOND.encode())
    write(tmp_path, "z/c.htm", f"<p>{SECOND}</p>".encode())
    write(tmp_path, "first.txt", SIMPLIFIED.encode())
    records = list(iter_articles([tmp_path / "z", tmp_path / "first.txt"]))
    assert article_names(records) == ["1.txt", "2.txt", "b.txt", "c.htm", "first.txt"]


def test_explicit_hidden_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, ".draft.txt", SIMPLIFIED.encode())
    assert only_article(path).name == ".draft.txt"


def test_is_lazy_iterator(tmp_path: Path) -> None:
    path = write(tmp_path, "x.jsonl", jsonl_lines({"text": SIMPLIFIED}, {"text": SECOND}))
    records = iter_articles([path])
    assert isinstance(records, Iterator)
    first = next(records)
    assert isinstance(first, RawArticle) and first.name == "x.jsonl#1"


# --- bad paths ----------------------------------------------------------------


def test_missing_path_raises_at_call(tmp_path: Path) -> None:
    good = write(tmp_path, "ok.txt", SIMPLIFIED.encode())
    missing = tmp_path / "nowhere" / "gone.txt"
    with pytest.raises(InputError) as info:
        iter_articles([good, missing])
    assert str(missing) in str(info.value)
    assert "no such file or folder" in str(info.value)


@pytest.mark.parametrize("name, shown", [("notes.md", "'.md'"), ("LICENSE", "without")])
def test_named_file_with_other_extension_raises(tmp_path: Path, name: str, shown: str) -> None:
    path = write(tmp_path, name, SIMPLIFIED.encode())
    with pytest.raises(InputError) as info:
        iter_articles([path])
    message = str(info.value)
    assert str(path) in message and shown in message
    for suffix in (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz"):
        assert suffix in message


def test_single_string_path_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "one.txt", SIMPLIFIED.encode())
    assert article_names(list(iter_articles(str(path)))) == ["one.txt"]


# --- encodings ----------------------------------------------------------------


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    record = only_article(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SECOND.encode()))
    assert record.encoding == "utf-8-sig"
    assert record.text == SECOND


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_boms(tmp_path: Path, codec: str) -> None:
    data = SIMPLIFIED.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    record = only_article(write(tmp_path, "wide.txt", data))
    assert record.text == SIMPLIFIED
    assert record.encoding.startswith("utf-")


def test_gbk_round_trip(tmp_path: Path) -> None:
    record = only_article(write(tmp_path, "gbk.txt", SIMPLIFIED.encode("gbk")))
    assert record.encoding == "gb18030"
    assert record.text == SIMPLIFIED
    assert "市委书记主持召开市委常委会会议" in record.text


def test_big5_round_trip_stays_traditional(tmp_path: Path) -> None:
    record = only_article(write(tmp_path, "big5.txt", TRADITIONAL.encode("big5")))
    assert record.encoding in ("big5", "cp950", "big5hkscs")
    assert record.text == TRADITIONAL
    assert "市委書記主持召開市委常委會會議" in record.text
    assert "书记" not in record.text


def test_short_big5_article_still_detected(tmp_path: Path) -> None:
    text = "縣政府召開常務會議，研究部署防汛救災工作，要求各部門加強值班值守。"
    record = only_article(write(tmp_path, "short.txt", text.encode("big5")))
    assert record.text == text


def test_truncated_utf8_is_kept(tmp_path: Path) -> None:
    data, expected = truncated_utf8(SECOND.rstrip("\n"))
    record = only_article(write(tmp_path, "cut.txt", data))
    assert record.encoding == "utf-8 (truncated)"
    assert record.text == expected


def test_crlf_becomes_newline(tmp_path: Path) -> None:
    data = SIMPLIFIED.replace("\n", "\r\n").encode()
    assert only_article(write(tmp_path, "dos.txt", data)).text == SIMPLIFIED


# --- unusable files -----------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b" \n\t\r\n", "empty"),
        ("\u3000\n\u3000\n".encode(), "empty"),
        (PNG_HEADER + b"\x00" * 64, "binary"),
        (bytes(range(1, 9)) * 40, "binary"),
        (b"abc \xff\xfe\xff " * 40, "undecodable"),
        ("会议简讯：今天开会。".encode(), "not-an-article"),
        (b"The city council met on Monday to discuss the budget.\n", "not-an-article"),
    ],
)
def test_unusable_file_gives_one_skip(tmp_path: Path, data: bytes, reason: str) -> None:
    skip = only_skip(write(tmp_path, "bad.txt", data))
    assert skip.reason == reason
    assert skip.source == str(tmp_path / "bad.txt")


def test_latin1_text_is_undecodable_or_not_an_article(tmp_path: Path) -> None:
    text = "Le conseil municipal s'est réuni à la mairie pour étudier le budget."
    skip = only_skip(write(tmp_path, "fr.txt", text.encode("latin-1")))
    assert skip.reason in ("undecodable", "not-an-article")


def test_dangling_symlink_in_folder_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "lost.txt").symlink_to(tmp_path / "missing.txt")
    skip = only_skip(folder)
    assert skip.reason == "unreadable"
    assert skip.detail == os.strerror(2)  # "No such file or directory"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", SIMPLIFIED.encode())
    path.chmod(0)
    try:
        skip = only_skip(path)
    finally:
        path.chmod(0o644)
    assert skip.reason == "unreadable" and "ermission" in skip.detail


# --- HTML -------------------------------------------------------------------


def test_html_text_title_and_structure(tmp_path: Path) -> None:
    record = only_article(write(tmp_path, "page.html", HTML_PAGE.encode()))
    assert record.title == "市政府召开常务会议"
    text = record.text
    for gone in ("统计代码", "color", "首页", "新闻中心", "请启用脚本", "编辑注释"):
        assert gone not in text
    lines = text.split("\n")
    assert "本报讯 市政府召开常务会议，研究部署 安全生产工作。" in lines
    assert "会议强调，要压实各方责任，" in lines
    assert "深入开展隐患排查整治，坚决遏制重特大事故发生。" in lines
    assert "加强组织领导" in lines and "强化督促检查" in lines
    assert "\n\n\n" not in text and text == text.strip()


def test_html_title_falls_back_to_h1(tmp_path: Path) -> None:
    page = f"<html><body><h1>县委召开全会</h1><p>{SECOND}</p></body></html>"
    record = only_article(write(tmp_path, "h1.htm", page.encode()))
    assert record.title == "县委召开全会"


def test_html_meta_charset_used_when_not_utf8(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="gb2312"></head><body><p>{SIMPLIFIED}</p></body></html>'
    record = only_article(write(tmp_path, "gb.html", page.encode("gbk")))
    assert record.encoding == "gb18030"
    assert "市委书记主持召开" in record.text


def test_html_meta_charset_ignored_for_valid_utf8(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="big5"></head><body><p>{SIMPLIFIED}</p></body></html>'
    record = only_article(write(tmp_path, "u.html", page.encode("utf-8")))
    assert record.encoding == "utf-8"
    assert "市委书记主持召开" in record.text


def test_html_with_markup_only_is_empty(tmp_path: Path) -> None:
    page = b"<html><head><script>var x = 1;</script></head><body><div> </div></body></html>"
    assert only_skip(write(tmp_path, "blank.html", page)).reason == "empty"


# --- what an incremental build needs ------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_articles_carry_the_digest_of_the_bytes_read(tmp_path: Path) -> None:
    gbk = SIMPLIFIED.encode("gbk")
    line = json.dumps({"id": "x", "text": SECOND}, ensure_ascii=False).encode("utf-8")
    write(tmp_path, "a.txt", gbk)
    write(tmp_path, "b.jsonl", line + b"\r\n")
    records = list(iter_articles([tmp_path]))
    assert [(r.name, r.input_digest) for r in records if isinstance(r, RawArticle)] == [
        ("a.txt", sha256(gbk)),
        ("b.jsonl#1", sha256(line)),  # the line without its line end
    ]


def test_unchanged_inputs_are_named_and_not_decoded(tmp_path: Path) -> None:
    page = HTML_PAGE.encode("utf-8")
    one = json.dumps({"text": SIMPLIFIED}, ensure_ascii=False).encode("utf-8")
    two = json.dumps({"html": HTML_PAGE}, ensure_ascii=False).encode("utf-8")
    write(tmp_path, "a.txt", SIMPLIFIED.encode("utf-8"))
    write(tmp_path, "b.html", page)
    write(tmp_path, "c.jsonl", one + b"\n\n" + two)  # a blank line, and no line end at the end
    asked: list[tuple[str, str]] = []

    def unchanged(name: str, digest: str) -> bool:
        asked.append((name, digest))
        return name in ("b.html", "c.jsonl#3")

    records = list(iter_articles([tmp_path], unchanged=unchanged))
    assert asked == [
        ("a.txt", sha256(SIMPLIFIED.encode("utf-8"))),
        ("b.html", sha256(page)),
        ("c.jsonl#1", sha256(one)),
        ("c.jsonl#3", sha256(two)),
    ]
    assert records[1] == Unchanged("b.html", str(tmp_path / "b.html"))
    assert records[3] == Unchanged("c.jsonl#3", f"{tmp_path / 'c.jsonl'}:3")
    assert [r.name for r in records if isinstance(r, RawArticle)] == ["a.txt", "c.jsonl#1"]


# --- JSON lines ---------------------------------------------------------------


def test_jsonl_good_bad_and_textless_lines(tmp_path: Path) -> None:
    good = {
        "id": "0001",
        "title": "市委常委会召开会议",
        "date": "2024-03-05",
        "url": "https://example.org/1",
        "text": SIMPLIFIED,
    }
    path = write(
        tmp_path,
        "news.jsonl",
        jsonl_lines(good, "", '{"title": "broken', {"title": "无正文", "url": ""}, [1, 2]),
    )
    records = list(iter_articles([path]))
    assert len(records) == 4  # the blank line 2 gives nothing
    article, broken, textless, array = records
    assert isinstance(article, RawArticle)
    assert (article.name, article.source) == ("news.jsonl#1", f"{path}:1")
    assert (article.title, article.date, article.url) == (
        "市委常委会召开会议",
        "2024-03-05",
        "https://example.org/1",
    )
    assert article.text == SIMPLIFIED  # the title is not prepended
    assert isinstance(broken, Skip) and (broken.source, broken.reason) == (
        f"{path}:3",
        "bad-json",
    )
    assert "line 1" in broken.detail  # the json module's own message
    assert isinstance(textless, Skip) and (textless.source, textless.reason) == (
        f"{path}:4",
        "no-text",
    )
    assert isinstance(array, Skip) and array.reason == "bad-json"


def test_jsonl_html_field_and_metadata_cleanup(tmp_path: Path) -> None:
    item = {
        "title": "undefined",
        "date": "2024-03-05T08:00:00",
        "url": "",
        "html": "<p><strong>本报消息</strong>（记者）：" + SECOND + "</p><p>第二段。</p>",
    }
    record = only_article(write(tmp_path, "h.jsonl", jsonl_lines(item)))
    assert (record.title, record.date, record.url) == (None, "2024-03-05", None)
    assert record.text.startswith("本报消息（记者）：本报讯 县政府召开常务会议")
    assert record.text.endswith("\n\n第二段。")


def test_jsonl_gz(tmp_path: Path) -> None:
    data = gzip.compress(jsonl_lines({"text": SECOND}, {"text": SIMPLIFIED, "title": "会议"}))
    path = write(tmp_path, "xwlb.jsonl.gz", data)
    records = list(iter_articles([path]))
    assert [r.name for r in records if isinstance(r, RawArticle)] == [
        "xwlb.jsonl.gz#1",
        "xwlb.jsonl.gz#2",
    ]
    assert records[1].source == f"{path}:2"


def test_corrupt_gz_gives_one_unreadable_skip(tmp_path: Path) -> None:
    lines = [{"text": SECOND + str(i)} for i in range(200)]
    data = gzip.compress(jsonl_lines(*lines))
    path = write(tmp_path, "cut.jsonl.gz", data[: len(data) // 2])
    records = list(iter_articles([path]))
    skips = [r for r in records if isinstance(r, Skip)]
    assert len(skips) == 1 and skips[0] is records[-1]
    assert (skips[0].source, skips[0].reason) == (str(path), "unreadable")


def test_jsonl_line_that_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.jsonl", b'{"text": "' + SECOND.strip().encode("gbk") + b'"}\n')
    skip = only_skip(path)
    assert (skip.source, skip.reason) == (f"{path}:1", "undecodable")


# --- the shared corpus --------------------------------------------------------


def han_count(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


@pytest.mark.skipif(not XWLB.exists(), reason="xwlb corpus not present")
def test_real_corpus_first_50_lines() -> None:
    records = list(islice(iter_articles([XWLB]), 50))
    with gzip.open(XWLB, "rt", encoding="utf-8") as fh:
        raw = [json.loads(line) for line in islice(fh, 50)]
    assert [r.name if isinstance(r, RawArticle) else r.source for r in records][:2] == [
        "xwlb.jsonl.gz#1",
        "xwlb.jsonl.gz#2",
    ]
    for number, (record, item) in enumerate(zip(records, raw, strict=True), start=1):
        if isinstance(record, Skip):  # only items with no real body may be skipped
            assert record.source == f"{XWLB}:{number}"
            assert record.reason in ("empty", "not-an-article")
            assert han_count(item["html"]) < 20
        else:
            assert record.name == f"xwlb.jsonl.gz#{number}"
            assert record.date == item["date"] and record.encoding == "utf-8"
            assert "<p>" not in record.text and han_count(record.text) >= 20
    assert sum(isinstance(r, RawArticle) for r in records) >= 45


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seed_articles_read_as_utf8() -> None:
    files = sorted(p.name for p in SEEDS.iterdir() if p.suffix == ".txt")
    records = list(iter_articles([SEEDS]))
    assert [r.name for r in records if isinstance(r, RawArticle)] == files
    assert all(isinstance(r, RawArticle) and r.encoding == "utf-8" for r in records)


def test_count_articles_counts_what_iter_articles_yields(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    text = "9月1日，长沙市召开全市疫情防控工作会议。市委书记陈志远主持会议并讲话，要求严格落实各项措施。"
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "sub" / "b.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    (folder / "notes.md").write_text(text, encoding="utf-8")  # not an article file
    lines = [json.dumps({"text": text}, ensure_ascii=False), "", "{broken", json.dumps({"text": "短"})]
    with gzip.open(folder / "c.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    items = list(iter_articles([folder]))
    assert count_articles([folder]) == len(items) == 5  # 2 files, 3 non-blank lines (2 of them skipped)
    assert sum(isinstance(i, Skip) for i in items) == 2
