"""Injection attempts in every String and ID argument change nothing and leak nothing.

The arguments are enumerated from the schema's introspection over HTTP, not from a hand list, so an
argument added later is attacked too: every String/ID argument of every Query field, of every field
of every node type (reached through `node(id:)` on a real node of that kind), of every Mutation
field, and every String/ID field of the input objects the mutations take (with the admin key). Each
gets each payload of `payloads()` (quotes, backslashes, Cypher, SQL, full-text query syntax, unicode
tricks, a NUL byte, a lone surrogate, 10 kB) once through a variable and once written inline as a
literal, against a real server on each backend.

Reads are sent with the admin key too, so that fields guarded by a scope (read:contacts) run their
resolvers rather than stop at FORBIDDEN. Every answer must be an answer: below 500, JSON, each error
with a documented code, and nothing that looks like a stack trace, a store name or a Cypher/SQL
fragment other than the client's own text quoted back. Lookups stay exact: `node(id:)` returns the
node with exactly that id or null, and an "exact value" filter matches nothing. Reads change nothing
(`stats`, with its change sequence, is identical before and after). Writes may legitimately create
records: then each one is new (or one this test created), the graph grew by exactly those records,
and every stored text reads back exactly as sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import graphql
import httpx
import pytest

from tests.conformance._server import BACKEND_PARAMS, Server, error_problems, leaks, server_for

_WORKERS = 6
_NESTED_CHUNK = 15
_STATS = """{ stats { changeSeq nodesByKind { kind count } relationshipsByType { type count } } }"""
_BASE_ORG = "organisation/injection-base"


# --- payloads ----------------------------------------------------------------------------------


def _homoglyphs(text: str) -> str:
    """Latin letters swapped for Cyrillic look-alikes."""
    cyrillic = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "o": "\u043e", "p": "\u0440"}
    return text.translate(str.maketrans(cyrillic))


def payloads(real_id: str) -> dict[str, str]:
    """Hostile strings by name; some are built on a real id, so a sloppy lookup would match."""
    return {
        "quotes": "'\"",
        "backslashes": "\\'\\\"\\\\ \\u0041 \\x00 \\",
        "cypher-double-quote": '"}) MATCH (n) DETACH DELETE n //',
        "cypher-single-quote": "'}) MATCH (n) DETACH DELETE n //",
        "cypher-backtick": "`}) DETACH DELETE n RETURN 1 // $x {x}",
        "sql-or": "' OR 1=1 --",
        "sql-drop": "'; DROP TABLE nodes; --",
        "sql-union": "' UNION SELECT name FROM sqlite_master --",
        "like-wildcards": "%_%",
        "fulltext-syntax": 'oreec" OR * NEAR(a b) name:x ^y [a TO z] ~2 \\',
        "rtl-override": f"\u202e{real_id}",
        "zero-width-joiner": f"{real_id[:3]}\u200d{real_id[3:]}",
        "nul-byte": f"{real_id}\x00",
        "lone-surrogate": f"\ud800{real_id}",
        "homoglyphs": _homoglyphs(real_id),
        "controls-and-emoji": "line1\nline2\r\t\x1b[31m\u2028👩🏽\u200d🔬",
        "ten-kilobytes": "é" * 5_120,
    }


# --- GraphQL text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enum:
    """An enum value: unquoted inline, its name in JSON variables."""

    name: str


def literal(value: Any) -> str:
    """`value` as a GraphQL literal (JSON string escapes are a subset of GraphQL's)."""
    if isinstance(value, Enum):
        return value.name
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no GraphQL literal for {value!r}")


def _named(type_: Any) -> Any:
    while isinstance(type_, graphql.GraphQLNonNull | graphql.GraphQLList):
        type_ = type_.of_type
    return type_


def _is_list(type_: Any) -> bool:
    if isinstance(type_, graphql.GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, graphql.GraphQLList)


def _is_text(type_: Any) -> bool:
    return getattr(_named(type_), "name", None) in ("String", "ID")


def _non_null(type_: Any) -> str:
    text = str(type_)
    return text if text.endswith("!") else f"{text}!"


def selection(type_: Any) -> str:
    """A small selection for a field's result, enough for its resolver to run."""
    named = _named(type_)
    if isinstance(named, graphql.GraphQLScalarType | graphql.GraphQLEnumType):
        return ""
    fields = getattr(named, "fields", {})
    if "totalCount" in fields:
        return " { totalCount }"
    if "id" in fields:
        return " { id }"
    return " { __typename }"


# --- the client --------------------------------------------------------------------------------


@dataclass
class Client:
    """POSTs GraphQL with a hand-made JSON body: `ensure_ascii` lets lone surrogates through."""

    server: Server
    http: httpx.Client

    def post(
        self, query: str, variables: dict[str, Any] | None = None, *, admin: bool = False
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/graphql-response+json",
        }
        if admin:
            headers["Authorization"] = f"Bearer {self.server.admin_key}"
        content = json.dumps(body, ensure_ascii=True, default=lambda o: o.name).encode("ascii")
        return self.http.post(self.server.graphql, content=content, headers=headers)

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        response = self.post(query, variables, **kw)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]


