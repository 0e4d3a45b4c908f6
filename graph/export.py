"""Write a built graph out: deterministic Turtle and an interactive HTML view.

write_turtle  same triples -> same bytes (sorted subjects, predicates and
              objects; blank nodes relabelled canonically), written atomically.
to_networkx   the graph's domain nodes (officials, journalists, meetings,
              inspections, places, measures) as a networkx.MultiDiGraph; a post
              becomes an edge official -> jurisdiction labelled with its title.
write_html    that network drawn with pyvis (vis-network inlined, so the page
              works offline): nodes coloured and shaped by class, a legend, edge
              tooltips with the evidence sentence and article file name.
write_graphml that network as GraphML (attributes flattened to str, int, float,
              bool; characters XML cannot carry dropped), written atomically.
write_jsonld  the triples as compact JSON-LD (@context: graph.vocab.PREFIXES),
              nodes and value arrays sorted: same triples -> same bytes.

Every tooltip is HTML built from html.escape()d text and turned into DOM
elements in the page; labels are drawn on the canvas as plain text. The node
and edge data sit in a <script> as JSON with '<' and '>' escaped, so no text
of an article can ever become markup.
"""

from __future__ import annotations

import html
import io
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup
from pyvis.network import Network
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from graph import vocab
from graph.evidence import all_evidence
from graph.vocab import SCHEMA

# ---------------------------------------------------------------- Turtle


