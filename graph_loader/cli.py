"""`icn-load`: load dataset files into the ICN graph in one transaction, or make a synthetic one.

    icn-load PATH... [--dry-run] [--check-evidence] [--sources DIR] [--graph-uri URI]
    icn-load synthetic --people N [--seed S] [--out DIR] [--load] [--graph-uri URI]

Output and the final summary go to stdout, diagnostics to stderr; exit codes are `ExitCode`.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import os
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from rich.console import Console

from graph_loader.pipeline import Prepared, locate, prepare
from graph_loader.plan import plan_lines
from graph_loader.summary import BarProgress, summary_table
from graph_loader.synthetic import write_synthetic
from graph_store import (
    ApplyResult,
    BadUserInput,
    GraphStore,
    IcnGraphError,
    InvalidRecord,
    StoreUnavailable,
    open_store,
)

__all__ = ["PROG", "ExitCode", "main", "run"]

PROG = "icn-load"


class ExitCode(enum.IntEnum):
    """What `icn-load` exits with; scripts may rely on these numbers."""

    OK = 0
    FAILURE = 1
    """Something unexpected went wrong (a bug, or a store error that is not about the input)."""
    INVALID = 2
    """Bad usage or invalid input: nothing was written."""
    STORE_UNAVAILABLE = 4
    """The store could not be reached: nothing was written; try again later."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C."""


