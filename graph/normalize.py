"""RawArticle -> Document: clean Simplified text with a map back to the original.

The text is carried through a sequence of small steps as a `_Buf`: the current
string plus, for every character, the index in the original text it came from
(the vectorised form of a list of (char, original_index) pairs). Each step finds
the few places to change with a regex and splices them, so offsets survive every
step and no step does per-character Python work over the whole text.

Steps, in order:
  1. line endings to \\n; drop U+FFFD, zero-width/format, control, private-use
     characters and lone surrogates;
  2. drop pinyin glued to a Han character: 會(huì) -> 會;
  3. Traditional -> Simplified with OpenCC 't2s', line by line;
  4. full-width letters/digits/space to ASCII; ASCII , ; : ? ! ( ) next to
     Chinese text to full width;
  5. runs of doubled punctuation (，、。；：) collapse to the strongest one;
  6. whitespace padded inside names or next to Chinese punctuation removed,
     runs of spaces made one, lines stripped, blank lines collapsed.

Page chrome (source, byline, editor, copyright, navigation lines) is located
afterwards with the `CHROME` table below and reported as spans.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from graph.records import Document, RawArticle

if TYPE_CHECKING:
    from graph.extract.screen import LiteralIndex

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
CHROME: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.MULTILINE) for p in _CHROME_PATTERNS
)

# --- character classes ------------------------------------------------------

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Han plus CJK punctuation, brackets and quotes: "Chinese text" for step 4
_CJK = HAN + "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—"
_HSPACE = " \t\u00a0\u3000"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = f"[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*"

_HAN_RE = re.compile(f"[{HAN}]")


def _is_han(ch: str) -> bool:
    return _HAN_RE.match(ch) is not None


# --- the buffer -------------------------------------------------------------


@dataclass
class _Buf:
    """Text plus, per character, its index in the original text."""

    text: str
    offs: list[int]


# (start, end, replacement, offsets of the replacement characters)
_Edit = tuple[int, int, str, list[int]]


def _splice(buf: _Buf, edits: Iterable[_Edit]) -> _Buf:
    """Apply sorted, non-overlapping edits to the buffer."""
    parts: list[str] = []
    offs: list[int] = []
    pos = 0
    changed = False
    for start, end, repl, repl_offs in edits:
        changed = True
        parts.append(buf.text[pos:start])
        offs += buf.offs[pos:start]
        parts.append(repl)
        offs += repl_offs
        pos = end
    if not changed:
        return buf
    parts.append(buf.text[pos:])
    offs += buf.offs[pos:]
    return _Buf("".join(parts), offs)


def _sub(
    buf: _Buf,
    pattern: re.Pattern[str],
    fn: Callable[[re.Match[str], _Buf], _Edit | None],
    need: re.Pattern[str] | None = None,
) -> _Buf:
    """Splice the edit `fn` returns for each match of `pattern` (None: keep).

    `need` finds something every match of `pattern` holds (a character of a class):
    where it finds nothing, the pattern is not run (regexes starting with a lookbehind
    or an anchor are slow to scan; one character class is fast)."""
    if need is not None and need.search(buf.text) is None:
        return buf
    edits = (fn(m, buf) for m in pattern.finditer(buf.text))
    return _splice(buf, (e for e in edits if e is not None))


def _delete(m: re.Match[str], _buf: _Buf) -> _Edit:
    return (m.start(), m.end(), "", [])


def _keep_first(n: int) -> Callable[[re.Match[str], _Buf], _Edit]:
    """Replace a match by its first n characters."""

    def fn(m: re.Match[str], buf: _Buf) -> _Edit:
        s = m.start()
        return (s, m.end(), m.group()[:n], buf.offs[s : s + n])

    return fn


# --- step 1: line endings and junk characters -------------------------------

_JUNK = (
    "\ufffd\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\ue000-\uf8ff\U000f0000-\U0010ffff\U000e0000-\U000e007f"
    "\ud800-\udfff"
)
_STEP1 = re.compile(f"\r\n|[\r\u2028\u2029]|[{_JUNK}]+")
_STEP1_NEED = re.compile(f"[\r\u2028\u2029{_JUNK}]")


def _fix_char(m: re.Match[str], buf: _Buf) -> _Edit:
    s, g = m.start(), m.group()
    if g == "\r\n":
        return (s, m.end(), "\n", [buf.offs[s + 1]])
    if g in "\r\u2028\u2029":
        return (s, m.end(), "\n", [buf.offs[s]])
    return (s, m.end(), "", [])


def step_clean_chars(buf: _Buf) -> _Buf:
    """Line endings to \\n; remove U+FFFD, zero-width, control and private-use chars."""
    return _sub(buf, _STEP1, _fix_char, _STEP1_NEED)


# --- step 2: pinyin glued to Han characters -----------------------------------

_PINYIN = re.compile(
    # 會(huì) / 會（huì）; also after a Latin letter (mojibake: B(tài))
    rf"(?<=[{HAN}A-Za-z])[(（]{_SYLLABLE}[)）]"
    # mojibake fragments: ?huì) / ?(huì) (a lost Han char) and 會huì)
    rf"|\?[(（]?{_SYLLABLE}[)）]|(?<=[{HAN}]){_SYLLABLE}[)）]"
)


_PINYIN_NEED = re.compile(f"[{_TONED}]")  # every syllable has a tone mark


def step_drop_pinyin(buf: _Buf) -> _Buf:
    """Remove tone-marked pinyin in parentheses glued to a Han character."""
    return _sub(buf, _PINYIN, _delete, _PINYIN_NEED)


# --- step 3: Traditional -> Simplified ----------------------------------------


class _T2S:
    """Lazy OpenCC 't2s' converter and the set of characters it can change."""

    def __init__(self) -> None:
        from opencc import OpenCC

        self.cc = OpenCC("t2s")
        self.changeable = _changeable_chars()
        self.fast = _FastOpenCC.of(self.cc)

    def convert(self, line: str) -> str:
        if self.changeable is not None and self.changeable.isdisjoint(line):
            return line
        if self.fast is not None:
            return self.fast.convert(line)
        return str(self.cc.convert(line))


class _Dict:
    """One OpenCC dictionary, ready for matching: first values, key prefixes."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.first = {k: v.split(" ")[0] for k, v in mapping.items()}
        self.max_len = max(map(len, self.first), default=0)
        self.prefixes = {k[:n] for k in self.first for n in range(1, len(k) + 1)}
        # where a key may start, and whether any key is in a text at all
        self.starts = re.compile("[" + "".join(sorted({re.escape(k[0]) for k in self.first})) + "]")
        self.any_key = re.compile("|".join(re.escape(k) for k in sorted(self.first, key=lambda k: (-len(k), k))))
        # one-character keys only: a translation table does it
        self.table = {ord(k): v for k, v in self.first.items()} if self.max_len == 1 else None

    def split(self, text: str) -> list[tuple[str, bool]]:
        """`text` as pieces (converted, True) and (unmatched, False), the way OpenCC's parse
        tree cuts it: the longest key anywhere first (leftmost on a tie), then the same in
        what is left on either side, and so on. That is the same as taking the matches in
        the order (longest, leftmost) and keeping each that overlaps none kept before."""
        if not self.first or self.any_key.search(text) is None:
            return [(text, False)]
        n = len(text)
        found: list[tuple[int, int]] = []  # (-length, start)
        for m in self.starts.finditer(text):
            i = m.start()
            for j in range(i + 1, min(n, i + self.max_len) + 1):
                key = text[i:j]
                if key not in self.prefixes:
                    break
                if key in self.first:
                    found.append((i - j, i))
        taken = [False] * n
        kept: list[tuple[int, int]] = []
        for neg, i in sorted(found):
            j = i - neg
            if not any(taken[i:j]):
                taken[i:j] = [True] * (j - i)
                kept.append((i, j))
        kept.sort()
        out: list[tuple[str, bool]] = []
        pos = 0
        for i, j in kept:
            if i > pos:
                out.append((text[pos:i], False))
            out.append((self.first[text[i:j]], True))
            pos = j
        if pos < n:
            out.append((text[pos:], False))
        return out


