"""`python server.py` as the benchmark runs it: start-up time to ready, and its memory.

Memory is the sum of VmRSS over the server and all its descendants (uvicorn's workers),
sampled by a background thread; `mark()` starts a new peak so each cell gets its own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bench.scales import ROOT

__all__ = ["ServerProcess", "free_port", "tree_rss_mb"]

_SAMPLE_S = 0.1
_RESCAN_S = 2.0
"""How often the process tree is walked again (walking /proc costs the client CPU)."""


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields follow the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    tree = _children()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, ()))
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MiB."""
    return sum(_rss_kb(p) for p in _descendants(pid)) / 1024


class ServerProcess:
    """One `python server.py` on a free loopback port, for one backend and store."""

    def __init__(self, graph_uri: str, *, workers: int, log: Path) -> None:
        self.graph_uri = graph_uri
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        self._stop_sampling = threading.Event()
        self._sampler: threading.Thread | None = None
        self._lock = threading.Lock()
        self._peak_mb = 0.0
        self._cell_peak_mb = 0.0

    def start(self, timeout_s: float = 300.0) -> float:
        """Start the server and return the seconds until /readyz first answered 200."""
        env = {
            **os.environ,
            "GRAPH_URI": self.graph_uri,
            "WORKERS": str(self.workers),
            "RATE_LIMIT_IP": "0",
            "RATE_LIMIT_KEY": "0",
            "ACCESS_LOG": "off",
            "LOG_LEVEL": "warning",
            "ICN_SERVER_TIMING": "1",
            "ICN_DATA_DIR": str(ROOT / "data" / "icn"),
        }
        command = [sys.executable, "server.py", "--host", "127.0.0.1", "--port", str(self.port)]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with self.log.open("wb") as out:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self._sampler = threading.Thread(target=self._sample, name="bench-rss", daemon=True)
        self._sampler.start()
        deadline = started + timeout_s
        with httpx.Client(timeout=5.0) as client:
            while time.perf_counter() < deadline:
                if self._process.poll() is not None:
                    tail = self.log.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"server exited with {self._process.returncode}:\n{tail}")
                try:
                    if client.get(f"{self.base}/readyz").status_code == 200:
                        return time.perf_counter() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout_s:.0f} s (log: {self.log})")

    def _sample(self) -> None:
        pids: list[int] = []
        scanned = 0.0
        while not self._stop_sampling.is_set():
            process = self._process
            if process is not None and process.poll() is None:
                if time.monotonic() - scanned > _RESCAN_S:
                    pids, scanned = _descendants(process.pid), time.monotonic()
                rss = sum(_rss_kb(p) for p in pids) / 1024
                with self._lock:
                    self._peak_mb = max(self._peak_mb, rss)
                    self._cell_peak_mb = max(self._cell_peak_mb, rss)
            self._stop_sampling.wait(_SAMPLE_S)

    def mark(self) -> float:
        """The peak memory since the last mark (MiB), and start a new one."""
        with self._lock:
            peak, self._cell_peak_mb = self._cell_peak_mb, 0.0
        return round(peak, 1)

    @property
    def peak_rss_mb(self) -> float:
        """The server's peak memory since it started (MiB, process tree)."""
        with self._lock:
            return round(self._peak_mb, 1)

    def stop(self) -> None:
        """Terminate the server (gracefully, then by force) and stop sampling."""
        self._stop_sampling.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._sampler is not None:
            self._sampler.join(timeout=5)
