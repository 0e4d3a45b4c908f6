"""Validate a built graph against the SHACL shapes in ontology/shapes.ttl.

validate      run pyshacl (no inference: the shapes spell out every class they
              accept) over a graph and return a frozen ValidationResult with
              the conformance flag, the number of results, pyshacl's text
              report and the report graph
write_report  the report graph as Turtle plus a short plain-text summary beside
              it (same name, suffix .txt), both written atomically

The shapes file is parsed once per process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from graph.files import write_atomic
from graph.rdf import vocab
from graph.tables import ONTOLOGY

SHAPES_TTL = ONTOLOGY / "shapes.ttl"
SUMMARY_EXAMPLES = 3  # focus nodes listed per message in the summary


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of one validation run."""

    conforms: bool
    results: int  # the report's sh:result nodes (any severity; nested sh:detail not counted)
    text: str  # pyshacl's human-readable report
    report: Graph  # the SHACL validation report graph

    def messages(self, lang: str | None = "en") -> list[str]:
        """The sh:resultMessage texts, one per result, sorted; lang=None keeps every language."""
        out = []
        for res in top_results(self.report):
            for msg in self.report.objects(res, SH.resultMessage):
                if lang is None or (isinstance(msg, Literal) and (msg.language or "").lower() == lang.lower()):
                    out.append(str(msg))
        return sorted(out)


def top_results(report: Graph) -> list[Node]:
    """The report's own results (sh:result), not the nested sh:detail ones pyshacl adds for sh:node."""
    return sorted(set(report.objects(None, SH.result)), key=str)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """ontology/shapes.ttl, parsed once."""
    g = Graph()
    g.parse(SHAPES_TTL, format="turtle")
    return g


def validate(g: Graph) -> ValidationResult:
    """Check g against ontology/shapes.ttl (no inference, g is not modified)."""
    conforms, report, text = shacl_validate(
        g,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=False,
        abort_on_first=False,
        allow_warnings=False,
        meta_shacl=False,
    )
    if not isinstance(report, Graph):  # pyshacl returns a Graph unless asked to serialize
        raise TypeError(f"pyshacl returned a {type(report).__name__} report, expected a Graph")
    results = len(top_results(report))
    return ValidationResult(conforms=bool(conforms), results=results, text=str(text), report=report)


def summary(result: ValidationResult) -> str:
    """A short text summary: verdict, result count, then each message with its count and examples."""
    lines = [
        f"conforms: {'yes' if result.conforms else 'no'}",
        f"results: {result.results}",
    ]
    rep = result.report
    groups: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = {}
    for res in top_results(rep):
        severity = rep.value(res, SH.resultSeverity)
        sev = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        msgs = [m for m in rep.objects(res, SH.resultMessage) if isinstance(m, Literal)]
        english = [str(m) for m in msgs if (m.language or "").lower() == "en"]
        text = min(english) if english else (min(str(m) for m in msgs) if msgs else "(no message)")
        key = (sev, text)
        groups[key] += 1
        focus = rep.value(res, SH.focusNode)
        if focus is not None:
            examples.setdefault(key, []).append(str(focus))
    for (sev, text), n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{n:6d}  {sev}: {text}")
        lines.extend(f"        e.g. {ex}" for ex in sorted(examples.get((sev, text), []))[:SUMMARY_EXAMPLES])
    return "\n".join(lines) + "\n"


def write_report(result: ValidationResult, path: Path) -> tuple[Path, Path]:
    """Write the report graph as Turtle to path and a summary to path.with_suffix('.txt').

    Returns (turtle path, summary path). A path already ending in .txt gets
    its summary at NAME.summary.txt so the two never collide."""
    path = Path(path)
    txt = path.with_suffix(".txt")
    if txt == path:
        txt = path.with_suffix(".summary.txt")
    report = result.report
    vocab.bind_prefixes(report)
    report.bind("sh", SH, override=True, replace=True)
    write_atomic(path, report.serialize(format="turtle", encoding="utf-8"))
    write_atomic(txt, summary(result).encode("utf-8"))
    return path, txt
