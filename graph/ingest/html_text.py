"""HTML to plain text: one line per block element, the page's title apart.

    text, title = html_to_text(markup)

The markup is parsed by lxml (libxml2's forgiving HTML parser), its events read as they come:

* the content of scripts, styles, the head, navigation and embedded objects
  (DROP_TAGS) is left out, and so are comments and processing instructions (the text
  after them stays);
* ruby annotations (`<rt>`, `<rp>`: the pinyin and its brackets over the characters)
  are left out, the annotated characters kept;
* a block element (BLOCK_TAGS) starts and ends a line, `<br>` ends one, a table cell
  is set off by spaces;
* runs of HTML whitespace become one space, except inside `<pre>`;
* lines are trimmed, and at most one blank line is kept between paragraphs.

The title is the first `<title>`'s text, else the first `<h1>`'s.
"""

from __future__ import annotations

import re

from lxml import etree

DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link",
    "base", "nav", "iframe", "svg", "canvas", "object", "embed",
})  # fmt: skip
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "tr", "table", "section", "article", "header", "footer", "aside",
    "main", "blockquote", "pre", "figure", "figcaption", "address", "hr",
    "center", "form", "fieldset",
})  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
UNSEEN_TAGS = frozenset({"rt", "rp", "script", "style", "template"})  # their text is no part of a heading
_SPACE = re.compile(r"[ \t\n\r\f]+")


def html_to_text(markup: str) -> tuple[str, str | None]:
    """(text, title or first h1; None when there is neither) of an HTML document or fragment."""
    target = _Text()
    parser = etree.HTMLParser(target=target, recover=True, no_network=True)
    try:
        parser.feed(markup)
        parser.close()
    except etree.XMLSyntaxError:  # nothing to parse ("Document is empty")
        return "", None
    return _tidy_lines("".join(target.parts)), target.title()


class _Text:
    """A parser target (lxml's event interface: no tree is built, so no limit on nesting,
    which libxml2 puts at 2,048 levels for a tree, and real pages with unclosed tags
    exceed): the text as described above, and the first title's and h1's text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending: list[str] = []  # text as it comes, until the next tag, comment or end
        self.dropped = 0  # depth inside a dropped element
        self.pre = 0  # <pre> elements open
        self.ruby = 0  # <rt>/<rp> elements open
        self.unseen = 0  # UNSEEN_TAGS open (not part of a heading's text)
        self.headings: dict[str, list[str]] = {}  # "title"/"h1" -> text of the first one
        self.open_headings: dict[str, int] = {}  # the first title/h1 while open -> nesting of its name

    # -- events
    def start(self, tag: str, attrib: object) -> None:
        self._flush()
        name = tag.lower()
        self._heading_start(name)
        if name in UNSEEN_TAGS:
            self.unseen += 1
        if self.dropped or name in DROP_TAGS:
            self.dropped += 1
            return
        if name == "br":
            self.parts.append("\n")
            return
        self.pre += name == "pre"
        self.ruby += name in ("rt", "rp")
        self.parts.append(_mark(name))

    def end(self, tag: str) -> None:
        self._flush()
        name = tag.lower()
        self._heading_end(name)
        if name in UNSEEN_TAGS:
            self.unseen -= 1
        if self.dropped:
            self.dropped -= 1
            return
        if name == "br":
            return
        self.pre -= name == "pre"
        self.ruby -= name in ("rt", "rp")
        self.parts.append(_mark(name))

    def data(self, text: str) -> None:
        if not self.unseen:
            for name in self.open_headings:
                self.headings[name].append(text)
        if not self.dropped and not self.ruby:
            self.pending.append(text)

    def comment(self, text: str) -> None:
        self._flush()  # the text before a comment and after it are collapsed apart

    def pi(self, target: str, data: str | None = None) -> None:
        self._flush()

    def close(self) -> None:
        self._flush()

    # -- state
    def _flush(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.parts.append(text if self.pre else _SPACE.sub(" ", text))
            self.pending = []

    def _heading_start(self, name: str) -> None:
        if name in self.open_headings:
            self.open_headings[name] += 1
        elif name in ("title", "h1") and name not in self.headings:
            self.headings[name] = []
            self.open_headings[name] = 0

    def _heading_end(self, name: str) -> None:
        if name in self.open_headings:
            self.open_headings[name] -= 1
            if self.open_headings[name] < 0:
                del self.open_headings[name]

    def title(self) -> str | None:
        for name in ("title", "h1"):
            text = _SPACE.sub(" ", "".join(self.headings.get(name, ()))).strip()
            if text:
                return text
        return None


def _mark(name: str) -> str:
    return "\n" if name in BLOCK_TAGS else " " if name in CELL_TAGS else ""


def _tidy_lines(text: str) -> str:
    """Trim each line; keep at most one blank line between paragraphs."""
    lines: list[str] = []
    blank = False
    for line in text.split("\n"):
        line = line.rstrip().lstrip(" \t")
        if not line.strip():
            blank = bool(lines)
            continue
        if blank:
            lines.append("")
            blank = False
        lines.append(line)
    return "\n".join(lines)
