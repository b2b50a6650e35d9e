"""Versioned schema migrations, applied in order when an older project is opened.

A new project is created at SCHEMA_VERSION from the models. An older one is backed up
first (see `qualcode.store.backup`) and then upgraded step by step, each step in its own
transaction, so a failed step leaves the project at the last good version.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, inspect, text

SCHEMA_VERSION = 4

# Namespace of the identities given to rows and events that existed before they had one.
_LEGACY = uuid.UUID("6f1c2a7e-3b4d-5e6f-8a9b-0c1d2e3f4a5b")


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


def _stamp(value: Any) -> str:
    """One spelling of a stored time, whatever the driver returns (naive UTC, microseconds)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace(" ", "T"))
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value.strftime("%Y-%m-%dT%H:%M:%S.%f"))


def legacy_guid(kind: str, row_id: Any, *parts: Any) -> str:
    """The identity a row or event made before identities existed gets in every copy alike.

    Derived from what two copies of one project share (the row id and its creation time), so
    copies upgraded separately agree; rows made later in either copy differ in their time.
    """
    stamped = [
        _stamp(p) if isinstance(p, datetime) or (isinstance(p, str) and p[:4].isdigit()) else str(p)
        for p in parts
    ]
    return str(uuid.uuid5(_LEGACY, "|".join([kind, str(row_id), *stamped])))


def _backfill(conn: Connection, table: str, kind: str, columns: tuple[str, ...]) -> None:
    select_list = ", ".join(f'"{c}"' for c in ("id", *columns))
    rows = conn.execute(text(f"SELECT {select_list} FROM {table} WHERE guid IS NULL")).all()
    for row in rows:
        conn.execute(
            text(f"UPDATE {table} SET guid = :g WHERE id = :i"),
            {"g": legacy_guid(kind, row[0], *row[1:]), "i": row[0]},
        )


def _v2_to_v3_merge_identities(conn: Connection) -> None:
    """v3: identities that survive copying a project, for the three-way offline merge.

    Events and coders get a `guid`; every event, coder, segment and memo without one is
    given one derived from its id and creation time, so two copies of one older project
    agree on the identities of everything they share.
    """
    for table in ("events", "coders"):
        _add_column(conn, table, "guid", "VARCHAR(40)")
    _backfill(conn, "events", "event", ("at", "action", "entity", "entity_id"))
    _backfill(conn, "coders", "coder", ("created_at",))
    _backfill(conn, "segments", "segment", ("created_at",))
    _backfill(conn, "memos", "memo", ("created_at",))
    _backfill(conn, "codes", "code", ())
    for table in ("events", "coders", "segments", "memos"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_guid ON {table} (guid)"))


def _v3_to_v4_suggestions(conn: Connection) -> None:
    """v4 (suggest): trained suggestion models and the suggestion layer, two new tables."""
    from qualcode.store.mapped import table_of
    from qualcode.store.models import Suggestion, SuggestModel

    for model in (SuggestModel, Suggestion):
        table_of(model).create(conn, checkfirst=True)


# from-version -> step that upgrades to from-version + 1
STEPS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3_merge_identities,
    3: _v3_to_v4_suggestions,
}
