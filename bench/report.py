"""A run's figures as JSON (everything, raw) and as a Markdown page of tables.

One file per day: `<out>/<YYYY-MM-DD>.json` and `.md`. A later run on the same day replaces
the (scale, backend) legs it ran again and keeps the others, so the legs of one day's runs
(embedded first, Neo4j later) end up on one page.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.peer import peer_cell
from bench.scales import ROOT

__all__ = [
    "DOCS_PAGE",
    "merge_previous",
    "render_markdown",
    "total_errors",
    "update_docs",
    "write_json",
]

DOCS_PAGE = ROOT / "docs" / "performance.md"
_START, _END = "<!-- results:start -->", "<!-- results:end -->"

_PEER_NOTE = (
    "Both APIs answer the same matched queries (bench/peer_workload.py: `node2` as a node's"
    " MEMBER_OF members and their memberships, `search` through the same full-text index),"
    " checked to give the same answers first, then measured one after the other with the same"
    " driver, items and concurrency. Ratio below 1: ICN Graph is faster."
)
_LOWEST = "lowest ratio (store + no-work request)"
_FLOOR_NOTE = (
    "The no-work request is `{ __typename }` through the same client, server, middlewares and"
    " GraphQL view (`bench/floor.py`), timed right after the bare store call; added to it, it"
    f' is the least a paths answer can take, so "{_LOWEST}" is what this HTTP stack allows'
    " with no work on the paths answer itself."
)
_BACKEND_NAMES = {"sqlite": "embedded (SQLite)", "neo4j": "Neo4j"}


def merge_previous(path: Path, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`runs` plus the legs of an earlier same-day report at `path` that this run did not redo."""
    if not path.is_file():
        return runs
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return runs
    earlier = document.get("runs", [])
    machine = document.get("machine", {})
    for run in earlier:  # pages written before runs carried their commit: the page's
        run.setdefault("commit", machine.get("git_commit"))
        run.setdefault("dirty", machine.get("git_dirty"))
    by_leg = {(r.get("scale"), r.get("backend")): r for r in earlier}
    for run in runs:
        before = by_leg.pop((run["scale"], run["backend"]), None)
        if before and run.get("load") is None and before.get("load"):
            # This run reused the store an earlier run loaded: keep that load's figures.
            run["load"] = {
                **before["load"],
                "measured_at": before.get("started_at"),
                "commit": before.get("commit"),
            }
            if before.get("neo4j") and run.get("neo4j") and not run["neo4j"].get("managed"):
                run["neo4j"] = {**before["neo4j"], "uri": run["neo4j"]["uri"]}
    return list(by_leg.values()) + runs


def total_errors(runs: Iterable[dict[str, Any]]) -> int:
    """Failed requests over every cell of every leg, the peer's included (must be 0)."""
    total = 0
    for run in runs:
        total += sum(cell["errors"] for cell in run["cells"])
        for result in ((run.get("peer") or {}).get("results") or {}).values():
            for cell in result.values() if isinstance(result, dict) else ():
                if isinstance(cell, dict):
                    total += cell.get("errors", 0) + (cell.get("ours") or {}).get("errors", 0)
    return total


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write the whole report, indented, keys in insertion order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _targets(targets: list[dict[str, Any]]) -> list[str]:
    verdict = {True: "met", False: "**missed**", None: "not measured"}
    rows = [
        [t["what"], t["limit"], f"{_num(t['measured'], 2)} {t['unit']}", verdict[t["met"]]]
        for t in targets
    ]
    return _table(["target (scale M, embedded unless stated)", "limit", "measured", ""], rows)


