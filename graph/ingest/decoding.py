"""Decoding an article's bytes: a UTF-8/16/32 byte-order mark wins; else strict UTF-8 (a
file cut in the middle of its last character is kept as "utf-8 (truncated)"; a few stray
bytes in otherwise valid UTF-8, a byte lost or flipped, are replaced by U+FFFD and counted,
"utf-8 (N bytes replaced)"); else, for
HTML, a `<meta charset>`; else charset-normalizer restricted to the Chinese legacy
encodings (GB18030 and Big5 families). A guessed decoding must be mostly printable and
contain Han characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

DETECT_CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs")
CONTROL_LIMIT = 0.3  # share of control bytes above which a file is binary
UNPRINTABLE_LIMIT = 0.05  # share of unprintable characters a decoding may have

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_UNPRINTABLE = frozenset({"Cc", "Cs", "Co", "Cn"})
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


class Unusable(Exception):
    """The bytes of one input cannot give an article."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


STRAY_SHARE = 0.001  # stray bytes replaced in UTF-8: at most this share of the bytes ...
STRAY_MIN = 16  # ... or this many, whichever is more
_REPLACED = re.compile(r"^utf-8(?:-sig)? \((\d+) bytes? replaced\)$")


def decode_counted(data: bytes, html: bool = False) -> tuple[str, str, int]:
    """decode, and how many undecodable bytes it replaced (0 but for stray bytes in UTF-8)."""
    text, encoding = decode(data, html)
    found = _REPLACED.match(encoding)
    return text, encoding, int(found.group(1)) if found else 0


def replace_stray_bytes(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with its few invalid bytes replaced by U+FFFD, and their count; None when the
    bytes are not mostly valid UTF-8 (more than STRAY_SHARE of them bad, or fewer valid
    multi-byte characters than ten times the bad bytes: text in another encoding)."""
    bad = 0
    pos = 0
    view = memoryview(data)
    while True:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as exc:
            bad += exc.end - exc.start
            pos += exc.end
            if bad > max(STRAY_MIN, STRAY_SHARE * len(data)):
                return None
    text = data.decode("utf-8", "replace")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte < 10 * bad:
        return None
    return text, bad


def decode(data: bytes, html: bool = False) -> tuple[str, str]:
    """Decode an article's bytes; return (text, encoding) or raise Unusable."""
    if not data:
        raise Unusable("empty", "0 bytes")
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return _decode_with_bom(data, mark, codec)
    _check_binary(data)
    decoded = _decode_utf8(data)
    if decoded is None and html:
        decoded = _decode_declared(data)
    if decoded is None:
        decoded = _detect(data)
    if decoded is None:
        raise Unusable("undecodable", f"not UTF-8, nor {'/'.join(DETECT_CANDIDATES)} text")
    return decoded


def _decode_with_bom(data: bytes, mark: bytes, codec: str) -> tuple[str, str]:
    if codec == "utf-8-sig":
        body = data[len(mark) :]
        decoded = _decode_utf8(body)
        if decoded is not None:
            return decoded[0], decoded[1].replace("utf-8", "utf-8-sig")
        return decode(body)  # a false mark: guess as if it were absent
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise Unusable("undecodable", f"{codec} mark, but {exc.reason}") from None
    _check_printable(text, codec)
    return text, codec


def _check_binary(data: bytes) -> None:
    """Raise Unusable("binary") for NUL bytes or too many control bytes."""
    if b"\x00" in data:
        raise Unusable("binary", "contains NUL bytes")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > CONTROL_LIMIT * len(data):
        raise Unusable("binary", f"{controls} of {len(data)} bytes are control bytes")


def _decode_utf8(data: bytes) -> tuple[str, str] | None:
    """Strict UTF-8, tolerating only a last character cut short (a truncated download)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut_short = exc.reason == "unexpected end of data" and len(data) - exc.start <= 3
        if cut_short:
            try:
                text, encoding = data[: exc.start].decode("utf-8"), "utf-8 (truncated)"
            except UnicodeDecodeError:
                cut_short = False
        if not cut_short:
            lenient = replace_stray_bytes(data)
            if lenient is None:
                return None
            text, bad = lenient
            encoding = f"utf-8 ({bad} byte{'s' if bad != 1 else ''} replaced)"
    else:
        encoding = "utf-8"
    _check_printable(text, encoding)
    return text, encoding


def _decode_declared(data: bytes) -> tuple[str, str] | None:
    """Decode with the HTML `<meta charset>`, if it names a codec that fits."""
    found = _META_CHARSET.search(data[:4096])
    if found is None:
        return None
    try:
        codec = codecs.lookup(found.group(1).decode("ascii")).name
        if codec in ("gb2312", "gbk"):
            codec = "gb18030"  # a superset of both
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    return (text, codec) if _plausible(text) else None


def _detect(data: bytes) -> tuple[str, str] | None:
    """Ask charset-normalizer, restricted to the Chinese legacy encodings."""
    matches = from_bytes(data, cp_isolation=list(DETECT_CANDIDATES), preemptive_behaviour=False)
    for match in matches:
        text = str(match)
        if _plausible(text):
            return text, match.encoding
    return None


def _unprintable_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(
        1 for ch in sample if ch == "\ufffd" or (ch not in "\t\n\v\f\r" and unicodedata.category(ch) in _UNPRINTABLE)
    )
    return bad / len(sample)


def _check_printable(text: str, encoding: str) -> None:
    """A sure decoding (mark or valid UTF-8) must still be mostly printable."""
    share = _unprintable_share(text)
    if share > UNPRINTABLE_LIMIT:
        raise Unusable("undecodable", f"{encoding} text, but {share:.0%} unprintable")


def _plausible(text: str) -> bool:
    """A guessed decoding is kept if mostly printable and with some Han characters."""
    return _unprintable_share(text) <= UNPRINTABLE_LIMIT and HAN_RE.search(text) is not None