def _term_key(term: Node) -> tuple[int, str, str, str]:
    """A total order on RDF terms (rdflib's own order ties equal-valued literals)."""
    if isinstance(term, Literal):
        return (2, str(term), str(term.datatype or ""), term.language or "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (0, str(term), "", "")


class _StableTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serializer with a total order on subjects and objects.

    Subjects are sorted by IRI rather than by reference count, so adding an
    article to a graph moves no unrelated block in the file.
    """

    def orderSubjects(self) -> list[Any]:
        ordered = super().orderSubjects()
        top = [s for s in ordered if s in self._topLevels]
        rest = [s for s in ordered if s not in self._topLevels]
        rest.sort(
            key=lambda s: (
                isinstance(s, BNode),
                self._references[s] if isinstance(s, BNode) else 0,
                _term_key(s),
            )
        )
        return top + rest

    def sortProperties(self, properties: Any) -> list[Any]:
        for objects in properties.values():
            objects.sort(key=_term_key)
        return super().sortProperties(properties)


def _canonical(g: Graph) -> Graph:
    """g itself, or a copy with blank nodes relabelled deterministically."""
    if not any(isinstance(t, BNode) for triple in g for t in triple):
        return g
    canon = Graph()
    for triple in to_canonical_graph(g):
        canon.add(triple)
    for prefix, ns in g.namespaces():
        canon.bind(prefix, ns, override=True, replace=True)
    return canon


def turtle_bytes(g: Graph) -> bytes:
    """The graph as UTF-8 Turtle, identical bytes for identical triples."""
    vocab.bind_prefixes(g)
    stream = io.BytesIO()
    _StableTurtleSerializer(_canonical(g)).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path via a temporary file in the same folder and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_turtle(g: Graph, path: Path) -> None:
    """Write g to path as Turtle: deterministic bytes, atomic replace."""
    write_atomic(Path(path), turtle_bytes(g))


# ---------------------------------------------------------------- network


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
MAX_EVIDENCE = 5  # sentences shown per edge tooltip
MAX_SENTENCE = 240  # characters of a sentence shown
MAX_LABEL = 18  # characters of a node label drawn on the canvas
BIG_GRAPH = 1000  # above this many nodes: stabilise, then switch physics off


@dataclass(frozen=True, order=True)
class Proof:
    """One piece of evidence (a sentence), reduced to what a tooltip shows."""

    file: str
    start: int
    sentence: str


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
        path = vocab.ONTOLOGY_DIR / name
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
    """(s, p, o) -> the evidence for that statement (graph.evidence), sorted by file and
    offset, each sentence once."""
    index: dict[tuple[Node, Node, Node], set[Proof]] = defaultdict(set)
    for triple, _, sentence in all_evidence(g):
        index[triple].add(_proof(g, sentence))
    return {triple: sorted(proofs) for triple, proofs in index.items()}


def _proof(g: Graph, sentence: Node | None) -> Proof:
    """The file, offset and text of a sentence node."""
    article = _value(g, sentence, PROV.wasDerivedFrom)
    file = _value(g, article, vocab.fileName)
    return Proof(
        file=str(file or article or ""),
        start=_offset(_value(g, sentence, vocab.startOffset)),
        sentence=str(_value(g, sentence, vocab.sentence) or ""),
    )


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


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date(g: Graph, node: URIRef) -> str | None:
    value = g.value(node, SCHEMA.startDate) or g.value(node, vocab.monthDay)
    return str(value) if value is not None else None


def _node_details(g: Graph, node: URIRef, kind: Kind, name: str) -> list[str]:
    """Lines (already escaped HTML) of a node's tooltip after its name."""
    lines = [_esc(kind.name)]
    if kind.key == "official":
        for post in sorted(g.objects(node, vocab.holdsPost), key=_term_key):
            title = g.value(post, vocab.title)
            places = sorted(
                filter(
                    None, (_label(g, p) for p in g.objects(post, vocab.jurisdiction))
                )
            )
            where = f"（{'、'.join(places)}）" if places else ""
            lines.append("职务：" + _esc(f"{title or '?'}{where}"))
    elif kind.key in ("meeting", "inspection"):
        date = _date(g, node)
        if date:
            lines.append("日期：" + _esc(date))
    elif kind.key in ("province", "city", "county", "zone"):
        code = g.value(node, vocab.adminCode)
        if code is not None:
            lines.append("代码：" + _esc(code))
        alts = sorted({str(a) for a in g.objects(node, SKOS.altLabel)} - {name})
        if alts:
            lines.append("别名：" + _esc("、".join(alts)))
    elif kind.key == "journalist":
        roles = sorted({str(r) for r in g.objects(node, vocab.journalistRole)})
        if roles:
            lines.append("署名：" + _esc("、".join(roles)))
    elif kind.key == "measure":
        lines.append(_esc(_local_name(str(node))))
    files = sorted(
        {
            str(f)
            for a in g.objects(node, PROV.wasDerivedFrom)
            for f in g.objects(a, vocab.fileName)
        }
    )
    if files:
        lines.append("来源：" + _esc("、".join(files)))
    return lines


def _node_name(g: Graph, node: URIRef, kind: Kind) -> str:
    name = _label(g, node)
    if name:
        return name
    if kind.key == "measure":
        return _ontology_labels().get(str(node)) or _local_name(str(node))
    date = _date(g, node) if kind.key in ("meeting", "inspection") else None
    return f"{kind.name} {date}" if date else kind.name


def _edge_title(relation: str, proofs: list[Proof]) -> str:
    """Escaped HTML: the relation, then each evidence sentence and its file."""
    parts = [f"<b>{_esc(relation)}</b>"]
    for proof in proofs[:MAX_EVIDENCE]:
        parts.append(
            f"「{_esc(_clip(proof.sentence, MAX_SENTENCE))}」<br><i>{_esc(proof.file)}</i>"
        )
    if len(proofs) > MAX_EVIDENCE:
        parts.append(_esc(f"…另有 {len(proofs) - MAX_EVIDENCE} 条证据"))
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
    for node in sorted(nodes, key=_term_key):
        kind = nodes[node]
        name = _node_name(g, node, kind)
        lines = [f"<b>{_esc(name)}</b>", *_node_details(g, node, kind, name)]
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
    for s in sorted(nodes, key=_term_key):
        for p, o in g.predicate_objects(s):
            if p != RDF.type and isinstance(o, URIRef) and o in nodes:
                proofs = evidence.get((s, p, o), [])
                edges.append((str(s), str(o), str(p), _relation_name(str(p)), proofs))
        if nodes[s].key == "official":
            for official, place, key, title, statements in _post_edges(g, s, nodes):
                proofs = sorted(
                    {pr for st in statements for pr in evidence.get(st, [])}
                )
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


# ---------------------------------------------------------------- HTML


def _tojson(value: Any) -> Markup:
    """JSON safe inside <script>: '<' and '>' escaped, CJK kept readable."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return Markup(text)


def _options(big: bool) -> dict[str, Any]:
    """vis-network options; big graphs stabilise briefly and then stop moving."""
    return {
        "nodes": {
            "borderWidth": 1,
            "font": {
                "size": 14,
                "face": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif",
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {
                "size": 11,
                "align": "middle",
                "color": "#444444",
                "strokeWidth": 3,
            },
            "smooth": {"enabled": not big, "type": "dynamic"},
            "width": 1.2,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big},
        "layout": {"randomSeed": 7, "improvedLayout": not big},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110},
            "stabilization": {
                "enabled": True,
                "iterations": 150 if big else 600,
                "fit": True,
            },
        },
    }


def _legend(net: nx.MultiDiGraph) -> str:
    """The legend box: one line per drawn class, with its shape and count and a
    checkbox that shows or hides that class (class="govkg-kind", value=key)."""
    counts: dict[str, int] = defaultdict(int)
    for _, kind in net.nodes(data="kind"):
        counts[kind] += 1
    rows = [
        f'<div><label><input type="checkbox" class="govkg-kind" value="{k.key}" '
        f'checked> <span style="color:{k.color};font-size:16px">{k.glyph}</span> '
        f'{_esc(k.name)} <span style="color:#888">{counts[k.key]}</span></label></div>'
        for k in KINDS
        if counts[k.key]
    ]
    relations: dict[str, str] = {}
    for _, _, data in net.edges(data=True):
        name = (
            "担任（职务）"
            if data["predicate"] == str(vocab.holdsPost)
            else data["label"]
        )
        relations.setdefault(name, data["color"])
    rows += [
        f'<div><span style="color:{color};font-weight:bold">━</span> {_esc(name)}</div>'
        for name, color in sorted(relations.items())
    ]
    return (
        '<div id="govkg-legend" style="position:fixed;top:12px;right:12px;z-index:10;'
        "background:rgba(255,255,255,0.93);border:1px solid #bbb;border-radius:6px;"
        'padding:8px 12px;font:13px sans-serif;line-height:1.6">'
        '<div style="font-weight:bold">图例</div>' + "".join(rows) + "</div>"
    )


_SCRIPT_BEFORE = """
                  // govkg: tooltips arrive as escaped HTML; render them as elements
                  function govkgTip(text) {
                      var div = document.createElement("div");
                      div.style.maxWidth = "420px";
                      div.style.whiteSpace = "normal";
                      div.innerHTML = text;
                      return div;
                  }
                  [nodes, edges].forEach(function (set) {
                      set.update(set.get().filter(function (item) {
                          return typeof item.title === "string";
                      }).map(function (item) {
                          return {id: item.id, title: govkgTip(item.title)};
                      }));
                  });
"""

_SCRIPT_AFTER_BIG = """
                  // govkg: big graph - stop the simulation once it has settled
                  network.once("stabilizationIterationsDone", function () {
                      network.setOptions({physics: {enabled: false}});
                  });
"""

_NETWORK_LINE = "network = new vis.Network(container, data, options);"

# Search and filters. Nodes carry govkgName (full label), govkgProvinces
# (province IRIs) and govkgDate ("YYYY-MM-DD" or "--MM-DD", events only); the
# network draws DataViews of the DataSets, refreshed when a control changes.
# Every text shown goes through textContent or an <option>'s value, never HTML.
_SCRIPT_FILTERS = """
                  // govkg: search, and filters by class, province and date
                  var govkgShown = Object.create(null);
                  var govkgSearch = {text: null, hits: [], next: 0};
                  function govkgEl(id) { return document.getElementById(id); }
                  // date: "YYYY-MM-DD", or "--MM-DD" (year unknown: in the range
                  // when that day falls in it in some year of the range)
                  function govkgDateIn(date, from, to) {
                      if (!date || (!from && !to)) return true;
                      if (date.slice(0, 2) !== "--") {
                          var day = date.slice(0, 10);
                          return (!from || day >= from) && (!to || day <= to);
                      }
                      if (!from || !to) return true;
                      var md = date.slice(2, 7);
                      var years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
                      var fromMd = from.slice(5, 10), toMd = to.slice(5, 10);
                      if (years >= 2) return true;
                      if (years === 1) return md >= fromMd || md <= toMd;
                      return years === 0 && md >= fromMd && md <= toMd;
                  }
                  function govkgCompute() {
                      var kinds = {};
                      document.querySelectorAll("input.govkg-kind").forEach(function (box) {
                          kinds[box.value] = box.checked;
                      });
                      var province = govkgEl("govkg-province").value;
                      var from = govkgEl("govkg-from").value, to = govkgEl("govkg-to").value;
                      var shown = Object.create(null), count = 0;
                      nodes.get().forEach(function (node) {
                          if (kinds[node.group] === false) return;
                          if (province && (node.govkgProvinces || []).indexOf(province) < 0) return;
                          if (!govkgDateIn(node.govkgDate, from, to)) return;
                          shown[node.id] = true;
                          count += 1;
                      });
                      govkgShown = shown;
                      govkgEl("govkg-count").textContent =
                          "显示 " + count + " / " + nodes.length + " 个节点";
                  }
                  govkgCompute();
                  var govkgNodeView = new vis.DataView(nodes, {filter: function (node) {
                      return govkgShown[node.id] === true;
                  }});
                  var govkgEdgeView = new vis.DataView(edges, {filter: function (edge) {
                      return govkgShown[edge.from] === true && govkgShown[edge.to] === true;
                  }});
                  data = {nodes: govkgNodeView, edges: govkgEdgeView};
                  function govkgApply() {
                      govkgCompute();
                      govkgNodeView.refresh();
                      govkgEdgeView.refresh();
                  }
                  function govkgFind(text) {
                      var query = text.trim().toLowerCase(), status = govkgEl("govkg-status");
                      if (!query) { status.textContent = ""; return; }
                      if (query !== govkgSearch.text) {
                          var exact = [], partial = [];
                          nodes.get().forEach(function (node) {
                              var name = String(node.govkgName || "").toLowerCase();
                              if (name === query) exact.push(node);
                              else if (name.indexOf(query) >= 0) partial.push(node);
                          });
                          govkgSearch = {text: query, hits: exact.concat(partial), next: 0};
                      }
                      var hits = govkgSearch.hits.filter(function (node) {
                          return govkgShown[node.id] === true;
                      });
                      if (!govkgSearch.hits.length) {
                          status.textContent = "未找到“" + text.trim() + "”";
                          return;
                      }
                      if (!hits.length) {
                          status.textContent = "“" + text.trim() + "”的 " +
                              govkgSearch.hits.length + " 个匹配都被筛选条件隐藏";
                          return;
                      }
                      var node = hits[govkgSearch.next % hits.length];
                      govkgSearch.next += 1;
                      network.selectNodes([node.id]);
                      network.focus(node.id, {scale: 1.3, animation: {duration: 500}});
                      status.textContent = (hits.length > 1 ? "匹配 " +
                          ((govkgSearch.next - 1) % hits.length + 1) + "/" + hits.length +
                          "（回车查看下一个）：" : "") + node.govkgName;
                  }
                  (function () {
                      var names = govkgEl("govkg-names"), seen = Object.create(null);
                      nodes.get().forEach(function (node) {
                          if (node.govkgName && !seen[node.govkgName]) {
                              seen[node.govkgName] = true;
                              var option = document.createElement("option");
                              option.value = node.govkgName;
                              names.appendChild(option);
                          }
                      });
                      govkgEl("govkg-search-form").addEventListener("submit", function (event) {
                          event.preventDefault();
                          govkgFind(govkgEl("govkg-search").value);
                      });
                      document.querySelectorAll("input.govkg-kind").forEach(function (box) {
                          box.addEventListener("change", govkgApply);
                      });
                      ["govkg-province", "govkg-from", "govkg-to"].forEach(function (id) {
                          govkgEl(id).addEventListener("change", govkgApply);
                      });
                      govkgEl("govkg-reset").addEventListener("click", function () {
                          document.querySelectorAll("input.govkg-kind").forEach(function (box) {
                              box.checked = true;
                          });
                          govkgEl("govkg-province").value = "";
                          govkgEl("govkg-from").value = "";
                          govkgEl("govkg-to").value = "";
                          govkgEl("govkg-status").textContent = "";
                          govkgApply();
                          network.fit();
                      });
                  })();
"""

_SCRIPT_READY = """
                  // govkg: mark the page once the network has drawn (tests wait for it)
                  network.once("afterDrawing", function () {
                      document.body.setAttribute(
                          "data-govkg-ready", govkgNodeView.getIds().length + " nodes");
                  });
"""

_REMOTE_SCRIPT = re.compile(
    r"\s*<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE
)
_REMOTE_LINK = re.compile(r"\s*<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)

_CONTROL_STYLE = (
    "#govkg-controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;"
    "margin-top:6px;font:13px sans-serif}"
    "#govkg-controls form{display:inline;margin:0}"
    "#govkg-controls input,#govkg-controls select,#govkg-controls button"
    "{font:13px sans-serif;padding:2px 4px}"
    "#govkg-search{width:200px}#govkg-status{color:#1f4e99}#govkg-count{color:#555}"
)


def _facets(g: Graph, net: nx.MultiDiGraph) -> tuple[dict[str, str], dict[str, Any]]:
    """(province IRI -> label, node id -> the fields the page filters on)."""
    from graph.views import province_index  # graph.views imports this module

    index = province_index(g)
    fields: dict[str, Any] = {}
    for node, data in net.nodes(data=True):
        iri = URIRef(node)
        extra: dict[str, Any] = {
            "govkgName": data["name"],
            "govkgProvinces": sorted(str(p) for p in index.members.get(iri, ())),
        }
        if data["kind"] in ("meeting", "inspection"):
            date = _date(g, iri)
            if date is not None:
                extra["govkgDate"] = date if date.startswith("--") else date[:10]
        fields[node] = extra
    return {str(p): name for p, name in index.names.items()}, fields


def _controls(provinces: dict[str, str]) -> str:
    """Search box, province select, date range and reset (all labels escaped)."""
    options = "".join(
        f'<option value="{_esc(iri)}">{_esc(name)}</option>'
        for iri, name in provinces.items()
    )
    return (
        f"<style>{_CONTROL_STYLE}</style>"
        '<div id="govkg-controls">'
        '<form id="govkg-search-form" role="search" autocomplete="off">'
        '<input id="govkg-search" type="search" list="govkg-names" '
        'placeholder="搜索节点名称…" aria-label="搜索节点名称"> '
        '<button type="submit">查找</button>'
        '<datalist id="govkg-names"></datalist></form>'
        '<label>省份 <select id="govkg-province">'
        f'<option value="">全部</option>{options}</select></label>'
        '<label>日期 <input id="govkg-from" type="date" aria-label="起始日期"></label>'
        '<label>至 <input id="govkg-to" type="date" aria-label="截止日期"></label>'
        '<button type="button" id="govkg-reset">重置</button>'
        '<span id="govkg-count"></span><span id="govkg-status" role="status"></span>'
        "</div>"
    )


def _inject(page: str, anchor: str, text: str, *, after: bool = False) -> str:
    if anchor not in page:
        raise RuntimeError(f"pyvis template changed: {anchor!r} not found")
    return page.replace(anchor, anchor + text if after else text + anchor, 1)


def _decorate(page: str, title: str, header: str, legend: str, big: bool) -> str:
    """Add <title>, header, legend and the govkg scripts to pyvis's page.

    pyvis's links to remote stylesheets and scripts (Bootstrap from a CDN,
    unused here) are removed, so the page loads nothing from the network.
    """
    page = re.sub(r"\s*<center>\s*<h1></h1>\s*</center>", "", page)
    page = _REMOTE_SCRIPT.sub("", page)
    page = _REMOTE_LINK.sub("", page)
    page = _inject(
        page,
        '<meta charset="utf-8">',
        f"\n        <title>{_esc(title)}</title>",
        after=True,
    )
    page = _inject(page, "<body>", "\n" + header + "\n" + legend, after=True)
    page = _inject(
        page,
        _NETWORK_LINE,
        _SCRIPT_BEFORE.lstrip("\n") + _SCRIPT_FILTERS + "                  ",
    )
    page = _inject(page, _NETWORK_LINE, _SCRIPT_READY, after=True)
    if big:
        page = _inject(page, _NETWORK_LINE, _SCRIPT_AFTER_BIG, after=True)
    return page


def _pyvis_lists(
    net: nx.MultiDiGraph,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network node and edge dicts, in a fixed order."""
    nodes = [
        {
            "id": n,
            "label": d["label"],
            "title": d["title"],
            "color": d["color"],
            "shape": d["shape"],
            "size": d["size"],
            "group": d["kind"],
        }
        for n, d in net.nodes(data=True)
    ]
    edges = [
        {
            "id": f"e{i}",
            "from": u,
            "to": v,
            "label": d["label"],
            "title": d["title"],
            "color": d["color"],
            "arrows": "to",
            "dashes": d["predicate"] in (str(vocab.holdsPost), str(vocab.reportsTo)),
        }
        for i, (u, v, d) in enumerate(net.edges(data=True))
    ]
    return nodes, edges


