"""A lean HTTP/1.1 client for load generators: a fixed pool of keep-alive connections.

Why not httpx: on this 2-core machine httpx's AsyncClient spent about 6.6 ms of CPU per request
(98% of a core at 149 requests/s), more than the server it was measuring (4.3 ms). A load test
or a benchmark on the same cores then measures the client. Writing a prepared request and
reading a Content-Length (or chunked) response over asyncio streams costs a small fraction of
that, so the offered rate is what the server sees. It speaks only what the bench and the load
test need: POST, optional gzip, no redirects, no TLS.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Http1Error", "Http1Pool", "Reply"]

_MAX_HEADER_BYTES = 64 * 1024
_MAX_IDLE_S = 2.0
"""An idle connection older than this is closed, not reused: uvicorn closes keep-alive
connections after 5 s of silence, and a request written into one it is closing is lost."""


class Http1Error(Exception):
    """The connection failed or the server's answer was not HTTP/1.1 this client can read."""


@dataclass(frozen=True)
class Reply:
    """Status code, body (decompressed) and headers (lower-case names) of one response."""

    status: int
    body: bytes
    headers: dict[str, str]


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def close(self) -> None:
        self.writer.close()


class Http1Pool:
    """At most `size` keep-alive connections to one server; callers beyond them wait.

    A connection that fails is dropped (the request's error is raised), and a new one is
    opened by a later request: a server restart does not poison the pool.
    """

    def __init__(
        self,
        base_url: str,
        size: int,
        timeout_s: float,
        *,
        accept: str = "application/json",
        compressed: bool = False,
    ) -> None:
        """`compressed` asks for gzip (as browsers do), so the server's compression is in."""
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"not a plain http:// URL: {base_url!r}")
        self._host = parts.hostname
        self._port = parts.port or 80
        self._timeout_s = timeout_s
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(size)
        self._authority = f"{self._host}:{self._port}".encode()
        self._accept = b"\r\nAccept: " + accept.encode()
        if compressed:
            self._accept += b"\r\nAccept-Encoding: gzip"

    async def post(self, path: str, body: bytes, content_type: str = "application/json") -> Reply:
        """POST `body` to `path`; the status and body of the answer."""
        head = (
            b"POST " + path.encode() + b" HTTP/1.1\r\nHost: " + self._authority
            + b"\r\nContent-Type: " + content_type.encode()
            + self._accept + b"\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n"
        )  # fmt: skip
        async with self._slots:
            connection = self._take_idle() or await self._open()
            try:
                reply, keep_alive = await asyncio.wait_for(
                    self._exchange(connection, head + body), self._timeout_s
                )
            except BaseException:
                connection.close()
                raise
            if keep_alive:
                connection.idle_since = time.monotonic()
                self._idle.append(connection)
            else:
                connection.close()
            return reply

    async def aclose(self) -> None:
        """Close the idle connections."""
        for connection in self._idle:
            connection.close()
            with contextlib.suppress(OSError):
                await connection.writer.wait_closed()
        self._idle.clear()

    def _take_idle(self) -> _Connection | None:
        """The most recently used idle connection still safely within the keep-alive time."""
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if now - connection.idle_since < _MAX_IDLE_S:
                return connection
            connection.close()
        return None

    async def _open(self) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection(self._host, self._port)
        except OSError as exc:
            raise Http1Error(f"cannot connect: {exc}") from exc
        return _Connection(reader, writer)

    @staticmethod
    async def _exchange(connection: _Connection, request: bytes) -> tuple[Reply, bool]:
        reader = connection.reader
        try:
            connection.writer.write(request)
            await connection.writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            raise Http1Error(f"{type(exc).__name__} while talking to the server") from exc
        if len(head) > _MAX_HEADER_BYTES:
            raise Http1Error("response headers too large")
        lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError) as exc:
            raise Http1Error(f"bad status line {lines[0]!r}") from exc
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        try:
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                body = await _read_chunked(reader)
            else:
                raise Http1Error("response has neither Content-Length nor chunked encoding")
            if headers.get("content-encoding", "").lower() == "gzip":
                body = gzip.decompress(body)
        except (OSError, EOFError, asyncio.IncompleteReadError, ValueError) as exc:
            raise Http1Error(f"{type(exc).__name__} while reading the body") from exc
        return Reply(status, body, headers), headers.get("connection", "").lower() != "close"


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are sent to this client
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
