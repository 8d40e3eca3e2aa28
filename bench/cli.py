"""`python -m bench`: run the suite and write `<out>/<date>.json`, `.md` and the charts.

Exit codes: 0 done; 1 unexpected failure; 2 bad usage; 3 done, but some requests failed
(the figures are written, and the failures are in them); 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import json
import shlex
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.charts import draw_charts
from bench.machine import load_average, machine_info
from bench.report import (
    merge_previous,
    render_markdown,
    total_errors,
    update_docs,
    write_json,
)
from bench.scales import ROOT, SCALES, shown
from bench.suite import SuiteConfig, run_suite
from bench.targets import evaluate
from bench.workloads import WORKLOADS

__all__ = ["ExitCode", "main"]


class ExitCode(enum.IntEnum):
    """Exit codes of `python -m bench`."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    REQUEST_ERRORS = 3
    INTERRUPTED = 130


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--scale", default="M", help="icn, M or L; several with commas (default M)")
    p.add_argument("--backend", default="both", choices=["sqlite", "neo4j", "both"])
    p.add_argument("--clients", default=None, help="concurrencies (default 1,8,32)")
    p.add_argument("--duration", type=float, default=None, help="seconds per cell (default 20)")
    p.add_argument("--warmup", type=float, default=None, help="warm-up seconds (default 2)")
    p.add_argument(
        "--workers", type=int, default=2, help="server worker processes (default 2: one per core)"
    )
    p.add_argument("--workloads", default=",".join(WORKLOADS), help="which workloads")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--cache", type=Path, default=ROOT / "var" / "bench", help="data and stores")
    p.add_argument("--quick", action="store_true", help="2 s cells, 1 and 8 clients: a check")
    p.add_argument("--neo4j-uri", help="use this Neo4j (its data is REPLACED) instead of own")
    p.add_argument("--neo4j-port", type=int, default=7710, help="port of the bench's own Neo4j")
    p.add_argument("--neo4j-heap", help="-Xmx of the bench's own Neo4j (default by scale)")
    p.add_argument(
        "--reuse-store", action="store_true", help="skip loading a loaded embedded store"
    )
    p.add_argument("--no-peer", action="store_true", help="skip the Neo4j GraphQL Library")
    p.add_argument("--seed", type=int, default=1, help="data and request seed (default 1)")
    p.add_argument("--profile", help="profile these workloads with pyinstrument instead")
    p.add_argument("--render", type=Path, help="redraw the page and charts of a saved JSON")
    p.add_argument("--docs", action="store_true", help="also put the page in performance.md")
    p.add_argument("--traceback", action="store_true", help="show tracebacks of failures")
    return p


def _config(args: argparse.Namespace) -> SuiteConfig:
    scales = _list(args.scale)
    unknown = [s for s in scales if s not in SCALES]
    if unknown or not scales:
        raise ValueError(f"unknown scale {unknown}: use {', '.join(SCALES)}")
    workloads = _list(args.workloads)
    if not workloads or any(w not in WORKLOADS for w in workloads):
        raise ValueError(f"--workloads must name some of {', '.join(WORKLOADS)}")
    clients_text = args.clients or ("1,8" if args.quick else "1,8,32")
    clients = sorted({int(c) for c in _list(clients_text)})
    if not clients or clients[0] < 1:
        raise ValueError("--clients must list whole numbers of at least 1")
    duration = args.duration if args.duration is not None else (2.0 if args.quick else 20.0)
    warmup = args.warmup if args.warmup is not None else (0.5 if args.quick else 2.0)
    if duration <= 0 or warmup < 0 or args.workers < 1:
        raise ValueError("--duration must be positive, --warmup not negative, --workers >= 1")
    return SuiteConfig(
        scales=scales,
        backends=["sqlite", "neo4j"] if args.backend == "both" else [args.backend],
        clients=clients,
        duration_s=duration,
        warmup_s=warmup,
        workers=args.workers,
        out=args.out,
        cache=args.cache,
        seed=args.seed,
        workloads=workloads,
        neo4j_uri=args.neo4j_uri,
        neo4j_port=args.neo4j_port,
        neo4j_heap=args.neo4j_heap,
        reuse_store=args.reuse_store,
        peer=not args.no_peer,
    )


def _shown_arg(arg: str) -> str:
    """A command-line argument as the results record it: an absolute path shown with `shown`."""
    return shown(arg) if arg.startswith("/") else arg


async def _run(cfg: SuiteConfig, command: str, *, docs: bool) -> int:
    machine = machine_info()
    runs = await run_suite(cfg)
    for run in runs:
        run["command"] = command
        run["commit"], run["dirty"] = machine["git_commit"], machine["git_dirty"]
    machine["load_average_end"] = load_average()
    date = time.strftime("%Y-%m-%d")
    json_path = cfg.out / f"{date}.json"
    runs = merge_previous(json_path, runs)
    settings = {k: v for k, v in vars(cfg).items() if k not in ("out", "cache")}
    document = {
        "date": date,
        "command": command,
        "machine": machine,
        "settings": settings,
        "targets": [],
        "errors_total": 0,
        "runs": runs,
    }
    return _write(document, json_path, docs=docs)


def _write(document: dict[str, Any], json_path: Path, *, docs: bool) -> int:
    """Evaluate the targets, then write the JSON, the charts and the Markdown page."""
    runs = document["runs"]
    document["targets"] = evaluate(runs)
    document["errors_total"] = total_errors(runs)
    # Charts are named after the JSON (its date for a run), so redrawing a kept page such as
    # 2026-12-05-f468114.json leaves the charts of that day's run alone.
    charts = draw_charts(runs, json_path.parent, json_path.stem)
    write_json(json_path, document)
    md_path = json_path.with_suffix(".md")
    page = render_markdown(document, charts)
    md_path.write_text(page)
    print(f"wrote {shown(json_path)}, {shown(md_path)} and {len(charts)} charts")
    if docs:
        print(f"updated {shown(update_docs(page, json_path.parent))}")
    if document["errors_total"]:
        print(
            f"bench: {document['errors_total']} REQUESTS FAILED (see {shown(md_path)})",
            file=sys.stderr,
        )
        return ExitCode.REQUEST_ERRORS
    return ExitCode.OK


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the suite (or, with --profile, the profiler) and return an ExitCode."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    try:
        cfg = _config(args)
    except ValueError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    command = shlex.join(["./dev.sh", "bench", *(_shown_arg(a) for a in argv)])
    try:
        if args.render:
            return _write(json.loads(args.render.read_text()), args.render, docs=args.docs)
        if args.profile:
            from bench.profiling import run_profiles

            return asyncio.run(run_profiles(cfg, _list(args.profile)))
        return asyncio.run(_run(cfg, command, docs=args.docs))
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception as exc:
        if args.traceback:
            traceback.print_exc()
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
