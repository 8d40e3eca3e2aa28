"""Pausing Python's cyclic garbage collector around bulk work that creates millions of objects.

A million-relationship load or index build allocates millions of container objects that live
until it ends; each automatic full collection would walk all of them again, which triples the
time. Reference counting still frees everything meanwhile; collection resumes afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused", "settle_long_lived"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable automatic collection for the block; nested and cross-thread uses are counted."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def settle_long_lived() -> None:
    """Take every object alive now out of the collector's sight (`gc.freeze`), after building
    structures that live for the process: the traversal index holds lists of a million entries
    that each full collection would walk again (45 ms per collection at scale M, 0.7 ms per
    node2 answer). Reference counting still frees them when they are replaced."""
    gc.freeze()
