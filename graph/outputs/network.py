"""The network view of a graph: its domain nodes (officials, journalists, meetings,
inspections, places, measures) as a networkx.MultiDiGraph, a post as an edge
official -> jurisdiction labelled with its title, and each edge's evidence as a tooltip.

Every tooltip is HTML built from html.escape()d text; graph.outputs.html turns it
into DOM elements in the page.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.ask.evidence import all_evidence
from graph.rdf import vocab
from graph.rdf.serialize import term_key
from graph.tables import ONTOLOGY


@dataclass(frozen=True)
class Kind:
    """How one class of domain node is drawn."""

    key: str
    cls: URIRef | None  # None: recognised by namespace (measures)
    name: str  # Chinese legend name
    color: str
    shape: str
    glyph: str  # the legend's picture of the shape
    size: int


KINDS: tuple[Kind, ...] = (
    Kind("official", vocab.Official, "官员", "#d62728", "dot", "●", 14),
    Kind("journalist", vocab.Journalist, "记者", "#8c8c8c", "triangle", "▲", 10),
    Kind("meeting", vocab.Meeting, "会议", "#1f77b4", "box", "▬", 12),
    Kind("inspection", vocab.Inspection, "调研检查", "#ff7f0e", "diamond", "◆", 13),
    Kind("province", vocab.Province, "省级", "#2ca02c", "hexagon", "⬢", 18),
    Kind("city", vocab.City, "地级", "#74c476", "square", "■", 14),
    Kind("county", vocab.County, "县级", "#bcbd22", "triangleDown", "▼", 11),
    Kind("zone", vocab.Zone, "功能区", "#17becf", "square", "■", 11),
    Kind("measure", None, "防控措施", "#9467bd", "star", "★", 14),
)
KIND_BY_KEY = {k.key: k for k in KINDS}

EDGE_COLORS: dict[str, str] = {
    str(vocab.chairs): "#d62728",
    str(vocab.attends): "#f7a1a1",
    str(vocab.conducts): "#ff7f0e",
    str(vocab.mandates): "#9467bd",
    str(vocab.heldIn): "#2ca02c",
    str(vocab.reportsTo): "#b5cf6b",
    str(vocab.follows): "#1f77b4",
    str(vocab.holdsPost): "#555555",
}
DEFAULT_EDGE_COLOR = "#999999"
SCHEMA_URL = vocab.SCHEMA.url  # an article's link, where the graph has one
MAX_EVIDENCE = 5  # sentences shown per edge tooltip
MAX_SENTENCE = 240  # characters of a sentence shown
MAX_LABEL = 18  # characters of a node label drawn on the canvas
BIG_GRAPH = 1000  # above this many nodes: stabilise, then switch physics off


@dataclass(frozen=True, order=True)
class Proof:
    """One piece of evidence (a sentence), reduced to what a tooltip shows: the sentence
    and the article it is from (headline, date, publisher, link; its file name as a last
    resort)."""

    file: str
    start: int
    sentence: str
    headline: str = ""
    date: str = ""
    publisher: str = ""
    url: str = ""


def _pick(values: Iterable[Node]) -> str | None:
    """The best label among literals: zh-Hans, then zh*, plain, then any."""
    ranked = []
    for v in values:
        if not isinstance(v, Literal):
            continue
        lang = (v.language or "").lower()
        if lang == "zh-hans":
            rank = 0
        elif lang.startswith("zh"):
            rank = 1
        else:
            rank = 3 if lang else 2
        ranked.append((rank, str(v)))
    return min(ranked)[1] if ranked else None


def _label(g: Graph, node: Node) -> str | None:
    return _pick(g.objects(node, RDFS.label)) or _pick(g.objects(node, SKOS.prefLabel))


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, str]:
    """Chinese labels of gov: properties and govm: concepts from ontology/*.ttl."""
    g = Graph()
    for name in ("govkg.ttl", "measures.ttl"):
        path = ONTOLOGY / name
        if path.exists():
            g.parse(path, format="turtle")
    labels: dict[str, str] = {}
    for s in set(g.subjects(RDFS.label, None)) | set(g.subjects(SKOS.prefLabel, None)):
        if isinstance(s, URIRef):
            text = _label(g, s)
            if text:
                labels[str(s)] = text
    return labels


def _relation_name(predicate: str) -> str:
    return _ontology_labels().get(predicate) or _local_name(predicate)


def _offset(value: Node | None) -> int:
    """An offset literal as int; -1 when missing or not a number."""
    try:
        return int(str(value)) if value is not None else -1
    except ValueError:
        return -1


def _value(g: Graph, node: Node | None, p: URIRef) -> Node | None:
    """g.value(node, p), or None without a node (g.value(None, p) would take any subject's)."""
    return None if node is None else g.value(node, p)


def _evidence_index(g: Graph) -> dict[tuple[Node, Node, Node], list[Proof]]:
    """(s, p, o) -> the evidence for that statement (graph.ask.evidence), sorted by file and
    offset, each sentence once."""
    index: dict[tuple[Node, Node, Node], set[Proof]] = defaultdict(set)
    for triple, _, sentence in all_evidence(g):
        index[triple].add(_proof(g, sentence))
    return {triple: sorted(proofs) for triple, proofs in index.items()}


def _proof(g: Graph, sentence: Node | None) -> Proof:
    """The offset and text of a sentence node, and what cites its article."""
    article = _value(g, sentence, PROV.wasDerivedFrom)
    file = _value(g, article, vocab.fileName)
    return Proof(
        file=str(file or article or ""),
        start=_offset(_value(g, sentence, vocab.startOffset)),
        sentence=str(_value(g, sentence, vocab.sentence) or ""),
        headline=str(_value(g, article, vocab.headline) or ""),
        date=str(_value(g, article, vocab.datePublished) or ""),
        publisher=str(_value(g, article, vocab.publisher) or ""),
        url=str(_value(g, article, SCHEMA_URL) or ""),
    )


def citation(proof: Proof) -> str:
    """Escaped HTML citing an article: 《headline》, date, publisher and its link (http(s)
    only) where the graph has them; the file name when it has no headline."""
    parts = [f"《{esc(proof.headline)}》" if proof.headline else esc(proof.file)]
    parts += [esc(value) for value in (proof.date, proof.publisher) if value]
    text = "，".join(parts)
    if proof.url.startswith(("http://", "https://")):
        text += f' <a href="{esc(proof.url)}" target="_blank" rel="noopener noreferrer">原文链接</a>'
    return text


def _domain_nodes(g: Graph) -> dict[URIRef, Kind]:
    """Every node drawn: instances of the domain classes, and measures they mandate."""
    nodes: dict[URIRef, Kind] = {}
    for kind in KINDS:
        if kind.cls is None:
            continue
        for s in g.subjects(RDF.type, kind.cls):
            if isinstance(s, URIRef) and s not in nodes:
                nodes[s] = kind
    for s, o in g.subject_objects(vocab.mandates):
        if s in nodes and isinstance(o, URIRef):
            nodes.setdefault(o, KIND_BY_KEY["measure"])
    return nodes


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def node_date(g: Graph, node: URIRef) -> str | None:
    value = g.value(node, vocab.startDate) or g.value(node, vocab.monthDay)
    return str(value) if value is not None else None


def _node_details(g: Graph, node: URIRef, kind: Kind, name: str) -> list[str]:
    """Lines (already escaped HTML) of a node's tooltip after its name."""
    lines = [esc(kind.name)]
    if kind.key == "official":
        for post in sorted(g.objects(node, vocab.holdsPost), key=term_key):
            title = g.value(post, vocab.title)
            places = sorted(filter(None, (_label(g, p) for p in g.objects(post, vocab.jurisdiction))))
            where = f"（{'、'.join(places)}）" if places else ""
            lines.append("职务：" + esc(f"{title or '?'}{where}"))
    elif kind.key in ("meeting", "inspection"):
        date = node_date(g, node)
        if date:
            lines.append("日期：" + esc(date))
    elif kind.key in ("province", "city", "county", "zone"):
        code = g.value(node, vocab.adminCode)
        if code is not None:
            lines.append("代码：" + esc(code))
        alts = sorted({str(a) for a in g.objects(node, SKOS.altLabel)} - {name})
        if alts:
            lines.append("别名：" + esc("、".join(alts)))
    elif kind.key == "journalist":
        roles = sorted({str(r) for r in g.objects(node, vocab.journalistRole)})
        if roles:
            lines.append("署名：" + esc("、".join(roles)))
    elif kind.key == "measure":
        lines.append(esc(_local_name(str(node))))
    sources = sorted({_article_proof(g, a) for a in g.objects(node, PROV.wasDerivedFrom)})
    if sources:
        lines.append("来源：" + "；".join(citation(p) for p in sources[:MAX_EVIDENCE]))
    return lines


def _article_proof(g: Graph, article: Node) -> Proof:
    """An article as a Proof without a sentence (for citing it)."""
    return Proof(
        file=str(g.value(article, vocab.fileName) or article),
        start=-1,
        sentence="",
        headline=str(g.value(article, vocab.headline) or ""),
        date=str(g.value(article, vocab.datePublished) or ""),
        publisher=str(g.value(article, vocab.publisher) or ""),
        url=str(g.value(article, SCHEMA_URL) or ""),
    )


def _node_name(g: Graph, node: URIRef, kind: Kind) -> str:
    name = _label(g, node)
    if name:
        return name
    if kind.key == "measure":
        return _ontology_labels().get(str(node)) or _local_name(str(node))
    date = node_date(g, node) if kind.key in ("meeting", "inspection") else None
    return f"{kind.name} {date}" if date else kind.name


def _edge_title(relation: str, proofs: list[Proof]) -> str:
    """Escaped HTML: the relation, then each evidence sentence and its file."""
    parts = [f"<b>{esc(relation)}</b>"]
    for proof in proofs[:MAX_EVIDENCE]:
        parts.append(f"「{esc(_clip(proof.sentence, MAX_SENTENCE))}」<br><i>{citation(proof)}</i>")
    if len(proofs) > MAX_EVIDENCE:
        parts.append(esc(f"…另有 {len(proofs) - MAX_EVIDENCE} 条证据"))
    if not proofs:
        parts.append("<i>无证据句</i>")
    return "<br>".join(parts)


def _post_edges(
    g: Graph, official: URIRef, nodes: dict[URIRef, Kind]
) -> Iterator[tuple[URIRef, URIRef, str, str, list[tuple[Node, Node, Node]]]]:
    """(official, place, key, title, statements) for each post with a drawn jurisdiction."""
    for post in g.objects(official, vocab.holdsPost):
        title = g.value(post, vocab.title)
        for place in g.objects(post, vocab.jurisdiction):
            if isinstance(place, URIRef) and place in nodes:
                statements: list[tuple[Node, Node, Node]] = [
                    (official, vocab.holdsPost, post),
                    (post, vocab.jurisdiction, place),
                ]
                if title is not None:
                    statements.append((post, vocab.title, title))
                yield (
                    official,
                    place,
                    f"{vocab.holdsPost}|{post}",
                    str(title or "职务"),
                    statements,
                )


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """The drawable part of g as a MultiDiGraph.

    Nodes are IRI strings with attributes kind, name, label (clipped), title
    (escaped HTML tooltip), color, shape, size. Edges are keyed by predicate
    IRI (or 'gov:holdsPost IRI|post IRI' for posts) with attributes predicate,
    label, title (escaped HTML with evidence), color, evidence (count).
    """
    nodes = _domain_nodes(g)
    evidence = _evidence_index(g)
    out = nx.MultiDiGraph()
    for node in sorted(nodes, key=term_key):
        kind = nodes[node]
        name = _node_name(g, node, kind)
        lines = [f"<b>{esc(name)}</b>", *_node_details(g, node, kind, name)]
        out.add_node(
            str(node),
            kind=kind.key,
            name=name,
            label=_clip(name, MAX_LABEL),
            title="<br>".join(lines),
            color=kind.color,
            shape=kind.shape,
            size=kind.size,
        )
    edges = []
    for s in sorted(nodes, key=term_key):
        for p, o in g.predicate_objects(s):
            if p != RDF.type and isinstance(o, URIRef) and o in nodes:
                proofs = evidence.get((s, p, o), [])
                edges.append((str(s), str(o), str(p), _relation_name(str(p)), proofs))
        if nodes[s].key == "official":
            for official, place, key, title, statements in _post_edges(g, s, nodes):
                proofs = sorted({pr for st in statements for pr in evidence.get(st, [])})
                edges.append((str(official), str(place), key, title, proofs))
    for u, v, key, label, proofs in sorted(edges, key=lambda e: e[:3]):
        predicate = key.split("|", 1)[0]
        out.add_edge(
            u,
            v,
            key=key,
            predicate=predicate,
            label=label,
            title=_edge_title(label if "|" not in key else f"担任 {label}", proofs),
            color=EDGE_COLORS.get(predicate, DEFAULT_EDGE_COLOR),
            evidence=len(proofs),
        )
    for node, degree in out.degree():
        base = out.nodes[node]["size"]
        out.nodes[node]["size"] = round(base + min(16.0, 3 * math.sqrt(degree)), 1)
    return out
