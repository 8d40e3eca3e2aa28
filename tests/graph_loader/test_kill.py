"""A loader killed (SIGKILL) while it writes leaves the store as before or fully loaded."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph_loader import ExitCode, write_synthetic
from graph_store import open_store
from tests.graph_loader._support import BASE, REPO, run_cli

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

MARKER = "Writing batch"
"""What the loader prints on stderr just before it hands the batch to the store."""


async def _counts(uri: str) -> tuple[int, int, int]:
    store = await open_store(uri)
    try:
        stats = await store.stats()
        return sum(stats.nodes_by_kind.values()), sum(stats.edges_by_type.values()), stats.seq
    finally:
        await store.aclose()


def _start_load(folder: Path, uri: str) -> tuple[subprocess.Popen[str], float]:
    """Start `icn-load folder` and wait until it begins writing; return it and that moment."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph_loader", str(folder)],
        cwd=REPO,
        env={**os.environ, "GRAPH_URI": uri},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if MARKER in line:
            return proc, time.monotonic()
    proc.wait()
    pytest.fail(f"the loader exited ({proc.returncode}) before it started writing")


def test_a_loader_killed_while_writing_leaves_the_store_as_before_or_complete(
    tmp_path: Path,
) -> None:
    data = write_synthetic(tmp_path / "synthetic", people=3000, seed=3)
    # How long the write takes here, so the kill lands inside it on any machine.
    probe_uri = f"sqlite:///{tmp_path / 'probe.sqlite3'}"
    probe, began = _start_load(data.directory, probe_uri)
    assert probe.wait(timeout=300) == ExitCode.OK
    write_seconds = time.monotonic() - began
    assert run_cli([str(BASE)], probe_uri).code == ExitCode.OK
    full = asyncio.run(_counts(probe_uri))[:2]  # the two inputs share a node or two

    # A busy machine may finish the write early: then try again, killing sooner.
    for attempt, share in enumerate((0.6, 0.3, 0.1)):
        uri = f"sqlite:///{tmp_path / f'icn-{attempt}.sqlite3'}"
        assert run_cli([str(BASE)], uri).code == ExitCode.OK
        before = asyncio.run(_counts(uri))
        proc, began = _start_load(data.directory, uri)
        time.sleep(write_seconds * share)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        after = asyncio.run(_counts(uri))
        assert after in (before, (*full, before[2] + 1))
        if proc.returncode == -signal.SIGKILL:
            break
    else:
        pytest.fail("the loader always finished before it could be killed")
    # And the store takes the same load afterwards, whole.
    assert run_cli([str(data.directory)], uri).code == ExitCode.OK
    assert asyncio.run(_counts(uri))[:2] == full
