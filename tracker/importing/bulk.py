"""Pausing Python's cyclic garbage collector while an import builds hundreds of thousands of objects.

The collector runs after every few hundred new container objects and, as the pile of rows
grows, walks all of it again: a third of the import's time with 100,000 rows. The import
makes no reference cycles (rows are tuples of strings and numbers, freed by reference counting),
so it pauses the collector; other threads' garbage waits a few seconds. Nested and concurrent
uses are counted: the collector comes back when the last one ends.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_users = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off."""
    global _users, _was_enabled
    with _lock:
        if _users == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _was_enabled:
                gc.enable()
