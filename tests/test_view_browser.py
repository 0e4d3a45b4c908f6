"""The HTML page in a real browser: headless Chromium with the network blocked.

Chromium's own --dump-dom (the DOM after the page's scripts ran, once the
virtual-time budget is spent) and --screenshot stand in for a browser driver.
Test hooks are added to a copy of the page, never to the page govkg writes:

- the sample build draws: a <canvas> inside the network div, the legend, the
  controls, and the page's own data-govkg-ready="N nodes" marker on <body>
  (set on the network's first 'afterDrawing'); the screenshot is not blank;
- the search box and the class, province and date filters work in the page
  (a hook script drives them and records the results on <body>);
- an article carrying <script>alert(1)</script> and <img src=x onerror=…>
  through the real pipeline runs neither: window.alert is replaced before the
  page's scripts by a function that sets document.title = 'ALERTED', every
  tooltip element is rendered into the document, and the dumped DOM holds the
  escaped text but no <img> element; a control copy with a real <img onerror>
  shows the hook does catch a script that runs.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, URIRef

from graph.ask.views import date_nodes, province_index
from graph.outputs.network import to_networkx
from graph.rdf.vocab import GOV, SCHEMA
from graph.run.pipeline import build_corpus

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium not found at /usr/bin/chromium (apt-get install chromium fonts-wqy-zenhei)",
)

TIMEOUT = 60  # seconds of wall time for one Chromium run
VIRTUAL_TIME_MS = 20_000  # page time Chromium fast-forwards through before dumping
WINDOW = (1200, 900)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # nothing leaves the machine: no proxy listens on port 9, no name resolves
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

ALERT_HOOK = """<script>
window.alert = function () { document.title = "ALERTED"; };
</script>
"""
# after the page's scripts: put every tooltip element into the document, count images
TIPS_HOOK = """<script>
window.addEventListener("load", function () {
  var box = document.createElement("div");
  box.id = "govkg-test-tips";
  nodes.get().concat(edges.get()).forEach(function (item) {
    if (item.title instanceof Element) box.appendChild(item.title.cloneNode(true));
  });
  document.body.appendChild(box);
  document.body.setAttribute("data-test-images", String(document.images.length));
});
</script>
"""
# drives the controls like a user would and records what the page shows
CONTROLS_HOOK = """<script>
window.addEventListener("load", function () {
  var out = {}, count = function () { return document.getElementById("govkg-count").textContent; };
  var fire = function (el) { el.dispatchEvent(new Event("change")); };
  var province = document.getElementById("govkg-province");
  province.value = %(province)s; fire(province);
  out.province = count();
  province.value = ""; fire(province);
  var box = document.querySelector('input.govkg-kind[value="measure"]');
  box.checked = false; fire(box);
  out.noMeasures = count();
  box.checked = true; fire(box);
  document.getElementById("govkg-from").value = %(start)s;
  document.getElementById("govkg-to").value = %(end)s;
  fire(document.getElementById("govkg-to"));
  out.dates = count();
  out.shownEvents = nodes.getIds().filter(function (id) {
    var n = nodes.get(id);
    return (n.govkgKind === "meeting" || n.govkgKind === "inspection") && network.body.data.nodes.get(id) !== null;
  });
  document.getElementById("govkg-reset").click();
  out.reset = count();
  var search = document.getElementById("govkg-search"), form = document.getElementById("govkg-search-form");
  search.value = %(name)s; form.requestSubmit();
  out.selected = network.getSelectedNodes();
  search.value = "不存在的名字"; form.requestSubmit();
  out.missing = document.getElementById("govkg-status").textContent;
  document.body.setAttribute("data-test", JSON.stringify(out));
});
</script>
"""


def _chromium(profile: Path, *args: str) -> str:
    """Run Chromium once (its own profile, at most TIMEOUT seconds); its stdout."""
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its helper processes share our child's group
    )
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"Chromium took more than {TIMEOUT}s: {' '.join(args)}")
    assert proc.returncode == 0, err.decode("utf-8", "replace")[-2000:]
    return out.decode("utf-8")


def dump_dom(page: Path, profile: Path) -> BeautifulSoup:
    text = _chromium(profile, f"--virtual-time-budget={VIRTUAL_TIME_MS}", "--dump-dom", page.as_uri())
    assert "<body" in text, text[:500]
    return BeautifulSoup(text, "html.parser")


def screenshot(page: Path, profile: Path, png: Path) -> None:
    _chromium(
        profile,
        f"--virtual-time-budget={VIRTUAL_TIME_MS}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        f"--screenshot={png}",
        page.as_uri(),
    )


def with_hooks(page: Path, out: Path, *, head: str = "", body_end: str = "") -> Path:
    """A copy of page with `head` before its first script and `body_end` before </body>."""
    text = page.read_text(encoding="utf-8")
    first = text.index("<script")
    text = text[:first] + head + text[first:]
    end = text.rindex("</body>")
    out.write_text(text[:end] + body_end + text[end:], encoding="utf-8")
    return out


# ---------------------------------------------------------------- a tiny PNG reader


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced RGB/RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    assert header is not None, "no IHDR"
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, header
    bpp = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + prev[i]) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, prev[i], prev[i - bpp] if i >= bpp else 0)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i] for i in range(stride) if i % bpp < 3) if bpp == 4 else r for r in rows]


def _pixels(rows: Sequence[bytes], x0: int, x1: int, y0: int, y1: int) -> list[bytes]:
    """The RGB bytes of each pixel in [x0, x1) x [y0, y1)."""
    return [rows[y][3 * x : 3 * x + 3] for y in range(y0, y1) for x in range(x0, x1)]


# ---------------------------------------------------------------- the sample build


def test_sample_page_draws(built_samples: tuple[Path, Graph], tmp_path: Path) -> None:
    out_dir, g = built_samples
    count = to_networkx(g).number_of_nodes()
    dom = dump_dom(out_dir / "graph.html", tmp_path / "profile")
    body = dom.body
    assert body is not None
    assert body.get("data-govkg-ready") == f"{count} nodes"
    assert dom.select_one("#mynetwork canvas") is not None, "no <canvas> inside the network div"
    legend = dom.select_one("#govkg-legend")
    assert legend is not None
    assert "图例" in legend.get_text() and "官员" in legend.get_text() and "会议" in legend.get_text()
    assert len(legend.select("input.govkg-kind[checked]")) >= 5
    assert dom.select_one("input#govkg-search[type=search]") is not None
    assert len(dom.select("#govkg-names option")) > 10  # filled in by the page's script
    provinces = [o.get_text() for o in dom.select("#govkg-province option")]
    assert provinces[0] == "全部" and len(provinces) == 1 + len(province_index(g).names)
    assert dom.select_one("input#govkg-from[type=date]") and dom.select_one("input#govkg-to[type=date]")
    count_text = dom.select_one("#govkg-count")
    assert count_text is not None and count_text.get_text() == f"显示 {count} / {count} 个节点"


def test_sample_page_screenshot_is_not_blank(built_samples: tuple[Path, Graph], tmp_path: Path) -> None:
    out_dir, _ = built_samples
    png = tmp_path / "graph.png"
    screenshot(out_dir / "graph.html", tmp_path / "profile", png)
    assert png.is_file() and png.stat().st_size > 20_000, "screenshot missing or near-empty"
    width, height, rows = read_png(png)
    assert (width, height) == WINDOW
    # the drawing area: below the header, left of the legend box
    canvas = _pixels(rows, 20, width - 280, 130, height - 20)
    colours = set(canvas)
    drawn = sum(1 for p in canvas if p != b"\xff\xff\xff") / len(canvas)
    assert len(colours) > 50 and drawn > 0.01, (len(colours), drawn)
    node_colours = {bytes(c) for c in ((214, 39, 40), (31, 119, 180), (148, 103, 189))}  # 官员, 会议, 防控措施
    assert node_colours <= colours, node_colours - colours


def test_sample_page_search_and_filters(built_samples: tuple[Path, Graph], tmp_path: Path) -> None:
    out_dir, g = built_samples
    net = to_networkx(g)
    total = net.number_of_nodes()
    index = province_index(g)
    province = next(iter(index.names))
    in_province = sum(1 for n in net.nodes if province in index.members.get(URIRef(n), ()))
    measures = sum(1 for _, kind in net.nodes(data="kind") if kind == "measure")
    start, end = "2022-02-15", "2022-02-17"
    events = {n for n, kind in net.nodes(data="kind") if kind in ("meeting", "inspection")}
    dated = {n for n in events if any((URIRef(n), p, None) in g for p in (SCHEMA.startDate, GOV.monthDay))}
    in_range = {str(n) for n in date_nodes(g, start, end)} & events  # the SPARQL view's answer
    names = [d["name"] for _, d in net.nodes(data=True)]
    official, name = next(
        (n, d["name"])
        for n, d in sorted(net.nodes(data=True))
        if d["kind"] == "official" and names.count(d["name"]) == 1
    )
    hook = CONTROLS_HOOK % {
        k: json.dumps(v) for k, v in (("province", str(province)), ("start", start), ("end", end), ("name", name))
    }
    page = with_hooks(out_dir / "graph.html", tmp_path / "controls.html", body_end=hook)
    body = dump_dom(page, tmp_path / "profile").body
    assert body is not None and body.get("data-test"), "the hook did not run"
    result = json.loads(str(body["data-test"]))
    assert result["province"] == f"显示 {in_province} / {total} 个节点"
    assert 0 < in_province < total
    assert result["noMeasures"] == f"显示 {total - measures} / {total} 个节点"
    # the page's date filter agrees with view_dates.rq; undated events stay
    assert set(result["shownEvents"]) == in_range | (events - dated)
    assert result["dates"] == f"显示 {total - len(dated - in_range)} / {total} 个节点"
    assert len(dated - in_range) > 0 and in_range
    assert result["reset"] == f"显示 {total} / {total} 个节点"
    assert result["selected"] == [official]
    assert result["missing"] == "未找到“不存在的名字”"


# ---------------------------------------------------------------- hostile article text


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.html built by the real pipeline from one article carrying markup."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "in").mkdir()
    (root / "in" / "hostile.txt").write_text(
        "焦作市召开疫情防控工作会议\n"
        "3月5日，焦作市委书记王建国主持召开会议<script>alert(1)</script>，研究部署疫情防控工作。"
        "市长李明华<img src=x onerror=alert(1)>出席会议并讲话。会议要求，要严格落实核酸检测。\n",
        encoding="utf-8",
    )
    report = build_corpus([root / "in"], root / "out", jobs=1, quiet=True)
    assert report.articles == 1, report.summary()
    page = root / "out" / "graph.html"
    text = page.read_text(encoding="utf-8")
    # the hostile sentences did reach the page (as evidence), escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    return page


def test_hostile_article_runs_no_script(hostile_page: Path, tmp_path: Path) -> None:
    page = with_hooks(hostile_page, tmp_path / "hooked.html", head=ALERT_HOOK, body_end=TIPS_HOOK)
    dom = dump_dom(page, tmp_path / "profile")
    assert dom.title is not None and dom.title.get_text() == "政务知识图谱"  # not ALERTED
    body = dom.body
    assert body is not None
    assert str(body.get("data-govkg-ready", "")).endswith(" nodes")  # the page still works
    assert body.get("data-test-images") == "0"
    assert dom.find_all("img") == []
    assert not [s for s in dom.find_all("script") if s.get_text().strip() == "alert(1)"]
    tips = dom.select_one("#govkg-test-tips")
    assert tips is not None
    text = tips.get_text()
    assert "<script>alert(1)</script>" in text  # shown as text in the tooltips
    assert "<img src=x onerror=alert(1)>" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in str(tips)


def test_hook_catches_a_script_that_does_run(hostile_page: Path, tmp_path: Path) -> None:
    """Control: the same hooks on a copy with a real <img onerror> do see it run."""
    broken = "<img src=x onerror=alert(1)>\n" + TIPS_HOOK
    page = with_hooks(hostile_page, tmp_path / "control.html", head=ALERT_HOOK, body_end=broken)
    dom = dump_dom(page, tmp_path / "profile")
    assert dom.title is not None and dom.title.get_text() == "ALERTED"
    assert len(dom.find_all("img")) == 1
