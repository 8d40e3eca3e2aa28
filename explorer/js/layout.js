// Pure layout functions: positions only, no DOM. Paths get a layered left-to-right layout
// (column = hop index, one row per path); neighbourhoods a radial layout by BFS depth.

const KIND_ORDER = [
  "NETWORK", "CLUSTER", "ORGANISATION", "PERSON", "PROJECT", "PROGRAMME", "AGREEMENT", "EVENT",
  "DOCUMENT",
];

function byKindThenName(a, b) {
  const ka = KIND_ORDER.indexOf(a.kind);
  const kb = KIND_ORDER.indexOf(b.kind);
  return ka - kb || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

/**
 * Layered layout of paths between one start and one end.
 * A node shared by several paths at the same hop index is drawn once; the start sits in
 * column 0, the end in the last column, and shorter paths reach the end with a longer last hop.
 * Returns {nodes: [{key, node, x, y, paths}], edges: [{key, rel, sourceKey, targetKey, paths}]}
 * where sourceKey/targetKey follow the relationship's own direction (for arrowheads).
 */
export function layeredLayout(paths, { colGap = 210, rowGap = 104 } = {}) {
  const maxLen = Math.max(...paths.map((p) => p.steps.length));
  const nodes = new Map();
  const edges = new Map();
  const keyOf = (path, j) => {
    const last = path.nodes.length - 1;
    if (j === 0) return "start";
    if (j === last) return "end";
    return `${path.nodes[j].id}@${j}`;
  };
  paths.forEach((path, row) => {
    const last = path.nodes.length - 1;
    path.nodes.forEach((node, j) => {
      const key = keyOf(path, j);
      const col = j === last ? maxLen : j;
      if (!nodes.has(key)) nodes.set(key, { key, node, col, rows: [], paths: [] });
      nodes.get(key).rows.push(row);
      nodes.get(key).paths.push(row);
    });
    path.steps.forEach((step, j) => {
      const a = keyOf(path, j);
      const b = keyOf(path, j + 1);
      const forward = step.relationship.from.id === step.from.id;
      const [sourceKey, targetKey] = forward ? [a, b] : [b, a];
      const key = `${step.relationship.id}|${sourceKey}|${targetKey}`;
      if (!edges.has(key)) {
        edges.set(key, { key, rel: step.relationship, sourceKey, targetKey, paths: [] });
      }
      edges.get(key).paths.push(row);
    });
  });
  const middle = ((paths.length - 1) * rowGap) / 2;
  for (const item of nodes.values()) {
    item.x = item.col * colGap;
    item.y = item.key === "start" || item.key === "end"
      ? middle
      : (item.rows.reduce((a, b) => a + b, 0) / item.rows.length) * rowGap;
  }
  // Merged nodes sit between rows and may land on another node: push such ones apart.
  const columns = new Map();
  for (const item of nodes.values()) {
    if (!columns.has(item.col)) columns.set(item.col, []);
    columns.get(item.col).push(item);
  }
  for (const column of columns.values()) {
    column.sort((a, b) => a.y - b.y);
    for (let i = 1; i < column.length; i += 1) {
      const minY = column[i - 1].y + rowGap * 0.8;
      if (column[i].y < minY) column[i].y = minY;
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Radial layout: the centre in the middle, nodes on rings by BFS depth over `rels`.
 * Each ring spaces its nodes evenly, ordered by their BFS parent's angle and turned to line up
 * with the parents, so neighbours sit near the node they were reached from. A ring grows with
 * its node count (`minSep` apart); a crowded ring is staggered over up to three sub-rings.
 * Returns {nodes: [{key, node, x, y, depth}], edges: [{key, rel, sourceKey, targetKey}], rings}.
 */
export function radialLayout(centerId, nodeMap, rels, { ringGap = 165, minSep = 96 } = {}) {
  const adj = new Map([...nodeMap.keys()].map((id) => [id, []]));
  for (const rel of rels) {
    const a = rel.from.id;
    const b = rel.to.id;
    if (a === b || !adj.has(a) || !adj.has(b)) continue;
    adj.get(a).push(b);
    adj.get(b).push(a);
  }
  const node = (id) => nodeMap.get(id);
  for (const list of adj.values()) list.sort((x, y) => byKindThenName(node(x), node(y)));

  const depth = new Map([[centerId, 0]]);
  const parent = new Map();
  const order = new Map([[centerId, 0]]);
  const queue = [centerId];
  while (queue.length) {
    const id = queue.shift();
    for (const next of adj.get(id) || []) {
      if (depth.has(next)) continue;
      depth.set(next, depth.get(id) + 1);
      parent.set(next, id);
      order.set(next, order.size);
      queue.push(next);
    }
  }
  // Nodes the filters cut off from the centre still get drawn, on an outer ring.
  const maxDepth = Math.max(0, ...depth.values());
  for (const id of [...nodeMap.keys()].filter((i) => !depth.has(i)).sort()) {
    depth.set(id, maxDepth + 1);
    parent.set(id, centerId);
    order.set(id, order.size);
  }

  const byDepth = new Map();
  for (const [id, d] of depth) {
    if (!byDepth.has(d)) byDepth.set(d, []);
    byDepth.get(d).push(id);
  }
  const TAU = 2 * Math.PI;
  const norm = (a) => ((a % TAU) + TAU) % TAU;
  const angle = new Map([[centerId, 0]]);
  const radius = new Map([[centerId, 0]]);
  const rings = [];
  let outer = 0;
  for (const d of [...byDepth.keys()].sort((a, b) => a - b)) {
    if (d === 0) continue;
    const ids = byDepth.get(d);
    const parentAngle = (id) => (d === 1 ? 0 : norm(angle.get(parent.get(id))));
    ids.sort((a, b) => parentAngle(a) - parentAngle(b) || order.get(a) - order.get(b));
    const n = ids.length;
    // Turn the ring so that, on average, nodes sit at their parent's angle (circular mean).
    let sx = 0;
    let sy = 0;
    ids.forEach((id, i) => {
      const delta = parentAngle(id) - (TAU * i) / n;
      sx += Math.cos(delta);
      sy += Math.sin(delta);
    });
    const offset = d === 1 ? 0 : Math.atan2(sy, sx);
    const base = Math.max(d * ringGap, outer + ringGap * 0.8);
    const needed = (k) => (n <= k ? 0 : (minSep * n) / (TAU * k));
    let k = 1;
    while (k < 3 && needed(k) > base * 1.15) k += 1;
    const r = Math.min(Math.max(base, needed(k)), 2400);
    ids.forEach((id, i) => {
      angle.set(id, offset + (TAU * i) / n);
      radius.set(id, r + (i % k) * 64);
    });
    rings.push({ depth: d, r });
    outer = r + (k - 1) * 64;
  }

  const nodes = [...nodeMap.keys()].map((id) => {
    const r = radius.get(id);
    const a = angle.get(id) - Math.PI / 2;
    return { key: id, node: node(id), depth: depth.get(id), x: r * Math.cos(a), y: r * Math.sin(a) };
  });
  const edges = rels
    .filter((rel) => nodeMap.has(rel.from.id) && nodeMap.has(rel.to.id))
    .map((rel) => ({ key: rel.id, rel, sourceKey: rel.from.id, targetKey: rel.to.id }));
  return { nodes, edges, rings };
}
