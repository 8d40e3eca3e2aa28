// The explorer's controller: reads the URL state, drives the controls, asks the GraphQL API,
// and renders the overview, the paths or a neighbourhood (drawing + list + details panel).

import {
  fetchAllClusters,
  fetchNeighbourhoods,
  fetchNodeDetails,
  fetchNodes,
  fetchPaths,
  fetchStats,
  loadSchemaInfo,
  searchNodes,
} from "./api.js";
import { Combobox } from "./combobox.js";
import {
  fillSelect,
  readControls as readControlValues,
  renderTypeCheckboxes,
  typeBoxes,
  writeControls,
} from "./controls.js";
import { h, replace } from "./dom.js";
import { GraphView, relDescription } from "./graph-view.js";
import { layeredLayout, radialLayout } from "./layout.js";
import { renderLegend } from "./legend.js";
import { renderNeighbourhoodList, renderPathList } from "./lists.js";
import { renderOverview } from "./overview.js";
import { renderDetailsHint, renderNode, renderRelationship } from "./panels.js";
import { parseState, stateToQuery } from "./state.js";

const NEIGHBOURHOOD_LIMIT = 80;
const $ = (id) => document.getElementById(id);

const els = {
  form: $("path-form"),
  from: $("from-input"),
  to: $("to-input"),
  hops: $("hops"),
  k: $("k"),
  depth: $("depth"),
  asOf: $("as-of"),
  minCertainty: $("min-certainty"),
  typesList: $("types-list"),
  error: $("error"),
  status: $("status"),
  announce: $("announce"),
  overview: $("overview"),
  graphSection: $("graph-section"),
  graphTitle: $("graph-title"),
  svg: $("graph"),
  legend: $("legend"),
  list: $("list-view"),
  details: $("details"),
  shareStatus: $("share-status"),
};

let state = parseState(window.location.search);
let schemaInfo = { fieldsByType: new Map() };
let stats = null;
let clustersCache = null;
let renderToken = 0;
/** The neighbourhood on screen: merged nodes, depths and relationships, for expansion. */
let hood = null;

const graph = new GraphView(els.svg, {
  onNode: (node) => onNodeActivated(node),
  onEdge: (rel, how) => showRelationship(rel, how),
});

const fromBox = new Combobox(els.from, {
  fetch: (text, signal) => searchNodes(schemaInfo, text, signal),
  onChange: (node) => {
    state.from = node ? node.id : null;
  },
  selectedEl: $("from-selected"),
});
const toBox = new Combobox(els.to, {
  fetch: (text, signal) => searchNodes(schemaInfo, text, signal),
  onChange: (node) => {
    state.to = node ? node.id : null;
  },
  selectedEl: $("to-selected"),
});

// ---------------------------------------------------------------- messages

function showError(err) {
  const code = err && err.code ? err.code : "ERROR";
  const message = err && err.message ? err.message : String(err);
  replace(els.error, h("strong", {}, `Error ${code}`), ": ", message);
  els.error.hidden = false;
  els.error.dataset.code = code;
}

function clearError() {
  els.error.hidden = true;
  els.error.dataset.code = "";
  replace(els.error);
}

function setStatus(text) {
  els.status.textContent = text;
}

function announce(text) {
  els.announce.textContent = text;
}

// ---------------------------------------------------------------- controls

/** Read the controls into the state; false (and the message shown) for an unusable date. */
function readControls() {
  const result = readControlValues(els);
  if (result.error) {
    showError(result.error);
    return false;
  }
  Object.assign(state, result.values);
  return true;
}

function filters() {
  return { types: state.types, asOf: state.asOf, minCertainty: state.minCertainty };
}

// ---------------------------------------------------------------- navigation

function navigate(patch, { push = true } = {}) {
  state = { ...state, ...patch };
  const url = stateToQuery(state);
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
  return renderView();
}

function updateUrl() {
  window.history.replaceState(null, "", stateToQuery(state));
}

async function onFiltersChanged() {
  clearError();
  if (!readControls()) return;
  if (state.view === "overview") {
    updateUrl();
    return;
  }
  await navigate({}, { push: false });
}