def render_html(g: Graph, title: str = "政务知识图谱") -> str:
    """The interactive page for g, as text: the network, a legend whose
    checkboxes filter by class, a search box and province and date filters."""
    graph = to_networkx(g)
    big = graph.number_of_nodes() > BIG_GRAPH
    net = Network(
        height="860px", width="100%", directed=True, cdn_resources="in_line", heading=""
    )
    net.templateEnv.filters["tojson"] = _tojson
    nodes, edges = _pyvis_lists(graph)
    provinces, fields = _facets(g, graph)
    for node in nodes:
        node.update(fields[node["id"]])
    # bulk assignment: add_node/add_edge scan lists and are quadratic
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = _options(big)
    header = (
        '<div id="govkg-header" style="font:14px sans-serif;padding:8px 12px">'
        f'<div style="font-size:20px;font-weight:bold">{_esc(title)}</div>'
        f"<div>{graph.number_of_nodes()} 个节点，{graph.number_of_edges()} 条关系；"
        "悬停在连线上可查看证据句与来源稿件。</div>" + _controls(provinces) + "</div>"
    )
    page = str(net.generate_html())
    return _decorate(page, title, header, _legend(graph), big)


def write_html(g: Graph, path: Path, title: str = "政务知识图谱") -> None:
    """Write the interactive pyvis view of g to path (atomic replace)."""
    write_atomic(Path(path), render_html(g, title).encode("utf-8"))


