"""The one place SQL text is quoted. Identifiers and literals quoted here must come from the code (contracts,
registry, constants) or have been checked; values from a file, a user or a URL are bound as parameters."""

from __future__ import annotations


def identifier(name: str) -> str:
    """DuckDB's identifier quoting: double quotes, an embedded double quote doubled."""
    if "\x00" in name:
        raise ValueError("an SQL identifier cannot contain a NUL character")
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string literal in DuckDB's quoting: single quotes, an embedded single quote doubled."""
    if "\x00" in text:
        raise ValueError("an SQL string literal cannot contain a NUL character")
    return "'" + text.replace("'", "''") + "'"