/** Names for the ids in the state, so the comboboxes show them after a URL load. */
async function resolveNames() {
  const ids = [...new Set([state.from, state.to].filter(Boolean))];
  const known = new Map();
  if (ids.length) {
    try {
      const nodes = await fetchNodes(ids);
      nodes.forEach((node, i) => {
        if (node) known.set(ids[i], node);
      });
    } catch (err) {
      showError(err);
    }
  }
  const fallback = (id) => ({ id, kind: (id.split("/")[0] || "").toUpperCase(), name: id });
  fromBox.setValue(state.from ? known.get(state.from) || fallback(state.from) : null);
  toBox.setValue(state.to ? known.get(state.to) || fallback(state.to) : null);
}

// ---------------------------------------------------------------- views

async function renderView() {
  renderToken += 1;
  const token = renderToken;
  // `data-ready` names the view once it is drawn (tests and screenshots wait for it).
  delete document.body.dataset.ready;
  clearError();
  const isGraph = state.view !== "overview";
  els.overview.hidden = isGraph;
  els.graphSection.hidden = !isGraph;
  document.body.dataset.view = state.view;
  try {
    if (state.view === "paths") await renderPaths(token);
    else if (state.view === "neighbourhood") await renderNeighbourhood(token);
    else await renderOverviewView(token);
  } catch (err) {
    if (token !== renderToken) return;
    setStatus("");
    showError(err);
  }
  if (token === renderToken) document.body.dataset.ready = state.view;
}

async function renderOverviewView(token) {
  hood = null;
  setStatus("Loading the network overview…");
  renderDetailsHint(els.details,
    "Search for a person, organisation or cluster, or pick a cluster below, to see its relationships here.");
  if (!clustersCache) clustersCache = await fetchAllClusters();
  if (token !== renderToken) return;
  renderOverview(els.overview, clustersCache, stats, {
    onNode: (node) => navigate({ view: "neighbourhood", node: node.id, expand: [] }),
  });
  setStatus("");
}

async function renderPaths(token) {
  hood = null;
  if (!state.from || !state.to) {
    throw { code: "BAD_USER_INPUT", message: "Pick both a From and a To node from the suggestions." };
  }
  els.graphTitle.textContent = `Paths from ${fromBox.value?.name || state.from} to ${toBox.value?.name || state.to}`;
  setStatus("Finding paths…");
  els.graphSection.setAttribute("aria-busy", "true");
  let paths;
  try {
    paths = await fetchPaths({ from: state.from, to: state.to, hops: state.hops, k: state.k, ...filters() });
  } finally {
    els.graphSection.removeAttribute("aria-busy");
  }
  if (token !== renderToken) return;
  if (!paths.length) {
    graph.clear();
    replace(els.list, h("h2", { id: "list-title" }, "Paths as a list"),
      h("p", { class: "empty-result" }, "No path found. Try more hops, fewer filters or another date."));
    setStatus(`No path between ${fromBox.value?.name || state.from} and ${toBox.value?.name || state.to} within ${state.hops} hops.`);
    renderDetailsHint(els.details, "No relationships to show.");
    return;
  }
  // Columns share the box's width (within readable limits): labels stay legible without panning.
  const hops = Math.max(...paths.map((p) => p.length));
  const colGap = Math.min(240, Math.max(150, ((els.svg.clientWidth || 760) - 230) / hops));
  const rows = Math.max(1, paths.length - 1);
  const rowGap = Math.min(170, Math.max(104, ((els.svg.clientHeight || 470) * 0.92 - 130) / rows));
  graph.render(layeredLayout(paths, { colGap, rowGap }), { mode: "paths" });
  renderPathList(els.list, paths, { onNode: onNodeActivated, onRel: showRelationship });
  const shortest = Math.min(...paths.map((p) => p.length));
  setStatus(`${paths.length} ${paths.length === 1 ? "path" : "paths"} found (shortest: ${shortest} ${shortest === 1 ? "hop" : "hops"}).`);
  if (state.node) await showNodeDetails({ id: state.node });
  else renderDetailsHint(els.details, "Hover, click or Tab to a relationship to see its source document and evidence quote.");
}

