"""Moving a codebook between the store and core objects, recording every row change.

A codebook change is one group of events sharing a group_id and an action
`codebook.<op>`. Each event holds a JSON snapshot of one row before and after.
The entities are prefixed `codebook_` so that the per-person undo stack
(services/coding/undo.py) leaves them alone: codebook changes are undone as a whole by
`undo_last_codebook_change`, which also keeps the version number moving forward.
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, delete, insert, update
from sqlmodel import Session, SQLModel, select

from qualcode.core.codebook import Codebook, CodeNode
from qualcode.core.codebook_typology import Typology
from qualcode.services.events import record, snapshot
from qualcode.services.settings import read_setting, write_setting
from qualcode.store.models import Code, Event, Memo, Question, Segment, Setting, utcnow

META_KEY = "codebook"
TYPOLOGY_KEY = "codebook.typology"
VERSION_KEY = "codebook.version"

ENTITIES: dict[str, type[SQLModel]] = {
    "codebook_code": Code,
    "codebook_segment": Segment,
    "codebook_memo": Memo,
    "codebook_question": Question,
    "codebook_setting": Setting,
}
NODE_COLUMNS = (
    "level",
    "name_en",
    "name_zh",
    "short_definition",
    "definition",
    "inclusion",
    "exclusion",
    "example_en",
    "example_zh",
    "color",
    "codable",
    "retired",
)


@dataclass
class Change:
    """The events of one codebook change, buffered and written in bulk (a merge may touch many rows)."""

    session: Session
    actor: str | None
    action: str
    group_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    count: int = 0
    pending: list[dict[str, Any]] = field(default_factory=list)

    def log(
        self,
        entity: str,
        row_id: Any,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        undoes: int | None = None,
    ) -> None:
        self.pending.append(
            {
                "at": utcnow(),
                "actor": self.actor,
                "action": self.action,
                "entity": entity,
                "entity_id": row_id if isinstance(row_id, int) else None,
                "before": None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
                "after": None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
                "undoes": undoes,
                "group_id": self.group_id,
            }
        )
        self.count += 1
        if len(self.pending) >= 2000:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.session.execute(insert(Event.__table__), self.pending)  # type: ignore[attr-defined]
            self.pending.clear()


# ---------------------------------------------------------------- reading


def read_book(session: Session) -> Codebook:
    """The project's codebook as a core object (nodes in stored order)."""
    meta = read_setting(session, META_KEY) or {}
    typology_data = read_setting(session, TYPOLOGY_KEY)
    rows = session.exec(select(Code).order_by(Code.sort_order, Code.id)).all()
    keys = {row.id: row.key for row in rows}
    nodes = [
        CodeNode(
            key=row.key,
            parent=keys.get(row.parent_id) if row.parent_id is not None else None,
            **{name: getattr(row, name) for name in NODE_COLUMNS},
            guid=row.guid,
        )
        for row in rows
    ]
    book = Codebook(
        id=meta.get("id", ""),
        version=meta.get("file_version", "1"),
        title_en=meta.get("title_en", ""),
        title_zh=meta.get("title_zh", ""),
        description=meta.get("description"),
        languages=meta.get("languages", ["en", "zh-Hans"]),
        nodes=nodes,
        typology=Typology.from_dict(typology_data) if typology_data else None,
    )
    return book.in_tree_order() if len(list(book.walk())) == len(nodes) else book


def read_version(session: Session) -> int:
    return int(read_setting(session, VERSION_KEY) or 0)


# ---------------------------------------------------------------- writing


def _set(change: Change, key: str, value: Any) -> None:
    row = change.session.get(Setting, key)
    before = snapshot(row) if row is not None else None
    write_setting(change.session, key, value)
    change.session.flush()
    after = snapshot(change.session.get(Setting, key))
    if before != after:
        change.log("codebook_setting", None, before, after)


def write_meta(change: Change, book: Codebook, source: str | None = None) -> None:
    meta = read_setting(change.session, META_KEY) or {}
    new = {
        "id": book.id,
        "file_version": book.version,
        "title_en": book.title_en,
        "title_zh": book.title_zh,
        "description": book.description,
        "languages": list(book.languages),
        "source": source if source is not None else meta.get("source"),
    }
    _set(change, META_KEY, new)
    _set(change, TYPOLOGY_KEY, None if book.typology is None else book.typology.to_dict())


def bump_version(change: Change) -> int:
    """Versions only move forward (undo too), so a version number names one content."""
    change.flush()
    version = read_version(change.session) + 1
    write_setting(change.session, VERSION_KEY, version)
    record(
        change.session,
        actor=change.actor,
        action="codebook.version",
        entity="codebook",
        before={"version": version - 1},
        after={"version": version},
    )
    return version


def sync_codes(change: Change, target: Codebook, renames: dict[str, str] | None = None) -> None:
    """Make the codes table equal to `target`; `renames` maps new key -> old key (same row)."""
    session = change.session
    renames = renames or {}
    rows = {row.key: row for row in session.exec(select(Code)).all()}
    wanted = [node for _, node in target.walk()]
    ids: dict[str, int] = {}
    used: set[str] = set()
    for order, node in enumerate(wanted):
        old_key = renames.get(node.key, node.key)
        row = rows.get(old_key)
        values = {name: getattr(node, name) for name in NODE_COLUMNS}
        values.update(key=node.key, sort_order=order, parent_id=ids.get(node.parent) if node.parent else None)
        if row is None:
            row = Code(**values, guid=node.guid or str(uuid.uuid4()))
            session.add(row)
            session.flush()
            change.log("codebook_code", row.id, None, snapshot(row))
        else:
            used.add(old_key)
            if node.guid and not row.guid:
                values["guid"] = node.guid
            if not row.guid and "guid" not in values:
                values["guid"] = str(uuid.uuid4())
            before = snapshot(row)
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
            session.flush()
            after = snapshot(row)
            if before != after:
                change.log("codebook_code", row.id, before, after)
        assert row.id is not None
        ids[node.key] = row.id
    gone = [row for key, row in rows.items() if key not in used and key not in ids]
    for row in _children_first(gone, rows):
        change.log("codebook_code", row.id, snapshot(row), None)
        session.delete(row)
        session.flush()


