// The legend under the drawing: every kind's shape, letter and colour, every certainty's line.

import { h, replace, s } from "./dom.js";
import { kindIcon } from "./graph-view.js";
import { CERTAINTIES, KINDS } from "./kinds.js";

/** Fill `container` with the legend. */
export function renderLegend(container) {
  const icon = (kind) => s("svg", { viewBox: "-26 -26 52 52", width: 22, height: 22, "aria-hidden": "true" },
    kindIcon(kind));
  const line = (dash) => s("svg", { viewBox: "0 0 44 10", width: 44, height: 10, "aria-hidden": "true" },
    s("line", { x1: 1, y1: 5, x2: 43, y2: 5, class: "legend-line", "stroke-dasharray": dash || null }));
  replace(container,
    h("h3", { class: "sr-only" }, "Legend"),
    h("ul", { class: "legend-kinds" }, Object.entries(KINDS).map(([kind, style]) =>
      h("li", {}, icon(kind), ` ${style.letter} ${style.label}`))),
    h("ul", { class: "legend-lines" }, Object.values(CERTAINTIES).map((c) =>
      h("li", {}, line(c.dash), ` ${c.label}`)),
      h("li", {}, "arrow: the relationship's direction")));
}
