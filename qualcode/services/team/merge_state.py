"""A project's coding, codebook and event log in terms that mean the same in every copy.

Row ids differ between copies once each side adds rows, so the three-way merge compares
rows by their GUIDs (segments, memos, codes, coders), documents by the SHA-256 of their
text, and document statuses by (document, coder). `State.value` turns a stored row, or a
JSON snapshot of one from the event log, into that form.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from qualcode.store.mapped import table_of
from qualcode.store.migrations import legacy_guid
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Event, Memo, Segment

# event entity -> what it changes (codebook services log their rows under their own names)
KINDS = {
    "segment": "segment",
    "codebook_segment": "segment",
    "memo": "memo",
    "codebook_memo": "memo",
    "document_status": "status",
    "codebook_code": "code",
}
CODE_FIELDS = (
    "key",
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
T_SEG, T_MEMO, T_STATUS, T_CODE, T_EVENT = (
    table_of(Segment),
    table_of(Memo),
    table_of(DocumentStatus),
    table_of(Code),
    table_of(Event),
)
Key = tuple[str, Any]  # (kind, identity): ("segment", guid), ("status", (sha256, coder guid)), ...


@dataclass
class LoggedEvent:
    id: int
    guid: str
    at: datetime
    actor: str | None
    action: str
    entity: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    row: dict[str, Any]  # the stored row, copied into the target when the event is merged


@dataclass
class State:
    """Current rows by identity, plus the id -> identity maps needed to read snapshots."""

    coders: dict[str, dict[str, Any]] = field(default_factory=dict)  # guid -> name, role
    doc_sha: dict[int, str] = field(default_factory=dict)
    doc_names: dict[str, str] = field(default_factory=dict)  # sha256 -> name
    coder_guid: dict[int, str] = field(default_factory=dict)
    code_guid: dict[int, str] = field(default_factory=dict)
    seg_guid: dict[int, str] = field(default_factory=dict)
    rows: dict[Key, dict[str, Any]] = field(default_factory=dict)  # key -> value
    raw: dict[Key, dict[str, Any]] = field(default_factory=dict)  # key -> stored row (source side)

    def key(self, kind: str, snap: dict[str, Any]) -> Key | None:
        if kind == "status":
            sha, coder = self.doc_sha.get(snap["document_id"]), self.coder_guid.get(snap["coder_id"])
            return None if sha is None or coder is None else ("status", (sha, coder))
        return (kind, snap.get("guid") or legacy_guid(kind, snap["id"], *_made(kind, snap)))

    def value(self, kind: str, snap: dict[str, Any]) -> dict[str, Any]:
        if kind == "segment":
            return {
                "document": self.doc_sha.get(snap["document_id"]),
                "coder": self.coder_guid.get(snap["coder_id"]),
                "code": self.code_guid.get(snap["code_id"]),
                "start": snap["start"],
                "end": snap["end"],
                "memo": snap.get("memo") or None,
            }
        if kind == "memo":
            return {
                "target_type": snap["target_type"],
                "target": self.memo_target(snap["target_type"], snap.get("target_id")),
                "coder": self.coder_guid.get(snap["coder_id"]) if snap.get("coder_id") is not None else None,
                "title": snap.get("title"),
                "text": snap["text"],
            }
        if kind == "status":
            return {"status": snap["status"]}
        value = {name: snap.get(name) for name in CODE_FIELDS}
        value["codable"], value["retired"] = bool(value["codable"]), bool(value["retired"])
        parent = snap.get("parent_id")
        value["parent"] = self.code_guid.get(parent) if parent is not None else None
        return value

    def memo_target(self, target_type: str, target_id: int | None) -> Any:
        if target_id is None:
            return None
        if target_type == "document":
            return self.doc_sha.get(target_id)
        if target_type == "code":
            return self.code_guid.get(target_id)
        if target_type == "segment":
            return self.seg_guid.get(target_id)
        return target_id


def _made(kind: str, snap: dict[str, Any]) -> tuple[Any, ...]:
    # the parts `legacy_guid` was given for this kind by the schema-3 backfill
    return () if kind == "code" else (snap.get("created_at"),)


def _loads(data: str | None) -> dict[str, Any] | None:
    return None if data is None else json.loads(data)


def load_state(session: Session, keep_raw: bool) -> State:
    """Every coder, code, segment, memo and document status of a project, by identity."""
    state = State()
    for cid, guid, name, role in session.execute(
        select(col(Coder.id), col(Coder.guid), col(Coder.name), col(Coder.role))
    ):
        state.coder_guid[cid] = guid
        state.coders[guid] = {"name": name, "role": role}
    for did, sha, name in session.execute(select(col(Document.id), col(Document.sha256), col(Document.name))):
        state.doc_sha[did] = sha
        state.doc_names.setdefault(sha, name)
    codes = [dict(r) for r in session.execute(T_CODE.select()).mappings()]
    state.code_guid = {c["id"]: c["guid"] for c in codes}
    segments = [dict(r) for r in session.execute(T_SEG.select()).mappings()]
    state.seg_guid = {s["id"]: s["guid"] for s in segments}
    memos = [dict(r) for r in session.execute(T_MEMO.select()).mappings()]
    statuses = [dict(r) for r in session.execute(T_STATUS.select()).mappings()]
    for kind, rows in (("code", codes), ("segment", segments), ("memo", memos), ("status", statuses)):
        for row in rows:
            key = state.key(kind, row)
            if key is None:
                continue
            state.rows[key] = state.value(kind, row)
            if keep_raw:
                state.raw[key] = row
    return state


def event_guids(session: Session) -> set[str]:
    return set(session.execute(select(T_EVENT.c.guid)).scalars())


def load_events(session: Session) -> list[LoggedEvent]:
    out = []
    for row in session.execute(T_EVENT.select().order_by(T_EVENT.c.id)).mappings():
        out.append(
            LoggedEvent(
                id=row["id"],
                guid=row["guid"],
                at=row["at"],
                actor=row["actor"],
                action=row["action"],
                entity=row["entity"],
                before=_loads(row["before"]),
                after=_loads(row["after"]),
                row=dict(row),
            )
        )
    return out


def learn_ids(state: State, events: list[LoggedEvent]) -> None:
    """Rows deleted since are still named by old snapshots: remember their identities too."""
    for event in events:
        kind = KINDS.get(event.entity)
        for snap in (event.before, event.after):
            if snap is None or "id" not in snap:
                continue
            if kind == "code":
                state.code_guid.setdefault(snap["id"], state.key("code", snap)[1])  # type: ignore[index]
            elif kind == "segment":
                state.seg_guid.setdefault(snap["id"], state.key("segment", snap)[1])  # type: ignore[index]
