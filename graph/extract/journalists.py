"""Journalists: reporters, editors and correspondents named in bylines.

Looks only where bylines live, never in running prose:
  * bracketed segments: （记者 张浩） 本报讯（某某日报记者 杨文） [编辑：X] 〈记者X/某地报导〉
  * short lines without sentence punctuation: 责任编辑：X / 作者：X / 记者 A B
  * the tail of a line after its last sentence: ……。某某日报记者X 摄
  * credits: （以上由X编辑整理）
  * a bare name in parentheses closing the article body: ……到位。（张浩）

A role word (记者, 编辑, 责任编辑, 通讯员, 作者 …) must stand at the start of
its segment, after a non-Han character or after a known prefix (某某日报记者,
特约记者, 总编辑); it is followed by one or more 2-4 Han-char names separated
by spaces or 、, each ending at a separator, a bracket, the end, or another role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.records import Document, Evidence, Journalist

EXTRACTOR = "journalists"

# role word as written -> role recorded (longest alternatives first in the regex)
ROLES: dict[str, str] = {
    "责任编辑": "责任编辑",
    "责编": "责任编辑",
    "编辑": "编辑",
    "记者": "记者",
    "通讯员": "通讯员",
    "作者": "作者",
    "实习生": "实习生",
    "摄影": "摄影",
}


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


# role qualifiers: 特约记者, 实习记者 … (never names)
_QUALIFIERS = ("特约", "实习", "首席", "本报", "见习", "驻站")
# a role word may follow these (besides a non-Han character): 某某日报记者, 总编辑
_LEFT_OK = _words("报 网 社 台 站 讯 中心 总 责任 执行 值班") + _QUALIFIERS
# the role given to a bare name closing the article: （张浩）
BARE_ROLE = "作者"

# never names: outlets, roles, generic words
GENERIC = frozenset(
    _words(
        """本报 本台 本网 本刊 本站 新华社 新华网 人民网 央视 央视网 整理 通讯 报道 综合
    不详 佚名 匿名 来源 供稿 图片 视频 待续 全文 原文 全文完 编者 发布 网友 未知 暂无
    责任 融媒体 记者站 通讯社 编辑部 新闻 客户端 转载 审核 校对 文字 图文"""
    )
)
# words reporters are the subject of in prose (记者了解到), and outlet suffixes
_BAD_PREFIX = _words("了解 获悉 采访 看到 发现 注意 走访 来到 深入 从 在 随 跟 对 就 与 据")
_BAD_SUFFIX = _words("日报 晚报 新闻 中心 电视 网站 报社 融媒 频道 部门 政府")
_BAD_CHARS = frozenset("的了是们这那个我你他她")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ROLE_ALT = "|".join(sorted(ROLES, key=len, reverse=True))
_STOP = f"{_ROLE_ALT}|{'|'.join(_QUALIFIERS)}|报道|整理|摄|等"
_NAME = f"(?:(?!{_STOP})[{HAN}]){{2,4}}(?=[\\s、）)】\\]〉/｜|]|$|{_STOP})"
_NAMES = f"(?P<names>{_NAME}(?:[\\s、]+{_NAME})*)"

_ROLE_NAMES = re.compile(f"(?P<role>{_ROLE_ALT})[：:\\s]*{_NAMES}")
_ONE_NAME = re.compile(_NAME)
_BRACKET = re.compile(r"[（(【\[〈][^（()）【】\[\]〈〉\n]{1,80}[）)】\]〉]")
_SENTENCE_END = re.compile(r"[。！？!?]")
_COMPILED_BY = re.compile(f"以上(?:内容)?由\\s*{_NAMES}\\s*(?:编辑)?整理")
_BARE_END = re.compile(f"(?:^|(?<=[。！？”」』]))[（(]{_NAMES}[）)]$")

_MAX_LINE = 80  # longer lines are prose, except their tail
_MAX_TAIL = 40


@dataclass(frozen=True)
class _Segment:
    start: int  # offset of `text` in the document
    text: str


def _lines(text: str) -> Iterator[_Segment]:
    pos = 0
    for line in text.split("\n"):
        yield _Segment(pos, line)
        pos += len(line) + 1


def _segments(text: str) -> Iterator[_Segment]:
    """Byline-shaped pieces of the text: short lines, line tails, brackets."""
    for line in _lines(text):
        if not line.text.strip():
            continue
        ends = list(_SENTENCE_END.finditer(line.text))
        if not ends and len(line.text) <= _MAX_LINE:
            yield line
        elif ends:
            cut = ends[-1].end()
            tail = line.text[cut:]
            if tail.strip() and len(tail) <= _MAX_TAIL:
                yield _Segment(line.start + cut, tail)
        for m in _BRACKET.finditer(line.text):
            yield _Segment(line.start + m.start(), m.group())


def is_name(name: str) -> bool:
    """A plausible personal name (2-4 Han chars, not a generic word)."""
    return (
        2 <= len(name) <= 4
        and name not in GENERIC
        and not name.startswith(_BAD_PREFIX)
        and not name.endswith(_BAD_SUFFIX)
        and _BAD_CHARS.isdisjoint(name)
    )


def _role_at(seg: str, pos: int) -> bool:
    """Does a role word at `pos` stand where a byline role can stand?"""
    if pos == 0 or not re.match(f"[{HAN}]", seg[pos - 1]):
        return True
    return seg[:pos].endswith(_LEFT_OK)


def _names(m: re.Match[str], base: int) -> Iterator[tuple[str, int]]:
    """(name, document offset) for every name in the `names` group of m."""
    group_start = m.start("names")
    for n in _ONE_NAME.finditer(m.group("names")):
        if is_name(n.group()):
            yield n.group(), base + group_start + n.start()


_Found = tuple[int, str, str, _Segment]  # (offset, name, role, segment)


def _from_segment(seg: _Segment) -> Iterator[_Found]:
    for m in _ROLE_NAMES.finditer(seg.text):
        if _role_at(seg.text, m.start("role")):
            role = ROLES[m.group("role")]
            for name, pos in _names(m, seg.start):
                yield pos, name, role, seg


def _compiled_by(doc: Document) -> Iterator[_Found]:
    """（以上由X编辑整理） credits the editor who compiled the article."""
    for line in _lines(doc.text):
        for m in _COMPILED_BY.finditer(line.text):
            for name, pos in _names(m, line.start):
                yield pos, name, "编辑", line


def _body_end(doc: Document) -> _Segment | None:
    """The last non-empty line of the body (lines wholly in chrome skipped)."""
    for line in reversed(list(_lines(doc.text))):
        stripped = line.text.rstrip()
        if not stripped:
            continue
        end = line.start + len(stripped)
        if any(s <= line.start and end <= e for s, e in doc.chrome):
            continue
        return _Segment(line.start, stripped)
    return None


def _bare_name(doc: Document) -> Iterator[_Found]:
    """……到位。（张浩） closing the body names its writer."""
    line = _body_end(doc)
    if line is None:
        return
    m = _BARE_END.search(line.text)
    if m:
        bracket = _Segment(line.start + m.start(), m.group())
        for name, pos in _names(m, line.start):
            yield pos, name, BARE_ROLE, bracket


def extract_journalists(doc: Document) -> list[Journalist]:
    """Journalists named in the article's bylines, in text order, no duplicates."""
    found: list[_Found] = []
    for seg in _segments(doc.text):
        found.extend(_from_segment(seg))
    found.extend(_compiled_by(doc))
    found.extend(_bare_name(doc))
    found.sort(key=lambda f: f[0])
    out: list[Journalist] = []
    seen: set[tuple[str, str]] = set()
    for pos, name, role, seg in found:
        if (name, role) in seen:
            continue
        seen.add((name, role))
        ev = Evidence(doc.name, pos, pos + len(name), seg.text, EXTRACTOR)
        out.append(Journalist(evidence=ev, person=name, role=role))
    return out