function mergeNeighbourhood(target, result, baseDepth) {
  for (const { node, depth } of result.nodes) {
    if (!target.nodes.has(node.id)) target.nodes.set(node.id, node);
    const d = baseDepth + depth;
    if (!target.depths.has(node.id) || target.depths.get(node.id) > d) target.depths.set(node.id, d);
  }
  for (const rel of result.relationships) target.rels.set(rel.id, rel);
  target.truncated = target.truncated || result.truncated;
}

async function renderNeighbourhood(token) {
  if (!state.node) throw { code: "BAD_USER_INPUT", message: "Pick a node to see its neighbourhood." };
  setStatus("Loading the neighbourhood…");
  const requests = [{ id: state.node, depth: state.depth }, ...state.expand.map((id) => ({ id, depth: 1 }))];
  const results = await fetchNeighbourhoods(requests, filters(), NEIGHBOURHOOD_LIMIT);
  if (token !== renderToken) return;
  hood = { center: results[0].center, nodes: new Map(), depths: new Map(), rels: new Map(), truncated: false };
  mergeNeighbourhood(hood, results[0], 0);
  results.slice(1).forEach((result, i) => {
    mergeNeighbourhood(hood, result, hood.depths.get(state.expand[i]) ?? 1);
  });
  drawNeighbourhood();
  await showNodeDetails(hood.center);
}

function drawNeighbourhood() {
  const rels = [...hood.rels.values()].sort((a, b) => a.id.localeCompare(b.id));
  const layout = radialLayout(hood.center.id, hood.nodes, rels);
  // Depths on screen come from the merged drawing (an expansion may bring nodes closer).
  for (const item of layout.nodes) hood.depths.set(item.key, item.depth);
  els.graphTitle.textContent = `Neighbourhood of ${hood.center.name}`;
  graph.render(layout, {
    mode: "neighbourhood",
    centerKey: hood.center.id,
    expanded: new Set([hood.center.id, ...state.expand]),
  });
  renderNeighbourhoodList(els.list, { nodes: [...hood.nodes.values()], depths: hood.depths, rels },
    { onNode: onNodeActivated, onRel: showRelationship });
  const expanded = state.expand.length ? `, ${state.expand.length} expanded` : "";
  setStatus(`${hood.nodes.size} nodes and ${rels.length} relationships around ${hood.center.name} (depth ${state.depth}${expanded}).${hood.truncated ? " Some nodes were left out: the neighbourhood is larger than the limit." : ""}`);
}

/** Clicking a node: in a neighbourhood it expands (merges its own neighbourhood); always details. */
async function onNodeActivated(node) {
  if (state.view === "neighbourhood" && hood && node.id !== hood.center.id && !state.expand.includes(node.id)) {
    await expandNode(node);
  }
  await showNodeDetails(node);
  if (state.view === "paths") {
    state.node = node.id;
    updateUrl();
  }
}

async function expandNode(node) {
  const token = renderToken;
  setStatus(`Expanding ${node.name}…`);
  try {
    const [result] = await fetchNeighbourhoods([{ id: node.id, depth: 1 }], filters(), NEIGHBOURHOOD_LIMIT);
    if (token !== renderToken || !hood) return;
    state.expand = [...state.expand, node.id];
    const before = hood.nodes.size;
    mergeNeighbourhood(hood, result, hood.depths.get(node.id) ?? 1);
    // Each expansion is a history entry: Back collapses it again.
    window.history.pushState(null, "", stateToQuery(state));
    drawNeighbourhood();
    announce(`${node.name} expanded: ${hood.nodes.size - before} new nodes.`);
    els.svg.querySelector(`.node[data-node-id="${CSS.escape(node.id)}"]`)?.focus({ preventScroll: true });
  } catch (err) {
    showError(err);
  }
}

async function showNodeDetails(ref) {
  try {
    const node = await fetchNodeDetails(schemaInfo, ref.id);
    if (!node) {
      showError({ code: "NOT_FOUND", message: `No node with id ${ref.id}.` });
      return;
    }
    renderNode(els.details, node, {
      onNeighbourhood: (n) => navigate({ view: "neighbourhood", node: n.id, expand: [] }),
      onFrom: (n) => pickEnd(fromBox, n),
      onTo: (n) => pickEnd(toBox, n),
    });
    graph.setSelected({ nodeId: node.id });
    markList(null);
  } catch (err) {
    showError(err);
  }
}

