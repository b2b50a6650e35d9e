"""The append-only event log: every change a person makes is recorded here.

Undo, redo, audit and merge all read this log. A service writes its change and the
event in the same transaction, so the log and the data never disagree.
"""

import json
import uuid
from typing import Any

from sqlmodel import Session

from qualcode.store.models import Event


def snapshot(row: Any, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A JSON-ready copy of a row's columns (datetimes as ISO strings)."""
    data = row.model_dump() if hasattr(row, "model_dump") else dict(row)
    if fields is not None:
        data = {k: data[k] for k in fields if k in data}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    undoes: int | None = None,
    group_id: str | None = None,
) -> Event:
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
    return uuid.uuid4().hex