def check(response: httpx.Response, payload: str, what: str) -> tuple[list[str], Any]:
    """(problems, body) of one answer to an injection attempt."""
    if response.status_code >= 500:
        return [f"{what}: HTTP {response.status_code}: {response.text[:300]}"], None
    try:
        body = response.json()
    except ValueError:
        return [f"{what}: HTTP {response.status_code}, not JSON: {response.text[:300]}"], None
    problems = error_problems(body) + leaks(body, sent=(payload,))
    return [f"{what}: {problem}" for problem in problems], body


# --- the attack surface ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One String/ID argument of one field."""

    owner: str
    field: str
    arg: str

    def __str__(self) -> str:
        return f"{self.owner}.{self.field}({self.arg}:)"


@dataclass
class Surface:
    """The schema as the server introspects it, and real data to aim with."""

    schema: graphql.GraphQLSchema
    id_of_kind: dict[str, str]
    source: str

    def targets(self, owner: str) -> list[Target]:
        type_ = self.schema.get_type(owner)
        return [
            Target(owner, name, arg_name)
            for name, fld in getattr(type_, "fields", {}).items()
            for arg_name, arg in fld.args.items()
            if _is_text(arg.type)
        ]

    def node_types(self) -> list[str]:
        """Object types other than the roots whose fields take String/ID arguments."""
        roots = {"Query", "Mutation", "Subscription"}
        return sorted(
            name
            for name, type_ in self.schema.type_map.items()
            if isinstance(type_, graphql.GraphQLObjectType)
            and not name.startswith("__")
            and name not in roots
            and self.targets(name)
        )

    def filler(self, type_: Any, index: int) -> Any:
        """A valid value for a required argument that is not under attack."""
        named = _named(type_)
        ids = sorted(self.id_of_kind.values())
        value: Any
        if named.name == "ID":
            value = ids[index % len(ids)]
        elif named.name == "String":
            value = "icn"
        elif named.name == "Int":
            value = 1
        elif named.name == "Boolean":
            value = False
        elif isinstance(named, graphql.GraphQLEnumType):
            value = Enum(next(iter(named.values)))
        else:
            raise AssertionError(f"no filler for a required {type_} argument: extend the test")
        return [value] if _is_list(type_) else value


