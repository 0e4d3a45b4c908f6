"""HTML to plain text: one line per block element, the page's title apart.

    text, title = html_to_text(markup)

The markup is parsed by lxml (libxml2's forgiving HTML parser) and its tree walked once:

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
UNSEEN_TAGS = frozenset({"rt", "rp", "script", "style", "template"})  # text not shown in a title either
_SPACE = re.compile(r"[ \t\n\r\f]+")


def html_to_text(markup: str) -> tuple[str, str | None]:
    """(text, title or first h1; None when there is neither) of an HTML document or fragment."""
    root = _parse(markup)
    if root is None:
        return "", None
    # what follows `</html>` is a second top-level element, comments and instructions siblings
    top = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    parts: list[str] = []
    for node in top:
        _walk(node, parts)
    return _tidy_lines("".join(parts)), _title(top)


def _parse(markup: str) -> etree._Element | None:
    # huge_tree: no limit on the depth of nesting (libxml2 stops at 256 levels without it)
    parser = etree.HTMLParser(recover=True, no_network=True, huge_tree=True)
    parser.feed(markup)
    try:
        return parser.close()
    except etree.XMLSyntaxError:  # nothing to parse ("Document is empty")
        return None


def _walk(root: etree._Element, out: list[str]) -> None:
    """The text of root's subtree into out, in document order (iteratively: HTML may nest
    deeper than Python recurses)."""
    # (node, inside <pre>, inside <rt>/<rp>) to open, or a str to write as it comes
    todo: list[tuple[etree._Element, bool, bool] | str] = [(root, False, False)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, pre, unseen = item
        tag = node.tag
        name = tag.lower() if isinstance(tag, str) else None
        if name is None or name in DROP_TAGS:  # a comment, a processing instruction, or dropped
            continue
        if name == "br":
            out.append("\n")
            continue
        pre = pre or name == "pre"
        unseen = unseen or name in ("rt", "rp")
        mark = "\n" if name in BLOCK_TAGS else " " if name in CELL_TAGS else ""
        out.append(mark)
        if node.text and not unseen:
            out.append(node.text if pre else _SPACE.sub(" ", node.text))
        todo.append(mark)
        for child in reversed(node):  # each child, then the text after it (in this node)
            if child.tail and not unseen:
                todo.append(child.tail if pre else _SPACE.sub(" ", child.tail))
            todo.append((child, pre, unseen))


def _title(top: list[etree._Element]) -> str | None:
    for name in ("title", "h1"):
        node = next((n for t in top for n in t.iter(name)), None)
        if node is None or any(above.tag in UNSEEN_TAGS for above in node.iterancestors()):
            continue
        text = _SPACE.sub(" ", "".join(_shown_text(node))).strip()
        if text:
            return text
    return None


def _shown_text(node: etree._Element) -> list[str]:
    """The text inside node, less comments' and scripts', styles' and ruby annotations'."""
    texts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str) and child.tag.lower() not in UNSEEN_TAGS:
            texts.extend(_shown_text(child))
        texts.append(child.tail or "")
    return texts


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