def _children_first(gone: Sequence[Code], rows: dict[str, Code]) -> list[Code]:
    by_id = {row.id: row for row in rows.values()}

    def depth(row: Code) -> int:
        d, current, seen = 0, row, set()
        while current.parent_id is not None and current.parent_id in by_id and current.id not in seen:
            seen.add(current.id)
            current = by_id[current.parent_id]
            d += 1
        return d

    return sorted(gone, key=depth, reverse=True)


def update_row(change: Change, entity: str, row: SQLModel, **values: Any) -> None:
    before = snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    change.session.add(row)
    change.session.flush()
    change.log(entity, getattr(row, "id", None), before, snapshot(row))


def delete_row(change: Change, entity: str, row: SQLModel) -> None:
    change.log(entity, getattr(row, "id", None), snapshot(row), None)
    change.session.delete(row)
    change.session.flush()


def _row_snapshot(row: Any) -> dict[str, Any]:
    return _iso(dict(row))


def bulk_update(change: Change, entity: str, rows: Sequence[Any], **values: Any) -> None:
    """Set the same values on many rows (by id) with a few statements, logging each row."""
    table = ENTITIES[entity].__table__  # type: ignore[attr-defined]
    for row in rows:
        before = _row_snapshot(row)
        change.log(entity, before["id"], before, {**before, **values})
    ids = [row["id"] for row in rows]
    for chunk in _chunks(ids):
        # Core statements on the table: the ORM would re-check every loaded object for each chunk.
        change.session.execute(update(table).where(table.c.id.in_(chunk)).values(**values))


def bulk_delete(change: Change, entity: str, rows: Sequence[Any]) -> None:
    table = ENTITIES[entity].__table__  # type: ignore[attr-defined]
    for row in rows:
        before = _row_snapshot(row)
        change.log(entity, before["id"], before, None)
    ids = [row["id"] for row in rows]
    for chunk in _chunks(ids):
        change.session.execute(delete(table).where(table.c.id.in_(chunk)))


def _chunks(items: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# ---------------------------------------------------------------- reversing


def decode(model: type[SQLModel], data: dict[str, Any]) -> dict[str, Any]:
    table = model.__table__  # type: ignore[attr-defined]
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in table.c:
            continue
        column_type = table.c[key].type
        if (
            value is not None
            and isinstance(value, str)
            and isinstance(getattr(column_type, "impl", column_type), DateTime)
        ):
            value = datetime.fromisoformat(value)
        out[key] = value
    return out


def _pk_name(model: type[SQLModel]) -> str:
    table = model.__table__  # type: ignore[attr-defined]
    return list(table.primary_key.columns)[0].name


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def reverse_batch(
    session: Session, entity: str, pairs: Sequence[tuple[dict[str, Any] | None, dict[str, Any] | None]]
) -> str | None:
    """Put rows back from `after` to `before`, all of one entity and one kind of change.

    Returns why it cannot be done (nothing written then), or None when done.
    """
    model = ENTITIES[entity]
    table = model.__table__  # type: ignore[attr-defined]
    pk = _pk_name(model)
    keys = [(after if after is not None else before)[pk] for before, after in pairs]  # type: ignore[index]
    now: dict[Any, dict[str, Any]] = {}
    for chunk in _chunks(keys):
        for found in session.execute(table.select().where(table.c[pk].in_(chunk))).mappings():
            now[found[pk]] = _iso(dict(found))
    inserts, deletes, updates = [], [], []
    for (before, after), key in zip(pairs, keys, strict=True):
        label = _label(entity, after if after is not None else before or {})
        current = now.get(key)
        if after is None:  # the change deleted the row: insert it again
            if current is not None:
                return f"{label} exists again"
            inserts.append(decode(model, before or {}))
        elif current is None:
            return f"{label} was deleted since"
        elif before is None:  # the change created the row: delete it
            if (
                entity == "codebook_code"
                and session.exec(select(Segment.id).where(Segment.code_id == key)).first() is not None
            ):
                return f"{label} has been applied to text since; retire it instead"
            deletes.append(key)
        else:
            changed = sorted(k for k in after if before.get(k) != after.get(k) and k in table.c)
            drifted = sorted(k for k in changed if current.get(k) != after.get(k) and k != "updated_at")
            if drifted:
                return f"{label} was changed since ({', '.join(drifted)})"
            updates.append((key, decode(model, {k: before.get(k) for k in changed})))
    if inserts:
        session.execute(insert(table), inserts)
    for chunk in _chunks(deletes):
        session.execute(delete(table).where(table.c[pk].in_(chunk)))
    same: dict[tuple[tuple[str, Any], ...], list[Any]] = {}
    for key, values in updates:  # a merge undo sets one value on thousands of rows: group them
        if values:
            same.setdefault(tuple(sorted(values.items())), []).append(key)
    for values_key, group in same.items():
        for chunk in _chunks(group):
            session.execute(update(table).where(table.c[pk].in_(chunk)).values(**dict(values_key)))
    return None


def _label(entity: str, data: dict[str, Any]) -> str:
    if entity == "codebook_code":
        return f"code {data.get('key')}"
    if entity == "codebook_setting":
        return f"setting {data.get('key')}"
    return f"{entity.removeprefix('codebook_')} {data.get('id')}"


def load_json(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)
