"""Run SPARQL against a built graph and format the answer.

read_query     query text, a .rq file, or the bare name of a shipped query
               (graph/queries/NAME.rq)
run_query      parse (the project's prefixes predeclared), bind variables
               through initBindings, evaluate; errors become QueryError (on a
               store: Oxigraph evaluates, the answer as an rdflib Result)
format_result  table (aligned for CJK), csv, tsv, json (SPARQL 1.1 results
               formats); ASK gives true/false, CONSTRUCT/DESCRIBE give Turtle
               (JSON-LD for json)
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier

from graph.errors import QueryError, one_line
from graph.ingest.normalize import HAN
from graph.rdf import vocab
from graph.rdf.serialize import turtle_bytes
from graph.store.source import Source
from graph.tables import PACKAGE

QUERIES_DIR = PACKAGE / "queries"
FORMATS = ("table", "csv", "tsv", "json")
TABLE_CELL_WIDTH = 80  # terminal columns a table cell may take before "…"
_HAN = re.compile(f"[{HAN}]")
_BARE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_QUERY_SUFFIXES = (".rq", ".sparql")
_PLAIN_IN_TSV = (XSD.integer, XSD.boolean)  # written bare, as Turtle allows
# prefixes for table cells, longest namespace first (govr: before a shorter match)
_BY_LENGTH = sorted(((p, str(ns)) for p, ns in vocab.PREFIXES.items()), key=lambda pn: -len(pn[1]))


def read_query(text_or_path: str) -> str:
    """The query text: read a .rq file, resolve a shipped name, or return the text."""
    candidate = text_or_path.strip()
    if candidate.endswith(_QUERY_SUFFIXES) and "\n" not in candidate:
        return _read_file(Path(candidate))
    if _BARE_NAME.match(candidate):
        return _read_file(QUERIES_DIR / f"{candidate}.rq", shipped=True)
    return text_or_path


def _read_file(path: Path, shipped: bool = False) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if shipped:
            names = ", ".join(shipped_queries()) or "none"
            raise QueryError(f"no query file {path} (shipped queries: {names})") from None
        raise QueryError(f"query file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file {path}: {one_line(exc)}") from exc


def shipped_queries() -> list[str]:
    """Names of the queries in graph/queries/, without .rq."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))


# ---------------------------------------------------------------- running


def to_term(value: object) -> Identifier:
    """A binding value as an RDF term.

    Terms pass through; '<iri>' and a known prefixed name (gov:chairs) become
    IRIs; text with a Chinese character becomes a literal tagged zh-hans, the
    form of every label and text in the graph (so `name=张三` matches
    `rdfs:label "张三"@zh-hans` exactly, which a store answers by index); other
    strings, numbers and booleans become plain literals.
    """
    if isinstance(value, Identifier):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("<") and text.endswith(">") and " " not in text:
            return URIRef(text[1:-1])
        prefix, colon, local = text.partition(":")
        if colon and prefix in vocab.PREFIXES and " " not in text:
            return vocab.PREFIXES[prefix][local]
        if _HAN.search(value):
            return Literal(value, lang=vocab.ZH)
        return Literal(value)
    return Literal(value)


def run_query(g: Source, query: str, bindings: Mapping[str, Any] | None = None) -> Result:
    """Evaluate query on g; bindings (variable name -> value) go in as initBindings
    (a store binds them with the same meaning, see GraphStore.query)."""
    if not isinstance(g, Graph):
        return g.query(query, {k.lstrip("?$"): to_term(v) for k, v in (bindings or {}).items()})
    try:
        prepared = prepareQuery(query, initNs=dict(vocab.PREFIXES))
    except Exception as exc:  # pyparsing ParseException and rdflib's own errors
        raise QueryError(f"bad SPARQL: {one_line(exc)}") from exc
    init = {k.lstrip("?$"): to_term(v) for k, v in (bindings or {}).items()}
    try:
        result = g.query(prepared, initBindings=init)
        if result.type == "SELECT":
            _ = result.bindings  # evaluate now, so errors surface here
    except Exception as exc:
        raise QueryError(f"query failed: {one_line(exc)}") from exc
    return result


# ---------------------------------------------------------------- formatting


def display_width(text: str) -> int:
    """Terminal columns of text: East Asian wide/fullwidth count 2, combining 0."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _short(term: Identifier | None) -> str:
    """A cell for the table: prefixed IRIs, bare literal text, _:bnodes."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in _BY_LENGTH:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split()) if "\n" in term or "\t" in term else str(term)


def _clip(text: str, limit: int | None) -> str:
    """text cut to at most limit terminal columns, ending in '…' when cut."""
    if limit is None or display_width(text) <= limit:
        return text
    out, width = [], 0
    for char in text:
        width += display_width(char)
        if width > limit - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _table(
    variables: Sequence[Variable],
    rows: list[list[Identifier | None]],
    max_width: int | None = None,
) -> str:
    """Aligned columns (CJK counted as two), a rule, the rows, a row count."""
    header = [str(v) for v in variables]
    cells = [[_clip(_short(t), max_width) for t in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        return "  ".join(_pad(v, w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out) + "\n"


def _csv_value(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv(variables: Sequence[Variable], rows: list[list[Identifier | None]]) -> str:
    """SPARQL 1.1 CSV results: header of names, plain values, CRLF lines."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([str(v) for v in variables])
    writer.writerows([[_csv_value(t) for t in row] for row in rows])
    return buf.getvalue()


def _tsv_value(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.datatype in _PLAIN_IN_TSV and not term.ill_typed:
            return str(term)
        return term.n3().replace("\t", "\\t")
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def _tsv(variables: Sequence[Variable], rows: list[list[Identifier | None]]) -> str:
    """SPARQL 1.1 TSV results: ?names, values in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _json(variables: Sequence[Variable], rows: list[list[Identifier | None]]) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{str(v): _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    doc = {
        "head": {"vars": [str(v) for v in variables]},
        "results": {"bindings": bindings},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_SELECT_FORMATTERS = {"csv": _csv, "tsv": _tsv, "json": _json}


def _graph_text(graph: Graph, fmt: str) -> str:
    vocab.bind_prefixes(graph)
    if fmt == "json":
        return graph.serialize(format="json-ld", indent=2, sort_keys=True) + "\n"
    return turtle_bytes(graph).decode("utf-8")


def format_result(result: Result, fmt: str = "table", *, max_width: int | None = TABLE_CELL_WIDTH) -> str:
    """result as text in fmt (table, csv, tsv, json).

    max_width clips table cells to that many terminal columns (None: never);
    the machine formats are never clipped.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": answer}) + "\n"
        return ("true" if answer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph if result.graph is not None else Graph()
        return _graph_text(graph, fmt)
    variables = list(result.vars or [])
    # like rdflib's own iteration, drop the empty row an aggregate over no match gives
    rows = [[row.get(v) for v in variables] for row in result.bindings if row]
    if fmt == "table":
        return _table(variables, rows, max_width)
    return _SELECT_FORMATTERS[fmt](variables, rows)