class _Usage(Exception):
    """argparse wanted to exit (usage error or --help) with this code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._print_message(message, sys.stderr)
        raise _Usage(status)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--graph-uri",
        metavar="URI",
        help="the store: bolt:// or neo4j:// for Neo4j, a path or sqlite:///path for the "
        "embedded store (default: $GRAPH_URI, else the embedded var/icn.sqlite3)",
    )
    parser.add_argument("--traceback", action="store_true", help="show tracebacks of errors")


def _load_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Validate dataset files (YAML, JSON, JSON Lines, MoU CSV) and load them into "
        "the ICN graph as ONE transaction: all records or none. A directory means all of its "
        "record files, as one batch. (`icn-load synthetic --help` makes benchmark networks.)",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or directory")
    parser.add_argument("--dry-run", action="store_true", help="validate and plan; write nothing")
    parser.add_argument(
        "--check-evidence",
        action="store_true",
        help="check that each relationship's evidence occurs in its source document",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="where the source documents are (default: sources/ beside the dataset)",
    )
    _common(parser)
    return parser


def _synthetic_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} synthetic",
        description="Write a realistic, heavy-tailed synthetic network as JSON Lines (and load "
        "it with --load). Deterministic for a seed; --people 60000 gives ~100k nodes, ~1M "
        "relationships.",
    )
    parser.add_argument("--people", type=int, required=True, metavar="N", help="number of people")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default var/synthetic-N-S)"
    )
    parser.add_argument("--load", action="store_true", help="load the files once written")
    _common(parser)
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run `icn-load` with `argv` (without the program name) and environment `env`."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if env is None else env
    out, err = sys.stdout, sys.stderr
    synthetic = bool(args_list) and args_list[0] == "synthetic"
    try:
        parser = _synthetic_parser() if synthetic else _load_parser()
        args = parser.parse_args(args_list[1:] if synthetic else args_list)
    except _Usage as exc:
        return exc.code
    try:
        program = _synthetic(args, env, out, err) if synthetic else _load(args, env, out, err)
        return asyncio.run(program)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return ExitCode.INTERRUPTED
    except Exception as exc:
        if args.traceback:
            traceback.print_exc(file=err)
        else:
            print(
                f"{PROG}: unexpected error ({type(exc).__name__}: {exc}); "
                "run again with --traceback for details",
                file=err,
            )
        return ExitCode.FAILURE


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())


async def _open(args: argparse.Namespace, env: Mapping[str, str]) -> GraphStore:
    uri = args.graph_uri or env.get("GRAPH_URI") or None
    return await open_store(uri)


async def _synthetic(
    args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    if args.people < 1:
        print(f"{PROG} synthetic: --people must be at least 1", file=err)
        return ExitCode.INVALID
    directory = args.out or Path("var") / f"synthetic-{args.people}-{args.seed}"
    started = time.perf_counter()
    result = write_synthetic(directory, people=args.people, seed=args.seed)
    seconds = time.perf_counter() - started
    print(
        f"Wrote {result.nodes} nodes and {result.relationships} relationships to "
        f"{directory} in {seconds:.1f} s",
        file=out,
    )
    if not args.load:
        return ExitCode.OK
    args.paths, args.dry_run, args.check_evidence, args.sources = [directory], False, False, None
    return await _load(args, env, out, err)


async def _load(args: argparse.Namespace, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    try:
        store = await _open(args, env)
    except StoreUnavailable as exc:
        print(f"{PROG}: store unavailable: {_one_line(exc)}", file=err)
        return ExitCode.STORE_UNAVAILABLE
    except BadUserInput as exc:
        print(f"{PROG}: {_one_line(exc)}", file=err)
        return ExitCode.INVALID
    try:
        outcome = await _prepare_and_write(args, store, err)
        if isinstance(outcome, int):
            return outcome
        prepared, result = outcome
    except StoreUnavailable as exc:
        print(f"{PROG}: store unavailable: {_one_line(exc)}; nothing was written", file=err)
        return ExitCode.STORE_UNAVAILABLE
    except BadUserInput as exc:
        print(f"{PROG}: {exc.code}: {_one_line(exc)}; nothing was written", file=err)
        return ExitCode.INVALID
    except IcnGraphError as exc:
        print(f"{PROG}: {exc.code}: {_one_line(exc)}", file=err)
        return ExitCode.FAILURE
    finally:
        await store.aclose()
    _report(
        prepared, result, written=not args.dry_run, out=out, seconds=time.perf_counter() - started
    )
    return ExitCode.OK


async def _prepare_and_write(
    args: argparse.Namespace, store: GraphStore, err: TextIO
) -> tuple[Prepared, ApplyResult] | int:
    """Validate, then plan or apply; an int is the exit code after a reported problem."""
    console = Console(file=err, stderr=True)
    with BarProgress(console) as progress:
        try:
            prepared = await prepare(
                args.paths,
                store,
                evidence=args.check_evidence,
                sources=args.sources,
                progress=progress,
            )
        except InvalidRecord as exc:
            return _invalid(exc, err)
        except BadUserInput as exc:
            print(f"{PROG}: {_one_line(exc)}", file=err)
            return ExitCode.INVALID
        batch = prepared.batch
        action = "Planning (dry run)" if args.dry_run else "Writing"
        print(
            f"{action} batch {prepared.stamp.batch_id}: {len(batch.nodes)} nodes, "
            f"{len(batch.edges)} relationships, one transaction",
            file=err,
            flush=True,
        )
        progress.stage(action, None, prepared.records)
        try:
            result = await (store.plan if args.dry_run else store.apply)(batch)
        except InvalidRecord as exc:
            return _invalid(locate(exc, batch), err)
    return prepared, result


def _invalid(exc: InvalidRecord, err: TextIO) -> int:
    for problem in exc.problems:
        print(problem, file=err)
    print(f"{PROG}: {len(exc.problems)} problem(s); nothing was written", file=err)
    return ExitCode.INVALID


def _report(
    prepared: Prepared, result: ApplyResult, *, written: bool, out: TextIO, seconds: float
) -> None:
    for line in plan_lines(result, written=written):
        print(line, file=out)
    console = Console(file=out, highlight=False, width=100)
    console.print(summary_table(result, written=written))
    rate = prepared.records / seconds if seconds > 0 else 0.0
    print(
        f"{prepared.records} records from {prepared.files} file(s) in {seconds:.1f} s "
        f"({rate:,.0f} records/s); batch {prepared.stamp.batch_id}",
        file=out,
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
