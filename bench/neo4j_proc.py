"""The benchmark's own Neo4j: started with .ci/neo4j/start.sh, sized for the scale.

Loading 1M relationships in one transaction needs a large heap, so the scale sets -Xmx, and a
GC log is kept to report the heap actually used (the peak before a collection). Process
memory is read from /proc: VmHWM is the kernel's record of the process's peak RSS.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.scales import ROOT

__all__ = ["Neo4jProcess", "neo4j_version", "process_peak_rss_mb"]

_CI = ROOT / ".ci" / "neo4j"
_GC_LINE = re.compile(r"(\d+)M->(\d+)M\((\d+)M\)")


def neo4j_version() -> str | None:
    """The Neo4j version the CI launcher runs (from its jar), or None if it is not built."""
    for jar in sorted((_CI / "target" / "lib").glob("neo4j-kernel-*.jar")):
        match = re.fullmatch(r"neo4j-kernel-(\d[\w.]*)\.jar", jar.name)
        if match:
            return match.group(1)
    return None


def process_peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of a live process (VmHWM), in MiB; None if it cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(match.group(1)) / 1024, 1) if match else None


@dataclass
class Neo4jProcess:
    """A Neo4j started (fresh, empty) on `port` with the given heap and page cache."""

    port: int
    heap: str
    pagecache: str
    settings: tuple[str, ...] = ()
    """Extra Neo4j settings, `name=value` each (start.sh's NEO4J_CONF_EXTRA)."""
    java_opts: tuple[str, ...] = ()
    """Extra JVM options, after the GC log's."""
    uri: str = ""
    pid: int | None = None

    @property
    def _run_dir(self) -> Path:
        return _CI / "run" / str(self.port)

    @property
    def gc_log(self) -> Path:
        """The JVM's GC log (one line per collection, with heap before and after)."""
        return self._run_dir / "gc.log"

    def start(self) -> str:
        """Start Neo4j (wiping the port's data) and return its Bolt URI."""
        self._run_dir.mkdir(parents=True, exist_ok=True)
        self.gc_log.unlink(missing_ok=True)
        env = {
            **os.environ,
            "NEO4J_HEAP": self.heap,
            "NEO4J_PAGECACHE": self.pagecache,
            "NEO4J_JAVA_OPTS": " ".join((f"-Xlog:gc:file={self.gc_log}", *self.java_opts)),
            "NEO4J_CONF_EXTRA": "\n".join(self.settings),
        }
        done = subprocess.run(
            ["bash", str(_CI / "start.sh"), str(self.port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0 or "NEO4J_URI=" not in done.stdout:
            raise RuntimeError(f"Neo4j did not start on {self.port}:\n{done.stderr[-3000:]}")
        self.uri = done.stdout.strip().splitlines()[-1].split("=", 1)[1]
        self.pid = int((self._run_dir / "neo4j.pid").read_text().strip())
        return self.uri

    def stop(self) -> None:
        """Stop it cleanly (stop.sh waits for the shutdown)."""
        subprocess.run(
            ["bash", str(_CI / "stop.sh"), str(self.port)],
            capture_output=True,
            text=True,
            timeout=180,
        )

    def peak_rss_mb(self) -> float | None:
        """The JVM process's peak resident memory so far."""
        return process_peak_rss_mb(self.pid) if self.pid else None

    def peak_heap_used_mb(self) -> int | None:
        """The most heap in use at any collection so far (from the GC log), in MiB."""
        try:
            text = self.gc_log.read_text()
        except OSError:
            return None
        used = [int(m.group(1)) for m in _GC_LINE.finditer(text)]
        return max(used) if used else None
