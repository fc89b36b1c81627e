"""The code network as one self-contained HTML page, with vis-network (its JavaScript inlined,
so the page opens offline): nodes can be dragged, hovered for their definition and counts,
filtered by co-occurrence weight, and clicked to list the code's quotes. Once vis-network's
layout settles, the page moves apart the nodes whose labels touch (vis-network keeps only the
dots apart) and holds the layout still.

The page reports on its ``<body>`` what it drew (``data-nodes``, ``data-edges``,
``data-drawn``, ``data-errors``), which is what the tests read in headless Chromium.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from qcode.analysis.network_figure import EDGE_STYLES, aggregate_sizes, node_colors
from qcode.errors import InvalidInputError
from qcode.i18n import _, current, relation_arrow

VIS_VERSION = "10.1.2"
QUOTES_PER_CODE = 50


def _script(text: str) -> str:
    """JSON safe inside a <script> element ("</" only occurs in its strings)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _with(d: Mapping[str, Any]) -> str:
    """What a node's aggregate count adds to its own codings (see ``aggregate_sizes``)."""
    if "aggregate" not in d:
        return _("with sub-codes")
    n = int(d.get("aggregate_categories", 0))
    if not n:
        return _("with its sub-codes")
    if n == 1:
        return _("with its sub-codes and the category related to it, and theirs")
    return _("with its sub-codes and the {n} categories related to it, and theirs").format(n=n)


def _edge_label(kind: str, label: str) -> str:
    """A link's own label as the tooltip shows it: a relation's type and the code tree's
    "contains" in the interface's language (a type the researcher named as it is)."""
    if kind == "hierarchy" and label == "contains":
        return _("contains")
    return relation_arrow(label) if kind == "relation" else label


def page_data(
    g: nx.Graph,
    quotes: Mapping[str, Sequence[Mapping[str, Any]]],
    definitions: Mapping[str, str],
) -> dict[str, Any]:
    """Nodes, edges and quotes as the page uses them (``quotes`` and ``definitions`` by code
    path; a quote has ``document`` and ``text``)."""
    chain = [c for c in str(g.graph.get("chain", "")).split(",") if c]
    colors = node_colors(g, chain)
    sizes = aggregate_sizes(g)
    nodes, quoted = [], {}
    for n, d in g.nodes(data=True):
        path = str(d.get("path", n))
        own, total = float(d.get("size", 0.0)), sizes[n]
        counts = _("codings: {n}").format(n=f"{own:g}")
        if total != own:
            counts += _(" ({with_what}: {n})").format(with_what=_with(d), n=f"{total:g}")
        definition = definitions.get(path, "")
        nodes.append(
            {
                "id": str(n),
                "label": str(d.get("label", n)),
                "title": "\n".join(x for x in (path, definition, counts) if x),
                "value": max(total, 0.5),
                "color": colors.get(str(d.get("kind", "")), "#999999"),
                "shape": "dot" if d.get("kind") in ("open", "axial", "selective") else "square",
                "kind": str(d.get("kind", "")),
            }
        )
        quoted[str(n)] = [
            {"document": str(q["document"]), "text": str(q["text"])}
            for q in list(quotes.get(path, ()))[:QUOTES_PER_CODE]
        ]
    edges = []
    for i, (a, b, d) in enumerate(g.edges(data=True)):
        kind = str(d.get("kind", "cooccurrence"))
        style = EDGE_STYLES.get(kind, EDGE_STYLES["cooccurrence"])
        weight = float(d.get("weight", 1.0))
        edges.append(
            {
                "id": i,
                "from": str(a),
                "to": str(b),
                "kind": kind,
                "weight": weight,
                "value": weight if kind == "cooccurrence" else 1,
                "title": _("{kind}: {n}").format(kind=_(style["label"]), n=f"{weight:g}")
                if kind == "cooccurrence"
                else f"{_(style['label'])} {_edge_label(kind, str(d.get('label', '')))}".strip(),
                "color": {"color": style["color"], "opacity": 0.6},
                "dashes": kind != "cooccurrence",
            }
        )
    return {"nodes": nodes, "edges": edges, "quotes": quoted}


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ margin: 0; font: 14px/1.4 "DejaVu Sans", "Noto Sans CJK SC", sans-serif; display: flex;
  flex-direction: column; height: 100vh; color: #1a1a1a; }}