class _FastOpenCC:
    """What OpenCC.convert (opencc-python-reimplemented) returns, without its parse trees,
    for a conversion of one group of dictionaries (as t2s is).

    OpenCC cuts the text at separators (spaces, punctuation) and converts each part on
    its own: each dictionary of the group converts what the ones before it left
    unmatched (`_Dict.split`). Here the whole text is converted at once with the keys
    that hold no separator (no other key can match within a part), and separators are
    left as they are: the same result."""

    def __init__(self, dicts: list[_Dict]) -> None:
        self.dicts = dicts

    @classmethod
    def of(cls, cc: object) -> _FastOpenCC | None:
        """The fast form of an OpenCC converter, or None when it is not built as expected."""
        try:
            split_re = cc.split_chars_re  # type: ignore[attr-defined]
            groups = cc._dict_chain_data  # type: ignore[attr-defined]
            if not isinstance(split_re, re.Pattern) or len(groups) != 1:
                return None
            dicts = [
                _Dict({k: v for k, v in d[2].items() if not any(split_re.fullmatch(ch) for ch in k)})
                for d in groups[0]
            ]
        except (AttributeError, TypeError, ValueError, IndexError):
            return None
        return cls(dicts) if dicts else None

    def convert(self, text: str) -> str:
        pieces = [(text, False)]
        for k, d in enumerate(self.dicts):
            last = k == len(self.dicts) - 1
            nxt: list[tuple[str, bool]] = []
            for piece, done in pieces:
                if done:
                    nxt.append((piece, done))
                elif d.table is not None and last:  # nothing after it needs to know what matched
                    nxt.append((piece.translate(d.table), True))
                else:
                    nxt.extend(d.split(piece))
            pieces = nxt
        return "".join(p for p, _ in pieces)


