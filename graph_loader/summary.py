"""What the secretariat sees: the created/updated/deleted/unchanged table, a progress bar."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn
from rich.table import Table

from graph_store import ApplyResult

__all__ = ["PROGRESS_THRESHOLD", "BarProgress", "summary_table"]

PROGRESS_THRESHOLD = 5_000
"""Records from which a stage shows a progress bar: smaller inputs finish before it would help."""


def summary_table(result: ApplyResult, *, written: bool) -> Table:
    """Counts per action for nodes and relationships (what was written, or would be)."""
    title = "Loaded (one transaction)" if written else "Dry run: nothing was written"
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for heading in ("created", "updated", "deleted", "unchanged"):
        table.add_column(heading, justify="right")
    for label, record, unchanged in (
        ("nodes", "node", result.unchanged_nodes),
        ("relationships", "edge", result.unchanged_edges),
    ):
        table.add_row(
            label,
            *(str(result.count(action, record)) for action in ("create", "update", "delete")),
            str(unchanged),
        )
    return table


class BarProgress:
    """A rich progress bar on stderr for large inputs; silent when stderr is not a terminal."""

    def __init__(self, console: Console, *, threshold: int = PROGRESS_THRESHOLD) -> None:
        self._enabled = console.is_terminal
        self._threshold = threshold
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not self._enabled,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> BarProgress:
        self._bar.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.__exit__(exc_type, exc, tb)

    def stage(self, description: str, total: int | None, records: int) -> None:
        """Show a new stage (replacing the previous one) if it is large enough to watch."""
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._task = None
        if self._enabled and records >= self._threshold:
            self._task = self._bar.add_task(description, total=total)

    def advance(self, units: int) -> None:
        """Move the current stage's bar on."""
        if self._task is not None:
            self._bar.advance(self._task, units)
