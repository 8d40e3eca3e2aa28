"""Builders of contract-test data: terse node/edge constructors, full samples, random graphs."""

from __future__ import annotations

import random
from collections.abc import Iterable

from graph_store import (
    NODE_PROPERTIES,
    RELATIONSHIP_TYPES,
    Batch,
    Certainty,
    Edge,
    Node,
    NodeKind,
    PartialDate,
    Provenance,
    edge_id,
    kind_of_id,
)
from graph_store.model import DATE_PROPERTIES

SOURCE = "002_7297e39df4935131.txt"
EVIDENCE = "representatives from clusters in Colorado, Oslo and North Carolina"


def prov(batch: str = "b1", loaded_at: str = "2024-05-01T10:00:00+00:00") -> Provenance:
    """A provenance stamp; distinct `batch`/`loaded_at` values tell loads apart."""
    return Provenance(batch_id=batch, origin=f"data/icn/{batch}.yaml", loaded_at=loaded_at)


def node(
    node_id: str,
    name: str | None = None,
    *,
    aliases: Iterable[str] = (),
    sources: Iterable[str] = (SOURCE,),
    provenance: Provenance | None = None,
    **props: object,
) -> Node:
    """A node whose kind comes from its id prefix (`person/x` is a Person)."""
    kind = kind_of_id(node_id)
    assert kind is not None, node_id
    label = name if name is not None else node_id.partition("/")[2].replace("-", " ").title()
    return Node(node_id, kind, label, tuple(aliases), tuple(sources), props, provenance)  # type: ignore[arg-type]


def date(text: str | None) -> PartialDate | None:
    """A parsed partial date, or None."""
    return PartialDate.parse(text) if text is not None else None


def bad_date(text: str) -> PartialDate:
    """A PartialDate that skips parsing, so that validation has to catch it."""
    return PartialDate(text, text, text)


def edge(
    rel_type: str,
    src: str,
    dst: str,
    *,
    key: str | None = None,
    certainty: Certainty = Certainty.STATED,
    since: str | PartialDate | None = None,
    until: str | PartialDate | None = None,
    note: str | None = None,
    source: str = SOURCE,
    evidence: str = EVIDENCE,
    provenance: Provenance | None = None,
    **props: object,
) -> Edge:
    """A relationship with the default id of its type, endpoints and `key`."""
    return Edge(
        id=edge_id(rel_type, src, dst, key),
        type=rel_type,
        src=src,
        dst=dst,
        certainty=certainty,
        source=source,
        evidence=evidence,
        since=since if isinstance(since, PartialDate) else date(since),
        until=until if isinstance(until, PartialDate) else date(until),
        note=note,
        props=props,  # type: ignore[arg-type]
        provenance=provenance,
    )


# --- one node of every kind, every allowed property set ---------------------------------------

_DATE_SAMPLES = ("2009", "2010-03", "2011-10-26", "2016-02-29", "2012-12")
_SPECIAL_VALUES: dict[str, object] = {
    "ordinal": 7,  # an int must come back an int
    "amount": 250000.5,  # a float must come back a float
    "sector": ("energy", "water"),  # a tuple of strings must come back a tuple
    "status": "signed",
    "url": "https://example.org/icn",
    "email": "someone@example.org",
}


def full_node(kind: NodeKind, slug: str = "alpha", *, provenance: Provenance | None = None) -> Node:
    """A node of `kind` with every property its kind allows, of several value types."""
    props: dict[str, object] = {}
    for i, name in enumerate(sorted(NODE_PROPERTIES[kind])):
        if name in DATE_PROPERTIES:
            props[name] = _DATE_SAMPLES[i % len(_DATE_SAMPLES)]
        else:
            props[name] = _SPECIAL_VALUES.get(name, f"{name} of {kind.value} {slug} - Ærø")
    return node(
        f"{kind.prefix}/{slug}",
        f"{kind.value} {slug.title()} Écotech",
        aliases=(f"{kind.value[:3].upper()}{slug[:2].upper()}", f"The {slug} {kind.value}"),
        sources=(SOURCE, f"00{len(slug)}_other.txt"),
        provenance=provenance or prov("kinds"),
        **props,
    )


_SINCE = ("2009", "2010-03", "2011-10-26", None)
_UNTIL = (None, "2015", "2016-02", "2016-02-29")
_CERTAINTIES = tuple(Certainty)


def one_edge_per_type() -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """Nodes plus one relationship of every allowed type, each with every allowed property."""
    nodes = {k: (full_node(k, "alpha"), full_node(k, "beta")) for k in NodeKind}
    edges: list[Edge] = []
    for i, (rel_type, spec) in enumerate(sorted(RELATIONSHIP_TYPES.items())):
        src_kind = next(k for k in NodeKind if k in spec.sources)
        dst_kind = next(k for k in NodeKind if k in spec.targets)
        certainty = _CERTAINTIES[i % len(_CERTAINTIES)]
        edges.append(
            edge(
                rel_type,
                nodes[src_kind][0].id,
                nodes[dst_kind][1].id,
                certainty=certainty,
                since=_SINCE[i % len(_SINCE)],
                until=_UNTIL[i % len(_UNTIL)],
                note=None if certainty is Certainty.STATED else f"why {certainty} - «{rel_type}»",
                evidence=f"{EVIDENCE} ({rel_type})",
                provenance=prov("types", f"2024-05-0{1 + i % 9}T10:00:00+00:00"),
                **{p: f"{p} of {rel_type}" for p in sorted(spec.properties)},
            )
        )
    return tuple(n for pair in nodes.values() for n in pair), tuple(edges)


