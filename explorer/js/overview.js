// The network overview shown when nothing is selected: clusters by country as an SVG bar
// chart, a table twin of the chart, and the counts of every kind of node.

import { h, replace, s } from "./dom.js";
import { KINDS, countOf, kindStyle } from "./kinds.js";

export const NOT_STATED = "Country not stated";

/** [{country, clusters: [...]}] sorted by cluster count (desc), then country name. */
export function clustersByCountry(clusters) {
  const groups = new Map();
  for (const cluster of clusters) {
    const country = (cluster.country || "").trim() || NOT_STATED;
    if (!groups.has(country)) groups.set(country, []);
    groups.get(country).push(cluster);
  }
  return [...groups.entries()]
    .map(([country, list]) => ({
      country,
      clusters: list.sort((a, b) => a.name.localeCompare(b.name)),
    }))
    // Clusters without a country go last: they are a gap in the data, not a country.
    .sort((a, b) => (a.country === NOT_STATED) - (b.country === NOT_STATED)
      || b.clusters.length - a.clusters.length || a.country.localeCompare(b.country));
}

function tickStep(max) {
  if (max <= 5) return 1;
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((step) => step >= raw);
}

function barChart(groups, onCountry) {
  const labelW = 170;
  const barW = 420;
  const rowH = 28;
  const top = 44;
  const max = Math.max(1, ...groups.map((g) => g.clusters.length));
  const step = tickStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const height = top + groups.length * rowH + 12;
  const width = labelW + barW + 60;
  const x = (n) => labelW + (n / axisMax) * barW;
  const ticks = [];
  for (let t = 0; t <= axisMax; t += step) ticks.push(t);
  return s("svg", {
    class: "bar-chart", viewBox: `0 0 ${width} ${height}`, width, height,
    role: "group", "aria-labelledby": "overview-chart-title",
  },
  s("g", { class: "axis", "aria-hidden": "true" },
    ticks.map((t) => [
      s("line", { x1: x(t), x2: x(t), y1: top - 6, y2: height - 8, class: "grid" }),
      s("text", { x: x(t), y: top - 12, class: "tick" }, String(t)),
    ]),
    s("text", { x: labelW + barW / 2, y: 12, class: "axis-title" }, "Number of clusters")),
  groups.map((g, i) => {
    const y = top + i * rowH;
    const n = g.clusters.length;
    return s("g", {
      class: "bar", tabindex: "0", role: "button", "data-country": g.country,
      "aria-label": `${g.country}: ${n} ${n === 1 ? "cluster" : "clusters"}. Show them.`,
      onClick: () => onCountry(g.country),
      onKeydown: (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          onCountry(g.country);
        }
      },
    },
    s("title", {}, `${g.country}: ${g.clusters.map((c) => c.name).join(", ")}`),
    s("rect", { x: 0, y, width, height: rowH, class: "bar-hit" }),
    s("text", { x: labelW - 10, y: y + rowH / 2 + 4.5, class: "bar-label" }, g.country),
    s("rect", { x: labelW, y: y + 5, width: Math.max(2, x(n) - labelW), height: rowH - 10,
      rx: 3, class: `bar-rect${g.country === NOT_STATED ? " not-stated" : ""}` }),
    s("text", { x: x(n) + 6, y: y + rowH / 2 + 4.5, class: "bar-value" }, String(n)));
  }));
}

/** Render the overview into `container`. */
export function renderOverview(container, clusters, stats, { onNode }) {
  const groups = clustersByCountry(clusters);
  const countries = groups.filter((g) => g.country !== NOT_STATED).length;
  const table = h("table", { class: "country-table" },
    h("caption", {}, "Clusters by country"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Country"),
      h("th", { scope: "col", class: "num" }, "Clusters"), h("th", { scope: "col" }, "Names"))),
    h("tbody", {}, groups.map((g) => h("tr", { "data-country": g.country, tabindex: "-1" },
      h("th", { scope: "row" }, g.country),
      h("td", { class: "num" }, String(g.clusters.length)),
      h("td", {}, g.clusters.map((c) => [h("button", {
        type: "button", class: "link-button node-ref", "data-node-id": c.id,
        onClick: () => onNode(c),
      }, c.name), " "]))))));
  const onCountry = (country) => {
    for (const tr of table.querySelectorAll("tr.highlight")) tr.classList.remove("highlight");
    const tr = [...table.querySelectorAll("tbody tr")].find((r) => r.dataset.country === country);
    if (tr) {
      tr.classList.add("highlight");
      tr.scrollIntoView({ block: "nearest", behavior: "smooth" });
      tr.querySelector("button")?.focus({ preventScroll: true });
    }
  };
  const kindOrder = Object.keys(KINDS);
  const kinds = (stats?.nodesByKind || []).filter((k) => k.count > 0)
    .sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));
  const relTotal = (stats?.relationshipsByType || []).reduce((a, r) => a + r.count, 0);
  replace(container,
    h("h2", { id: "overview-chart-title" }, "ICN clusters by country"),
    h("p", { class: "muted", id: "overview-summary" },
      `${clusters.length} clusters in ${countries} ${countries === 1 ? "country" : "countries"}. `,
      "Choose a bar or a cluster name to explore; or search for two nodes to see who knows whom."),
    groups.length ? barChart(groups, onCountry) : h("p", {}, "No clusters loaded yet."),
    kinds.length ? h("p", { class: "kind-counts" }, "The graph holds ",
      kinds.map((k, i) => [
        h("span", { class: "kind-count" },
          h("span", { class: "kind-badge", style: `--kind:${kindStyle(k.kind).colour};--ink:${kindStyle(k.kind).ink}`,
            "aria-hidden": "true" }, kindStyle(k.kind).letter),
          ` ${countOf(k.kind, k.count)}`),
        i < kinds.length - 1 ? ", " : "",
      ]), ` and ${relTotal} relationships.`) : null,
    table);
}
