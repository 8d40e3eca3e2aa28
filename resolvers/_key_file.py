"""The API-key file on disk: validation of key settings, and atomic, locked JSON writes.

Kept apart from `api_keys` so the registry reads as "what a key is" while this module holds
"how the file is kept safe": a reader (a server worker) must never see a half-written file, two
`icn-keys` runs must not lose each other's changes, and nobody but the owner may read it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

from graph_store import Certainty
from resolvers.permissions import SCOPES

__all__ = [
    "InvalidKeySetting",
    "KeyFileError",
    "check_certainty",
    "check_origins",
    "check_partner",
    "check_rate_limit",
    "check_scopes",
    "empty",
    "operation_name",
    "read",
    "update",
]

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_ORIGIN = re.compile(rf"^https?://{_LABEL}(?:\.{_LABEL})*(?::(\d{{1,5}}))?$")
_MAX_PARTNER = 100


class InvalidKeySetting(ValueError):
    """A key setting given by the operator cannot be used (the CLI's exit code 2)."""


class KeyFileError(RuntimeError):
    """The key file exists but cannot be read as a key file (the CLI's exit code 1)."""


def empty() -> dict[str, Any]:
    """The content of a key file with no keys and no operations."""
    return {"version": 1, "keys": {}, "operations": {}}


def check_partner(partner: str) -> str:
    """A partner name as shown in logs: printable, 1-100 characters."""
    name = partner.strip()
    if not name or len(name) > _MAX_PARTNER or not name.isprintable():
        raise InvalidKeySetting(
            f"partner name {partner!r} must be 1-{_MAX_PARTNER} printable characters"
        )
    return name


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes, sorted and without repeats; at least one, each one of SCOPES."""
    wanted = sorted(set(scopes))
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise InvalidKeySetting(
            f"unknown scope(s) {', '.join(map(repr, unknown))}; known: {', '.join(SCOPES)}"
        )
    if not wanted:
        raise InvalidKeySetting(f"a key needs at least one scope ({', '.join(SCOPES)})")
    return wanted


def check_origins(origins: Iterable[str]) -> list[str]:
    """Browser origins exactly as browsers send them: scheme://host[:port], no path."""
    checked: list[str] = []
    for origin in origins:
        value = origin.strip().lower()
        match = _ORIGIN.match(value)
        port = int(match.group(1)) if match and match.group(1) else None
        if match is None or (port is not None and not 0 < port < 65536):
            raise InvalidKeySetting(
                f"origin {origin!r} is not scheme://host[:port] "
                "(http or https, no path, e.g. https://oreec.no)"
            )
        if value not in checked:
            checked.append(value)
    return checked


def check_certainty(value: str | None) -> str | None:
    """A certainty name (stated, inferred, uncertain, planned) or None."""
    if value is None:
        return None
    try:
        return Certainty(value.strip().lower()).value
    except ValueError:
        known = ", ".join(c.value for c in Certainty)
        raise InvalidKeySetting(f"min_certainty {value!r} is not one of {known}") from None


def check_rate_limit(value: int | None) -> int | None:
    """Requests per minute for one key: a positive whole number, or None for the default."""
    if value is not None and (isinstance(value, bool) or value < 1):
        raise InvalidKeySetting(f"rate limit {value!r} must be a whole number of at least 1")
    return value


def operation_name(text: str) -> str | None:
    """The name of the first operation of a GraphQL document; InvalidKeySetting if unusable."""
    try:
        document = parse(text)
    except GraphQLSyntaxError as exc:
        raise InvalidKeySetting(f"not valid GraphQL: {exc.message} at {exc.locations}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        raise InvalidKeySetting("the document holds no query or mutation")
    return operations[0].name.value if operations[0].name else None


def read(path: Path) -> dict[str, Any]:
    """The file's content (an empty one when it does not exist); KeyFileError if unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty()
    except OSError as exc:
        raise KeyFileError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyFileError(f"{path} is not a key file (invalid JSON: {exc})") from None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("keys"), dict)
        and isinstance(data.get("operations"), dict)
    ):
        raise KeyFileError(f"{path} is not a key file (no `keys` and `operations` objects)")
    return data


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    # A sibling lock file: the key file itself is replaced on every write, so it cannot hold
    # the lock. Readers never lock: they only ever see a complete old or new file.
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write(path: Path, data: dict[str, Any]) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)  # mkstemp makes 0600 already; say so whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def update(path: Path, change: Callable[[dict[str, Any]], Any]) -> Any:
    """Apply `change` to the file's content and write it back atomically; return its result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        data = read(path)
        result = change(data)
        _write(path, data)
    return result