def _loads(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for run in runs:
        load, neo = run.get("load"), run.get("neo4j") or {}
        if not load:
            rows.append([run["scale"], _BACKEND_NAMES[run["backend"]], "reused", *["-"] * 7])
            continue
        heap = (
            f"{_num(neo.get('peak_heap_used_mb'))} MiB / {neo.get('heap_max')}"
            if neo.get("managed")
            else "-"
        )
        rows.append(
            [
                run["scale"],
                _BACKEND_NAMES[run["backend"]],
                _num(load["nodes"]),
                _num(load["relationships"]),
                _num(load["prepare_s"]),
                _num(load["apply_s"]),
                f"**{_num(load['total_s'])}**",
                _num(load["records_per_s"], 0),
                _num(load["peak_rss_mb"], 0),
                heap,
            ]
        )
    header = ["scale", "backend", "nodes", "relationships", "read+validate s", "apply s"]
    header += ["total s", "records/s", "loader MiB", "Neo4j heap used / max"]
    return _table(header, rows)


def _servers(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for run in runs:
        cold = run.get("cold_ms") or {}
        cold_text = ", ".join(f"{k} {_num(v['ms'])}" for k, v in cold.items())
        neo_rss = (run.get("neo4j") or {}).get("peak_rss_mb")
        load = run.get("load_average") or {}
        busy = "/".join(_num((load.get(k) or [None])[0], 2) for k in ("start", "end"))
        rows.append(
            [
                run["scale"],
                _BACKEND_NAMES[run["backend"]],
                str(run["workers"]),
                _num(run.get("startup_s"), 2),
                _num(run.get("server_peak_rss_mb"), 0),
                _num(neo_rss, 0),
                busy,
                cold_text,
            ]
        )
    header = ["scale", "backend", "workers", "start-up to ready s", "server peak MiB"]
    header += ["Neo4j peak MiB", "load avg start/end", "first request of each workload, ms (cold)"]
    return _table(header, rows)


def _cells(run: dict[str, Any]) -> list[str]:
    rows = [
        [
            c["workload"],
            str(c["clients"]),
            _num(c["requests"]),
            _num(c["rps"]),
            _num(c["p50_ms"], 2),
            _num(c["p95_ms"], 2),
            _num(c["p99_ms"], 2),
            f"**{c['errors']}**" if c["errors"] else "0",
            _num(c["store_calls_per_request"], 2),
            _num(c["peak_rss_mb"], 0),
        ]
        for c in run["cells"]
    ]
    header = ["workload", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms"]
    header += ["errors", "store calls/req", "server MiB"]
    return _table(header, rows)


def _floors(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    bounded = any((run.get("fixed_costs") or {}).get("http_p50_ms") for run in runs)
    for run in runs:
        floor = run.get("floor")
        cell = next((c for c in run["cells"] if c["workload"] == "paths"), None)
        if not floor or not cell:
            continue
        ratio = cell["p50_ms"] / floor["p50_ms"] if floor["p50_ms"] else None
        row = [
            run["scale"],
            _BACKEND_NAMES[run["backend"]],
            _num(floor["p50_ms"], 2),
            _num(floor["p99_ms"], 2),
            _num(cell["p50_ms"], 2),
            f"**{_num(ratio, 2)}x**",
        ]
        if bounded:
            http = (run.get("fixed_costs") or {}).get("http_p50_ms")
            bound = (http + floor["p50_ms"]) / floor["p50_ms"] if http and floor["p50_ms"] else None
            row += [_num(http, 2), f"{_num(bound, 2)}x" if bound else "-"]
        rows.append([*row, f"{floor['with_path']:.0%}"])
    header = ["scale", "backend", "bare store p50 ms", "bare store p99 ms", "GraphQL p50 ms"]
    header += ["ratio"]
    if bounded:
        header += ["no-work request p50 ms", _LOWEST]
    header += ["pairs with a path"]
    table = _table(header, rows)
    return [*table, _FLOOR_NOTE, ""] if rows and bounded else table


def _peers(runs: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    rows = []
    for run in runs:
        peer = run.get("peer")
        if run["backend"] != "neo4j" or not peer:
            continue
        if peer.get("status") != "ran":
            reason = peer.get("reason", "")
            reason = reason if len(reason) <= 240 else f"{reason[:240]}... (the JSON has it all)"
            lines.append(f"- scale {run['scale']}: {peer.get('status')} ({reason})")
        for clients in sorted(int(c) for c in peer.get("results") or {}):
            for workload in peer.get("workloads") or ():
                theirs = peer_cell(peer, workload, clients)
                if theirs is None:
                    continue
                ours = theirs.get("ours") or {}
                errors = theirs.get("errors", 0) + ours.get("errors", 0)
                rows.append(
                    [
                        run["scale"],
                        workload,
                        str(clients),
                        _num(ours.get("p50_ms"), 2),
                        _num(theirs.get("p50_ms"), 2),
                        f"**{_num(theirs.get('p50_ratio'), 2)}**",
                        _num(ours.get("rps")),
                        _num(theirs.get("rps")),
                        f"**{errors}**" if errors else "0",
                    ]
                )
    if rows:
        header = ["scale", "workload", "clients", "ICN Graph p50 ms", "library p50 ms"]
        header += ["p50 ratio", "ICN Graph req/s", "library req/s", "errors"]
        lines = [*_table(header, rows), *lines, *_fixed_costs(runs)]
    return [*lines, ""] if lines else ["(no Neo4j leg in this run)", ""]


def _fixed_costs(runs: list[dict[str, Any]]) -> list[str]:
    """What any of our answers costs on the Neo4j leg before it does any work."""
    lines = []
    for run in runs:
        fixed = run.get("fixed_costs") or {}
        if run["backend"] == "neo4j" and fixed.get("http_p50_ms"):
            lines.append(
                f"- scale {run['scale']}, fixed costs of our side at 1 client: a request that"
                f" asks for no work (`{{ __typename }}`) {_num(fixed['http_p50_ms'], 2)} ms at"
                f" p50; one Neo4j round trip with a trivial query (`store.health()`, through"
                f" the Python driver) {_num(fixed['store_call_p50_ms'], 2)} ms."
            )
    return lines


def _commit(commit: str | None, dirty: bool | None) -> str:
    """A commit as the page names it (12 characters)."""
    changes = " (with uncommitted changes)" if dirty else ""
    return f"commit `{(commit or 'unknown')[:12]}`{changes}"


def _code(runs: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    """The commit the figures were measured on; per leg when a same-day rerun mixed commits."""
    legs = {(run.get("commit"), run.get("dirty")) for run in runs}
    if len(legs) > 1:
        return ", ".join(
            f"{_commit(run.get('commit'), run.get('dirty'))} ({run['scale']}, "
            f"{_BACKEND_NAMES[run['backend']]})"
            for run in runs
        )
    return _commit(machine.get("git_commit"), machine.get("git_dirty"))


def render_markdown(document: dict[str, Any], charts: list[str]) -> str:
    """The page: errors banner, machine, targets, loader, server, workloads, floor, peer."""
    runs, machine, settings = document["runs"], document["machine"], document["settings"]
    out = [f"# Benchmark results, {document['date']}", ""]
    errors = total_errors(runs)
    if errors:
        out += [f"> **{errors} REQUESTS FAILED.** See the errors column and the JSON.", ""]
    commands = list(dict.fromkeys(r.get("command") or document["command"] for r in runs))
    out += [
        *(f"- Command: `{c}`" for c in commands),
        f"- Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM,"
        f" {machine['os']}; Python {machine['python']}; Neo4j {machine.get('neo4j') or '-'}",
        f"- Code: {_code(runs, machine)}",
        f"- Load average (1 min) at start / end: {machine['load_average_start'][0]} / "
        f"{(machine.get('load_average_end') or ['-'])[0]}"
        " (the load generator runs on the same cores as the server)",
        f"- Each cell: {settings['duration_s']} s after {settings['warmup_s']} s of warm-up,"
        f" closed loop; server workers: {settings['workers']}",
        "",
        "## Targets",
        "",
        *_targets(document["targets"]),
        "## Loader (one transaction into an empty store)",
        "",
        *_loads(runs),
        "## Server",
        "",
        *_servers(runs),
    ]
    for run in runs:
        out += [f"## Workloads: scale {run['scale']}, {_BACKEND_NAMES[run['backend']]}", ""]
        out += _cells(run)
    out += ["## Paths: end-to-end GraphQL vs the bare store call (1 client)", "", *_floors(runs)]
    out += ["## Neo4j GraphQL Library, same Neo4j and data", "", _PEER_NOTE, "", *_peers(runs)]
    if charts:
        out += ["## Charts", ""] + [f"![{name}]({name})" for name in charts] + [""]
    return "\n".join(out)


def update_docs(page: str, results: Path, docs: Path = DOCS_PAGE) -> Path:
    """Put `page` between the results markers of docs/performance.md, charts linked from there.

    The page's title becomes a second-level heading and the chart links point into `results`.
    """
    text = docs.read_text()
    head, start, rest = text.partition(_START)
    _, end, tail = rest.partition(_END)
    if not start or not end:
        raise ValueError(f"{docs} has no {_START} ... {_END} block")
    prefix = Path(os.path.relpath(results, docs.parent)).as_posix()
    body = re.sub(r"\]\(([^)/]+\.png)\)", lambda m: f"]({prefix}/{m.group(1)})", page)
    body = re.sub(r"^(#+) ", r"#\1 ", body, flags=re.MULTILINE)
    docs.write_text(f"{head}{_START}\n{body.rstrip()}\n{_END}{tail}")
    return docs
