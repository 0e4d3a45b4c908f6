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
afterwards (graph.ingest.chrome) and reported as spans.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graph.ingest.chrome import find_chrome
from graph.ingest.t2s import t2s
from graph.records import Document, RawArticle

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
    conv = t2s()
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

_WIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_WIDTH[0x3000] = 0x20
_FULL = str.maketrans(",;:?!()", "，；：？！（）")
_PUNCT = ",;:?!，；：？！、。"
_ASCII_RUN = re.compile(rf"(?<=[{_CJK}])[{_PUNCT}]*[,;:?!][{_PUNCT}]*|[{_PUNCT}]*[,;:?!][{_PUNCT}]*(?=[{_CJK}])")
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
            if "（" in (text[j], ch) or "）" in (text[j], ch) or any(_cjk_near(text, k) for k in pair):
                out.update(k for k in pair if text[k] in "()")
    out.update(j for j in stack if text[j] == "(" and _cjk_near(text, j))
    return out


def step_width(buf: _Buf) -> _Buf:
    """Full-width letters/digits/space to ASCII; ASCII punctuation in Chinese to full width."""
    buf = _Buf(_WIDE_RUN.sub(lambda m: m.group().translate(_WIDTH), buf.text), buf.offs)  # one to one
    buf = _ascii_runs_to_full(buf)
    edits = [(i, i + 1, buf.text[i].translate(_FULL), [buf.offs[i]]) for i in sorted(_paren_positions(buf.text))]
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
