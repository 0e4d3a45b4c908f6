"""Read article files, folders and JSON-lines corpora into RawArticle records.

`iter_articles` walks the given paths in order (folders recursively, entries
sorted, hidden names and other extensions passed over) and lazily yields one
record per article: a RawArticle with decoded text, or a Skip saying why the
input cannot be used. Only a bad *path* raises (InputError); a bad *file*
never does.

Accepted inputs: .txt, .html/.htm, .jsonl and .jsonl.gz (one JSON object a
line with a `text` or `html` field, optional `id`, `url`, `date`, `title`).

Decoding: graph.ingest.decoding (byte-order mark, UTF-8, <meta charset>, then the
Chinese legacy encodings). HTML is reduced to text by
graph.ingest.html_text (lxml), one line per block element. Line ends become "\\n".
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import overload

from graph.errors import InputError
from graph.ingest import decoding
from graph.ingest.decoding import HAN_RE, Unusable
from graph.ingest.html_text import html_to_text
from graph.records import RawArticle, Skip, Unchanged

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz")
MIN_HAN = 20  # fewer Han characters than this: not-an-article

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- paths ------------------------------------------------------------------


UnchangedCheck = Callable[[str, str], bool]  # (article name, SHA-256 of its bytes) -> already have it?


@overload
def iter_articles(paths: Sequence[str | Path]) -> Iterator[RawArticle | Skip]: ...
@overload
def iter_articles(
    paths: Sequence[str | Path], *, unchanged: UnchangedCheck
) -> Iterator[RawArticle | Skip | Unchanged]: ...
def iter_articles(
    paths: Sequence[str | Path], *, unchanged: UnchangedCheck | None = None
) -> Iterator[RawArticle | Skip | Unchanged]:
    """Yield one RawArticle or Skip (or Unchanged, below) per article under `paths`, in order.

    Every path is checked before anything is read: a missing path or an
    explicitly named file of an unsupported type raises InputError.

    `unchanged(name, digest)`, when given, is asked for each input once its bytes are
    read (a file's, or a jsonl line's less its line end; digest: their SHA-256, hex):
    if it answers True, Unchanged(name) is yielded instead of decoding the input (an
    incremental build that already has the article skips the decoding and the HTML).
    """
    return _iter_checked(check_paths(paths), unchanged)


def check_paths(paths: Sequence[str | Path]) -> list[Path]:
    """`paths` as Paths, or InputError for the first that cannot be read (missing, or a
    file of an unsupported type); nothing is read."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [_check_path(p) for p in paths]


def _check_path(given: str | Path) -> Path:
    """Return `given` as a Path, or raise InputError if it cannot be read."""
    path = Path(given)
    if not path.exists():
        raise InputError(shown(str(given)), "no such file or folder")
    if path.is_dir():
        return path
    if not path.is_file():
        raise InputError(shown(str(given)), "not a regular file or folder")
    if _suffix(path) is None:
        raise InputError(shown(str(given)), _bad_suffix_message(path))
    return path


def _bad_suffix_message(path: Path) -> str:
    found = f"file type {path.suffix!r}" if path.suffix else "file without an extension"
    return f"unsupported {found}; expected one of {', '.join(SUFFIXES)}"


def _suffix(path: Path) -> str | None:
    """The accepted suffix of `path` (".jsonl.gz", ".txt", …), or None."""
    name = path.name.lower()
    return next((s for s in reversed(SUFFIXES) if name.endswith(s)), None)


def _iter_checked(paths: list[Path], unchanged: UnchangedCheck | None) -> Iterator[RawArticle | Skip | Unchanged]:
    for path in paths:
        if path.is_dir():
            for item in _walk(path, set()):
                if isinstance(item, Skip):
                    yield item
                else:
                    yield from _read_path(item, unchanged)
        else:
            yield from _read_path(path, unchanged)


