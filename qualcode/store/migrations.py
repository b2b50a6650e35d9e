"""Versioned schema migrations, applied in order when an older project is opened.

A new project is created at SCHEMA_VERSION from the models. An older one is backed up
first (see `qualcode.store.backup`) and then upgraded step by step, each step in its own
transaction, so a failed step leaves the project at the last good version.
"""

from collections.abc import Callable

from sqlalchemy import Connection, inspect, text

SCHEMA_VERSION = 3


def _add_column(conn: Connection, table: str, column: str, ddl_type: str) -> None:
    existing = {c["name"] for c in inspect(conn).get_columns(table)}
    if column not in existing:
        conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{column}" {ddl_type}'))


def _v1_to_v2(conn: Connection) -> None:
    """v2: stable GUIDs for REFI-QDA exchange, and media timestamps on units."""
    for table in ("codes", "segments", "memos"):
        _add_column(conn, table, "guid", "VARCHAR(40)")
    _add_column(conn, "units", "t_start", "FLOAT")
    _add_column(conn, "units", "t_end", "FLOAT")


def _v2_to_v3(conn: Connection) -> None:
    """v3 (suggest): trained suggestion models and the suggestion layer, two new tables."""
    from qualcode.store.models import Suggestion, SuggestModel

    for model in (SuggestModel, Suggestion):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


# from-version -> step that upgrades to from-version + 1
STEPS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}
