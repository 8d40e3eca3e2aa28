// The SVG drawing: nodes (shape + letter + colour by kind), relationships (labelled with type and
// dates, dashed unless stated, arrow in the relationship's direction), pan and zoom.

import { s, truncate } from "./dom.js";
import { CERTAINTIES, datesText, kindStyle } from "./kinds.js";

const NODE_R = 22;
// Below these scales labels get unreadable: pan instead of shrinking further. A neighbourhood
// may shrink more, since its overall shape matters first and its labels show on demand.
const MIN_SCALE = { paths: 0.72, neighbourhood: 0.45 };
// Past this many relationships a neighbourhood shows edge labels only around the node or
// relationship under the pointer, the keyboard focus or the selection.
const DENSE_EDGES = 24;
const DENSE_LABELS = 14;

/** The outline of a kind's shape, centred on 0,0. */
export function shapeElement(shape, attrs = {}, r = NODE_R) {
  const poly = (n, start) =>
    Array.from({ length: n }, (_, i) => {
      const a = ((start + (360 / n) * i) * Math.PI) / 180;
      return `${(r * Math.cos(a)).toFixed(1)},${(r * Math.sin(a)).toFixed(1)}`;
    }).join(" ");
  const k = r / NODE_R;
  switch (shape) {
    case "square":
      return s("rect", { x: -18 * k, y: -18 * k, width: 36 * k, height: 36 * k, rx: 4 * k, ...attrs });
    case "hexagon":
      return s("polygon", { points: poly(6, 0), ...attrs });
    case "octagon":
      return s("polygon", { points: poly(8, 22.5), ...attrs });
    case "pentagon":
      return s("polygon", { points: poly(5, -90), ...attrs });
    case "pill":
      return s("rect", { x: -27 * k, y: -16 * k, width: 54 * k, height: 32 * k, rx: 16 * k, ...attrs });
    case "diamond":
      return s("polygon", { points: `0,${-24 * k} ${24 * k},0 0,${24 * k} ${-24 * k},0`, ...attrs });
    case "triangle":
      return s("polygon", { points: `0,${-25 * k} ${24 * k},${17 * k} ${-24 * k},${17 * k}`, ...attrs });
    case "document":
      return s("path", {
        d: `M${-17 * k},${-21 * k} H${7 * k} L${17 * k},${-11 * k} V${21 * k} H${-17 * k} Z`,
        ...attrs,
      });
    default:
      return s("circle", { r, ...attrs });
  }
}

/** A kind's icon (shape + letter) at 0,0: used by the drawing and the legend. */
export function kindIcon(kind, r = NODE_R) {
  const style = kindStyle(kind);
  const dy = style.shape === "triangle" ? 0.36 * r : 0.2 * r;
  return [
    shapeElement(style.shape, { class: "node-shape", fill: style.colour }, r),
    s("text", { class: "node-letter", y: dy, fill: style.ink, "font-size": 0.62 * r,
      "aria-hidden": "true" }, style.letter),
  ];
}

/** A name on at most two short lines, so neighbouring columns do not collide. */
export function wrapName(name, width = 17) {
  const lines = [];
  let line = "";
  for (const word of name.split(/\s+/)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= 2) return lines.map((l) => truncate(l, width + 2));
  return [truncate(lines[0], width + 2), truncate(lines.slice(1).join(" "), width)];
}

function relLabel(rel) {
  const certainty = rel.certainty !== "STATED" ? CERTAINTIES[rel.certainty]?.label : "";
  return { type: rel.type, meta: [datesText(rel), certainty].filter(Boolean).join(" · ") };
}

/** Words a screen reader announces for a relationship in the drawing. */
export function relDescription(rel) {
  const { meta } = relLabel(rel);
  return `${rel.from.name} ${rel.type} ${rel.to.name}${meta ? `, ${meta}` : ""}`;
}

