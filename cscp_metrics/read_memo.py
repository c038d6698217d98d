"""Reads repeated while one version's ready figures are built: remembered inside `scope()`, forgotten after it.

Building where-to-look for two views and several years asks the same question hundreds of times (the council's
code, an indicator's value for a year, which periods an aggregate covers); the data cannot change inside the
build, so each answer is computed once. Outside a scope nothing is remembered: a page reads its store as it is.

The app keeps one memo per published version (`scope(kept)`): a version never changes, so its council, its years
and DfE's rows are read once for every page and session, not once per cached figure."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import duckdb
import pandas as pd

_MEMO: ContextVar[dict[tuple, Any] | None] = ContextVar("read_memo", default=None)
_ONE_VERSION: ContextVar[bool] = ContextVar("read_memo_one_version", default=False)
F = TypeVar("F", bound=Callable[..., Any])
_MISSING = object()


class VersionReads(dict):
    """The memo the app keeps for one published version: at most `max_entries` reads (the oldest forgotten first),
    since a day of drill-downs would otherwise keep every engine call; sessions' threads share it."""

    def __init__(self, max_entries: int = 4096) -> None:
        super().__init__()
        self._max_entries, self._lock = max_entries, threading.Lock()

    def __setitem__(self, key: tuple, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)
            while len(self) > self._max_entries:
                del self[next(iter(self))]


@contextmanager
def scope(kept: dict[tuple, Any] | None = None) -> Iterator[None]:
    """Remember reads until the block ends (per thread: a context variable, so app sessions never share it).
    `kept`: a memo of one published version that outlives the block, shared by every reader of that version; any
    connection read through it is a cursor on that version, so connections are one key, not one each. An argument
    that cannot be hashed (the registry) is keyed by its identity: in a version's memo, only objects that live as
    long as the process may be passed so."""
    token, one_version = _MEMO.set({} if kept is None else kept), _ONE_VERSION.set(kept is not None)
    try:
        yield
    finally:
        _MEMO.reset(token)
        _ONE_VERSION.reset(one_version)


def active() -> bool:
    """Whether reads are remembered here (inside a scope): a reader may then ask once for more than it needs now."""
    return _MEMO.get() is not None


def remembered(fn: F) -> F:
    """Inside a scope, call `fn` once per distinct arguments; a frame, list, dict or set comes back as a copy so a
    caller that changes it cannot change what the next caller gets (in a tuple too)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        memo = _MEMO.get()
        if memo is None:
            return fn(*args, **kwargs)
        keyed = _version_key if _ONE_VERSION.get() else _key
        key = (
            fn.__module__,
            fn.__qualname__,
            tuple(map(keyed, args)),
            tuple((k, keyed(v)) for k, v in sorted(kwargs.items())),
        )
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            found = memo[key] = fn(*args, **kwargs)
        return _copy(found)

    return wrapper  # type: ignore[return-value]


def remember(kept: dict[tuple, Any], fn: Callable[..., Any], *args: Any, value: Any) -> None:
    """Put in a published version's memo (`scope(kept)`) what `fn(*args)` reads from it, known without reading (the
    version's receipt, written when it was published)."""
    kept[(fn.__module__, fn.__qualname__, tuple(map(_version_key, args)), ())] = value


def _copy(found: Any) -> Any:
    if isinstance(found, tuple):
        return tuple(map(_copy, found))
    return found.copy() if isinstance(found, pd.DataFrame | list | dict | set) else found


def _version_key(value: Any) -> Any:
    return ("the version",) if isinstance(value, duckdb.DuckDBPyConnection) else _key(value)


def _key(value: Any) -> Any:
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _key(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("seq", tuple(map(_key, value)))
    try:
        hash(value)
    except TypeError:  # a connection or registry: the same object for the whole scope
        return ("id", id(value))
    return value if not hasattr(value, "execute") else ("id", id(value))
