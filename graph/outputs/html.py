"""The interactive HTML page: the network view drawn with pyvis (vis-network inlined,
so the page works offline), every node's colours and shape set from its class (the
legend's), the TOP_LABELS most connected nodes labelled at the opening zoom (the rest
on zoom or hover, page/labels.js), a legend whose checkboxes filter by class, a search
box, province and date filters, and edge tooltips with the evidence sentence and the
article's headline, date and publisher.

The page's own scripts and style are package data (graph/outputs/page/). Labels
are drawn on the canvas as plain text; the node and edge data sit in a <script>
as JSON with '<' and '>' escaped, so no text of an article can ever become markup.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph, URIRef

from graph.ask.views import province_index
from graph.files import write_atomic
from graph.outputs.network import BIG_GRAPH, KINDS, esc, node_date, to_networkx
from graph.rdf import vocab

TOP_LABELS = 40  # the most connected nodes labelled at the opening zoom


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
        f'{esc(k.name)} <span style="color:#888">{counts[k.key]}</span></label></div>'
        for k in KINDS
        if counts[k.key]
    ]
    relations: dict[str, str] = {}
    for _, _, data in net.edges(data=True):
        name = "担任（职务）" if data["predicate"] == str(vocab.holdsPost) else data["label"]
        relations.setdefault(name, data["color"])
    rows += [
        f'<div><span style="color:{color};font-weight:bold">━</span> {esc(name)}</div>'
        for name, color in sorted(relations.items())
    ]
    return (
        '<div id="govkg-legend" style="position:fixed;top:12px;right:12px;z-index:10;'
        "background:rgba(255,255,255,0.93);border:1px solid #bbb;border-radius:6px;"
        'padding:8px 12px;font:13px sans-serif;line-height:1.6">'
        '<div style="font-weight:bold">图例</div>' + "".join(rows) + "</div>"
    )


_NETWORK_LINE = "network = new vis.Network(container, data, options);"

# Search and filters. Nodes carry govkgName (full label), govkgProvinces
# (province IRIs) and govkgDate ("YYYY-MM-DD" or "--MM-DD", events only); the
# network draws DataViews of the DataSets, refreshed when a control changes.
# Every text shown goes through textContent or an <option>'s value, never HTML.


_REMOTE_SCRIPT = re.compile(r"\s*<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"\s*<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)

_PAGE = resources.files("graph.outputs") / "page"  # the page's own scripts and style


def _page_file(name: str) -> str:
    return (_PAGE / name).read_text(encoding="utf-8")


_CONTROL_STYLE = _page_file("controls.css").replace("\n", "")  # one line in the page
_SCRIPT_BEFORE = _page_file("tooltips.js")  # tooltips arrive as escaped HTML: rendered as elements
_SCRIPT_FILTERS = "\n" + _page_file("filters.js")
_SCRIPT_READY = "\n" + _page_file("ready.js") + "\n" + _page_file("labels.js")
_SCRIPT_AFTER_BIG = "\n" + _page_file("big.js")


def _facets(g: Graph, net: nx.MultiDiGraph) -> tuple[dict[str, str], dict[str, Any]]:
    """(province IRI -> label, node id -> the fields the page filters on)."""
    index = province_index(g)
    fields: dict[str, Any] = {}
    for node, data in net.nodes(data=True):
        iri = URIRef(node)
        extra: dict[str, Any] = {
            "govkgName": data["name"],
            "govkgProvinces": sorted(str(p) for p in index.members.get(iri, ())),
        }
        if data["kind"] in ("meeting", "inspection"):
            date = node_date(g, iri)
            if date is not None:
                extra["govkgDate"] = date if date.startswith("--") else date[:10]
        fields[node] = extra
    return {str(p): name for p, name in index.names.items()}, fields


def _controls(provinces: dict[str, str]) -> str:
    """Search box, province select, date range and reset (all labels escaped)."""
    options = "".join(f'<option value="{esc(iri)}">{esc(name)}</option>' for iri, name in provinces.items())
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
        f"\n        <title>{esc(title)}</title>",
        after=True,
    )
    page = _inject(page, "<body>", "\n" + header + "\n" + legend, after=True)
    page = _inject(
        page,
        _NETWORK_LINE,
        _SCRIPT_BEFORE + _SCRIPT_FILTERS + "                  ",
    )
    page = _inject(page, _NETWORK_LINE, _SCRIPT_READY, after=True)
    if big:
        page = _inject(page, _NETWORK_LINE, _SCRIPT_AFTER_BIG, after=True)
    return page


def _darker(color: str, factor: float = 0.7) -> str:
    """'#rrggbb' darkened (the node's border)."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def _node_color(color: str) -> dict[str, Any]:
    """Every colour vis-network draws a node with, all from its class's legend colour: no
    group or default palette can take over, in any state (plain, selected, hovered)."""
    border = _darker(color)
    return {
        "background": color,
        "border": border,
        "highlight": {"background": color, "border": "#000000"},
        "hover": {"background": color, "border": "#000000"},
    }


def top_nodes(net: nx.MultiDiGraph, count: int = TOP_LABELS) -> set[str]:
    """The count most connected nodes (ties: by id), labelled at the opening zoom."""
    ranked = sorted(net.degree(), key=lambda nd: (-nd[1], nd[0]))
    return {node for node, _ in ranked[:count]}


def _pyvis_lists(
    net: nx.MultiDiGraph,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network node and edge dicts, in a fixed order. A node's colour and shape come
    from its class alone (no vis-network group); only the most connected nodes carry a
    label at first (labels.js shows the others on zoom or hover)."""
    top = top_nodes(net)
    nodes = [
        {
            "id": n,
            "label": d["label"] if n in top else "",
            "govkgLabel": d["label"],
            "govkgTop": n in top,
            "govkgKind": d["kind"],
            "title": d["title"],
            "color": _node_color(d["color"]),
            "shape": d["shape"],
            "size": d["size"],
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
    net = Network(height="860px", width="100%", directed=True, cdn_resources="in_line", heading="")
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
        f'<div style="font-size:20px;font-weight:bold">{esc(title)}</div>'
        f"<div>{graph.number_of_nodes()} 个节点，{graph.number_of_edges()} 条关系；"
        "悬停在连线上可查看证据句与来源稿件；放大或悬停可显示其余节点名称。</div>" + _controls(provinces) + "</div>"
    )
    page = str(net.generate_html())
    return _decorate(page, title, header, _legend(graph), big)


def write_html(g: Graph, path: Path, title: str = "政务知识图谱") -> None:
    """Write the interactive pyvis view of g to path (atomic replace)."""
    write_atomic(Path(path), render_html(g, title).encode("utf-8"))
