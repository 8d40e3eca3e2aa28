"""A same-day rerun of one leg keeps the other leg's figures, and the page says which commit
each leg was measured on."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import _code, merge_previous

_OLD, _NEW = "a" * 40, "b" * 40


def _leg(backend: str, **extra: object) -> dict[str, object]:
    return {"scale": "M", "backend": backend, "cells": [], **extra}


def test_a_rerun_leg_and_a_kept_leg_name_their_own_commits(tmp_path: Path) -> None:
    earlier = tmp_path / "2026-12-04.json"
    machine = {"git_commit": _OLD, "git_dirty": False}
    # A page written before runs carried their commit: its legs take the page's.
    earlier.write_text(json.dumps({"machine": machine, "runs": [_leg("sqlite"), _leg("neo4j")]}))

    runs = merge_previous(earlier, [_leg("neo4j", commit=_NEW, dirty=False)])

    assert [(r["backend"], r["commit"]) for r in runs] == [("sqlite", _OLD), ("neo4j", _NEW)]
    line = _code(runs, {"git_commit": _NEW, "git_dirty": False})
    assert line == "commit `aaaaaaaaaaaa` (M, embedded (SQLite)), commit `bbbbbbbbbbbb` (M, Neo4j)"


def test_one_commit_is_named_once() -> None:
    runs = [_leg("sqlite", commit=_NEW, dirty=True), _leg("neo4j", commit=_NEW, dirty=True)]
    line = _code(runs, {"git_commit": _NEW, "git_dirty": True})
    assert line == "commit `bbbbbbbbbbbb` (with uncommitted changes)"


def test_load_figures_kept_from_an_earlier_run_keep_its_commit(tmp_path: Path) -> None:
    earlier = tmp_path / "2026-12-04.json"
    loaded = _leg("sqlite", commit=_OLD, dirty=False, load={"total_s": 26.7}, started_at="t0")
    earlier.write_text(json.dumps({"machine": {}, "runs": [loaded]}))

    # This run reused the store the earlier one loaded (--reuse-store): no load of its own.
    (run,) = merge_previous(earlier, [_leg("sqlite", commit=_NEW, dirty=False, load=None)])

    assert run["load"] == {"total_s": 26.7, "measured_at": "t0", "commit": _OLD}