#bar {{ padding: 6px 10px; border-bottom: 1px solid #ccc; }}
#main {{ flex: 1; display: flex; min-height: 0; }}
#net {{ flex: 3; }}
#side {{ flex: 1; overflow: auto; padding: 0 10px; border-left: 1px solid #ccc; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 320px; }}
blockquote {{ margin: 0 0 8px; padding-left: 8px; border-left: 3px solid #0072B2; }}
cite {{ font-size: 12px; color: #555; }}
</style>
</head>
<body data-drawn="no" data-errors="0">
<div id="bar"><strong>{title}</strong> &middot;
<label>{least} <input id="weight" type="range" min="1" max="{top}" value="1">
<output id="weight-value">1</output></label> &middot; <span id="status"></span></div>
<div id="main"><div id="net"></div>
<div id="side"><h2 id="code">{click}</h2><p id="definition"></p><div id="quotes"></div></div>
</div>
<script>
window.qcodeErrors = [];
window.addEventListener("error", function (e) {{
  window.qcodeErrors.push(String(e.message));
  document.body.dataset.errors = String(window.qcodeErrors.length);
}});
</script>
<script>/* vis-network {version}, dual licensed Apache-2.0 or MIT */
{vis}
</script>
<script>
const DATA = {data};
const WORDS = {words};
const nodes = new vis.DataSet(DATA.nodes);
const edges = new vis.DataSet(DATA.edges);
let least = 1;
const shown = new vis.DataView(edges, {{
  filter: function (e) {{ return e.kind !== "cooccurrence" || e.weight >= least; }}
}});
const network = new vis.Network(document.getElementById("net"), {{ nodes: nodes, edges: shown }}, {{
  nodes: {{ scaling: {{ min: 6, max: 30 }}, font: {{ size: 13 }}, borderWidth: 1 }},
  edges: {{ scaling: {{ min: 0.5, max: 6 }}, smooth: false }},
  interaction: {{ hover: true, tooltipDelay: 100, dragNodes: true }},
  physics: {{ stabilization: {{ iterations: 150 }}, barnesHut: {{ springLength: 120 }} }},
  layout: {{ randomSeed: {seed}, improvedLayout: DATA.nodes.length <= 100 }}
}});
function report() {{
  document.body.dataset.nodes = String(nodes.length);
  document.body.dataset.placed = String(Object.keys(network.getPositions()).length);
  document.body.dataset.edges = String(shown.length);
  document.getElementById("status").textContent = WORDS.status
    .replace("{{nodes}}", String(nodes.length)).replace("{{edges}}", String(shown.length));
}}
function showCode(id) {{
  const n = nodes.get(id);
  if (!n) return;
  document.getElementById("code").textContent = n.label;
  document.getElementById("definition").textContent = n.title;
  const box = document.getElementById("quotes");
  box.replaceChildren();
  const qs = DATA.quotes[id] || [];
  if (!qs.length) box.textContent = WORDS.none;
  qs.forEach(function (q) {{
    const b = document.createElement("blockquote");
    b.className = "quote";
    b.textContent = q.text;
    const c = document.createElement("cite");
    c.textContent = " \u2014 " + q.document;
    b.appendChild(c);
    box.appendChild(b);
  }});
}}
const slider = document.getElementById("weight");
slider.addEventListener("input", function () {{
  least = Number(slider.value);
  document.getElementById("weight-value").textContent = slider.value;
  shown.refresh();
  report();
}});
// once the layout has settled, move apart the nodes whose labels touch (vis-network keeps only
// the dots apart), then hold the layout still: dragging a node moves that node alone
const GAP = 4;
function boxes(ids, pos) {{
  const box = {{}};
  ids.forEach(function (id) {{
    const b = network.getBoundingBox(id), p = pos[id];
    box[id] = {{ l: b.left - p.x, r: b.right - p.x, t: b.top - p.y, b: b.bottom - p.y }};
  }});
  return box;
}}
function overlap(pa, A, pc, C) {{
  return [Math.min(pa.x + A.r, pc.x + C.r) - Math.max(pa.x + A.l, pc.x + C.l),
          Math.min(pa.y + A.b, pc.y + C.b) - Math.max(pa.y + A.t, pc.y + C.t)];
}}
function touching(ids, pos, box) {{
  let n = 0;
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {{
    const o = overlap(pos[ids[i]], box[ids[i]], pos[ids[j]], box[ids[j]]);
    if (o[0] > 0 && o[1] > 0) n++;
  }}
  return n;
}}
function spread() {{
  // from the top down, each node kept where it is when its label is clear of those above,
  // else moved up or down by the least that clears them (below them all always does)
  network.setOptions({{ physics: false }});
  const pos = network.getPositions(), ids = Object.keys(pos), box = boxes(ids, pos);
  ids.sort(function (a, b) {{ return pos[a].y - pos[b].y; }});
  const placed = [];
  function clear(id, y) {{
    const at = {{ x: pos[id].x, y: y }};
    return placed.every(function (q) {{
      const o = overlap(at, box[id], pos[q], box[q]);
      return o[0] + GAP <= 0 || o[1] + GAP <= 0;
    }});
  }}
  ids.forEach(function (id) {{
    const p = pos[id], A = box[id];
    if (!clear(id, p.y)) {{
      const ys = [];
      placed.forEach(function (q) {{
        const pq = pos[q], Q = box[q];
        if (overlap(p, A, pq, Q)[0] + GAP > 0) {{
          ys.push(pq.y + Q.b - A.t + GAP + 0.01, pq.y + Q.t - A.b - GAP - 0.01);
        }}
      }});
      ys.sort(function (a, b) {{ return Math.abs(a - p.y) - Math.abs(b - p.y); }});
      const y = ys.find(function (y) {{ return clear(id, y); }});
      if (y !== undefined) p.y = y;
    }}
    placed.push(id);
  }});
  ids.forEach(function (id) {{ network.moveNode(id, pos[id].x, pos[id].y); }});
  network.fit();
  document.body.dataset.overlaps = String(touching(ids, network.getPositions(), box));
  document.body.dataset.spread = "yes";
}}
network.once("stabilizationIterationsDone", spread);
network.on("click", function (p) {{ if (p.nodes.length) showCode(p.nodes[0]); }});
network.once("afterDrawing", function () {{ document.body.dataset.drawn = "yes"; }});
report();
const wanted = new URLSearchParams(location.hash.slice(1));
if (wanted.has("show")) showCode(wanted.get("show"));
if (wanted.has("least")) {{
  slider.value = wanted.get("least");
  slider.dispatchEvent(new Event("input"));
}}
</script>
</body>
</html>
"""


def write_html(
    g: nx.Graph,
    path: str | Path,
    quotes: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    definitions: Mapping[str, str] | None = None,
    title: str | None = None,
    seed: int = 42,
) -> Path:
    """Write the interactive network to ``path`` (one .html file, nothing else needed)."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InvalidInputError(
            _("{path}: the interactive network must end in .html").format(path=path)
        )
    vis = (resources.files("qcode.analysis") / "assets" / "vis-network.min.js").read_text(
        encoding="utf-8"
    )
    data = page_data(g, quotes or {}, definitions or {})
    top = max((e["weight"] for e in data["edges"] if e["kind"] == "cooccurrence"), default=1)
    words = {"status": _("{nodes} nodes, {edges} edges shown"), "none": _("No quotes.")}
    text = PAGE.format(
        lang=current(),
        title=html.escape(_("Code network") if title is None else title),
        least=html.escape(_("least co-occurrence")),
        click=html.escape(_("Click a node")),
        words=_script(json.dumps(words, ensure_ascii=False)),
        top=int(top),
        version=VIS_VERSION,
        vis=vis,  # it holds no "</script" (a test checks), so it goes in as it is
        data=_script(json.dumps(data, ensure_ascii=False, sort_keys=True)),
        seed=int(seed),
    )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(
            _("{path}: cannot write ({strerror})").format(path=path, strerror=exc.strerror)
        ) from exc
    return path
