"""server.py: settings from the environment, media-type negotiation, the CLI's usage errors."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from graph_store import Health
from server import ExitCode, Settings, create_app, main
from tests._asgi import asgi_client


def test_settings_default_to_a_local_embedded_server() -> None:
    settings = Settings.from_env({})
    assert settings.graph_uri is None
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8000, 1)
    assert settings.admin_key is None and settings.cors_origins == ()
    assert settings.data_dir.name == "icn"
    assert settings.keys_file.parts[-2:] == ("var", "api-keys.json")
    assert (settings.anonymous, settings.introspection) == ("read", "on")
    assert (settings.rate_limit_ip, settings.rate_limit_key, settings.access_log) == (
        600,
        3000,
        True,
    )
    limits = (
        settings.request_timeout_ms,
        settings.max_depth,
        settings.max_aliases,
        settings.max_tokens,
        settings.max_cost,
    )
    assert limits == (10_000, 12, 30, 2_000, 10_000)


def test_settings_read_every_variable() -> None:
    env = {
        "GRAPH_URI": "bolt://127.0.0.1:7687",
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": "pw",
        "NEO4J_DATABASE": "icn",
        "HOST": "0.0.0.0",
        "PORT": "9000",
        "WORKERS": "3",
        "ICN_ADMIN_KEY": "k",
        "CORS_ORIGINS": "https://a.example, https://b.example",
        "MAX_BODY_BYTES": "4096",
        "ICN_DATA_DIR": "/data/icn",
        "LOG_LEVEL": "DEBUG",
        "ICN_KEYS_FILE": "/etc/icn/keys.json",
        "ICN_ANONYMOUS": "OFF",
        "ICN_INTROSPECTION": "keys",
        "RATE_LIMIT_IP": "0",
        "RATE_LIMIT_KEY": "120",
        "ACCESS_LOG": "off",
        "REQUEST_TIMEOUT_MS": "2500",
        "MAX_QUERY_DEPTH": "8",
        "MAX_ALIASES": "5",
        "MAX_TOKENS": "500",
        "MAX_QUERY_COST": "900",
    }
    settings = Settings.from_env(env)
    assert settings.graph_uri == "bolt://127.0.0.1:7687"
    assert (settings.neo4j_user, settings.neo4j_password, settings.neo4j_database) == (
        "neo4j",
        "pw",
        "icn",
    )
    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 9000, 3)
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.max_body_bytes == 4096
    assert settings.data_dir == Path("/data/icn")
    assert settings.log_level == "debug"
    assert settings.keys_file == Path("/etc/icn/keys.json")
    assert (settings.anonymous, settings.introspection) == ("off", "keys")
    assert (settings.rate_limit_ip, settings.rate_limit_key, settings.access_log) == (0, 120, False)
    limits = (
        settings.request_timeout_ms,
        settings.max_depth,
        settings.max_aliases,
        settings.max_tokens,
        settings.max_cost,
    )
    assert limits == (2500, 8, 5, 500, 900)


def test_secrets_stay_out_of_the_settings_repr() -> None:
    text = repr(Settings.from_env({"ICN_ADMIN_KEY": "topsecret", "NEO4J_PASSWORD": "pw123"}))
    assert "topsecret" not in text and "pw123" not in text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("WORKERS", "0"),
        ("MAX_BODY_BYTES", "10"),
        ("ICN_ANONYMOUS", "write"),
        ("ICN_INTROSPECTION", "yes"),
        ("RATE_LIMIT_IP", "-1"),
        ("RATE_LIMIT_KEY", "lots"),
        ("ACCESS_LOG", "verbose"),
        ("REQUEST_TIMEOUT_MS", "5"),
        ("MAX_QUERY_DEPTH", "1"),
        ("MAX_ALIASES", "0"),
        ("MAX_TOKENS", "99"),
        ("MAX_QUERY_COST", "0"),
    ],
)
def test_bad_settings_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_main_reports_bad_settings_as_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], {"PORT": "eighty"}) == ExitCode.USAGE
    assert "PORT" in capsys.readouterr().err


class _DownStore:
    """A store whose health probe fails, as when the database is unreachable."""

    backend = "neo4j"

    async def health(self) -> Health:
        return Health(False, self.backend, "STORE_UNAVAILABLE: connection refused", 1.0)


async def test_readyz_is_503_when_the_store_is_down_and_healthz_stays_200(
    tmp_path: Path,
) -> None:
    app = create_app(Settings(data_dir=tmp_path), store=_DownStore())  # type: ignore[arg-type]
    async with asgi_client(app) as client:
        assert (await client.get("/readyz")).status_code == 503
        assert (await client.get("/healthz")).status_code == 200


async def test_body_announced_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, max_body_bytes=2048), store=_DownStore())  # type: ignore[arg-type]
    async with asgi_client(app) as client:
        response = await client.post(
            "/graphql", content=b"x" * 4096, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413


async def test_the_lifespan_warms_the_store_while_the_server_already_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="icn.server")
    settings = Settings(graph_uri=f"sqlite:///{tmp_path / 'graph.sqlite3'}", access_log=False)
    async with asgi_client(create_app(settings)) as client:
        assert (await client.get("/readyz")).status_code == 200
        deadline = time.monotonic() + 60
        while "store warm in" not in caplog.text and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        answer = await client.post(
            "/graphql",
            json={
                "query": '{ paths(from: "person/marianna-lubanski", to: "network/icn") { length } }'
            },
        )
    assert "store warm in" in caplog.text
    assert answer.status_code == 200 and answer.json()["data"]["paths"], answer.text