function pickEnd(box, node) {
  box.setValue({ id: node.id, kind: node.kind, name: node.name });
  if (box === fromBox) state.from = node.id;
  else state.to = node.id;
  updateUrl();
  if (state.from && state.to && state.from !== state.to) navigate({ view: "paths", node: null });
  else box.input.focus();
}

function markList(relId) {
  for (const el of els.list.querySelectorAll(".rel-ref")) {
    el.classList.toggle("selected", el.dataset.relId === relId);
  }
}

function showRelationship(rel, how) {
  renderRelationship(els.details, rel, { onNode: onNodeActivated });
  graph.setSelected({ relId: rel.id });
  markList(rel.id);
  if (how !== "hover") announce(`Evidence for ${relDescription(rel)} shown in the details panel.`);
}

// ---------------------------------------------------------------- wiring

function wire() {
  els.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearError();
    if (!readControls()) return;
    if (!fromBox.value || !toBox.value) {
      showError({ code: "BAD_USER_INPUT", message: "Pick both a From and a To node from the suggestions." });
      (fromBox.value ? els.to : els.from).focus();
      return;
    }
    if (fromBox.value.id === toBox.value.id) {
      showError({ code: "BAD_USER_INPUT", message: "From and To are the same node." });
      return;
    }
    navigate({ view: "paths", from: fromBox.value.id, to: toBox.value.id, node: null });
  });
  $("swap-button").addEventListener("click", () => {
    const a = fromBox.value;
    const b = toBox.value;
    fromBox.setValue(b);
    toBox.setValue(a);
    state.from = b ? b.id : null;
    state.to = a ? a.id : null;
    if (state.view === "paths" && state.from && state.to) navigate({}, { push: true });
  });
  $("neighbourhood-button").addEventListener("click", () => {
    clearError();
    if (!readControls()) return;
    const target = fromBox.value || toBox.value;
    if (!target) {
      showError({ code: "BAD_USER_INPUT", message: "Pick a node in From (or To) first." });
      els.from.focus();
      return;
    }
    navigate({ view: "neighbourhood", node: target.id, expand: [] });
  });
  $("overview-button").addEventListener("click", () => navigate({ view: "overview", node: null, expand: [] }));
  $("home-link").addEventListener("click", (ev) => {
    ev.preventDefault();
    navigate({ view: "overview", node: null, expand: [] });
  });
  $("share-button").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      els.shareStatus.textContent = "Link copied.";
    } catch {
      els.shareStatus.textContent = "Copy the address bar: it holds this view.";
    }
  });
  for (const el of [els.hops, els.k, els.depth, els.minCertainty]) {
    el.addEventListener("change", onFiltersChanged);
  }
  els.asOf.addEventListener("change", onFiltersChanged);
  els.typesList.addEventListener("change", onFiltersChanged);
  $("types-all").addEventListener("click", () => {
    for (const box of typeBoxes(els.typesList)) box.checked = true;
    onFiltersChanged();
  });
  $("types-none").addEventListener("click", () => {
    for (const box of typeBoxes(els.typesList)) box.checked = false;
    onFiltersChanged();
  });
  $("zoom-in").addEventListener("click", () => graph.zoom(1.25));
  $("zoom-out").addEventListener("click", () => graph.zoom(1 / 1.25));
  $("zoom-fit").addEventListener("click", () => graph.fit());
  window.addEventListener("popstate", async () => {
    state = parseState(window.location.search);
    writeControls(els, state);
    await resolveNames();
    await renderView();
  });
}

async function init() {
  fillSelect(els.hops, 1, 6);
  fillSelect(els.k, 1, 10);
  renderLegend(els.legend);
  wire();
  const [info, st] = await Promise.all([
    loadSchemaInfo(),
    fetchStats().catch((err) => {
      showError(err);
      return null;
    }),
  ]);
  schemaInfo = info;
  stats = st;
  renderTypeCheckboxes(els.typesList, stats);
  writeControls(els, state);
  await resolveNames();
  await renderView();
}

init().catch((err) => showError(err));