def _changeable_chars() -> frozenset[str] | None:
    """Characters some t2s dictionary entry changes; a line without any is kept.

    None (convert every line) if the dictionaries cannot be read.
    """
    try:
        import opencc

        folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
        chars: set[str] = set()
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for line in f:
                    key, _, value = line.rstrip("\n").partition("\t")
                    first = value.split(" ")[0]
                    chars.update(a for a, b in zip(key, first, strict=False) if a != b)
                    if len(key) != len(first):
                        chars.update(key)
        return frozenset(chars)
    except (OSError, ImportError, ValueError):
        return None


_converter: _T2S | None = None


def _t2s() -> _T2S:
    global _converter
    if _converter is None:
        _converter = _T2S()
    return _converter


def _align(old: str, new: str, offs: list[int]) -> list[int]:
    """Offsets for `new`, a conversion of `old` whose characters sit at `offs`."""
    if len(old) == len(new):
        return offs
    if not old:
        return []
    out: list[int] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out += offs[i1:i2]
        elif tag == "replace":
            out += [offs[i1 + (j - j1) * (i2 - i1) // (j2 - j1)] for j in range(j1, j2)]
        elif tag == "insert":
            out += [offs[min(i1, len(old) - 1)]] * (j2 - j1)
    return out


def step_t2s(buf: _Buf) -> _Buf:
    """Convert Traditional to Simplified line by line, keeping offsets aligned."""
    conv = _t2s()
    edits: list[_Edit] = []
    pos = 0
    for line in buf.text.split("\n"):
        end = pos + len(line)
        new = conv.convert(line)
        if new != line:
            edits.append((pos, end, new, _align(line, new, buf.offs[pos:end])))
        pos = end + 1
    return _splice(buf, edits)


# --- step 4: full / half width ------------------------------------------------

_WIDTH = {
    c: c - 0xFEE0
    for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for c in range(r[0], r[1] + 1)
}
_WIDTH[0x3000] = 0x20
_FULL = str.maketrans(",;:?!()", "，；：？！（）")
_PUNCT = ",;:?!，；：？！、。"
_ASCII_RUN = re.compile(
    rf"(?<=[{_CJK}])[{_PUNCT}]*[,;:?!][{_PUNCT}]*|[{_PUNCT}]*[,;:?!][{_PUNCT}]*(?=[{_CJK}])"
)
# characters _WIDTH changes
_WIDE_RUN = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH)) + "]+")
_PARENS = re.compile(r"[()（）\n]")
_CJK_RE = re.compile(f"[{_CJK}]")


