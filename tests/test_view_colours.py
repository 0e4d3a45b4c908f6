"""The HTML view of a build of 2,000 xwlb news items in headless Chromium: the pixels of
nodes of every class have their legend's colour, the most connected nodes' labels are
readable at the opening zoom, and a screenshot is kept in exports/test-artifacts/.

The corpus is ../shared/corpus/xwlb/xwlb.jsonl.gz (beside the repository), or the file GOVKG_XWLB names; the
test is skipped without it (and without Chromium, as tests/test_view_browser.py is).

In the page, a hook (added to a copy) waits for the layout to settle, then for up to 12
nodes of each class centres the view on the node at scale 2, redraws, and takes the most
frequent colour of the canvas pixels within 30% of the node's radius of its centre (the
label drawn inside a box covers less than that). At least two thirds of the nodes of
each class must show exactly their legend's colour; the rest may be covered by another
node drawn on top of them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import SHARED
from test_view_browser import CHROMIUM, dump_dom, read_png, screenshot, with_hooks

from graph.run.pipeline import build_corpus

XWLB = Path(os.environ.get("GOVKG_XWLB", SHARED / "corpus" / "xwlb" / "xwlb.jsonl.gz"))
ITEMS = 2000
ARTIFACTS = Path(__file__).resolve().parents[1] / "exports" / "test-artifacts"
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not found at /usr/bin/chromium"),
    pytest.mark.skipif(not XWLB.is_file(), reason=f"{XWLB} not found (set GOVKG_XWLB)"),
]

COLOURS_HOOK = """<script>
(function () {
  var done = false;
  function hex(r, g, b) {
    return "#" + [r, g, b].map(function (v) { return (v < 16 ? "0" : "") + v.toString(16); }).join("");
  }
  function sample() {
    if (done) return;
    done = true;
    network.stopSimulation();
    var out = {scale: network.getScale(), samples: {}};
    var top = nodes.get({filter: function (n) { return n.govkgTop === true; }});
    out.top = top.length;
    out.topFont = top.length && top[0].font ? top[0].font.size : 14;
    out.labelled = nodes.get({filter: function (n) { return n.label !== ""; }}).length;
    var canvas = document.querySelector("#mynetwork canvas"), ctx = canvas.getContext("2d");
    var ratio = canvas.width / canvas.clientWidth, byKind = {};
    nodes.forEach(function (n) { (byKind[n.govkgKind] = byKind[n.govkgKind] || []).push(n); });
    Object.keys(byKind).forEach(function (kind) {
      out.samples[kind] = byKind[kind].slice(0, 12).map(function (n) {
        var pos = network.getPositions([n.id])[n.id];
        network.moveTo({position: pos, scale: 2, animation: false});
        network.redraw();
        var c = network.canvasToDOM(pos), r = Math.max(1, Math.floor(n.size * 2 * 0.3 * ratio));
        var x = Math.round(c.x * ratio), y = Math.round(c.y * ratio);
        var data = ctx.getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data, counts = {}, best = null;
        for (var i = 0; i < data.length; i += 4) {
          var key = hex(data[i], data[i + 1], data[i + 2]);
          counts[key] = (counts[key] || 0) + 1;
          if (best === null || counts[key] > counts[best]) best = key;
        }
        return best;
      });
    });
    document.body.setAttribute("data-test-colours", JSON.stringify(out));
  }
  network.once("stabilizationIterationsDone", function () { setTimeout(sample, 500); });
  setTimeout(sample, 15000);
})();
</script>
"""


@pytest.fixture(scope="module")
def xwlb_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 2,000 items of xwlb.jsonl.gz built (jobs=2) with graph.html."""
    folder = tmp_path_factory.mktemp("xwlb2000")
    part = folder / "xwlb2000.jsonl.gz"
    with gzip.open(XWLB, "rt", encoding="utf-8") as src, gzip.open(part, "wt", encoding="utf-8") as dst:
        for number, line in enumerate(src):
            if number == ITEMS:
                break
            dst.write(line)
    out_dir = folder / "build"
    report = build_corpus([part], out_dir, jobs=2, quiet=True, html=True, log=io.StringIO())
    assert report.articles > 1500 and (out_dir / "graph.html").is_file()
    return out_dir


def test_node_pixels_have_their_legend_colour(xwlb_build: Path, tmp_path: Path) -> None:
    page = with_hooks(xwlb_build / "graph.html", tmp_path / "hooked.html", body_end=COLOURS_HOOK)
    dom = dump_dom(page, tmp_path / "profile")
    legend = {}
    for box in dom.select("#govkg-legend input.govkg-kind"):
        style = box.find_next_sibling("span")["style"]
        legend[box["value"]] = style.split("color:")[1].split(";")[0].strip().lower()
    found = json.loads(dom.body["data-test-colours"])
    assert set(found["samples"]) == set(legend) and len(legend) >= 6, (found, legend)
    for kind, colours in found["samples"].items():
        right = sum(colour == legend[kind] for colour in colours)
        assert right >= 2 * len(colours) / 3, f"{kind}: legend {legend[kind]}, pixels {colours}"
    # the most connected nodes labelled, at least 12 px high on screen at the opening zoom
    assert found["top"] == found["labelled"] == 40
    assert found["topFont"] * found["scale"] >= 12, found


def test_screenshot_is_kept(xwlb_build: Path, tmp_path: Path) -> None:
    png = tmp_path / "view.png"
    screenshot(xwlb_build / "graph.html", tmp_path / "profile", png)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy2(png, ARTIFACTS / f"view-xwlb-{ITEMS}.png")
    width, height, rows = read_png(png)
    assert (width, height) == (1200, 900)
    colours = {row[i : i + 3] for row in rows[::7] for i in range(0, len(row), 21)}
    assert len(colours) > 20, "the screenshot is nearly blank"
