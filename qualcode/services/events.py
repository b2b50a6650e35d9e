"""The append-only event log: every change a person makes is recorded here.

Undo, redo, audit and merge all read this log. A service writes its change and the
event in the same transaction, so the log and the data never disagree.
"""

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlmodel import Session, SQLModel

from qualcode.store.mapped import table_of
from qualcode.store.models import Event


def snapshot(row: Any, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A JSON-ready copy of a row's columns (datetimes as ISO strings)."""
    data = row.model_dump() if hasattr(row, "model_dump") else dict(row)
    if fields is not None:
        data = {k: data[k] for k in fields if k in data}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def load_snapshot(text: str | None) -> dict[str, Any] | None:
    """An event's stored `before` or `after` snapshot as a dict; None when the row was absent."""
    return json.loads(text) if text else None


def decode_snapshot(model: type[SQLModel], data: dict[str, Any]) -> dict[str, Any]:
    """A snapshot turned back into column values of `model`, ready to write: keys that are not
    columns are dropped and ISO strings in datetime columns become datetimes again."""
    table = table_of(model)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in table.c:
            continue
        column_type = table.c[key].type
        is_datetime = isinstance(getattr(column_type, "impl", column_type), DateTime)
        if value is not None and is_datetime and isinstance(value, str):
            value = datetime.fromisoformat(value)
        out[key] = value
    return out


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    undoes: int | None = None,
    group_id: str | None = None,
) -> Event:
    """Append one event (who, what, before and after) to the log in the caller's transaction, so the change
    and its record commit together."""
    event = Event(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
        after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        undoes=undoes,
        group_id=group_id,
    )
    session.add(event)
    session.flush()
    return event


def new_group_id() -> str:
    """A new id that ties events done as one action together, so they are undone together."""
    return uuid.uuid4().hex
