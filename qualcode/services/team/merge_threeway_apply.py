"""Writing a three-way merge plan into the target, with an event for every row it changes.

Every changed row is logged as `merge.row` with its before/after snapshot (so the target's
overridden version stays in the log and `code undo` reverses the coding rows as one step),
and the copy's own events that were settled are copied into the target's log under the
entity `merged.<entity>` with their GUIDs: the next merge of the same copy then finds them
shared and has nothing left to do.
"""

import json
from collections import Counter
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session, col

from qualcode.services.codebook.sync import Change as CodebookChange
from qualcode.services.codebook.sync import bump_version
from qualcode.services.events import new_group_id, snapshot
from qualcode.services.team.merge_state import (
    CODE_FIELDS,
    T_CODE,
    T_EVENT,
    T_MEMO,
    T_SEG,
    T_STATUS,
    Key,
    State,
)
from qualcode.services.team.merge_threeway import Change, ThreeWayPlan
from qualcode.store.models import Coder, Document, new_guid, utcnow

MERGED_PREFIX = "merged."


def event_row(
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None,
    group: str | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An `events` row for a bulk insert (snapshots JSON-encoded like `events.record`)."""

    def dump(data: dict[str, Any] | None) -> str | None:
        return None if data is None else json.dumps(snapshot(data), ensure_ascii=False, sort_keys=True)

    return {
        "at": utcnow(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": dump(before),
        "after": dump(after),
        "undoes": None,
        "group_id": group,
        "guid": new_guid(),
    }


class _Ids:
    """Target row ids by identity, refreshed as rows are added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.coder = {g: i for i, g in session.execute(select(col(Coder.id), col(Coder.guid)))}
        self.doc: dict[str, int] = {}
        for i, sha in session.execute(
            select(col(Document.id), col(Document.sha256)).order_by(col(Document.id))
        ):
            self.doc.setdefault(sha, i)
        self.code = {g: i for i, g in session.execute(select(T_CODE.c.id, T_CODE.c.guid))}
        self.seg = {g: i for i, g in session.execute(select(T_SEG.c.id, T_SEG.c.guid))}


_TABLES = {"segment": (T_SEG, "segment"), "memo": (T_MEMO, "memo"), "code": (T_CODE, "codebook_code")}


def _row(session: Session, kind: str, key: Key, ids: _Ids) -> dict[str, Any] | None:
    if kind == "status":
        sha, coder = key[1]
        where = [T_STATUS.c.document_id == ids.doc.get(sha), T_STATUS.c.coder_id == ids.coder.get(coder)]
        found = session.execute(T_STATUS.select().where(*where)).mappings().first()
    else:
        table = _TABLES[kind][0]
        found = session.execute(table.select().where(table.c.guid == key[1])).mappings().first()
    return None if found is None else dict(found)


def _values(kind: str, key: Key, value: dict[str, Any], ids: _Ids, source: State) -> dict[str, Any] | None:
    """Target column values for a row in identity form (None: what it points at is missing)."""
    if kind == "segment":
        return {
            "document_id": ids.doc[value["document"]],
            "coder_id": ids.coder[value["coder"]],
            "code_id": ids.code[value["code"]],
            "start": value["start"],
            "end": value["end"],
            "memo": value["memo"],
            "guid": key[1],
        }
    if kind == "memo":
        target: Any = None
        if value["target_type"] == "document":
            target = ids.doc.get(value["target"])
        elif value["target_type"] == "code":
            target = ids.code.get(value["target"])
        elif value["target_type"] == "segment":
            target = ids.seg.get(value["target"])
        else:
            target = value["target"]
        if target is None and value["target_type"] != "project":
            return None
        coder = value["coder"]
        return {
            "target_type": value["target_type"],
            "target_id": target,
            "coder_id": ids.coder.get(coder) if coder is not None else None,
            "title": value["title"],
            "text": value["text"],
            "guid": key[1],
        }
    if kind == "status":
        sha, coder = key[1]
        return {"document_id": ids.doc[sha], "coder_id": ids.coder[coder], "status": value["status"]}
    parent = value.get("parent")
    return {name: value[name] for name in CODE_FIELDS} | {
        "parent_id": ids.code.get(parent) if parent is not None else None,
        "guid": key[1],
    }


def _write(session: Session, change: Change, ids: _Ids, source: State) -> tuple[str, Any, Any] | None:
    """Apply one change; returns (outcome, before row, after row), or None if it became moot."""
    kind = change.key[0]
    before = _row(session, kind, change.key, ids)
    if change.source is None:
        if before is None:
            return None
        table = T_STATUS if kind == "status" else _TABLES[kind][0]
        if kind == "status":
            session.execute(
                delete(T_STATUS).where(
                    T_STATUS.c.document_id == before["document_id"], T_STATUS.c.coder_id == before["coder_id"]
                )
            )
        else:
            session.execute(delete(table).where(table.c.id == before["id"]))
        return "removed", before, None
    values = _values(kind, change.key, change.source, ids, source)
    if values is None:
        return None
    stamp = utcnow()
    if kind == "segment":
        twin = session.execute(
            select(T_SEG.c.id).where(
                *(T_SEG.c[c] == values[c] for c in ("document_id", "coder_id", "code_id", "start", "end")),
                T_SEG.c.guid != change.key[1],
            )
        ).first()
        if twin is not None:  # the same coding already made in the target: never duplicated
            return None
    if kind == "status":
        values["updated_at"] = stamp
        if before is None:
            session.execute(insert(T_STATUS).values(**values))
        else:
            session.execute(
                update(T_STATUS)
                .where(
                    T_STATUS.c.document_id == values["document_id"], T_STATUS.c.coder_id == values["coder_id"]
                )
                .values(**values)
            )
    else:
        table = _TABLES[kind][0]
        if kind in ("segment", "memo"):
            values["updated_at"] = stamp
            if before is None:
                made = source.raw.get(change.key, {}).get("created_at")
                values["created_at"] = made or stamp
        if before is None:
            if kind == "code":
                top = session.execute(select(func.max(T_CODE.c.sort_order))).scalar()
                values["sort_order"] = (top or 0) + 1
            new_id = session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
            if kind == "code":
                ids.code[change.key[1]] = new_id
            elif kind == "segment":
                ids.seg[change.key[1]] = new_id
        else:
            session.execute(update(table).where(table.c.id == before["id"]).values(**values))
    after = _row(session, kind, change.key, ids)
    return ("added" if before is None else "changed"), before, after


def _code_order(changes: list[Change]) -> list[Change]:
    """Codes whose parent is added by the same merge come after that parent."""
    added = {c.key[1] for c in changes if c.target is None}
    out: list[Change] = []
    placed: set[str] = set()
    pending = list(changes)
    while pending:
        ready = [
            c
            for c in pending
            if (c.source or {}).get("parent") not in added or (c.source or {}).get("parent") in placed
        ]
        ready = ready or pending[:1]
        for change in ready:
            out.append(change)
            placed.add(change.key[1])
            pending.remove(change)
    return out


def apply_threeway(
    session: Session, plan: ThreeWayPlan, source: State, actor: str | None, events: list[dict[str, Any]]
) -> Counter[str]:
    """Write the plan's coders and changes; appends the events to log to `events`."""
    created, rows, codebook = new_group_id(), new_group_id(), new_group_id()
    for guid, name, role in plan.new_coders:
        coder = Coder(name=name, role=role, guid=guid)
        session.add(coder)
        session.flush()
        events.append(
            event_row(actor, "merge.create", "coder", coder.id, created, after={"name": name, "role": role})
        )
    ids = _Ids(session)
    counts: Counter[str] = Counter()
    by_kind: dict[str, list[Change]] = {}
    for change in plan.changes:
        by_kind.setdefault(change.key[0], []).append(change)
    codes = by_kind.get("code", [])
    removals = [c for c in codes if c.source is None]
    ordered = _code_order([c for c in codes if c.source is not None])
    segments = by_kind.get("segment", [])
    segments = [c for c in segments if c.source is None] + [c for c in segments if c.source is not None]
    work = ordered + segments + by_kind.get("memo", []) + by_kind.get("status", []) + removals
    for change in work:
        kind = change.key[0]
        done = _write(session, change, ids, source)
        if done is None:
            counts["already_present"] += 1
            continue
        outcome, before, after = done
        counts[f"{kind}s_{outcome}" if kind != "status" else f"statuses_{outcome}"] += 1
        entity = "document_status" if kind == "status" else _TABLES[kind][1]
        row_id = (after or before).get("document_id" if kind == "status" else "id")
        group = codebook if kind == "code" else rows
        events.append(event_row(actor, "merge.row", entity, row_id, group, before=before, after=after))
    if any(key.startswith("codes_") for key in counts):
        # a codebook version names one content, so a merge that changed codes moves it on
        bump_version(CodebookChange(session, actor, "merge"))
    for event in plan.merged_events:
        copied = {k: v for k, v in event.row.items() if k not in ("id",)}
        entity = event.entity if event.entity.startswith(MERGED_PREFIX) else MERGED_PREFIX + event.entity
        copied.update(entity=entity, entity_id=None, undoes=None, group_id=None)
        events.append(copied)
    return counts


def insert_events(session: Session, events: list[dict[str, Any]]) -> None:
    if events:
        session.execute(insert(T_EVENT), events)
    session.expire_all()
