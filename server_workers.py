"""Several server processes on one port, each accepting on a listening socket of its own.

Why not uvicorn's `workers=N`: it binds one socket in the parent and every worker accepts from
it. asyncio accepts up to `backlog` waiting connections per wake-up, so the worker that wakes
first takes a whole burst of new connections: with 32 keep-alive clients on 2 workers the split
was 31/1, 29/3, 26/6 and 22/10 in four tries, and one core was saturated while the other idled.
With SO_REUSEPORT each worker binds its own socket to the same address and the kernel spreads
new connections across them by a hash of their addresses.

The parent only supervises: it starts the workers, passes SIGTERM and SIGINT on to them, and
when one exits on its own it stops the others and exits with that worker's code (a process
manager restarts the service; a worker restarted here would hide the failure).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
from multiprocessing.context import SpawnProcess
from types import FrameType

import uvicorn

__all__ = ["run_workers"]

_POLL_S = 0.2
_STOP_TIMEOUT_S = 15.0  # uvicorn's graceful shutdown is 10 s


def run_workers(config: uvicorn.Config, workers: int) -> int:
    """Run `workers` processes serving `config` until they stop; their exit code (0 if all
    stopped because they were asked to)."""
    context = multiprocessing.get_context("spawn")
    children: list[SpawnProcess] = [
        context.Process(target=_serve, args=(config,), name=f"icn-worker-{i}")
        for i in range(workers)
    ]
    stopping = False

    def stop(_signum: int = 0, _frame: FrameType | None = None) -> None:
        # SIGTERM to each worker: uvicorn shuts down gracefully on it, also after a Ctrl-C
        # that already reached the whole process group (a second SIGINT would force it).
        nonlocal stopping
        stopping = True
        for child in children:
            if child.is_alive():
                child.terminate()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    code = 0
    try:
        for child in children:
            child.start()
        while any(child.is_alive() for child in children):
            for child in children:
                child.join(_POLL_S)
                if not stopping and child.exitcode is not None:
                    code = child.exitcode or 1  # one worker stopped on its own
                    stop()
    finally:
        stop()
        for child in children:
            child.join(_STOP_TIMEOUT_S)
            if child.is_alive():
                child.kill()
                child.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return code


def _serve(config: uvicorn.Config) -> None:
    """One worker: its own SO_REUSEPORT socket on the shared address, then uvicorn on it."""
    family, kind, proto, _, address = socket.getaddrinfo(
        config.host, config.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        print(f"server.py: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    # Listen before the app starts: the kernel then shares connections with this worker from
    # the first, and the few that arrive during its start-up wait instead of all going to a
    # worker that happened to be ready first (and staying there, kept alive).
    sock.listen(config.backlog)
    config.configure_logging()
    uvicorn.Server(config).run(sockets=[sock])
