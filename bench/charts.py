"""PNG charts of a run: latency by scale, and throughput by concurrency (matplotlib, Agg).

Drawn from the report's raw figures alone, so a chart can be redrawn from a saved JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server or in CI

import matplotlib.pyplot as plt

__all__ = ["draw_charts"]

_BACKENDS = {"sqlite": "embedded", "neo4j": "Neo4j"}


def _workloads(runs: list[dict[str, Any]]) -> list[str]:
    seen: list[str] = []
    for run in runs:
        for cell in run["cells"]:
            if cell["workload"] not in seen:
                seen.append(cell["workload"])
    return seen


def _latency_by_scale(runs: list[dict[str, Any]], path: Path) -> None:
    backends = [b for b in _BACKENDS if any(r["backend"] == b for r in runs)]
    workloads = _workloads(runs)
    fig, axes = plt.subplots(1, len(backends), figsize=(6 * len(backends), 4.2), squeeze=False)
    for ax, backend in zip(axes[0], backends, strict=True):
        legs = [r for r in runs if r["backend"] == backend]
        width = 0.8 / max(len(legs), 1)
        for i, run in enumerate(legs):
            lowest = min((c["clients"] for c in run["cells"]), default=1)
            cells = {c["workload"]: c for c in run["cells"] if c["clients"] == lowest}
            xs = [j + i * width for j, w in enumerate(workloads) if w in cells]
            p50 = [cells[w]["p50_ms"] for w in workloads if w in cells]
            p99 = [cells[w]["p99_ms"] for w in workloads if w in cells]
            spread = [[0] * len(p50), [b - a for a, b in zip(p50, p99, strict=True)]]
            ax.bar(xs, p50, width, yerr=spread, capsize=2, label=f"scale {run['scale']}")
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(workloads))], workloads)
        ax.tick_params(axis="x", rotation=30)
        ax.set_ylabel("latency, ms (bar p50, whisker p99)")
        ax.set_title(f"{_BACKENDS[backend]} backend, 1 client")
        ax.set_yscale("log")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _throughput_by_concurrency(runs: list[dict[str, Any]], path: Path) -> None:
    fig, axes = plt.subplots(1, len(runs), figsize=(5.5 * len(runs), 4.2), squeeze=False)
    for ax, run in zip(axes[0], runs, strict=True):
        for workload in _workloads([run]):
            cells = sorted(
                (c for c in run["cells"] if c["workload"] == workload), key=lambda c: c["clients"]
            )
            ax.plot(
                [c["clients"] for c in cells], [c["rps"] for c in cells], marker="o", label=workload
            )
        ax.set_xscale("log", base=2)
        counts = sorted({c["clients"] for c in run["cells"]})
        ax.set_xticks(counts, [str(c) for c in counts])
        ax.set_xlabel("concurrent clients")
        ax.set_ylabel("requests/s")
        ax.set_title(f"scale {run['scale']}, {_BACKENDS[run['backend']]}")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_charts(runs: list[dict[str, Any]], out: Path, stem: str) -> list[str]:
    """Write the two charts into `out`; their file names (none when there is nothing to draw)."""
    if not runs or not any(r["cells"] for r in runs):
        return []
    out.mkdir(parents=True, exist_ok=True)
    names = [f"{stem}-latency-by-scale.png", f"{stem}-throughput-by-concurrency.png"]
    _latency_by_scale(runs, out / names[0])
    _throughput_by_concurrency(runs, out / names[1])
    return names
