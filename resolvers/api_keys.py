"""Partner API keys: who a key belongs to, what it may do, and how it is kept secret.

A key looks like `icn_<id>_<secret>`: the 8-hex-digit id names the record (and appears in logs
and `icn-keys list`), the secret is 256 random bits. Only the sha256 of the whole key is stored,
so the key file does not give the keys away; a presented key is checked in constant time.

The file (JSON, mode 600) is written by the `icn-keys` CLI and read by every server worker.
Each lookup costs one `os.stat`; the file is parsed again only when its mtime, size or inode
changed, so a revoked key is refused on the very next request in every process, without a
restart and without a shared cache.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph_store import Certainty
from resolvers import _key_file as kf
from resolvers.permissions import Principal

__all__ = [
    "InvalidKeySetting",
    "KeyFileError",
    "KeyRecord",
    "KeyRegistry",
    "UnknownKey",
    "operation_name",
]

InvalidKeySetting = kf.InvalidKeySetting
KeyFileError = kf.KeyFileError
operation_name = kf.operation_name
logger = logging.getLogger("icn.keys")

_KEY = re.compile(r"^icn_([0-9a-f]{8})_[A-Za-z0-9_-]{20,128}$")


class UnknownKey(LookupError):
    """No key has this id."""


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What the key file says about one key, minus its hash (safe to print)."""

    id: str
    partner: str
    scopes: tuple[str, ...]
    created: str
    revoked: str | None
    origins: tuple[str, ...]
    min_certainty: str | None
    persisted_only: bool
    operations: tuple[str, ...]
    rate_limit: int | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> KeyRecord:
        """The record of one entry of the file's `keys` object."""
        return cls(
            id=str(raw["id"]),
            partner=str(raw["partner"]),
            scopes=tuple(raw.get("scopes", ())),
            created=str(raw.get("created", "")),
            revoked=raw.get("revoked"),
            origins=tuple(raw.get("origins", ())),
            min_certainty=raw.get("min_certainty"),
            persisted_only=bool(raw.get("persisted_only", False)),
            operations=tuple(raw.get("operations", ())),
            rate_limit=raw.get("rate_limit"),
        )

    def principal(self) -> Principal:
        """The caller this key stands for."""
        return Principal(
            name=self.partner,
            scopes=frozenset(self.scopes),
            key_id=self.id,
            min_certainty=Certainty(self.min_certainty) if self.min_certainty else None,
            persisted_only=self.persisted_only,
            operations=frozenset(self.operations),
            origins=self.origins,
            rate_limit=self.rate_limit,
        )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class KeyRegistry:
    """The keys of one key file (missing file = no keys). See the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._signature: tuple[int, int, int] | None = None
        self._data: dict[str, Any] = kf.empty()

    # -- reading (the server) --------------------------------------------------------------

    def _current(self) -> dict[str, Any]:
        """The file's content, parsed again only when the file changed since the last look."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._signature, self._data = None, kf.empty()
            return self._data
        signature = (st.st_mtime_ns, st.st_size, st.st_ino)
        if signature != self._signature:
            try:
                self._data = kf.read(self.path)
            except kf.KeyFileError as exc:
                # Fail closed: a damaged file refuses every key rather than trusting an old copy.
                logger.error("API keys refused: %s", exc)
                self._data = kf.empty()
            self._signature = signature
        return self._data

    def principal_for(self, key: str) -> Principal | None:
        """The principal of a valid key; None for a malformed, unknown or revoked one."""
        match = _KEY.match(key)
        if match is None:
            return None
        raw = self._current()["keys"].get(match.group(1))
        if not isinstance(raw, dict) or raw.get("revoked"):
            return None
        stored = raw.get("sha256")
        if not isinstance(stored, str) or not hmac.compare_digest(stored, _sha256(key)):
            return None
        try:
            return KeyRecord.of(raw).principal()
        except (KeyError, TypeError, ValueError) as exc:
            logger.error("API key %s refused: its record is damaged (%s)", match.group(1), exc)
            return None

    def all_origins(self) -> frozenset[str]:
        """Every browser origin some live key may be used from (for CORS preflights)."""
        keys = self._current()["keys"].values()
        return frozenset(
            o
            for raw in keys
            if isinstance(raw, dict) and not raw.get("revoked")
            for o in raw.get("origins", ())
        )

    def operation(self, sha256: str) -> str | None:
        """The text of a registered persisted operation, by the sha256 of that text."""
        entry = self._current()["operations"].get(sha256.lower())
        return str(entry["query"]) if isinstance(entry, dict) and "query" in entry else None

    # -- managing (the CLI) ----------------------------------------------------------------

    def list(self) -> list[KeyRecord]:
        """Every key, revoked ones included, oldest first; KeyFileError if the file is bad."""
        keys = kf.read(self.path)["keys"].values()
        return sorted((KeyRecord.of(raw) for raw in keys), key=lambda r: (r.created, r.id))

    def create(
        self,
        partner: str,
        scopes: Iterable[str],
        *,
        origins: Iterable[str] = (),
        min_certainty: str | None = None,
        persisted_only: bool = False,
        rate_limit: int | None = None,
    ) -> tuple[KeyRecord, str]:
        """A new key: its record and the key itself, which is shown this once and never stored."""
        raw: dict[str, Any] = {
            "partner": kf.check_partner(partner),
            "scopes": kf.check_scopes(scopes),
            "created": _now(),
            "revoked": None,
            "origins": kf.check_origins(origins),
            "min_certainty": kf.check_certainty(min_certainty),
            "persisted_only": bool(persisted_only),
            "operations": [],
            "rate_limit": kf.check_rate_limit(rate_limit),
        }

        def add(data: dict[str, Any]) -> str:
            key_id = secrets.token_hex(4)
            while key_id in data["keys"]:
                key_id = secrets.token_hex(4)
            key = f"icn_{key_id}_{secrets.token_urlsafe(32)}"
            data["keys"][key_id] = {**raw, "id": key_id, "sha256": _sha256(key)}
            return key

        key = kf.update(self.path, add)
        return KeyRecord.of({**raw, "id": key.split("_")[1]}), key

    def revoke(self, key_id: str) -> KeyRecord:
        """Revoke a key at once (a second revoke keeps the first time); UnknownKey if none."""

        def mark(data: dict[str, Any]) -> KeyRecord:
            raw = data["keys"].get(key_id)
            if raw is None:
                raise UnknownKey(f"no key has the id {key_id!r}")
            raw["revoked"] = raw.get("revoked") or _now()
            return KeyRecord.of(raw)

        return kf.update(self.path, mark)

    def add_operations(self, key_id: str, documents: Iterable[str]) -> list[str]:
        """Allow-list GraphQL documents for a key; returns the sha256 of each exact text."""
        texts = list(documents)
        names = [kf.operation_name(text) for text in texts]  # all valid, or nothing is stored

        def allow(data: dict[str, Any]) -> list[str]:
            raw = data["keys"].get(key_id)
            if raw is None:
                raise UnknownKey(f"no key has the id {key_id!r}")
            if raw.get("revoked"):
                raise InvalidKeySetting(f"key {key_id} is revoked")
            hashes = []
            for text, name in zip(texts, names, strict=True):
                sha = _sha256(text)
                data["operations"][sha] = {"name": name, "query": text}
                if sha not in raw.setdefault("operations", []):
                    raw["operations"].append(sha)
                hashes.append(sha)
            return hashes

        return kf.update(self.path, allow)
