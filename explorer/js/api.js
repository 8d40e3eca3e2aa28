// The page's only way to the data: the public GraphQL API at /graphql (nothing else, no CDN).

// Relative to the page (/explore/), so the explorer also works behind a path prefix.
const ENDPOINT = new URL("../graphql", document.baseURI).href;

/** Link to a seed document the server serves as text. */
export function sourceUrl(file) {
  return new URL(`../sources/${encodeURIComponent(file)}`, document.baseURI).href;
}

/** An error the API reported (its `extensions.code`) or a transport failure. */
export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

/**
 * POST one GraphQL operation; returns `data` or throws ApiError with the first error's code.
 * Fields the anonymous page may not read (people's contact details, code FORBIDDEN) come back
 * as null next to the rest of the data: those errors are not failures of the page.
 */
export async function gql(query, variables = {}, { signal } = {}) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("NETWORK_ERROR", "The server could not be reached.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const errors = (body && Array.isArray(body.errors) && body.errors) || [];
  const partial = body && body.data && errors.every((e) => e.extensions?.code === "FORBIDDEN");
  const first = !partial && errors[0];
  if (first) {
    const code = (first.extensions && first.extensions.code) || "GRAPHQL_ERROR";
    throw new ApiError(code, first.message || "The API reported an error.");
  }
  if (!response.ok || !body || !body.data) {
    throw new ApiError(`HTTP_${response.status}`, `The API answered ${response.status}.`);
  }
  return body.data;
}

const CORE_FIELDS = new Set(["id", "kind", "name", "aliases", "sources"]);

/** Which plain fields each concrete Node type offers, read from introspection (empty if off). */
export async function loadSchemaInfo() {
  const query = `query ExplorerIntrospection {
    __schema { types { name kind interfaces { name }
      fields { name args { name }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
  }`;
  const fieldsByType = new Map();
  try {
    const data = await gql(query);
    for (const type of data.__schema.types) {
      if (type.kind !== "OBJECT" || !(type.interfaces || []).some((i) => i.name === "Node")) {
        continue;
      }
      const fields = [];
      for (const field of type.fields || []) {
        let t = field.type;
        while (t && (t.kind === "NON_NULL" || t.kind === "LIST")) t = t.ofType;
        const leaf = t && (t.kind === "SCALAR" || t.kind === "ENUM");
        if (leaf && field.args.length === 0 && !CORE_FIELDS.has(field.name)) {
          fields.push(field.name);
        }
      }
      fieldsByType.set(type.name, fields);
    }
  } catch (err) {
    // Introspection may be disabled in production: the page then shows the core fields only.
    console.warn("explorer: introspection unavailable", err);
  }
  return { fieldsByType };
}

/** Inline fragments asking each Node type for those of `wanted` it has (all when wanted=null). */
function typedFields(schemaInfo, wanted) {
  const parts = [];
  for (const [typeName, fields] of schemaInfo.fieldsByType) {
    const pick = wanted ? fields.filter((f) => wanted.includes(f)) : fields;
    if (pick.length) parts.push(`... on ${typeName} { ${pick.join(" ")} }`);
  }
  return parts.join(" ");
}

const REL_FIELDS = `id type since until certainty source evidence note role purpose amount
  from { id kind name } to { id kind name }`;

/** The API's counts: node kinds and every allow-listed relationship type. */
export async function fetchStats() {
  const data = await gql(`query ExplorerStats { stats {
    nodesByKind { kind count } relationshipsByType { type count } changeSeq lastLoadedAt } }`);
  return data.stats;
}

/** Search suggestions for the comboboxes. */
export async function searchNodes(schemaInfo, text, signal) {
  const place = typedFields(schemaInfo, ["city", "country", "title"]);
  const query = `query ExplorerSearch($text: String!) {
    search(text: $text, first: 8) { totalCount edges { score node { id kind name aliases ${place} } } }
  }`;
  const data = await gql(query, { text }, { signal });
  return data.search;
}

/** Id, kind and name of several nodes (null for unknown ids), in the order asked. */
export async function fetchNodes(ids) {
  const data = await gql(`query ExplorerNodes($ids: [ID!]!) { nodes(ids: $ids) { id kind name } }`, {
    ids,
  });
  return data.nodes;
}

/** Everything the node details panel shows. */
export async function fetchNodeDetails(schemaInfo, id) {
  const query = `query ExplorerNode($id: ID!) {
    node(id: $id) { id kind name aliases sources ${typedFields(schemaInfo, null)} }
  }`;
  const data = await gql(query, { id });
  return data.node;
}

/** Only the filters the user set: unset ones are left out so the API's defaults apply. */
function filterVariables(filters) {
  const vars = {};
  if (filters.types !== null) vars.types = filters.types;
  if (filters.asOf) vars.asOf = filters.asOf;
  if (filters.minCertainty) vars.minCertainty = filters.minCertainty;
  return vars;
}

/** Paths between two nodes with their steps, relationships and summary sentences. */
export async function fetchPaths({ from, to, hops, k, ...filters }) {
  const query = `query ExplorerPaths($from: ID!, $to: ID!, $maxHops: Int!, $first: Int!,
      $types: [String!], $asOf: Date, $minCertainty: Certainty) {
    paths(from: $from, to: $to, maxHops: $maxHops, first: $first, relationshipTypes: $types,
          asOf: $asOf, minCertainty: $minCertainty) {
      length summary
      nodes { id kind name }
      steps { direction from { id kind name } to { id kind name } relationship { ${REL_FIELDS} } }
    }
  }`;
  const data = await gql(query, { from, to, maxHops: hops, first: k, ...filterVariables(filters) });
  return data.paths;
}

/**
 * Several neighbourhoods in ONE request (aliases n0, n1, ...): the centre at `depth` plus each
 * expanded node at depth 1, so a shared URL with expansions costs a single round trip.
 */
export async function fetchNeighbourhoods(requests, filters, limit) {
  const params = ["$types: [String!]", "$asOf: Date", "$minCertainty: Certainty", "$limit: Int!"];
  const vars = { ...filterVariables(filters), limit };
  const fields = requests.map((req, i) => {
    params.push(`$id${i}: ID!`, `$depth${i}: Int!`);
    vars[`id${i}`] = req.id;
    vars[`depth${i}`] = req.depth;
    return `n${i}: neighbourhood(id: $id${i}, depth: $depth${i}, relationshipTypes: $types,
        asOf: $asOf, minCertainty: $minCertainty, limit: $limit) {
      center { id kind name } truncated
      nodes { depth node { id kind name } }
      relationships { ${REL_FIELDS} }
    }`;
  });
  const query = `query ExplorerNeighbourhood(${params.join(", ")}) { ${fields.join("\n")} }`;
  const data = await gql(query, vars);
  return requests.map((_, i) => data[`n${i}`]);
}

/** Every cluster with its country, following the Relay pagination to the end. */
export async function fetchAllClusters() {
  const query = `query ExplorerClusters($after: String) {
    clusters(first: 50, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id kind name ... on Cluster { country city } } }
    }
  }`;
  const clusters = [];
  let after = null;
  // A hard stop guards against a server that never reports the last page.
  for (let page = 0; page < 200; page += 1) {
    const data = await gql(query, after ? { after } : {});
    const conn = data.clusters;
    clusters.push(...conn.edges.map((e) => e.node));
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) break;
    after = conn.pageInfo.endCursor;
  }
  return clusters;
}
