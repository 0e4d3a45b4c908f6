"""Page chrome in normalised text: source, byline, editor, copyright and navigation lines,
found with the `CHROME` patterns and reported as spans (Document.chrome).

Which patterns may match a text is told in one pass by a LiteralIndex (an Aho-Corasick
automaton over the literals each pattern needs, graph.screen); the others are
not run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.screen import LiteralIndex

# --- page chrome ------------------------------------------------------------
# Patterns run over the normalised text, one line at a time (^ and $ are line
# ends). Every match is a chrome span.

_CHROME_PATTERNS: tuple[str, ...] = (
    # source line: 来源：… / 信息来源：… / 本文来源：…
    r"^(?:信息|新闻|本文|文章|稿件)?来源[：:].*$",
    # editor / reviewer / photographer line: 责任编辑：… 责编：… 编辑：… 摄影：…
    r"^(?:责任编辑|责编|编辑|主编|审核|校对|签发|审校|监制|终审|初审|摄影|摄像)(?:[：:\s].*)?$",
    # author line: 作者：…
    r"^作者[：:].*$",
    # byline line: [org]记者 X / 通讯员 X (short, no sentence punctuation)
    r"^[^\s。，；！？\n]{0,12}?(?:记者|通讯员|实习生)[^。，；！？\n]{0,50}$",
    # copyright / disclaimer line
    r"^(?:版权(?:声明|所有)|免责声明|(?i:copyright)|©).*$",
    # original headline: 原标题：…
    r"^原标题[：:].*$",
    # location breadcrumb intro: 当前位置：… / 您现在的位置：…
    r"^(?:当前位置|当前页面|您现在的位置|您的位置|你的位置)[：:]?.*$",
    # counters: 浏览次数： / 访问次数： / 点击数：
    r"^[^。\n]*(?:浏览|访问|点击|阅读)(?:次数|量|数)[：:][^。\n]*$",
    # page tools: 分享到 / 打印本页 / 关闭窗口 / 【字体：大 中 小】
    (
        r"^[^。\n]{0,40}(?:分享到|打印本页|打印文章|关闭窗口|【字体|字体[：:]|字号[：:]|【打印|【关闭)"
        r"[^。\n]*$"
    ),
    # breadcrumb: a line with 2+ > ＞ » › separators
    r"^(?=[^\n]*[>＞»›][^\n]*[>＞»›])[^。\n]{0,150}$",
    # dateline: 2022-09-15 09:01:53 [|] 来源：… (or a bare date line)
    (
        r"^\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
        r"(?:\s*[|｜]?\s*(?:信息来源|来源|作者|发布|浏览|访问|点击|编辑|责任编辑|字号|字体).*)?$"
    ),
    # publication line: 发布日期：… / 发稿时间：… / 时间：…
    r"^(?:发布|发稿|更新|发表)?(?:日期|时间)[：:].*$",
    # day-first dateline: 02.11.2021 09:41
    r"^\d{1,2}[./]\d{1,2}[./]\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$",
    # navigation bullet: • 某某频道
    r"^[•▪►]\s*[^。\n]{0,30}$",
    # bracketed editor/source: [编辑：…] （责任编辑：…） 【来源：…】
    (
        r"[\[【（(]\s*(?:责任编辑|责编|编辑|新闻来源|信息来源|稿件来源|来源|作者|审核|校对|转载)[：:\s]"
        r"[^\]】）)\n]{0,60}[\]】）)]"
    ),
    # bracketed byline: （记者 X）（某某日报记者 X 通讯员 Y）〈记者X/某地报导〉
    (
        r"[（(【\[〈][^（）()【】\[\]〈〉\n，。]{0,20}?(?:记者|通讯员)[^（）()【】\[\]〈〉\n，。]{0,60}"
        r"[）)】\]〉]"
    ),
    # compiler credit: （以上由X编辑整理）
    r"[（(]\s*以上(?:内容)?由[^（）()\n]{1,30}整理\s*[）)]",
    # media credit: （某某融媒体中心：X）
    (
        r"[（(][^（）()\n，。]{1,30}(?:中心|日报|晚报|电视台|新闻网|融媒体|报社)[：:]"
        r"[^（）()\n，。]{1,30}[）)]"
    ),
)
CHROME: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.MULTILINE) for p in _CHROME_PATTERNS)


@lru_cache(maxsize=1)
def _chrome_index() -> LiteralIndex:
    """Which CHROME patterns may match a text (by the literals they need)."""
    from graph.screen import LiteralIndex

    return LiteralIndex(CHROME)


def find_chrome(text: str) -> tuple[tuple[int, int], ...]:
    """Merged, sorted spans of page chrome in normalised text."""
    candidates = _chrome_index().candidates(text)
    spans = sorted(
        (m.start(), m.end())
        for i, p in enumerate(CHROME)
        if i in candidates
        for m in p.finditer(text)
        if m.end() > m.start()
    )
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)
