"""Failures surface as graph_store errors with stable codes, never as driver exceptions."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from graph_store import BadUserInput, IcnGraphError, StoreUnavailable, open_store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_an_unreachable_neo4j_raises_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable) as info:
        await open_store(f"bolt://127.0.0.1:{_free_port()}", timeout_s=1)

    assert info.value.code == "STORE_UNAVAILABLE"
    assert "Traceback" not in str(info.value)


async def test_an_unopenable_sqlite_file_raises_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")

    with pytest.raises(IcnGraphError) as info:
        await open_store(f"sqlite:///{blocker / 'sub' / 'icn.sqlite3'}")

    assert isinstance(info.value, StoreUnavailable)
    assert info.value.code == "STORE_UNAVAILABLE"


async def test_an_unsupported_uri_scheme_is_bad_user_input() -> None:
    with pytest.raises(BadUserInput) as info:
        await open_store("mysql://127.0.0.1/icn")

    assert info.value.code == "BAD_USER_INPUT"
