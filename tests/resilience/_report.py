"""Figures the resilience tests measured: kept for the terminal summary and test-output/.

Timings are reported, not asserted (except the issue's bounds): CI's terminal shows them at
the end of the run, and test-output/NAME.json keeps them for whoever compares runs.
"""

from __future__ import annotations

import json
from typing import Any

from tests.resilience._server import ROOT

__all__ = ["FIGURES", "OUTPUT", "record", "summary_lines"]

OUTPUT = ROOT / "test-output"
FIGURES: dict[str, dict[str, Any]] = {}
"""Test name -> its figures, in the order the tests recorded them."""


def record(name: str, figures: dict[str, Any]) -> None:
    """Keep `figures` for the summary and write them to test-output/NAME.json."""
    FIGURES[name] = figures
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")


def summary_lines() -> list[str]:
    """One line per recorded test: `name: key=value, ...`."""
    return [
        f"{name}: " + ", ".join(f"{key}={value}" for key, value in figures.items())
        for name, figures in FIGURES.items()
    ]
