// The view's state lives in the query string, so a view can be shared and restored.
//   view=overview|paths|neighbourhood  from, to (node ids)  hops 1-6  k 1-10
//   types=A,B (absent = all types; present but empty = none)  asOf=YYYY[-MM[-DD]]
//   minCertainty=STATED|INFERRED|UNCERTAIN|PLANNED  node (selected or centre node id)
//   depth 1-2 (neighbourhood)  expand=id,id (neighbourhood nodes expanded by clicking)

export const VIEWS = ["overview", "paths", "neighbourhood"];
export const CERTAINTY_NAMES = ["STATED", "INFERRED", "UNCERTAIN", "PLANNED"];
const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export const DEFAULTS = Object.freeze({
  view: "overview",
  from: null,
  to: null,
  hops: 4,
  k: 3,
  types: null,
  asOf: "",
  minCertainty: "",
  node: null,
  depth: 1,
  expand: [],
});

function clampInt(text, lo, hi, fallback) {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

function idList(text) {
  return text ? text.split(",").map((t) => t.trim()).filter(Boolean) : [];
}

/** Whether `text` is a partial ISO date the API accepts (YYYY, YYYY-MM, YYYY-MM-DD). */
export function isPartialDate(text) {
  return PARTIAL_DATE.test(text);
}

/** State from a query string; bad values fall back to defaults instead of failing. */
export function parseState(search) {
  const q = new URLSearchParams(search);
  const state = { ...DEFAULTS, expand: [] };
  state.from = q.get("from") || null;
  state.to = q.get("to") || null;
  state.node = q.get("node") || null;
  state.hops = clampInt(q.get("hops"), 1, 6, DEFAULTS.hops);
  state.k = clampInt(q.get("k"), 1, 10, DEFAULTS.k);
  state.depth = clampInt(q.get("depth"), 1, 2, DEFAULTS.depth);
  state.types = q.has("types") ? idList(q.get("types")) : null;
  const asOf = (q.get("asOf") || "").trim();
  state.asOf = isPartialDate(asOf) ? asOf : "";
  const certainty = (q.get("minCertainty") || "").toUpperCase();
  state.minCertainty = CERTAINTY_NAMES.includes(certainty) ? certainty : "";
  state.expand = idList(q.get("expand"));
  const view = q.get("view");
  if (VIEWS.includes(view)) state.view = view;
  else if (state.from && state.to) state.view = "paths";
  else if (state.node) state.view = "neighbourhood";
  return state;
}

/** The query string of a state; defaults are left out to keep shared links short. */
export function stateToQuery(state) {
  const q = new URLSearchParams();
  q.set("view", state.view);
  if (state.from) q.set("from", state.from);
  if (state.to) q.set("to", state.to);
  if (state.hops !== DEFAULTS.hops) q.set("hops", String(state.hops));
  if (state.k !== DEFAULTS.k) q.set("k", String(state.k));
  if (state.types !== null) q.set("types", state.types.join(","));
  if (state.asOf) q.set("asOf", state.asOf);
  if (state.minCertainty) q.set("minCertainty", state.minCertainty);
  if (state.node) q.set("node", state.node);
  if (state.view === "neighbourhood" && state.depth !== DEFAULTS.depth) {
    q.set("depth", String(state.depth));
  }
  if (state.view === "neighbourhood" && state.expand.length) q.set("expand", state.expand.join(","));
  // Ids and type lists read better with literal "/" and ",".
  return `?${q.toString().replaceAll("%2F", "/").replaceAll("%2C", ",")}`;
}
