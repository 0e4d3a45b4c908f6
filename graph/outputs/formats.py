"""The export formats of `build_graph.py export`: GraphML for Gephi (the network view, unique
edge ids, colours as r/g/b, class and province as attributes, attributes flattened to str,
int, float, bool; characters XML cannot carry dropped) and compact
JSON-LD (@context: graph.rdf.vocab.PREFIXES; nodes and value arrays sorted), both
deterministic, and the registry of format name -> bytes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from graph.ask.views import province_index
from graph.files import write_atomic
from graph.outputs.network import KIND_BY_KEY, to_networkx
from graph.rdf import vocab
from graph.rdf.serialize import canonical, turtle_bytes

# characters XML 1.0 cannot carry (control characters other than tab, LF, CR)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _graphml_value(value: Any) -> str | int | float | bool | None:
    """An attribute value GraphML can hold: bool/int/float kept, text cleaned, the
    rest (lists, dicts, terms) as text; None means: leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple | set | dict):
        value = json.dumps(
            sorted(value, key=str) if isinstance(value, set) else value,
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
    return _NOT_XML.sub("", str(value))


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    flat = {str(k): _graphml_value(v) for k, v in data.items()}
    return {k: v for k, v in sorted(flat.items()) if v is not None}


def _rgb(color: str) -> dict[str, int]:
    """'#rrggbb' -> {'r': …, 'g': …, 'b': …} (what Gephi's GraphML import reads as a colour)."""
    value = color.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16)}


def to_graphml_network(g: Graph) -> nx.MultiDiGraph:
    """to_networkx(g) with every attribute a type GraphML accepts, for Gephi: nodes with their
    full name as `label`, `class` (official, meeting, …), `class_name` (its legend name),
    `province` (the provinces it belongs to, 、-separated), the colour as `r`, `g`, `b`
    (integers) and `color` (hex), `size`; edges with unique ids e0, e1, … (Gephi keeps only
    the first edge of a repeated id) in a stable order, the relation as `predicate` and
    `label`, and the statement key (predicate, or predicate|post) as `relation_key`."""
    net = to_networkx(g)
    index = province_index(g)
    flat = nx.MultiDiGraph()
    for node, data in net.nodes(data=True):
        kind = KIND_BY_KEY[data["kind"]]
        provinces = sorted(index.names[p] for p in index.members.get(URIRef(node), ()))
        extra = {"label": data["name"], "class": kind.key, "class_name": kind.name, **_rgb(kind.color)}
        if provinces:
            extra["province"] = "、".join(provinces)
        flat.add_node(node, **_flat({**data, **extra}))
    for number, (u, v, key, data) in enumerate(net.edges(keys=True, data=True)):
        flat.add_edge(u, v, key=f"e{number}", **_flat({**data, "relation_key": key}))
    return flat


def graphml_bytes(g: Graph) -> bytes:
    """The to_networkx projection of g as GraphML (UTF-8, deterministic)."""
    lines = nx.generate_graphml(to_graphml_network(g), encoding="utf-8", prettyprint=True)
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_graphml(g: Graph, path: Path) -> None:
    """Write the network view of g (nodes, edges and their attributes) as GraphML."""
    write_atomic(Path(path), graphml_bytes(g))


def jsonld_context() -> dict[str, str]:
    """The compact JSON-LD @context: the project's prefixes (graph.rdf.vocab.PREFIXES)."""
    return {prefix: str(ns) for prefix, ns in sorted(vocab.PREFIXES.items())}


def _sorted_json(value: Any) -> Any:
    """value with every array sorted (JSON-LD property values are unordered),
    except the contents of @list, whose order is meaningful."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def jsonld_bytes(g: Graph) -> bytes:
    """g as compact JSON-LD (prefixes as @context): identical bytes for identical triples."""
    vocab.bind_prefixes(g)
    text = canonical(g).serialize(format="json-ld", context=jsonld_context())
    doc = _sorted_json(json.loads(text))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_jsonld(g: Graph, path: Path) -> None:
    """Write g as compact JSON-LD (deterministic bytes, atomic replace)."""
    write_atomic(Path(path), jsonld_bytes(g))


EXPORT_FORMATS: dict[str, Callable[[Graph], bytes]] = {
    "graphml": graphml_bytes,
    "jsonld": jsonld_bytes,
    "turtle": turtle_bytes,
}
"""Format name -> g to bytes, for `build_graph.py export --format`."""
