// The sidebar's limit and filter controls: filled from the API's stats, written from and read
// into the URL state. The DOM elements come from the controller (app.js).

import { h, replace } from "./dom.js";
import { isPartialDate } from "./state.js";

/** Options lo..hi for a numeric <select>. */
export function fillSelect(select, lo, hi) {
  replace(select, Array.from({ length: hi - lo + 1 }, (_, i) =>
    h("option", { value: String(lo + i) }, String(lo + i))));
}

/** One checkbox per allow-listed relationship type (from `stats`), with its count. */
export function renderTypeCheckboxes(container, stats) {
  const types = [...(stats?.relationshipsByType || [])].sort((a, b) => a.type.localeCompare(b.type));
  if (!types.length) {
    replace(container, h("p", { class: "muted small" }, "Types unavailable."));
    return;
  }
  replace(container, types.map((t) => h("label", { class: `type-option${t.count ? "" : " empty"}` },
    h("input", { type: "checkbox", name: "types", value: t.type }),
    ` ${t.type} `,
    h("span", { class: "muted" }, `(${t.count})`))));
}

/** The relationship-type checkboxes. */
export function typeBoxes(container) {
  return [...container.querySelectorAll("input[type=checkbox]")];
}

/** Put the state's values into the controls (after a URL load or popstate). */
export function writeControls(els, state) {
  els.hops.value = String(state.hops);
  els.k.value = String(state.k);
  els.depth.value = String(state.depth);
  els.asOf.value = state.asOf;
  els.asOf.removeAttribute("aria-invalid");
  els.minCertainty.value = state.minCertainty;
  for (const box of typeBoxes(els.typesList)) {
    box.checked = state.types === null || state.types.includes(box.value);
  }
}

/**
 * The controls' values as a state patch: {values} or, for an unusable as-of date, {error}
 * (an error shaped like the API's, so the page shows it the same way).
 */
export function readControls(els) {
  const boxes = typeBoxes(els.typesList);
  const checked = boxes.filter((b) => b.checked).map((b) => b.value);
  const asOf = els.asOf.value.trim();
  if (asOf && !isPartialDate(asOf)) {
    els.asOf.setAttribute("aria-invalid", "true");
    return {
      error: { code: "BAD_USER_INPUT", message: `“${asOf}” is not a date: use 2011, 2011-10 or 2011-10-26.` },
    };
  }
  els.asOf.removeAttribute("aria-invalid");
  return {
    values: {
      hops: Number(els.hops.value),
      k: Number(els.k.value),
      depth: Number(els.depth.value),
      minCertainty: els.minCertainty.value,
      // All boxes ticked means "no type filter" (null), which keeps shared URLs short.
      types: boxes.length && checked.length === boxes.length ? null : checked,
      asOf,
    },
  };
}
