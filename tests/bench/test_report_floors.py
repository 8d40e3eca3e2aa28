"""The paths table shows the bound the fixed costs give, and only for runs that measured them:
a page kept from before the suite measured fixed costs renders as it was written."""

from __future__ import annotations

from bench.report import _floors

_FLOOR = {"p50_ms": 1.2, "p99_ms": 5.0, "with_path": 1.0}
_PATHS = {"workload": "paths", "p50_ms": 2.4}


def _run(**extra: object) -> dict[str, object]:
    return {"scale": "M", "backend": "sqlite", "cells": [_PATHS], "floor": _FLOOR, **extra}


def test_the_bound_is_the_store_call_plus_the_no_work_request() -> None:
    lines = _floors([_run(fixed_costs={"http_p50_ms": 0.6, "store_call_p50_ms": 0.1})])
    # (0.6 + 1.2) / 1.2 = 1.5x, next to the measured 2.4 / 1.2 = 2x.
    row = "| M | embedded (SQLite) | 1.20 | 5.00 | 2.40 | **2.00x** | 0.60 | 1.50x | 100% |"
    assert row in lines
    assert any("no-work request" in line for line in lines if not line.startswith("|"))


def test_a_run_without_fixed_costs_keeps_its_old_table() -> None:
    lines = _floors([_run()])
    assert lines[0].count("|") == 8  # seven columns: no bound
    assert "| M | embedded (SQLite) | 1.20 | 5.00 | 2.40 | **2.00x** | 100% |" in lines


def test_a_failed_measurement_shows_no_bound() -> None:
    lines = _floors([_run(fixed_costs={"error": "RuntimeError: refused"})])
    assert "| M | embedded (SQLite) | 1.20 | 5.00 | 2.40 | **2.00x** | 100% |" in lines