def _walk(folder: Path, seen: set[str]) -> Iterator[Path | Skip]:
    """Accepted files under `folder`, sorted by name, recursively (no hidden names)."""
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Skip(shown(str(folder)), "unreadable", _os_message(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if _is_dir(entry):
            yield from _walk(path, seen)
        elif _suffix(path) and (_is_file(entry) or not path.exists()):
            yield path  # a dangling symlink is yielded so it is reported as unreadable


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def shown(text: str) -> str:
    """A file name or path as text: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) shown as escapes (\\xff); any other name is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _os_message(exc: BaseException) -> str:
    """The OS's own words for an error (strerror when there is one)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _read_path(path: Path, unchanged: UnchangedCheck | None) -> Iterator[RawArticle | Skip | Unchanged]:
    suffix = _suffix(path)
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from _read_jsonl(path, suffix == ".jsonl.gz", unchanged)
    else:
        yield _read_document(path, suffix in (".html", ".htm"), unchanged)


# --- single-article files ---------------------------------------------------


def _read_document(path: Path, html: bool, unchanged: UnchangedCheck | None = None) -> RawArticle | Skip | Unchanged:
    """Read one .txt/.html file into a RawArticle, or say why not."""
    source, name = shown(str(path)), shown(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skip(source, "unreadable", _os_message(exc), name=name)
    digest = hashlib.sha256(data).hexdigest()
    if unchanged is not None and unchanged(name, digest):
        return Unchanged(name, source)
    try:
        text, encoding, replaced = decoding.decode_counted(data, html=html)
    except Unusable as exc:
        return Skip(source, exc.reason, exc.detail)
    title = None
    if html:
        text, title = html_to_text(text)
    return _article(name, source, text, encoding, title=title, digest=digest, replaced=replaced)


def _article(
    name: str,
    source: str,
    text: str,
    encoding: str,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    digest: str | None = None,
    replaced: int = 0,
) -> RawArticle | Skip:
    """A RawArticle, unless the text is blank or has too little Chinese."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip(" \t\n\v\f\u3000\xa0\ufeff"):
        return Skip(source, "empty", "only whitespace")
    if not _has_han(text, MIN_HAN):
        return Skip(source, "not-an-article", f"{_han_count(text)} Han characters (need {MIN_HAN})")
    return RawArticle(
        name, source, text, encoding, title=title, date=date, url=url, input_digest=digest, replaced=replaced
    )


def _han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


def _has_han(text: str, n: int) -> bool:
    """At least n Han characters (stops at the n-th: an article has thousands)."""
    return sum(1 for _ in islice(HAN_RE.finditer(text), n)) >= n


# --- JSON lines -------------------------------------------------------------


def _read_jsonl(
    path: Path, gz: bool, unchanged: UnchangedCheck | None = None
) -> Iterator[RawArticle | Skip | Unchanged]:
    """One record per non-blank line, reading the file a line at a time. A file that cannot
    be read to its end (a truncated .gz, an I/O error) gives the records read so far, then a
    Skip naming the line where it ended."""
    source, file_name = shown(str(path)), shown(path.name)
    number = 0
    try:
        with _open_binary(path, gz) as lines:
            for number, raw in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                name, where = f"{file_name}#{number}", f"{source}:{number}"
                digest = hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest()  # whatever the line end
                if unchanged is not None and unchanged(name, digest):
                    yield Unchanged(name, where)
                else:
                    yield _jsonl_record(raw, name, where, digest)
    except (OSError, EOFError, zlib.error) as exc:
        where = f"ended at line {number + 1} ({number} line(s) read): " if number else ""
        yield Skip(source, "unreadable", where + _os_message(exc), name=file_name)


def _open_binary(path: Path, gz: bool) -> gzip.GzipFile | io.BufferedReader:
    return gzip.open(path, "rb") if gz else open(path, "rb")


def _jsonl_record(raw: bytes, name: str, source: str, digest: str | None = None) -> RawArticle | Skip:
    """Turn one JSON line into a RawArticle, or a Skip saying what is wrong with it."""
    replaced = 0
    try:
        line = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        lenient = decoding.replace_stray_bytes(raw)
        if lenient is None:
            return Skip(
                source,
                "undecodable",
                f"line is not UTF-8 ({exc.reason} at byte {exc.start})",
            )
        line, replaced = lenient[0].lstrip("\ufeff"), lenient[1]
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Skip(source, "bad-json", str(exc) or "nested too deeply")
    if not isinstance(obj, dict):
        return Skip(source, "bad-json", f"expected a JSON object, got {_json_type(obj)}")
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        body = text
    elif isinstance(html, str):
        body = html_to_text(html)[0]
    else:
        return Skip(source, "no-text", "no `text` or `html` string")
    return _article(
        name,
        source,
        body,
        "utf-8",
        title=_field(obj, "title"),
        date=_iso_date(_field(obj, "date")),
        url=_field(obj, "url"),
        digest=digest,
        replaced=replaced,
    )


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _field(obj: dict[str, object], key: str) -> str | None:
    """A stripped string field; None if absent, blank or a JS artefact ("undefined")."""
    value = obj.get(key)
    if isinstance(value, str) and value.strip() not in ("", "undefined", "null"):
        return value.strip()
    return None


def _iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD from a date or date-time string; None for anything else."""
    if value is None or not _ISO_DATE.match(value):
        return None
    return value[:10]


def count_articles(paths: Sequence[str | Path]) -> int:
    """How many items `iter_articles(paths)` will yield (articles and skips), counted
    cheaply for a progress bar's total: files by name, .jsonl(.gz) records by line."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    total = 0
    for given in paths:
        path = Path(given)
        files = (p for p in _walk(path, set()) if isinstance(p, Path)) if path.is_dir() else iter([path])
        for f in files:
            suffix = _suffix(f)
            if suffix in (".jsonl", ".jsonl.gz"):
                total += _count_lines(f, suffix == ".jsonl.gz")
            elif suffix is not None:
                total += 1
    return total


def _count_lines(path: Path, gz: bool) -> int:
    """Non-empty lines of a .jsonl(.gz) file, as _read_jsonl numbers them (0 if unreadable:
    the read itself reports the problem)."""
    n = 0
    try:
        with _open_binary(path, gz) as f:
            for line in f:
                n += bool(line.strip())
    except (OSError, EOFError, zlib.error):
        pass  # counted so far; reading the file reports the problem
    return n
