"""`icn-keys`: create, list and revoke partner API keys, and allow-list their operations.

    icn-keys create --partner OREEC --scope read --origin https://oreec.no
    icn-keys list
    icn-keys revoke 1a2b3c4d
    icn-keys allow 1a2b3c4d members.graphql

The key is printed once, by `create`, and never again: the file keeps only its sha256. Running
servers see every change on their next request (docs/security.md). Exit codes: 0 done,
2 usage or bad input (the message names it), 1 any other failure (e.g. an unreadable file).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from graph_store import Certainty
from resolvers.api_keys import (
    InvalidKeySetting,
    KeyFileError,
    KeyRecord,
    KeyRegistry,
    UnknownKey,
    operation_name,
)
from resolvers.permissions import SCOPES

__all__ = ["DEFAULT_KEYS_FILE", "main", "run"]

DEFAULT_KEYS_FILE = Path(__file__).resolve().parents[1] / "var" / "api-keys.json"
"""Where the server looks without ICN_KEYS_FILE (the same default as server.Settings)."""

OK, FAILURE, USAGE = 0, 1, 2
_PROG = "icn-keys"


class _Usage(Exception):
    """Bad command-line usage; argparse's message goes to stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(f"{self.prog}: {message}")


def _parser(default_file: Path) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--keys-file",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"the key file (env ICN_KEYS_FILE, default {default_file})",
    )
    parser = _Parser(prog=_PROG, description="Manage partner API keys.", parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    create = commands.add_parser("create", parents=[common], help="create a key (shown once)")
    create.add_argument("--partner", required=True, help="who the key is for (shown in logs)")
    create.add_argument(
        "--scope",
        action="append",
        required=True,
        metavar="SCOPE",
        help=f"a scope the key holds, repeatable: {', '.join(SCOPES)}",
    )
    create.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="URL",
        help="a browser origin the key may be used from (scheme://host[:port]), repeatable",
    )
    create.add_argument(
        "--min-certainty",
        metavar="CERTAINTY",
        help=f"hide relationships less certain than this ({', '.join(c.value for c in Certainty)})",
    )
    create.add_argument(
        "--persisted-only",
        action="store_true",
        help="the key may run only operations registered with `allow`",
    )
    create.add_argument("--rate-limit", type=int, metavar="N", help="requests per minute")

    commands.add_parser("list", parents=[common], help="list keys (never the keys themselves)")
    revoke = commands.add_parser("revoke", parents=[common], help="revoke a key at once")
    revoke.add_argument("id", help="the key's id (the 8 hex digits after icn_)")
    allow = commands.add_parser(
        "allow", parents=[common], help="register persisted operations for a key"
    )
    allow.add_argument("id", help="the key's id")
    allow.add_argument("files", nargs="+", type=Path, metavar="FILE.graphql")
    return parser


def _table(records: Sequence[KeyRecord]) -> str:
    header = ("ID", "PARTNER", "SCOPES", "CREATED", "REVOKED", "ORIGINS", "MIN", "PQ", "OPS", "RPM")
    rows = [header] + [
        (
            r.id,
            r.partner,
            ",".join(r.scopes),
            r.created,
            r.revoked or "-",
            ",".join(r.origins) or "*",
            r.min_certainty or "-",
            "only" if r.persisted_only else "-",
            str(len(r.operations)),
            str(r.rate_limit) if r.rate_limit is not None else "default",
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _create(registry: KeyRegistry, args: argparse.Namespace) -> int:
    record, key = registry.create(
        args.partner,
        args.scope,
        origins=args.origin,
        min_certainty=args.min_certainty,
        persisted_only=args.persisted_only,
        rate_limit=args.rate_limit,
    )
    print(f"created key {record.id} for {record.partner} (scopes: {', '.join(record.scopes)})")
    print("the key (shown this once; only its hash is stored):")
    print(key)
    return OK


def _allow(registry: KeyRegistry, args: argparse.Namespace) -> int:
    texts = []
    for file in args.files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidKeySetting(f"cannot read {file}: {exc}") from None
        try:
            operation_name(text)  # checked per file, so the message can name the file
        except InvalidKeySetting as exc:
            raise InvalidKeySetting(f"{file}: {exc}") from None
        texts.append(text)
    hashes = registry.add_operations(args.id, texts)
    for file, sha in zip(args.files, hashes, strict=True):
        print(f"{sha}  {file}")
    return OK


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run one `icn-keys` command; returns the exit code."""
    env = os.environ if env is None else env
    default_file = Path(env["ICN_KEYS_FILE"]) if env.get("ICN_KEYS_FILE") else DEFAULT_KEYS_FILE
    try:
        args = _parser(default_file).parse_args(argv)
    except _Usage as exc:
        print(exc, file=sys.stderr)
        return USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    registry = KeyRegistry(getattr(args, "keys_file", default_file))
    try:
        if args.command == "create":
            return _create(registry, args)
        if args.command == "list":
            records = registry.list()
            print(_table(records) if records else f"no keys in {registry.path}")
            return OK
        if args.command == "revoke":
            record = registry.revoke(args.id)
            print(f"revoked key {record.id} ({record.partner}) at {record.revoked}")
            return OK
        return _allow(registry, args)
    except (InvalidKeySetting, UnknownKey) as exc:
        message = exc.args[0] if isinstance(exc, UnknownKey) else str(exc)
        print(f"{_PROG}: {message}", file=sys.stderr)
        return USAGE
    except (KeyFileError, OSError) as exc:
        print(f"{_PROG}: {exc}", file=sys.stderr)
        return FAILURE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
