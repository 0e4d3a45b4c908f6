"""N-Triples terms and lines, written as text.

The builder writes each triple as one N-Triples line; a set of lines is a graph
that is cheap to make, to deduplicate and to send between processes, and that
Oxigraph and rdflib both read. Only graph/rdf/build.py (through these helpers)
writes triples.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: object, *, lang: str | None = None, datatype: str | None = None) -> str:
    """`"value"@lang`, `"value"^^<datatype>` or `"value"` (an xsd:string)."""
    text = str(value)
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:  # rare: four scans beat translate
        text = text.translate(_ESCAPES)
    text = f'"{text}"'
    if lang:
        return f"{text}@{lang.lower()}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def line(s: str, p: str, o: str) -> str:
    """One triple; `s`, `p` and `o` are terms as `iri` and `literal` write them."""
    return f"{s} {p} {o} ."


def to_bytes(lines: Iterable[str]) -> bytes:
    """Lines in sorted order, each ending with a newline: the same set, the same bytes."""
    return _encode(sorted(lines))


def to_parts(lines: Iterable[str], shared: tuple[str, ...]) -> tuple[bytes, bytes]:
    """The lines that do not start with one of the `shared` prefixes, and those that do,
    each part as to_bytes writes it."""
    own: list[str] = []
    rest: list[str] = []
    for ln in lines:
        (rest if ln.startswith(shared) else own).append(ln)
    own.sort()
    rest.sort()
    return _encode(own), _encode(rest)


def _encode(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8", "replace") if lines else b""


def to_graph(data: bytes, graph: Graph | None = None) -> Graph:
    """N-Triples into an rdflib Graph (for the in-memory library path and tests)."""
    g = graph if graph is not None else Graph()
    if data:
        g.parse(data=data, format="nt")
    return g