def _call(
    surface: Surface, target: Target, payload: str, inline: bool, var: str
) -> tuple[str, str, Any]:
    """(field call text, variable type, variable value) for `target` carrying `payload`."""
    fld = surface.schema.get_type(target.owner).fields[target.field]  # type: ignore[union-attr]
    arg_type = fld.args[target.arg].type
    value: Any = [payload] if _is_list(arg_type) else payload
    parts = []
    for index, (name, arg) in enumerate(fld.args.items()):
        if name == target.arg:
            parts.append(f"{name}: {literal(value) if inline else '$' + var}")
        elif graphql.is_required_argument(arg):
            parts.append(f"{name}: {literal(surface.filler(arg.type, index))}")
    text = f"{target.field}({', '.join(parts)}){selection(fld.type)}"
    return text, _non_null(arg_type), value


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server per backend for this module only (its writes are undone when it stops)."""
    with server_for(str(request.param), request, tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Client]:
    with httpx.Client(timeout=60.0) as http:
        yield Client(server, http)


@pytest.fixture(scope="module")
def surface(client: Client) -> Surface:
    introspection = client.data(graphql.get_introspection_query())
    schema = graphql.build_client_schema(introspection)
    start = client.data("{ clusters(first: 1) { edges { node { id } } } }")
    center = start["clusters"]["edges"][0]["node"]["id"]
    around = client.data(
        "query($id: ID!) { neighbourhood(id: $id, depth: 3, limit: 500) {"
        " nodes { node { id kind } } relationships { source } } }",
        {"id": center},
    )["neighbourhood"]
    id_of_kind: dict[str, str] = {}
    for item in around["nodes"]:
        id_of_kind.setdefault(item["node"]["kind"], item["node"]["id"])
    return Surface(schema, id_of_kind, around["relationships"][0]["source"])


def _stats(client: Client) -> dict[str, Any]:
    stats = client.data(_STATS)["stats"]
    return {
        "changeSeq": stats["changeSeq"],
        "nodes": {row["kind"]: row["count"] for row in stats["nodesByKind"]},
        "relationships": {row["type"]: row["count"] for row in stats["relationshipsByType"]},
    }


def _run(jobs: list[Callable[[], list[str]]], workers: int = _WORKERS) -> list[str]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [problem for found in pool.map(lambda job: job(), jobs) for problem in found]


# --- reads -------------------------------------------------------------------------------------


def _root_job(
    client: Client, surface: Surface, target: Target, name: str, payload: str, inline: bool
) -> Callable[[], list[str]]:
    def job() -> list[str]:
        call, var_type, value = _call(surface, target, payload, inline, "v")
        head = "query Injection" if inline else f"query Injection($v: {var_type})"
        variables = None if inline else {"v": value}
        what = f"{target} <- {name} ({'inline' if inline else 'variable'})"
        response = client.post(f"{head} {{ {call} }}", variables, admin=True)
        problems, body = check(response, payload, what)
        if body is None or body.get("errors") or not isinstance(body.get("data"), dict):
            return problems
        result = body["data"].get(target.field)
        fld = surface.schema.query_type.fields[target.field]  # type: ignore[union-attr]
        arg = fld.args[target.arg]
        if (arg.description or "").startswith("Exact value") and result["totalCount"] != 0:
            problems.append(f"{what}: an exact-value filter matched {result['totalCount']}")
        if _named(fld.type).name == "Node" and _named(arg.type).name == "ID":
            for node in result if isinstance(result, list) else [result]:
                if node is not None and node["id"] != payload:
                    problems.append(f"{what}: asked for {payload!r:.80}, got {node['id']!r}")
        return problems

    return job


def _nested_job(
    client: Client,
    surface: Surface,
    targets: list[Target],
    name: str,
    payload: str,
    inline: bool,
) -> Callable[[], list[str]]:
    def job() -> list[str]:
        declared: dict[str, tuple[str, Any]] = {}
        aliases = []
        for index, target in enumerate(targets):
            var = f"v{index}"
            call, var_type, value = _call(surface, target, payload, inline, var)
            declared[var] = (var_type, value)
            node_id = surface.id_of_kind[target.owner.upper()]
            aliases.append(
                f"t{index}: node(id: {literal(node_id)}) {{ ... on {target.owner} {{ {call} }} }}"
            )
        head = "query Injection"
        variables = None
        if not inline:
            head += "(" + ", ".join(f"${v}: {t}" for v, (t, _) in declared.items()) + ")"
            variables = {v: value for v, (_, value) in declared.items()}
        what = f"{', '.join(map(str, targets))} <- {name} ({'inline' if inline else 'variable'})"
        problems, body = check(
            client.post(f"{head} {{ {' '.join(aliases)} }}", variables, admin=True), payload, what
        )
        if body is not None and body.get("data") is not None:
            errors = body.get("errors")
            missing = [a for a, v in body["data"].items() if v is None and not errors]
            problems.extend(f"{what}: {alias} is null without an error" for alias in missing)
        return problems

    return job


def test_injected_reads_change_nothing_and_leak_nothing(
    client: Client, surface: Surface, capsys: pytest.CaptureFixture[str]
) -> None:
    node_types = surface.node_types()
    unreachable = [t for t in node_types if t.upper() not in surface.id_of_kind]
    assert not unreachable, f"no node to reach the arguments of {unreachable}: extend the test"
    root = surface.targets("Query")
    nested = [target for owner in node_types for target in surface.targets(owner)]
    assert root and nested

    before = _stats(client)
    attacks = payloads(surface.id_of_kind["CLUSTER"])
    jobs: list[Callable[[], list[str]]] = []
    for name, payload in attacks.items():
        for inline in (False, True):
            jobs.extend(_root_job(client, surface, t, name, payload, inline) for t in root)
            for start in range(0, len(nested), _NESTED_CHUNK):
                chunk = nested[start : start + _NESTED_CHUNK]
                jobs.append(_nested_job(client, surface, chunk, name, payload, inline))
    problems = _run(jobs)
    after = _stats(client)

    with capsys.disabled():
        print(
            f"\ninjection reads on {client.server.backend}: {len(root) + len(nested)} arguments"
            f" x {len(attacks)} payloads x 2 placements in {len(jobs)} requests"
        )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:30])
    assert after == before, "a read changed the graph"


# --- writes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """Where a payload goes in a mutation: an argument, or a field path inside its input."""

    field: str
    arg: str
    path: tuple[str | int, ...]
    is_list: bool
    input_type: str | None

    def __str__(self) -> str:
        inner = ".".join(str(step) for step in self.path)
        return f"Mutation.{self.field}({self.arg}:{'.' + inner if inner else ''})"


def _slots(schema: graphql.GraphQLSchema) -> list[Slot]:
    mutation = schema.mutation_type
    assert mutation is not None
    found: list[Slot] = []

    def walk(fname: str, arg: str, type_: Any, path: tuple[str | int, ...], top: str) -> None:
        named = _named(type_)
        if isinstance(named, graphql.GraphQLInputObjectType):
            step: tuple[str | int, ...] = (0,) if _is_list(type_) else ()
            for name, inner in named.fields.items():
                walk(fname, arg, inner.type, (*path, *step, name), top)
        elif _is_text(type_):
            found.append(Slot(fname, arg, path, _is_list(type_), top or None))

    for fname, fld in mutation.fields.items():
        for arg_name, arg in fld.args.items():
            walk(fname, arg_name, arg.type, (), getattr(_named(arg.type), "name", ""))
    return found


@dataclass
class Writes:
    """What the successful writes changed, and what must read back (filled from threads)."""

    changes: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    expect_node: list[tuple[str, str, Any]] = field(default_factory=list)
    expect_edge: list[tuple[str, str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def creates(self, record: str) -> int:
        return sum(1 for _, c in self.changes if c["action"] == "create" and c["record"] == record)

    def foreign(self, base: set[str]) -> list[str]:
        """Changes to records this test did not create (an upsert may repeat its own)."""
        mine = base | {c["id"] for _, c in self.changes if c["action"] == "create"}
        return [f"{what}: changed {c}" for what, c in self.changes if c["id"] not in mine]


def _base_input(
    surface: Surface, input_type: str, n: int, slot_field: str
) -> tuple[dict[str, Any], str]:
    """A valid input of `input_type` (unique per `n`) and the kind of node it writes."""
    cluster = surface.id_of_kind["CLUSTER"]
    if input_type == "NodeInput":
        kind = next(
            (
                kind
                for kind in sorted(surface.id_of_kind)
                if slot_field in surface.schema.get_type(kind.title()).fields  # type: ignore[union-attr]
            ),
            "ORGANISATION",
        )
        return {
            "id": f"{kind.lower()}/injection-{n}",
            "kind": Enum(kind),
            "name": f"Injection {n}",
        }, kind
    if input_type == "RelationshipInput":
        return {
            "type": "MEMBER_OF",
            "from": _BASE_ORG,
            "to": cluster,
            "source": surface.source,
            "evidence": f"Injection evidence {n}",
            "key": f"injection-{n}",
        }, ""
    if input_type == "AgreementInput":
        return {
            "id": f"agreement/injection-{n}",
            "name": f"Injection agreement {n}",
            "source": surface.source,
            "evidence": f"Injection evidence {n}",
            "parties": [{"id": _BASE_ORG}],
        }, "AGREEMENT"
    raise AssertionError(f"no base input for {input_type}: extend the test")


def _put(value: dict[str, Any], path: tuple[str | int, ...], payload: Any) -> None:
    target: Any = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = payload


def _payload_selection(schema: graphql.GraphQLSchema, fname: str) -> str:
    fld = schema.mutation_type.fields[fname]  # type: ignore[union-attr]
    parts = []
    for name, inner in _named(fld.type).fields.items():
        if name == "changes":
            parts.append("changes { action record id }")
        elif isinstance(_named(inner.type), graphql.GraphQLScalarType):
            parts.append(name)
        else:
            parts.append(f"{name} {{ __typename ... on Node {{ id }} }}")
    return "{ " + " ".join(parts) + " }"


def _write(
    client: Client,
    surface: Surface,
    slot: Slot,
    n: int,
    name: str,
    payload: str,
    inline: bool,
    writes: Writes,
) -> list[str]:
    value: Any = [payload] if slot.is_list else payload
    kind = ""
    if slot.path:
        argument, kind = _base_input(surface, slot.input_type or "", n, str(slot.path[-1]))
        _put(argument, slot.path, value)
    else:
        argument = value
    fld = surface.schema.mutation_type.fields[slot.field]  # type: ignore[union-attr]
    arg_type = _non_null(fld.args[slot.arg].type)
    sel = _payload_selection(surface.schema, slot.field)
    if inline:
        query = f"mutation Injection {{ {slot.field}({slot.arg}: {literal(argument)}) {sel} }}"
        variables = None
    else:
        query = f"mutation Injection($a: {arg_type}) {{ {slot.field}({slot.arg}: $a) {sel} }}"
        variables = {"a": argument}
    what = f"{slot} <- {name} ({'inline' if inline else 'variable'})"
    problems, body = check(client.post(query, variables, admin=True), payload, what)
    if body is None or body.get("errors"):
        return problems
    changes = body["data"][slot.field].get("changes", [])
    leaf = str(slot.path[-1]) if slot.path else ""
    node_expect: tuple[str, str, Any] | None = None
    edge_expect: tuple[str, str, Any] | None = None
    edges = [c["id"] for c in changes if c["record"] != "node"]
    if slot.path and 0 in slot.path:  # a party of an agreement: its SIGNED relationship
        signed = next((e for e in edges if e.startswith("signed~")), None)
        edge_expect = (signed, leaf, value) if signed else None
    elif slot.input_type == "RelationshipInput":
        edge_expect = (edges[-1], leaf, value) if edges else None
    elif kind:
        nodes = [c["id"] for c in changes if c["record"] == "node"]
        node_expect = (nodes[0], leaf, value) if nodes else None
    with writes.lock:
        writes.changes.extend((what, change) for change in changes)
        if node_expect is not None:
            writes.expect_node.append(node_expect)
        if edge_expect is not None:
            writes.expect_edge.append(edge_expect)
    return problems


def _read_back(client: Client, surface: Surface, writes: Writes) -> tuple[list[str], int]:
    """(problems, texts compared): every stored text against what was sent."""
    problems: list[str] = []
    compared = 0
    fragments = []
    for kind in sorted(surface.id_of_kind):
        type_ = surface.schema.get_type(kind.title())
        scalars = [
            name
            for name, fld in type_.fields.items()  # type: ignore[union-attr]
            if isinstance(_named(fld.type), graphql.GraphQLScalarType) and not fld.args
        ]
        fragments.append(f"... on {kind.title()} {{ {' '.join(scalars)} }}")
    ids = sorted({node_id for node_id, _, _ in writes.expect_node})
    stored: dict[str, Any] = {}
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        got = client.data(
            f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {' '.join(fragments)} }} }}",
            {"ids": chunk},
            admin=True,
        )["nodes"]
        stored.update({node_id: node for node_id, node in zip(chunk, got, strict=True)})
    for node_id, leaf, sent in writes.expect_node:
        node = stored.get(node_id)
        if node is None:
            problems.append(f"{node_id!r:.80} was created but cannot be read back")
        elif leaf in node:
            compared += 1
            if node[leaf] != sent:
                problems.append(f"{node_id!r:.80}.{leaf} reads back {node[leaf]!r:.80}")

    rel_type = _named(surface.schema.get_type("Relationship"))
    scalars = [
        name
        for name, fld in rel_type.fields.items()
        if isinstance(_named(fld.type), graphql.GraphQLScalarType)
    ]
    relationships: dict[str, Any] = {}
    after = None
    while True:
        page = client.data(
            f"query($id: ID!, $after: String) {{ node(id: $id) {{ relationships(first: 100,"
            f" after: $after) {{ edges {{ node {{ {' '.join(scalars)} }} }}"
            " pageInfo { hasNextPage endCursor } } } }",
            {"id": _BASE_ORG, "after": after},
            admin=True,
        )["node"]["relationships"]
        relationships.update({e["node"]["id"]: e["node"] for e in page["edges"]})
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    for rel_id, leaf, sent in writes.expect_edge:
        rel = relationships.get(rel_id)
        if rel is None:
            problems.append(f"{rel_id!r:.80} was created but cannot be read back")
        elif leaf in rel:
            compared += 1
            if rel[leaf] != sent:
                problems.append(f"{rel_id!r:.80}.{leaf} reads back {rel[leaf]!r:.80}")
    return problems, compared


def test_injected_writes_store_exactly_what_was_sent(
    client: Client, surface: Surface, capsys: pytest.CaptureFixture[str]
) -> None:
    slots = _slots(surface.schema)
    assert {slot.field for slot in slots} == set(surface.schema.mutation_type.fields)  # type: ignore[union-attr]
    base = client.data(
        "mutation($n: NodeInput!) { upsertNode(node: $n) { changes { action record id } } }",
        {"n": {"id": _BASE_ORG, "kind": "ORGANISATION", "name": "Injection base"}},
        admin=True,
    )["upsertNode"]["changes"]
    before = _stats(client)

    writes = Writes()
    attacks = payloads(surface.id_of_kind["CLUSTER"])
    jobs: list[Callable[[], list[str]]] = []
    n = 0
    for slot in slots:
        for name, payload in attacks.items():
            for inline in (False, True):
                n += 1
                jobs.append(
                    partial(_write, client, surface, slot, n, name, payload, inline, writes)
                )
    # Concurrent, like real clients: each case writes records of its own (unique ids), and
    # both stores serialise or retry writes that meet on the base organisation.
    problems = _run(jobs)
    problems += writes.foreign({c["id"] for c in base})
    mismatches, compared = _read_back(client, surface, writes)
    problems += mismatches
    after = _stats(client)

    grown_nodes = sum(after["nodes"].values()) - sum(before["nodes"].values())
    grown_edges = sum(after["relationships"].values()) - sum(before["relationships"].values())
    with capsys.disabled():
        print(
            f"\ninjection writes on {client.server.backend}: {len(slots)} slots x"
            f" {len(attacks)} payloads x 2 placements = {n} mutations; created"
            f" {writes.creates('node')} nodes, {writes.creates('edge')} relationships; read"
            f" back {compared} texts exactly"
        )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:30])
    assert (grown_nodes, grown_edges) == (writes.creates("node"), writes.creates("edge"))
    # Most hostile strings are fine names and notes: the round trip must really be exercised.
    assert compared >= len(slots) * len(attacks) // 2, f"only {compared} texts were read back"