# ---------------------------------------------------------------- GraphML, JSON-LD

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


def to_graphml_network(g: Graph) -> nx.MultiDiGraph:
    """to_networkx(g) with every attribute a type GraphML accepts."""
    net = to_networkx(g)
    flat = nx.MultiDiGraph()
    for node, data in net.nodes(data=True):
        flat.add_node(node, **_flat(data))
    for u, v, key, data in net.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_flat(data))
    return flat


def graphml_bytes(g: Graph) -> bytes:
    """The to_networkx projection of g as GraphML (UTF-8, deterministic)."""
    lines = nx.generate_graphml(to_graphml_network(g), encoding="utf-8", prettyprint=True)
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_graphml(g: Graph, path: Path) -> None:
    """Write the network view of g (nodes, edges and their attributes) as GraphML."""
    write_atomic(Path(path), graphml_bytes(g))


def jsonld_context() -> dict[str, str]:
    """The compact JSON-LD @context: the project's prefixes (graph.vocab.PREFIXES)."""
    return {prefix: str(ns) for prefix, ns in sorted(vocab.PREFIXES.items())}


def _sorted_json(value: Any) -> Any:
    """value with every array sorted (JSON-LD property values are unordered),
    except the contents of @list, whose order is meaningful."""
    if isinstance(value, dict):
        return {
            k: (v if k == "@list" else _sorted_json(v)) for k, v in sorted(value.items())
        }
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(
            items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
        )
    return value


def jsonld_bytes(g: Graph) -> bytes:
    """g as compact JSON-LD (prefixes as @context): identical bytes for identical triples."""
    vocab.bind_prefixes(g)
    text = _canonical(g).serialize(format="json-ld", context=jsonld_context())
    doc = _sorted_json(json.loads(text))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def write_jsonld(g: Graph, path: Path) -> None:
    """Write g as compact JSON-LD (deterministic bytes, atomic replace)."""
    write_atomic(Path(path), jsonld_bytes(g))


EXPORT_FORMATS: dict[str, Callable[[Graph], bytes]] = {
    "graphml": graphml_bytes,
    "jsonld": jsonld_bytes,
    "turtle": turtle_bytes,
}
"""Format name -> g to bytes, for `build_graph.py export --format`."""