export class GraphView {
  /**
   * @param {SVGSVGElement} svg
   * @param {object} handlers onNode(node, event), onEdge(rel, how) with how = hover|focus|click
   */
  constructor(svg, handlers) {
    this.svg = svg;
    this.handlers = handlers;
    this.viewBox = null;
    this.bounds = null;
    this.mode = "paths";
    this.installPanZoom();
  }

  clear() {
    this.svg.replaceChildren();
    this.svg.removeAttribute("viewBox");
  }

  /**
   * Draw a layout from layout.js. `options`: mode ("paths" | "neighbourhood"), centerKey,
   * expanded (Set of node ids), rings.
   */
  render(layout, options = {}) {
    this.mode = options.mode || "paths";
    this.selected = { relId: null, nodeId: null };
    this.svg.classList.toggle("dense", this.mode === "neighbourhood" && layout.edges.length > DENSE_EDGES);
    const byKey = new Map(layout.nodes.map((n) => [n.key, n]));
    const defs = s("defs", {},
      s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
        markerHeight: 7, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head" })),
      s("marker", { id: "arrow-selected", viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 9, markerHeight: 9, orient: "auto-start-reverse",
        markerUnits: "userSpaceOnUse" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head selected" })));
    const rings = s("g", { class: "rings", "aria-hidden": "true" },
      (layout.rings || []).map((ring) => [
        s("circle", { r: ring.r, class: "ring" }),
        s("text", { class: "ring-label", x: 0, y: -ring.r - 6 }, `depth ${ring.depth}`),
      ]));
    const edgeLayer = s("g", { class: "edges" });
    const labelLayer = s("g", { class: "edge-labels", "aria-hidden": "true" });
    const nodeLayer = s("g", { class: "nodes" });

    // Parallel relationships between the same two drawn nodes fan out as curves.
    const groups = new Map();
    for (const e of layout.edges) {
      const pair = [e.sourceKey, e.targetKey].sort().join("\u0000");
      if (!groups.has(pair)) groups.set(pair, []);
      groups.get(pair).push(e);
    }
    const points = [];
    for (const group of groups.values()) {
      group.forEach((e, i) => {
        const a = byKey.get(e.sourceKey);
        const b = byKey.get(e.targetKey);
        if (!a || !b) return;
        const offset = (i - (group.length - 1) / 2) * 58;
        const drawn = this.edgeElement(e, a, b, offset, group[0].sourceKey);
        edgeLayer.append(drawn.edge);
        labelLayer.append(drawn.label);
        points.push(drawn.labelAt);
      });
    }
    for (const item of layout.nodes) {
      nodeLayer.append(this.nodeElement(item, options));
      points.push({ x: item.x, y: item.y });
    }
    this.svg.replaceChildren(defs, rings, edgeLayer, labelLayer, nodeLayer);
    // Fit the nodes and labels; the depth rings are guides and may run off the edge.
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    this.bounds = {
      x: Math.min(...xs) - 95,
      y: Math.min(...ys) - 45,
      x2: Math.max(...xs) + 95,
      y2: Math.max(...ys) + 70,
    };
    this.fit();
  }

  edgeElement(e, a, b, offset, canonicalSourceKey) {
    const rel = e.rel;
    // The normal is taken from the group's first edge so opposite-direction edges fan apart.
    const flip = e.sourceKey === canonicalSourceKey ? 1 : -1;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const nx = (-dy / len) * flip;
    const ny = (dx / len) * flip;
    const cx = (a.x + b.x) / 2 + nx * offset;
    const cy = (a.y + b.y) / 2 + ny * offset;
    const trim = (p, towards, by) => {
      const tx = towards.x - p.x;
      const ty = towards.y - p.y;
      const l = Math.hypot(tx, ty) || 1;
      return { x: p.x + (tx / l) * by, y: p.y + (ty / l) * by };
    };
    const start = trim(a, { x: cx, y: cy }, NODE_R + 3);
    const end = trim(b, { x: cx, y: cy }, NODE_R + 5);
    const d = `M${start.x.toFixed(1)},${start.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${end.x.toFixed(1)},${end.y.toFixed(1)}`;
    const labelAt = { x: 0.25 * a.x + 0.5 * cx + 0.25 * b.x, y: 0.25 * a.y + 0.5 * cy + 0.25 * b.y };
    const certainty = CERTAINTIES[rel.certainty] || CERTAINTIES.STATED;
    const { type, meta } = relLabel(rel);
    const description = relDescription(rel);
    const edge = s("g", {
      class: `edge certainty-${rel.certainty.toLowerCase()}`,
      tabindex: "0",
      role: "button",
      "aria-label": `Relationship: ${description}. Show evidence.`,
      "data-rel-id": rel.id,
      "data-ends": `${rel.from.id} ${rel.to.id}`,
      onMouseenter: () => this.handlers.onEdge(rel, "hover"),
      onFocus: () => this.handlers.onEdge(rel, "focus"),
      onClick: () => this.handlers.onEdge(rel, "click"),
      onKeydown: (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          this.handlers.onEdge(rel, "click");
        }
      },
    },
    s("title", {}, `${description} — ${certainty.help}`),
    s("path", { class: "edge-hit", d }),
    s("path", {
      class: "edge-line", d, "marker-end": "url(#arrow)",
      "stroke-dasharray": certainty.dash || null,
    }));
    const label = s("text", { class: "edge-label", x: labelAt.x, y: labelAt.y - (meta ? 6 : 0),
      "data-rel-id": rel.id, "data-ends": `${rel.from.id} ${rel.to.id}` },
    s("tspan", { class: "edge-type", x: labelAt.x }, type),
    meta ? s("tspan", { class: "edge-meta", x: labelAt.x, dy: 13 }, meta) : null);
    return { edge, label, labelAt };
  }

  nodeElement(item, options) {
    const node = item.node;
    const style = kindStyle(node.kind);
    const isCenter = options.centerKey === item.key;
    const expandable = options.mode === "neighbourhood" && !(options.expanded || new Set()).has(node.id);
    const hint = options.mode === "neighbourhood"
      ? (expandable ? "Show details and expand its neighbourhood." : "Show details.")
      : "Show details.";
    const nameLines = wrapName(node.name);
    return s("g", {
      class: `node${isCenter ? " center" : ""}`,
      transform: `translate(${item.x.toFixed(1)},${item.y.toFixed(1)})`,
      tabindex: "0",
      role: "button",
      "aria-label": `${style.label}: ${node.name}. ${hint}`,
      "data-node-id": node.id,
      "data-kind": node.kind,
      onClick: (ev) => this.handlers.onNode(node, ev),
      onMouseenter: () => this.markIncident(node.id),
      onMouseleave: () => this.markIncident(this.selected.nodeId),
      onFocus: () => this.markIncident(node.id),
      onBlur: () => this.markIncident(this.selected.nodeId),
      onKeydown: (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          this.handlers.onNode(node, ev);
        }
      },
    },
    s("title", {}, `${style.label}: ${node.name} (${node.id})`),
    s("circle", { r: NODE_R + 7, class: "node-halo" }),
    kindIcon(node.kind),
    expandable ? s("text", { class: "node-expand", x: NODE_R - 2, y: -NODE_R + 6,
      "aria-hidden": "true" }, "+") : null,
    nameLines.map((line, i) => s("text", { class: "node-name", y: NODE_R + 17 + i * 14 }, line)),
    s("text", { class: "node-kind", y: NODE_R + 31 + (nameLines.length - 1) * 14 }, style.label));
  }

  /** Emphasise (and, when dense, label) the relationships of one node. */
  markIncident(nodeId) {
    const touches = (el) => !!nodeId && el.dataset.ends.split(" ").includes(nodeId);
    const edges = [...this.svg.querySelectorAll(".edge")];
    for (const el of edges) el.classList.toggle("incident", touches(el));
    // A hub's labels would pile up around it: label on demand only a readable handful.
    const few = edges.filter(touches).length <= DENSE_LABELS;
    for (const el of this.svg.querySelectorAll(".edge-label")) {
      el.classList.toggle("incident", few && touches(el));
    }
  }

  /** Mark the selected relationship and node (by id) in the drawing. */
  setSelected({ relId = null, nodeId = null } = {}) {
    this.selected = { relId, nodeId };
    this.markIncident(nodeId);
    for (const el of this.svg.querySelectorAll(".edge, .edge-label")) {
      const on = el.dataset.relId === relId;
      el.classList.toggle("selected", on);
      const line = el.querySelector(".edge-line");
      if (line) line.setAttribute("marker-end", on ? "url(#arrow-selected)" : "url(#arrow)");
    }
    for (const el of this.svg.querySelectorAll(".node")) {
      el.classList.toggle("selected", el.dataset.nodeId === nodeId);
    }
  }

  /** Show the whole drawing, unless that would shrink text below MIN_SCALE (then pan). */
  fit() {
    if (!this.bounds) return;
    const w = this.svg.clientWidth || 800;
    const h = this.svg.clientHeight || 500;
    const bw = this.bounds.x2 - this.bounds.x;
    const bh = this.bounds.y2 - this.bounds.y;
    const scale = Math.max(MIN_SCALE[this.mode] || 0.72, Math.min(1, w / bw, h / bh));
    const vw = w / scale;
    const vh = h / scale;
    const cx = (this.bounds.x + this.bounds.x2) / 2;
    const cy = (this.bounds.y + this.bounds.y2) / 2;
    // Too wide for the box: paths start at the left edge (the start node stays in view).
    const x = this.mode === "paths" && bw > vw ? this.bounds.x : cx - vw / 2;
    this.setViewBox({ x, y: cy - vh / 2, w: vw, h: vh });
  }

  setViewBox(vb) {
    this.viewBox = vb;
    this.svg.setAttribute("viewBox", `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
  }

  /** Zoom by `factor` (>1 = closer) around a point in drawing coordinates (default: centre). */
  zoom(factor, at = null) {
    if (!this.viewBox) return;
    const vb = this.viewBox;
    const p = at || { x: vb.x + vb.w / 2, y: vb.y + vb.h / 2 };
    const w = Math.min(20000, Math.max(120, vb.w / factor));
    const h = (vb.h * w) / vb.w;
    this.setViewBox({ x: p.x - ((p.x - vb.x) * w) / vb.w, y: p.y - ((p.y - vb.y) * h) / vb.h, w, h });
  }

  installPanZoom() {
    let drag = null;
    this.svg.addEventListener("pointerdown", (ev) => {
      // Only the background pans; nodes and relationships keep their clicks.
      if (ev.target.closest(".node, .edge") || !this.viewBox) return;
      drag = { x: ev.clientX, y: ev.clientY, vb: { ...this.viewBox } };
      this.svg.setPointerCapture(ev.pointerId);
      this.svg.classList.add("panning");
    });
    this.svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const k = drag.vb.w / (this.svg.clientWidth || 1);
      this.setViewBox({ ...drag.vb, x: drag.vb.x - (ev.clientX - drag.x) * k,
        y: drag.vb.y - (ev.clientY - drag.y) * k });
    });
    const stop = () => {
      drag = null;
      this.svg.classList.remove("panning");
    };
    this.svg.addEventListener("pointerup", stop);
    this.svg.addEventListener("pointercancel", stop);
    // Ctrl/Cmd + wheel zooms; the plain wheel keeps scrolling the page.
    this.svg.addEventListener("wheel", (ev) => {
      if (!(ev.ctrlKey || ev.metaKey) || !this.viewBox) return;
      ev.preventDefault();
      const rect = this.svg.getBoundingClientRect();
      const vb = this.viewBox;
      const at = { x: vb.x + ((ev.clientX - rect.left) / rect.width) * vb.w,
        y: vb.y + ((ev.clientY - rect.top) / rect.height) * vb.h };
      this.zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, at);
    }, { passive: false });
  }
}
