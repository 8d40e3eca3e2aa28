// The details panel: a relationship's evidence (quote + source document) or a node's facts.

import { sourceUrl } from "./api.js";
import { h, replace } from "./dom.js";
import { CERTAINTIES, datesText, kindStyle, typeWords } from "./kinds.js";

function words(field) {
  const spaced = field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function kindBadge(kind) {
  const style = kindStyle(kind);
  return h("span", { class: "kind-badge", style: `--kind:${style.colour};--ink:${style.ink}`,
    "aria-hidden": "true" }, style.letter);
}

function nodeButton(ref, onNode) {
  return h("button", { type: "button", class: "link-button node-ref", "data-node-id": ref.id,
    onClick: () => onNode(ref) }, kindBadge(ref.kind), " ", ref.name);
}

function row(term, ...value) {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

/** Show a relationship: endpoints, type, dates, certainty, evidence quote, source link. */
export function renderRelationship(container, rel, { onNode }) {
  const certainty = CERTAINTIES[rel.certainty] || { label: rel.certainty, help: "" };
  const extra = ["role", "purpose", "amount"].filter((f) => rel[f]);
  replace(
    container,
    h("h2", { id: "details-title" }, "Relationship"),
    h("p", { class: "rel-sentence" },
      nodeButton(rel.from, onNode), " ",
      h("span", { class: "rel-type" }, rel.type), " ",
      nodeButton(rel.to, onNode)),
    h("p", { class: "muted" },
      `${rel.from.name} ${typeWords(rel.type)} ${rel.to.name}`.replace(/([^.!?])$/, "$1.")),
    h("dl", { class: "facts" },
      row("Dates", datesText(rel) || "undated"),
      row("Certainty", h("span", { class: `certainty certainty-${rel.certainty.toLowerCase()}` },
        certainty.label), certainty.help ? ` — ${certainty.help}` : ""),
      rel.note ? row("Note", rel.note) : null,
      extra.map((f) => row(words(f), rel[f])),
      row("Source", h("a", { class: "source-link", href: sourceUrl(rel.source), target: "_blank",
        rel: "noopener" }, rel.source))),
    h("figure", { class: "evidence" },
      h("blockquote", { class: "evidence-quote", cite: sourceUrl(rel.source) }, rel.evidence),
      h("figcaption", {}, "Evidence quoted from ",
        h("a", { href: sourceUrl(rel.source), target: "_blank", rel: "noopener" }, rel.source))),
    h("p", { class: "muted small" }, "Relationship id ", h("code", {}, rel.id)),
  );
}

/** Show a node's kind, name, aliases, kind-specific facts and source documents. */
export function renderNode(container, node, { onNeighbourhood, onFrom, onTo }) {
  const style = kindStyle(node.kind);
  const facts = Object.entries(node)
    .filter(([k, v]) => !["id", "kind", "name", "aliases", "sources", "__typename"].includes(k)
      && v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length));
  replace(
    container,
    h("h2", { id: "details-title", class: "node-title" }, kindBadge(node.kind), " ",
      h("span", { class: "title-name" }, node.name)),
    h("dl", { class: "facts" },
      row("Kind", style.label),
      row("Id", h("code", {}, node.id)),
      node.aliases.length ? row("Also known as", node.aliases.join("; ")) : null,
      facts.map(([k, v]) => row(words(k), Array.isArray(v) ? v.join(", ") : String(v))),
      row("Sources", node.sources.length
        ? h("ul", { class: "plain" }, node.sources.map((file) =>
          h("li", {}, h("a", { class: "source-link", href: sourceUrl(file), target: "_blank",
            rel: "noopener" }, file))))
        : "none")),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "secondary", onClick: () => onNeighbourhood(node) },
        "Neighbourhood"),
      h("button", { type: "button", class: "secondary", onClick: () => onFrom(node) },
        "Paths from here"),
      h("button", { type: "button", class: "secondary", onClick: () => onTo(node) },
        "Paths to here")),
  );
}

/** The empty panel, with a hint of what will appear there. */
export function renderDetailsHint(container, text) {
  replace(container, h("h2", { id: "details-title" }, "Details"), h("p", { class: "muted" }, text));
}