_ASCII_MARK = re.compile("[,;:?!]")
_PUNCT_CHARS = frozenset(_PUNCT)


def _to_full(m: re.Match[str], buf: _Buf) -> _Edit:
    s = m.start()
    return (s, m.end(), m.group().translate(_FULL), buf.offs[s : m.end()])


def _ascii_runs_to_full(buf: _Buf) -> _Buf:
    """_ASCII_RUN's matches made full width. Every match lies in a run of _PUNCT holding an
    ASCII mark, so the regex runs over those runs only (with the character after each for
    its lookahead): scanned at every character of a text, its lookbehind is slow."""
    text = buf.text
    edits: list[_Edit] = []
    done = 0
    for mark in _ASCII_MARK.finditer(text):
        if mark.start() < done:
            continue  # in the run just made
        start, end = mark.start(), mark.end()
        while start > 0 and text[start - 1] in _PUNCT_CHARS:
            start -= 1
        while end < len(text) and text[end] in _PUNCT_CHARS:
            end += 1
        edits.extend(_to_full(m, buf) for m in _ASCII_RUN.finditer(text, start, end + 1))
        done = end
    return _splice(buf, edits)


def _cjk_near(text: str, i: int) -> bool:
    """Is a Chinese character or punctuation right before or after position i?"""
    return any(0 <= j < len(text) and _CJK_RE.match(text[j]) for j in (i - 1, i + 1))


def _paren_positions(text: str) -> set[int]:
    """Positions of ASCII parentheses to make full width (pairs stay consistent)."""
    out: set[int] = set()
    stack: list[int] = []
    for m in _PARENS.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            out.update(j for j in stack if text[j] == "(" and _cjk_near(text, j))
            stack.clear()
        elif ch in "(（":
            stack.append(i)
        elif not stack:
            if ch == ")" and _cjk_near(text, i):
                out.add(i)
        else:
            j = stack.pop()
            pair = (j, i)
            if (
                "（" in (text[j], ch)
                or "）" in (text[j], ch)
                or any(_cjk_near(text, k) for k in pair)
            ):
                out.update(k for k in pair if text[k] in "()")
    out.update(j for j in stack if text[j] == "(" and _cjk_near(text, j))
    return out


def step_width(buf: _Buf) -> _Buf:
    """Full-width letters/digits/space to ASCII; ASCII punctuation in Chinese to full width."""
    buf = _Buf(_WIDE_RUN.sub(lambda m: m.group().translate(_WIDTH), buf.text), buf.offs)  # one to one
    buf = _ascii_runs_to_full(buf)
    edits = [
        (i, i + 1, buf.text[i].translate(_FULL), [buf.offs[i]])
        for i in sorted(_paren_positions(buf.text))
    ]
    return _splice(buf, edits)


# --- step 5: doubled punctuation ---------------------------------------------

_STRENGTH = "，、：；。"  # weakest to strongest
_DOUBLED = re.compile(f"[{_STRENGTH}]{{2,}}")


def _strongest(m: re.Match[str], buf: _Buf) -> _Edit:
    g = m.group()
    best = max(g, key=_STRENGTH.index)
    i = m.start() + g.index(best)
    return (m.start(), m.end(), best, [buf.offs[i]])


def step_doubled_punct(buf: _Buf) -> _Buf:
    """Collapse runs like ，、 or ，。 to the strongest mark (。 > ； > ： > 、 > ，)."""
    return _sub(buf, _DOUBLED, _strongest)


# --- step 6: whitespace -------------------------------------------------------

