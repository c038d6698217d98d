"""Reads repeated while one version's ready figures are built: remembered inside `scope()`, forgotten after it.

Building where-to-look for two views and several years asks the same question hundreds of times (the council's
code, an indicator's value for a year, which periods an aggregate covers); the data cannot change inside the
build, so each answer is computed once. Outside a scope nothing is remembered: a page reads its store as it is."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import pandas as pd

_MEMO: ContextVar[dict[tuple, Any] | None] = ContextVar("read_memo", default=None)
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def scope() -> Iterator[None]:
    """Remember reads until the block ends (per thread: a context variable, so app sessions never share it)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def remembered(fn: F) -> F:
    """Inside a scope, call `fn` once per distinct arguments; a frame, list, dict or set comes back as a copy so a
    caller that changes it cannot change what the next caller gets (in a tuple too)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        memo = _MEMO.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (
            fn.__module__,
            fn.__qualname__,
            tuple(map(_key, args)),
            tuple((k, _key(v)) for k, v in sorted(kwargs.items())),
        )
        if key not in memo:
            memo[key] = fn(*args, **kwargs)
        return _copy(memo[key])

    return wrapper  # type: ignore[return-value]


def _copy(found: Any) -> Any:
    if isinstance(found, tuple):
        return tuple(map(_copy, found))
    return found.copy() if isinstance(found, pd.DataFrame | list | dict | set) else found


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
