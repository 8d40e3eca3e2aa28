"""Show what the resilience tests measured at the end of the run (CI runs without -s)."""

from __future__ import annotations

import pytest

from tests.resilience._report import summary_lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = summary_lines()
    if lines:
        terminalreporter.section("resilience figures")
        for line in lines:
            terminalreporter.write_line(line)