# These start with the space they match and look behind it afterwards ((?<=[A])[S]+ is
# written [S](?<=[A][S])[S]*): the same matches, but the regex engine can scan for the
# space instead of trying the lookbehind at every position.
_HAN_GAP = re.compile(f"[{_HSPACE}](?<=[{HAN}][{_HSPACE}])[{_HSPACE}]*(?=[{HAN}])")
_CJK_PUNCT = "，、。；：？！（）“”‘’《》【】〈〉"
_PUNCT_GAP = re.compile(
    f"[{_HSPACE}](?:(?<=[{_CJK_PUNCT}][{_HSPACE}])[{_HSPACE}]*(?=[{HAN}])"
    f"|(?<=[{HAN}][{_HSPACE}])[{_HSPACE}]*(?=[{_CJK_PUNCT}]))"
)
_EDGE_SPACE = re.compile(f"[{_HSPACE}](?:(?<=^[{_HSPACE}])[{_HSPACE}]*|[{_HSPACE}]*$)", re.MULTILINE)
_SPACE_RUN = re.compile(f"[{_HSPACE}](?:[{_HSPACE}]+|(?<=[\t\u00a0\u3000]))")
_BLANK_LINES = re.compile(r"\n{3,}")
_OUTER_NEWLINES = re.compile(r"^\n+|\n+$")
# what each of the patterns above needs in a text to match at all
_HSPACE_NEED = re.compile(f"[{_HSPACE}]")
_BLANK_NEED = re.compile(r"\n\n\n")


def _single(text: str, i: int, step: int) -> bool:
    """Is the Han run that has its edge at i (extending by step) one char long?"""
    j = i + step
    return not (0 <= j < len(text) and _is_han(text[j]))


def _gap_remover(both: bool) -> Callable[[re.Match[str], _Buf], _Edit | None]:
    def fn(m: re.Match[str], buf: _Buf) -> _Edit | None:
        left = _single(buf.text, m.start() - 1, -1)
        right = _single(buf.text, m.end(), 1)
        if (left and right) if both else (left or right):
            return (m.start(), m.end(), "", [])
        return None

    return fn


def _one_space(m: re.Match[str], buf: _Buf) -> _Edit:
    s = m.start()
    return (s, m.end(), " ", [buf.offs[s]])


def step_spaces(buf: _Buf) -> _Buf:
    """Join names padded with spaces (张 浩), strip lines, collapse blank lines."""
    # single chars on both sides first (张 浩), so 记者 张 浩 -> 记者 张浩
    buf = _sub(buf, _HAN_GAP, _gap_remover(both=True), _HSPACE_NEED)
    buf = _sub(buf, _HAN_GAP, _gap_remover(both=False), _HSPACE_NEED)
    buf = _sub(buf, _PUNCT_GAP, _delete, _HSPACE_NEED)  # 高宇、 范晓 -> 高宇、范晓
    buf = _sub(buf, _EDGE_SPACE, _delete, _HSPACE_NEED)
    buf = _sub(buf, _SPACE_RUN, _one_space, _HSPACE_NEED)
    buf = _sub(buf, _BLANK_LINES, _keep_first(2), _BLANK_NEED)
    if buf.text[:1] == "\n" or buf.text[-1:] == "\n":  # else _OUTER_NEWLINES cannot match
        buf = _sub(buf, _OUTER_NEWLINES, _delete)
    return buf


# --- pipeline -----------------------------------------------------------------

STEPS: tuple[Callable[[_Buf], _Buf], ...] = (
    step_clean_chars,
    step_drop_pinyin,
    step_t2s,
    step_width,
    step_doubled_punct,
    step_spaces,
)


def normalize_text(text: str) -> tuple[str, list[int]]:
    """Normalised text and, per character, its index in `text`."""
    buf = _Buf(text, list(range(len(text))))
    for step in STEPS:
        buf = step(buf)
    return buf.text, buf.offs


@lru_cache(maxsize=1)
def _chrome_index() -> LiteralIndex:
    """Which CHROME patterns may match a text (by the literals they need)."""
    from graph.extract.screen import LiteralIndex

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


def normalize(raw: RawArticle) -> Document:
    """Clean and simplify an article, keeping a map back to the original text."""
    text, offs = normalize_text(raw.text)
    title = normalize_text(raw.title)[0] if raw.title else raw.title
    return Document(
        name=raw.name,
        text=text,
        original=raw.text,
        offsets=tuple(offs),
        title=title,
        date=raw.date,
        url=raw.url,
        chrome=find_chrome(text),
    )
