"""The key registry and the `icn-keys` CLI, on real key files in a temporary directory."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graph_store import Certainty
from resolvers import ANONYMOUS, BOOTSTRAP_ADMIN, READ, Unauthenticated, authenticate
from resolvers.api_keys import InvalidKeySetting, KeyRegistry, UnknownKey
from resolvers.keys_cli import main

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = "query ClusterMembers($id: ID!) { node(id: $id) { id name } }\n"


def _cli(capsys: pytest.CaptureFixture[str], keys: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--keys-file", str(keys), *args], env={})
    out, err = capsys.readouterr()
    return code, out, err


def _created_key(out: str) -> str:
    (key,) = [line for line in out.splitlines() if line.startswith("icn_")]
    return key


def test_create_shows_the_key_once_and_stores_only_its_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "nested" / "api-keys.json"
    code, out, err = _cli(
        capsys, keys, "create", "--partner", "OREEC", "--scope", "read", "--scope", "read:contacts"
    )
    assert (code, err) == (0, "")
    key = _created_key(out)
    key_id = key.split("_")[1]
    assert len(key_id) == 8 and int(key_id, 16) >= 0
    assert key_id in out.splitlines()[0]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    text = keys.read_text()
    assert key not in text and key.split("_", 2)[2] not in text
    assert hashlib.sha256(key.encode()).hexdigest() in text
    principal = KeyRegistry(keys).principal_for(key)
    assert principal is not None
    assert (principal.name, principal.key_id) == ("OREEC", key_id)
    assert principal.scopes == frozenset({"read", "read:contacts"})
    # `list` shows the key's settings, never the key or its hash.
    code, out, _ = _cli(capsys, keys, "list")
    assert code == 0 and key_id in out and "OREEC" in out and "read:contacts" in out
    assert key not in out and hashlib.sha256(key.encode()).hexdigest() not in out
    assert key.split("_", 2)[2] not in out


def test_settings_reach_the_principal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys.json"
    code, out, _ = _cli(
        capsys,
        keys,
        "create",
        "--partner",
        "Portal",
        "--scope",
        "read",
        "--origin",
        "https://Portal.Example.org",
        "--origin",
        "http://127.0.0.1:8080",
        "--min-certainty",
        "inferred",
        "--persisted-only",
        "--rate-limit",
        "120",
    )
    assert code == 0
    key = _created_key(out)
    principal = KeyRegistry(keys).principal_for(key)
    assert principal is not None
    assert principal.origins == ("https://portal.example.org", "http://127.0.0.1:8080")
    assert principal.min_certainty is Certainty.INFERRED
    assert (principal.persisted_only, principal.rate_limit) == (True, 120)
    assert KeyRegistry(keys).all_origins() == frozenset(principal.origins)


def test_revoke_refuses_at_once_in_another_registry_on_the_same_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys.json"
    _, out, _ = _cli(
        capsys, keys, "create", "--partner", "A", "--scope", "read", "--origin", "https://a.example"
    )
    key = _created_key(out)
    _, other_out, _ = _cli(capsys, keys, "create", "--partner", "B", "--scope", "read")
    other = _created_key(other_out)
    server_view = KeyRegistry(keys)  # what a running worker holds
    assert server_view.principal_for(key) is not None
    assert server_view.all_origins() == frozenset({"https://a.example"})
    code, out, _ = _cli(capsys, keys, "revoke", key.split("_")[1])
    assert code == 0 and "revoked" in out
    assert server_view.principal_for(key) is None
    assert KeyRegistry(keys).principal_for(key) is None
    assert server_view.all_origins() == frozenset()
    assert server_view.principal_for(other) is not None
    code, out, _ = _cli(capsys, keys, "list")
    assert code == 0
    (line,) = [row for row in out.splitlines() if row.startswith(key.split("_")[1])]
    assert "T" in line.split()[4]  # the revocation time is listed


def test_malformed_unknown_and_tampered_keys_have_no_principal(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    registry = KeyRegistry(keys)
    assert registry.principal_for("icn_00000000_" + "a" * 43) is None  # no file yet
    record, key = registry.create("A", ["read"])
    assert registry.principal_for(key) is not None
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    for bad in (
        tampered,
        f"icn_ffffffff_{key.split('_', 2)[2]}",
        "",
        "icn_",
        key + "\n",
        key.upper(),
    ):
        assert registry.principal_for(bad) is None, bad
    # A damaged file refuses every key instead of trusting the last good copy.
    keys.write_text("{not json")
    assert registry.principal_for(key) is None
    assert record.id not in registry.all_origins()


def test_authenticate_keys_admin_anonymous_and_refusals(tmp_path: Path) -> None:
    registry = KeyRegistry(tmp_path / "keys.json")
    _, key = registry.create("Partner", ["read"], min_certainty="stated")
    admin = "bootstrap-admin-key-0123"
    by_bearer = authenticate({"Authorization": f"Bearer {key}"}, admin, registry, "read")
    by_header = authenticate({"x-api-key": key}, admin, registry, "off")
    assert by_bearer == by_header and by_bearer.name == "Partner"
    assert by_bearer.min_certainty is Certainty.STATED
    assert authenticate({"authorization": f"bearer {admin}"}, admin, registry, "off") == (
        BOOTSTRAP_ADMIN
    )
    assert authenticate({}, admin, registry, "read") == ANONYMOUS
    assert ANONYMOUS.scopes == frozenset({READ})
    with pytest.raises(Unauthenticated) as missing:
        authenticate({}, admin, registry, "off")
    assert missing.value.code == "UNAUTHENTICATED"
    for headers in (
        {"authorization": "Bearer icn_12345678_nope-nope-nope-nope-nope"},
        {"x-api-key": "not-a-key"},
        {"authorization": f"Bearer {key}", "x-api-key": admin},
    ):
        with pytest.raises(Unauthenticated):
            authenticate(headers, admin, registry, "read")
    registry.revoke(by_bearer.key_id or "")
    with pytest.raises(Unauthenticated):
        authenticate({"authorization": f"Bearer {key}"}, admin, registry, "read")


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["create", "--partner", "X", "--scope", "reed"], "unknown scope(s) 'reed'"),
        (["create", "--partner", "X", "--scope", "read", "--origin", "https://x.no/a"], "origin"),
        (["create", "--partner", "X", "--scope", "read", "--origin", "oreec.no"], "origin"),
        (["create", "--partner", "X", "--scope", "read", "--origin", "ftp://x.no"], "origin"),
        (["create", "--partner", "X", "--scope", "read", "--min-certainty", "sure"], "sure"),
        (["create", "--partner", "X", "--scope", "read", "--rate-limit", "0"], "rate limit"),
        (["create", "--partner", " ", "--scope", "read"], "partner name"),
        (["create", "--partner", "X"], "--scope"),
        (["revoke", "deadbeef"], "no key has the id 'deadbeef'"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_naming_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], problem: str
) -> None:
    keys = tmp_path / "keys.json"
    code, out, err = _cli(capsys, keys, *args)
    assert code == 2
    assert problem in err and out == ""
    assert not keys.exists() or json.loads(keys.read_text())["keys"] == {}


def test_allow_registers_persisted_operations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys.json"
    _, out, _ = _cli(
        capsys, keys, "create", "--partner", "P", "--scope", "read", "--persisted-only"
    )
    key = _created_key(out)
    key_id = key.split("_")[1]
    good = tmp_path / "members.graphql"
    good.write_text(MEMBERS)
    bad = tmp_path / "broken.graphql"
    bad.write_text("query { node(id: ")
    code, _, err = _cli(capsys, keys, "allow", key_id, str(good), str(bad))
    assert code == 2 and "broken.graphql" in err and "not valid GraphQL" in err
    assert KeyRegistry(keys).principal_for(key).operations == frozenset()  # type: ignore[union-attr]
    code, out, _ = _cli(capsys, keys, "allow", key_id, str(good))
    sha = hashlib.sha256(MEMBERS.encode()).hexdigest()
    assert code == 0 and out.split() == [sha, str(good)]
    registry = KeyRegistry(keys)
    assert registry.operation(sha) == MEMBERS
    assert registry.operation("0" * 64) is None
    principal = registry.principal_for(key)
    assert principal is not None and principal.operations == frozenset({sha})
    assert _cli(capsys, keys, "allow", "deadbeef", str(good))[0] == 2
    assert _cli(capsys, keys, "allow", key_id, str(tmp_path / "missing.graphql"))[0] == 2


def test_registry_api_validates_and_revoke_is_idempotent(tmp_path: Path) -> None:
    registry = KeyRegistry(tmp_path / "keys.json")
    with pytest.raises(InvalidKeySetting):
        registry.create("X", [])
    with pytest.raises(InvalidKeySetting):
        registry.add_operations("whatever", ["fragment F on Node { id }"])
    with pytest.raises(UnknownKey):
        registry.revoke("00000000")
    record, _ = registry.create("X", ["write", "read"])
    assert record.scopes == ("read", "write") and record.revoked is None
    first = registry.revoke(record.id)
    assert first.revoked is not None and registry.revoke(record.id).revoked == first.revoked
    assert [r.id for r in registry.list()] == [record.id]
    with pytest.raises(InvalidKeySetting):
        registry.add_operations(record.id, [MEMBERS])


def test_unreadable_key_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text("[]")
    code, _, err = _cli(capsys, keys, "list")
    assert code == 1 and "not a key file" in err
    code, _, _ = _cli(capsys, keys, "create", "--partner", "X", "--scope", "read")
    assert code == 1 and keys.read_text() == "[]"  # a damaged file is never overwritten


def test_the_cli_runs_as_a_program_with_the_env_default(tmp_path: Path) -> None:
    keys = tmp_path / "from-env.json"
    env = {**os.environ, "ICN_KEYS_FILE": str(keys)}
    command = [sys.executable, "-m", "resolvers.keys_cli"]
    created = subprocess.run(
        [*command, "create", "--partner", "Env", "--scope", "read"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    assert KeyRegistry(keys).principal_for(_created_key(created.stdout)) is not None
    usage = subprocess.run(
        [*command, "create", "--partner", "Env", "--scope", "root"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert usage.returncode == 2 and "unknown scope" in usage.stderr
