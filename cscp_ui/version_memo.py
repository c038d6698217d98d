"""Figures kept in this process per published version and handed out as they are, not copied.

st.cache_data pickles a result on the way in and unpickles a copy on every hit (a page's tiles cost milliseconds a
rerun), and hashes its arguments through inspect.signature; this memo keys on the arguments themselves (all
hashable: ids, periods, flags, tuples) and returns the object it holds. Only for results nothing changes after
they are made: frozen tiles, their text, a breakdown's rows as a chart reads them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Result = TypeVar("Result")


class VersionMemo(Generic[Result]):
    """At most `max_entries` results, the least recently used dropped first; safe across sessions' threads
    (two sessions asking at once may both compute; the first stored answer is kept)."""

    def __init__(self, max_entries: int = 512) -> None:
        self._kept: OrderedDict[Hashable, Result] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, key: Hashable, compute: Callable[[], Result]) -> Result:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        made = compute()
        with self._lock:
            kept = self._kept.setdefault(key, made)
            self._kept.move_to_end(key)
            while len(self._kept) > self._max_entries:
                self._kept.popitem(last=False)
        return kept

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