# --- seeded random graphs ------------------------------------------------------------------------

_WORDS = (
    "Nordic", "Energy", "Clean", "Tech", "Water", "Solar", "Green", "Baltic", "Oreec", "Ore",
    "Écotech", "Québec", "Wind", "Hub", "Alliance", "Cluster", "Øresund", "Smart", "City", "Lab",
)  # fmt: skip
_COUNTRIES = ("Denmark", "Norway", "Canada", "France", "Sweden")
_RANDOM_KINDS = (
    (NodeKind.PERSON, 5),
    (NodeKind.ORGANISATION, 3),
    (NodeKind.CLUSTER, 3),
    (NodeKind.NETWORK, 1),
    (NodeKind.AGREEMENT, 2),
    (NodeKind.EVENT, 2),
)


def _random_date(rng: random.Random, year_from: int = 2005) -> str:
    year = rng.randint(year_from, 2020)
    precision = rng.randrange(3)
    if precision == 0:
        return str(year)
    month = rng.randint(1, 12)
    if precision == 1:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _random_node(rng: random.Random, kind: NodeKind, i: int) -> Node:
    name = " ".join(rng.sample(_WORDS, rng.randint(1, 3)))
    aliases = tuple(
        " ".join(rng.sample(_WORDS, rng.randint(1, 2))) for _ in range(rng.randrange(3))
    )
    props: dict[str, object] = {}
    allowed = NODE_PROPERTIES[kind]
    if "country" in allowed and rng.random() < 0.8:
        props["country"] = rng.choice(_COUNTRIES)
    if "city" in allowed and rng.random() < 0.5:
        props["city"] = rng.choice(("Oslo", "Aarhus", "Montréal", "Lyon"))
    if "date" in allowed and rng.random() < 0.8:
        props["date"] = _random_date(rng)
    if "status" in allowed:
        props["status"] = rng.choice(("signed", "planned", "Signed"))
    return node(
        f"{kind.prefix}/n{i:02d}",
        name,
        aliases=aliases,
        provenance=prov(f"r{i % 3}", f"2024-0{1 + i % 9}-01T00:00:00+00:00"),
        **props,
    )


def _random_edge(rng: random.Random, a: Node, b: Node, key: str | None) -> Edge | None:
    types = sorted(t for t, spec in RELATIONSHIP_TYPES.items() if spec.allows(a.kind, b.kind))
    if not types:
        return None
    since = _random_date(rng) if rng.random() < 0.5 else None
    until = _random_date(rng, 2012) if rng.random() < 0.4 else None
    if since and until and PartialDate.parse(since).lo > PartialDate.parse(until).hi:
        since, until = until, since
        if PartialDate.parse(since).lo > PartialDate.parse(until).hi:
            until = None
    certainty = rng.choice(_CERTAINTIES)
    return edge(
        rng.choice(types),
        a.id,
        b.id,
        key=key,
        certainty=certainty,
        since=since,
        until=until,
        note=None if certainty is Certainty.STATED else "inferred from the minutes",
    )


def random_graph(seed: int, *, nodes: int = 16, edges: int = 26, loops: int = 1) -> Batch:
    """A reproducible graph with parallel edges, a few self-loops and every certainty."""
    rng = random.Random(seed)
    kinds = [k for k, weight in _RANDOM_KINDS for _ in range(weight)]
    all_nodes = [_random_node(rng, rng.choice(kinds), i) for i in range(nodes)]
    result: dict[str, Edge] = {}
    attempts = 0
    while len(result) < edges and attempts < edges * 50:
        attempts += 1
        if result and rng.random() < 0.15:
            # A parallel edge: same endpoints as an existing one, told apart by its key.
            twin = rng.choice(sorted(result.values(), key=lambda e: e.id))
            by_id = {n.id: n for n in all_nodes}
            a, b = by_id[twin.src], by_id[twin.dst]
            key: str | None = f"k{attempts}"
        else:
            a, b = rng.sample(all_nodes, 2)
            key = None
        made = _random_edge(rng, a, b, key)
        if made is not None and made.id not in result:
            result[made.id] = made
    for i in range(loops):
        a = all_nodes[rng.randrange(len(all_nodes))]
        made = _random_edge(rng, a, a, f"loop{i}")
        if made is not None:
            result[made.id] = made
    return Batch(nodes=tuple(all_nodes), edges=tuple(sorted(result.values(), key=lambda e: e.id)))
