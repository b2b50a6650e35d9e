"""What changed since event N: the polling feed that lets a compare view follow other coders.

A view keeps the id of the last event it has seen and calls `changes_since` every second
or so. The returned cursor never skips an event that commits later:

* On SQLite, writers are serialised (BEGIN IMMEDIATE) and a rolled-back id is reused, so
  event ids become visible strictly in order.
* On PostgreSQL, ids come from a sequence and transactions commit in any order: id 11 can
  be visible while id 10 still belongs to a running transaction. The cursor therefore stops
  before the first missing id while any writing transaction is in flight; once none is,
  the gap can only be a rolled-back id and the cursor moves past it.
"""

import json
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from qualcode.services.team.access import PRIVATE_ENTITIES, visible_coder_ids
from qualcode.store.db import Project
from qualcode.store.mapped import id_of
from qualcode.store.models import Coder, Event

DEFAULT_LIMIT = 1000


def _writers_in_flight(session: Session) -> bool:
    """Whether another transaction that has written something is still running (PostgreSQL)."""
    row = session.execute(text("SELECT count(*) FROM pg_snapshot_xip(pg_current_snapshot())")).one()
    return int(row[0]) > 0


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": json.loads(event.before) if event.before else None,
        "after": json.loads(event.after) if event.after else None,
        "undoes": event.undoes,
        "group_id": event.group_id,
    }


def _contiguous_prefix(events: list[Event], last_event_id: int) -> list[Event]:
    kept: list[Event] = []
    expected = last_event_id + 1
    for event in events:
        if event.id != expected:
            break
        kept.append(event)
        expected += 1
    return kept


def changes_since(
    project: Project, last_event_id: int, *, viewer: str | None = None, limit: int = DEFAULT_LIMIT
) -> tuple[int, list[dict[str, Any]]]:
    """Events after `last_event_id`, oldest first, and the id to pass next time.

    In blind mode a coder's feed leaves out other coders' segments, memos and statuses
    (the cursor still moves past them). Pass 0 to start from the beginning.
    """
    with project.read() as session:
        visible = visible_coder_ids(session, viewer)
        in_flight = project.dialect == "postgresql" and _writers_in_flight(session)
        events = list(
            session.exec(
                select(Event).where(col(Event.id) > last_event_id).order_by(col(Event.id)).limit(limit)
            )
        )
        if in_flight:
            events = _contiguous_prefix(events, last_event_id)
        if not events:
            return last_event_id, []
        new_last = id_of(events[-1])
        if visible is not None:
            names = set(session.exec(select(Coder.name).where(col(Coder.id).in_(visible))).all())
            events = [e for e in events if e.entity not in PRIVATE_ENTITIES or e.actor in names]
        return new_last, [event_dict(e) for e in events]
