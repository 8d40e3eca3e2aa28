// How each node kind and certainty looks. Colour is never the only cue: every kind also has a
// shape and a letter, every certainty a line pattern and a word in the label.

/** Node kinds (GraphQL enum names) -> label, icon letter, shape, colour and text colour on it. */
export const KINDS = {
  NETWORK: { label: "Network", letter: "N", shape: "hexagon", colour: "#332288", ink: "#ffffff" },
  CLUSTER: { label: "Cluster", letter: "C", shape: "octagon", colour: "#0072b2", ink: "#ffffff" },
  ORGANISATION: {
    label: "Organisation", letter: "O", shape: "square", colour: "#007a5a", ink: "#ffffff",
  },
  PERSON: { label: "Person", letter: "P", shape: "circle", colour: "#c04a00", ink: "#ffffff" },
  PROJECT: { label: "Project", letter: "Pj", shape: "pentagon", colour: "#cc79a7", ink: "#1b1b1b" },
  PROGRAMME: { label: "Programme", letter: "Pg", shape: "pill", colour: "#882255", ink: "#ffffff" },
  AGREEMENT: { label: "Agreement", letter: "A", shape: "diamond", colour: "#e69f00", ink: "#1b1b1b" },
  EVENT: { label: "Event", letter: "E", shape: "triangle", colour: "#56b4e9", ink: "#1b1b1b" },
  DOCUMENT: { label: "Document", letter: "D", shape: "document", colour: "#666666", ink: "#ffffff" },
};

const UNKNOWN_KIND = { label: "Node", letter: "?", shape: "circle", colour: "#999999", ink: "#000" };

/** The style of a kind, tolerant of kinds this page does not know yet. */
export function kindStyle(kind) {
  return KINDS[kind] || { ...UNKNOWN_KIND, label: kind || "Node" };
}

/** Certainty enum names, most certain first, with their line pattern (SVG dasharray). */
export const CERTAINTIES = {
  STATED: { label: "stated", dash: null, help: "stated in the source" },
  INFERRED: { label: "inferred", dash: "9 5", help: "inferred from the source" },
  UNCERTAIN: { label: "uncertain", dash: "2 5", help: "the source is unclear" },
  PLANNED: { label: "planned", dash: "12 4 2 4", help: "announced or planned" },
};

/** Human words for a relationship's dates: "2010-10 – 2012", "since 2010", "" when undated. */
export function datesText(rel) {
  if (rel.since && rel.until) return `${rel.since} – ${rel.until}`;
  if (rel.since) return `since ${rel.since}`;
  if (rel.until) return `until ${rel.until}`;
  return "";
}

/** A relationship type in words: MEMBER_OF -> "member of". */
export function typeWords(type) {
  return type.toLowerCase().replaceAll("_", " ");
}

/** "1 person", "3 people", "2 clusters". */
export function countOf(kind, n) {
  const label = kindStyle(kind).label.toLowerCase();
  if (n === 1) return `1 ${label}`;
  return `${n} ${label === "person" ? "people" : `${label}s`}`;
}
