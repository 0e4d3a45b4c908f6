"""graph.ingest.html_text: HTML to text (the reader's tests cover it through files and jsonl)."""

from __future__ import annotations

import pytest

from graph.ingest.html_text import html_to_text


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        # blocks start and end lines, at most one blank line between them
        ("<div><p>第一段</p><p>第二段</p></div>尾", "第一段\n\n第二段\n\n尾"),
        ("一<br>二<br/>三", "一\n二\n三"),
        ("<ul><li>甲<li>乙</ul>", "甲\n\n乙"),
        # cells set off by spaces, a row a line
        ("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", "a  b\n\nc"),
        # HTML whitespace collapsed, except inside <pre>
        ("<p>a  b\n c</p><pre> x  y\n z </pre><p>q</p>", "a b c\n\nx  y\nz\n\nq"),
        ("<pre>x<br>y</pre>", "x\ny"),
        # left out: scripts, styles, navigation, comments, processing instructions
        ("<nav>首页 | 要闻</nav><p>正文</p><script>var x=1;</script><style>p{}</style>", "正文"),
        ("<p>a<!--注释-->b<?php echo 1; ?>c</p>", "abc"),
        # ruby: the characters kept, the pinyin and its brackets not
        ("<p>专题<ruby>會<rp>(</rp><rt>huì</rt><rp>)</rp></ruby>议</p>", "专题會议"),
        ("<p>专题<ruby>會<rp>(</rp><rt>hu  ì</rt><rp>)</rp></ruby>议</p>", "专题會议"),
        # text after </html> is kept (pages with trailing markup)
        ("<p>正文</p></body></html>追加 一行", "正文\n追加 一行"),
        # nesting deeper than libxml2 builds a tree for (2,048 levels): unclosed tags
        ("<div>" * 600 + "深" + "</div>" * 600, "深"),
        ("<p><font>段落" * 3000 + "<p>末段", "段落\n" * 3000 + "末段"),
        ("", ""),
        ("<!-- 只有注释 -->", ""),
    ],
)
def test_text(markup: str, text: str) -> None:
    assert html_to_text(markup)[0] == text


@pytest.mark.parametrize(
    ("markup", "title"),
    [
        ("<title> 县委  常委会 </title><h1>另一个</h1>", "县委 常委会"),
        ("<title></title><h1> <span>县委</span>  全会<script>x()</script></h1>", "县委 全会"),
        ("<h1>标题一</h1><h1>标题二</h1>", "标题一"),
        ("<h1>" + "<b>" * 5000 + "深处的标题", "深处的标题"),
        ("<p>没有标题</p>", None),
        ("", None),
    ],
)
def test_title(markup: str, title: str | None) -> None:
    assert html_to_text(markup)[1] == title


def test_title_is_not_body_text() -> None:
    text, title = html_to_text("<html><head><title>标题</title></head><body><p>正文</p></body></html>")
    assert (text, title) == ("正文", "标题")
