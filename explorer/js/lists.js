// The list views: the accessible twin of the drawing. Every step, node and relationship is a
// button; arrow keys move between them (Up/Down: rows, Left/Right: within a row).

import { h, replace } from "./dom.js";
import { CERTAINTIES, datesText, kindStyle } from "./kinds.js";

function kindBadge(kind) {
  const style = kindStyle(kind);
  return h("span", { class: "kind-badge", style: `--kind:${style.colour};--ink:${style.ink}`,
    "aria-hidden": "true" }, style.letter);
}

function nodeRef(node, onNode) {
  const style = kindStyle(node.kind);
  return h("button", { type: "button", class: "link-button node-ref", "data-node-id": node.id,
    "aria-label": `${style.label}: ${node.name}`, onClick: () => onNode(node) },
  kindBadge(node.kind), " ", node.name);
}

function relMeta(rel) {
  const certainty = rel.certainty !== "STATED" ? CERTAINTIES[rel.certainty]?.label : "";
  return [datesText(rel), certainty].filter(Boolean).join(" · ");
}

/** A relationship as a button: "—TYPE→" or, walked against its direction, "←TYPE—". */
function relRef(rel, forward, onRel) {
  const meta = relMeta(rel);
  const label = `${rel.from.name} ${rel.type} ${rel.to.name}${meta ? `, ${meta}` : ""}. Show evidence.`;
  return h("button", {
    type: "button",
    class: `rel-ref certainty-${rel.certainty.toLowerCase()}`,
    "data-rel-id": rel.id,
    "aria-label": label,
    onClick: () => onRel(rel, "click"),
    onFocus: () => onRel(rel, "focus"),
    onMouseenter: () => onRel(rel, "hover"),
  },
  h("span", { class: "rel-arrow", "aria-hidden": "true" },
    forward ? `— ${rel.type} →` : `← ${rel.type} —`),
  meta ? h("span", { class: "rel-meta" }, meta) : null);
}

/** Arrow-key movement between the buttons of a list, row by row. */
function installArrowKeys(container, rowSelector) {
  container.addEventListener("keydown", (ev) => {
    if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End"].includes(ev.key)) {
      return;
    }
    const rows = [...container.querySelectorAll(rowSelector)];
    const here = ev.target.closest(rowSelector);
    if (!here || ev.target.tagName !== "BUTTON") return;
    const buttons = (rowEl) => [...rowEl.querySelectorAll("button")];
    const r = rows.indexOf(here);
    const c = buttons(here).indexOf(ev.target);
    let target = null;
    if (ev.key === "ArrowDown" && r + 1 < rows.length) {
      const next = buttons(rows[r + 1]);
      target = next[Math.min(c, next.length - 1)];
    } else if (ev.key === "ArrowUp" && r > 0) {
      const prev = buttons(rows[r - 1]);
      target = prev[Math.min(c, prev.length - 1)];
    } else if (ev.key === "ArrowRight") {
      target = buttons(here)[c + 1];
    } else if (ev.key === "ArrowLeft") {
      target = buttons(here)[c - 1];
    } else if (ev.key === "Home") {
      target = buttons(rows[0])[0];
    } else if (ev.key === "End") {
      target = buttons(rows[rows.length - 1]).at(-1);
    }
    if (target) {
      ev.preventDefault();
      target.focus();
    }
  });
}

/** The paths as ordered lists of steps, each path headed by its summary sentence. */
export function renderPathList(container, paths, { onNode, onRel }) {
  const list = h("ol", { class: "path-list" },
    paths.map((path, i) => h("li", { class: "path", "data-path-index": i },
      h("h3", {}, `Path ${i + 1}`, h("span", { class: "muted" },
        ` · ${path.length} ${path.length === 1 ? "hop" : "hops"}`)),
      h("p", { class: "path-summary" }, path.summary),
      h("ol", { class: "steps" },
        path.steps.map((step) => h("li", { class: "step" },
          nodeRef(step.from, onNode), " ",
          relRef(step.relationship, step.direction === "FORWARD", onRel), " ",
          nodeRef(step.to, onNode)))))));
  replace(container, h("h2", { id: "list-title" }, "Paths as a list"),
    h("p", { class: "muted small" },
      "Tab to a step; arrow keys move between steps and along a step; Enter shows details."),
    list);
  installArrowKeys(list, ".step");
}

/** A neighbourhood as nodes grouped by depth, then every relationship among them. */
export function renderNeighbourhoodList(container, { nodes, depths, rels }, { onNode, onRel }) {
  const byDepth = new Map();
  for (const node of nodes) {
    const d = depths.get(node.id) ?? 0;
    if (!byDepth.has(d)) byDepth.set(d, []);
    byDepth.get(d).push(node);
  }
  const depthRows = [...byDepth.keys()].sort((a, b) => a - b).map((d) => h("li", { class: "depth-row" },
    h("h3", {}, d === 0 ? "Centre" : `Depth ${d}`,
      h("span", { class: "muted" }, ` · ${byDepth.get(d).length}`)),
    h("p", { class: "node-refs" }, byDepth.get(d)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => [nodeRef(n, onNode), " "]))));
  const relRows = rels.map((rel) => h("li", { class: "step" },
    nodeRef(rel.from, onNode), " ", relRef(rel, true, onRel), " ", nodeRef(rel.to, onNode)));
  const nodeList = h("ul", { class: "plain depth-list" }, depthRows);
  const relList = h("ol", { class: "steps rel-list" }, relRows);
  replace(container, h("h2", { id: "list-title" }, "Neighbourhood as a list"),
    nodeList,
    h("h3", {}, `Relationships`, h("span", { class: "muted" }, ` · ${rels.length}`)),
    relList);
  installArrowKeys(nodeList, ".depth-row");
  installArrowKeys(relList, ".step");
}
