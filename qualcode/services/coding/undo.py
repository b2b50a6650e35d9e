"""Undo and redo for every person, rebuilt from the event log so it survives restarts.

Each undoable event stores JSON snapshots of one row before and after the change.
Undo writes the `before` snapshot back and logs an `undo` event pointing at the original;
redo writes the `after` snapshot back and logs a `redo` event pointing at the undo.
Events sharing a `group_id` are undone and redone together.
"""

from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, SQLModel, col, select

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _, label_of, pgettext_noop
from qualcode.services.coding.rows import ReversedChange
from qualcode.services.events import decode_snapshot, load_snapshot, record
from qualcode.store.db import Project
from qualcode.store.mapped import table_of
from qualcode.store.models import DocumentAttribute, DocumentStatus, Event, Memo, Segment, Setting, Suggestion

# Entities whose events undo/redo can reverse; other services register theirs here.
UNDOABLE: dict[str, type[SQLModel]] = {
    "segment": Segment,
    "document_status": DocumentStatus,
    "memo": Memo,
    "document_attribute": DocumentAttribute,
    "attribute_alias": Setting,  # the row of the setting attribute_aliases
    "suggestion": Suggestion,
}
REVERSALS = ("undo", "redo")
# How an undone or redone action is named to a person. English keeps the event log's own word
# (scripts read "undid segment.remove"); the catalogue gives each its Chinese words.
_ACTION_LABELS = {
    "segment.add": pgettext_noop("event action", "segment.add"),
    "segment.remove": pgettext_noop("event action", "segment.remove"),
    "segment.update": pgettext_noop("event action", "segment.update"),
    "memo.add": pgettext_noop("event action", "memo.add"),
    "memo.edit": pgettext_noop("event action", "memo.edit"),
    "memo.delete": pgettext_noop("event action", "memo.delete"),
    "document.status": pgettext_noop("event action", "document.status"),
    "attribute.set": pgettext_noop("event action", "attribute.set"),
    "attribute.alias": pgettext_noop("event action", "attribute.alias"),
    "suggest.apply": pgettext_noop("event action", "suggest.apply"),
    "autocode": pgettext_noop("event action", "autocode"),
    "adjudication.accept": pgettext_noop("event action", "adjudication.accept"),
    "adjudication.reject": pgettext_noop("event action", "adjudication.reject"),
}


def action_label(action: str) -> str:
    """An event's action as the undo and redo messages name it, in the interface language."""
    return label_of(_ACTION_LABELS, action, "event action")


def register_undoable(entity: str, model: type[SQLModel]) -> None:
    """Let undo and redo reverse events of `entity`, whose rows live in `model`."""
    UNDOABLE[entity] = model


def _pk_filter(model: type[SQLModel], data: dict[str, Any]) -> list[Any]:
    table = table_of(model)
    return [col == data[col.name] for col in table.primary_key.columns]


def apply_snapshot(
    session: Session, entity: str, current: dict[str, Any] | None, target: dict[str, Any] | None
) -> None:
    """Make the row go from `current` to `target` (either may be None: absent)."""
    model = UNDOABLE[entity]
    table = table_of(model)
    if target is None:
        assert current is not None
        session.execute(delete(table).where(*_pk_filter(model, current)))
    elif current is None:
        session.execute(insert(table).values(**decode_snapshot(model, target)))
    else:
        session.execute(
            update(table).where(*_pk_filter(model, current)).values(**decode_snapshot(model, target))
        )
    session.expire_all()


def _stacks(session: Session, actor: str) -> tuple[list[list[Event]], list[list[Event]]]:
    """The actor's undo and redo stacks, each item a group of events, most recent last."""
    events = session.exec(select(Event).where(col(Event.actor) == actor).order_by(col(Event.id))).all()
    done: list[list[Event]] = []
    undone: list[list[Event]] = []
    i = 0
    while i < len(events):
        event = events[i]
        group = [event]
        if event.group_id is not None:
            # One action may write several kinds of event (accepting a suggestion adds a segment
            # and updates the suggestion); its undo events share the group id but are kept apart.
            while (
                i + 1 < len(events)
                and events[i + 1].group_id == event.group_id
                and (events[i + 1].action in REVERSALS) == (event.action in REVERSALS)
                and (event.action not in REVERSALS or events[i + 1].action == event.action)
            ):
                i += 1
                group.append(events[i])
        i += 1
        if event.action == "undo":
            if done:
                undone.append(done.pop())
        elif event.action == "redo":
            if undone:
                done.append(undone.pop())
        else:
            # Events in the group that only record a decision (e.g. adjudication) are not reversed.
            rows = [
                e for e in group if e.entity in UNDOABLE and (e.before is not None or e.after is not None)
            ]
            if rows:
                done.append(rows)
                undone.clear()
    return done, undone


def _reverse(
    session: Session, actor: str, group: list[Event], action: str, undoes_ids: list[int]
) -> list[ReversedChange]:
    group_id = group[0].group_id
    changed: list[ReversedChange] = []
    items = list(reversed(group)) if action == "undo" else group
    for event, undoes in zip(items, undoes_ids if action == "redo" else [e.id for e in items], strict=True):
        before = load_snapshot(event.before)
        after = load_snapshot(event.after)
        current, target = (after, before) if action == "undo" else (before, after)
        try:
            apply_snapshot(session, event.entity, current, target)
        except Exception as exc:  # the row changed since: refuse rather than corrupt
            raise QualcodeError(
                _("cannot {action} '{action2} {entity}': it was changed since ({exc})").format(
                    action=action, action2=event.action, entity=event.entity, exc=exc
                )
            ) from exc
        record(
            session,
            actor=actor,
            action=action,
            entity=event.entity,
            entity_id=event.entity_id,
            before=current,
            after=target,
            undoes=undoes,
            group_id=group_id,
        )
        changed.append({"action": event.action, "entity": event.entity, "entity_id": event.entity_id})
    return changed


def undo(project: Project, actor: str) -> list[ReversedChange]:
    """Reverse the actor's most recent action; returns what changed (empty if nothing to undo)."""

    def _work(session: Session) -> list[ReversedChange]:
        done, _unused = _stacks(session, actor)
        if not done:
            return []
        return _reverse(session, actor, done[-1], "undo", [])

    return project.transact(_work)


def redo(project: Project, actor: str) -> list[ReversedChange]:
    """Re-apply the actor's most recently undone action."""

    def _work(session: Session) -> list[ReversedChange]:
        _unused, undone = _stacks(session, actor)
        if not undone:
            return []
        group = undone[-1]
        undo_events = session.exec(
            select(Event)
            .where(Event.action == "undo", col(Event.undoes).in_([e.id for e in group]))
            .order_by(col(Event.id).desc())
        ).all()
        latest: dict[int | None, int] = {}
        for u in undo_events:
            assert u.id is not None  # a stored row
            latest.setdefault(u.undoes, u.id)
        return _reverse(session, actor, group, "redo", [latest[e.id] for e in group])

    return project.transact(_work)
