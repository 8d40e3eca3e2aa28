"""Opaque cursors and page-size caps shared by every list of the API."""

from __future__ import annotations

import base64
import binascii

from graph_store import BadUserInput

__all__ = ["MAX_PAGE_SIZE", "check_first", "decode_cursor", "decode_offset", "encode_cursor"]

MAX_PAGE_SIZE = 100
"""Largest `first` a list accepts: bigger pages are a client bug, not a use case."""


def check_first(first: int, *, cap: int = MAX_PAGE_SIZE, name: str = "first") -> int:
    """Return `first` if it is a page size the API serves, else raise BadUserInput."""
    if first < 0:
        raise BadUserInput(f"`{name}` must be 0 or more, not {first}")
    if first > cap:
        raise BadUserInput(f"`{name}` is {first}; the largest page is {cap}")
    return first


def encode_cursor(tag: str, value: str | int) -> str:
    """An opaque cursor: base64 of `tag:value`, so clients never build or parse one."""
    return base64.urlsafe_b64encode(f"{tag}:{value}".encode()).decode("ascii")


def decode_cursor(tag: str, cursor: str) -> str:
    """The value inside a cursor made by `encode_cursor(tag, ...)`; BadUserInput if foreign."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (UnicodeError, binascii.Error, ValueError):
        raise BadUserInput("`after` is not a cursor this API issued") from None
    prefix, sep, value = text.partition(":")
    if not sep or prefix != tag:
        raise BadUserInput("`after` is a cursor of another list")
    return value


def decode_offset(cursor: str | None, tag: str) -> int:
    """The position after which a page starts, for lists paged by position."""
    if cursor is None:
        return 0
    value = decode_cursor(tag, cursor)
    if not value.isdigit():
        raise BadUserInput("`after` is not a cursor this API issued")
    return int(value) + 1
