"""Merging coders' offline copies of a project into one target project.

Matching rules (see docs/team.md):

* documents by the SHA-256 of their text; a source document whose text is new is copied
  with its units and attributes, unless a different text already uses its name (refused);
* codes by key; a segment or memo whose code key the target lacks is refused, unless
  `add_codes` copies the missing codes. Other codebook differences are reported only;
* coders by name, or by an explicit mapping SOURCE_NAME -> TARGET_NAME. Without a mapping,
  a name is refused when its role differs between the projects, or when both projects
  hold that coder's coding of the same document and each side has segments the other
  lacks (two people may share a default name; a continuation only adds);
* a segment is (document SHA-256, coder, code key, start, end): added when missing, never
  duplicated. Merging never deletes. A differing segment memo is appended to the
  target's memo unless the target memo already contains it;
* memos are (target, author, title, text): added when missing;
* document status: 'done' on either side wins.

The whole merge (all sources) is one transaction; refusing changes nothing. Merging the
same source twice changes nothing the second time. A dry run computes the same plan
from a read-only view and writes nothing.
"""

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from qualcode.core.errors import QualcodeError
from qualcode.services.events import new_group_id
from qualcode.services.team.merge_plan import (
    MergeConflictError,
    Plan,
    SegmentKey,
    Side,
    load_side,
    make_plans,
)
from qualcode.store.db import Project, open_project
from qualcode.store.models import (
    Case,
    CaseMember,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentStatus,
    Event,
    Memo,
    Segment,
    Unit,
    utcnow,
)

T_SEG, T_MEMO, T_STATUS = Segment.__table__, Memo.__table__, DocumentStatus.__table__  # type: ignore[attr-defined]
__all__ = ["MergeConflictError", "merge_projects"]


def _ids(session: Session) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    coders = {n: i for i, n in session.execute(select(Coder.id, Coder.name))}
    codes = {k: i for i, k in session.execute(select(Code.id, Code.key))}
    docs: dict[str, int] = {}
    for i, sha in session.execute(select(Document.id, Document.sha256).order_by(Document.id)):
        docs.setdefault(sha, i)
    return coders, codes, docs


def _event(
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None,
    group: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    import json

    def dump(data: dict[str, Any] | None) -> str | None:
        if data is None:
            return None
        clean = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
        return json.dumps(clean, ensure_ascii=False, sort_keys=True)

    return {
        "at": utcnow(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": dump(before),
        "after": dump(after),
        "group_id": group,
    }


def _apply(session: Session, plan: Plan, src: Side, actor: str | None) -> None:
    created, rows = new_group_id(), new_group_id()
    events: list[dict[str, Any]] = []
    for name, role in plan.new_coders.items():
        coder = Coder(name=name, role=role)
        session.add(coder)
        session.flush()
        events.append(
            _event(actor, "merge.create", "coder", coder.id, created, after={"name": name, "role": role})
        )
    for key in plan.new_codes:
        data = dict(src.codes[key])
        parent = data.pop("parent")
        code = Code(key=key, parent_id=_ids(session)[1].get(parent) if parent else None, **data)
        session.add(code)
        session.flush()
        events.append(_event(actor, "merge.create", "code", code.id, created, after={"key": key}))
    for sha in plan.new_documents:
        row = dict(src.doc_rows[sha])
        units, attributes = row.pop("units"), row.pop("attributes")
        doc = Document(**row)
        session.add(doc)
        session.flush()
        session.add_all([Unit(document_id=doc.id, **u) for u in units])
        session.add_all([DocumentAttribute(document_id=doc.id, **a) for a in attributes])
        events.append(
            _event(
                actor, "merge.create", "document", doc.id, created, after={"name": row["name"], "sha256": sha}
            )
        )
    session.flush()
    coder_ids, code_ids, doc_ids = _ids(session)
    seg_ids: dict[SegmentKey, int] = {}
    for key in plan.new_segments:
        info = _source_segment(src, plan, key)
        value = {
            "document_id": doc_ids[key[0]],
            "coder_id": coder_ids[key[1]],
            "code_id": code_ids[key[2]],
            "start": key[3],
            "end": key[4],
            "memo": info["memo"],
            "guid": info["guid"],
            "created_at": info["created_at"],
            "updated_at": info["updated_at"],
        }
        seg_ids[key] = session.execute(insert(T_SEG).values(**value).returning(T_SEG.c.id)).scalar_one()
        events.append(
            _event(actor, "merge.row", "segment", seg_ids[key], rows, after={"id": seg_ids[key], **value})
        )
    for key, memo in plan.memo_merges.items():
        seg = session.execute(
            select(Segment).where(
                Segment.document_id == doc_ids[key[0]],
                Segment.coder_id == coder_ids[key[1]],
                Segment.code_id == code_ids[key[2]],
                Segment.start == key[3],
                Segment.end == key[4],
            )
        ).scalar_one()
        before = seg.model_dump()
        session.execute(update(T_SEG).where(T_SEG.c.id == seg.id).values(memo=memo, updated_at=utcnow()))
        events.append(
            _event(actor, "merge.row", "segment", seg.id, rows, before=before, after=before | {"memo": memo})
        )
    for memo in plan.new_memos:
        target_id = _memo_target(session, memo, doc_ids, code_ids, coder_ids, seg_ids)
        value = {
            "target_type": memo["target_type"],
            "target_id": target_id,
            "coder_id": coder_ids.get(memo["coder"]) if memo["coder"] else None,
            "title": memo["title"],
            "text": memo["text"],
            "guid": memo["guid"],
            "created_at": memo["created_at"],
            "updated_at": memo["updated_at"],
        }
        new_id = session.execute(insert(T_MEMO).values(**value).returning(T_MEMO.c.id)).scalar_one()
        events.append(_event(actor, "merge.row", "memo", new_id, rows, after={"id": new_id, **value}))
    for (sha, coder), status in plan.statuses.items():
        pk = {"document_id": doc_ids[sha], "coder_id": coder_ids[coder]}
        row = session.get(DocumentStatus, (pk["document_id"], pk["coder_id"]))
        after = pk | {"status": status, "updated_at": utcnow()}
        if row is None:
            session.execute(insert(T_STATUS).values(**after))
            events.append(_event(actor, "merge.row", "document_status", pk["document_id"], rows, after=after))
        else:
            before = row.model_dump()
            session.execute(
                update(T_STATUS)
                .where(T_STATUS.c.document_id == pk["document_id"], T_STATUS.c.coder_id == pk["coder_id"])
                .values(**after)
            )
            events.append(
                _event(
                    actor, "merge.row", "document_status", pk["document_id"], rows, before=before, after=after
                )
            )
    for name in plan.new_cases:
        session.add(Case(name=name, description=src.case_rows.get(name)))
    session.flush()
    case_ids = {n: i for i, n in session.execute(select(Case.id, Case.name))}
    for name, sha in plan.new_members:
        session.add(CaseMember(case_id=case_ids[name], document_id=doc_ids[sha]))
    summary = _plan_dict(plan)
    events.append(_event(actor, "merge", "project", None, new_group_id(), after=summary))
    session.execute(insert(Event), events)
    session.expire_all()


def _source_segment(src: Side, plan: Plan, key: SegmentKey) -> dict[str, Any]:
    """The source's row for a target-named segment key (coder names mapped back)."""
    for name, dst in plan.coder_map.items():
        if dst == key[1] and (key[0], name, key[2], key[3], key[4]) in src.segments:
            return src.segments[(key[0], name, key[2], key[3], key[4])]
    raise AssertionError(f"no source segment for {key}")


def _memo_target(
    session: Session,
    memo: dict[str, Any],
    doc_ids: dict[str, int],
    code_ids: dict[str, int],
    coder_ids: dict[str, int],
    seg_ids: dict[SegmentKey, int],
) -> int | None:
    ref = memo["ref"]
    if memo["target_type"] == "document":
        return doc_ids[ref]
    if memo["target_type"] == "code":
        return code_ids[ref]
    if memo["target_type"] == "segment":
        if ref in seg_ids:
            return seg_ids[ref]
        return session.execute(
            select(Segment.id).where(
                Segment.document_id == doc_ids[ref[0]],
                Segment.coder_id == coder_ids[ref[1]],
                Segment.code_id == code_ids[ref[2]],
                Segment.start == ref[3],
                Segment.end == ref[4],
            )
        ).scalar_one()
    return None


def _plan_dict(plan: Plan) -> dict[str, Any]:
    return {
        "source": plan.source,
        "coders": plan.coder_map,
        "new_coders": plan.new_coders,
        "new_codes": plan.new_codes,
        "new_documents": len(plan.new_documents),
        "segments_added": len(plan.new_segments),
        "segments_already_present": plan.present_segments,
        "segment_memos_merged": len(plan.memo_merges),
        "memos_added": len(plan.new_memos),
        "statuses_changed": len(plan.statuses),
        "cases_added": len(plan.new_cases),
        "case_members_added": len(plan.new_members),
        "codebook": plan.codebook,
    }


def _same_store(a: Project, b: Project) -> bool:
    if a.dialect == "sqlite" and b.dialect == "sqlite":
        return Path(a.engine.url.database or "").resolve() == Path(b.engine.url.database or "").resolve()
    return a.engine.url.render_as_string(hide_password=True) == b.engine.url.render_as_string(
        hide_password=True
    )


def merge_projects(
    target: Project,
    sources: list[str],
    *,
    dry_run: bool = False,
    coder_map: dict[str, str] | None = None,
    add_codes: bool = False,
    actor: str | None = None,
) -> dict[str, Any]:
    """Merge each source project into `target` (or, with `dry_run`, only say what would change)."""
    if not sources:
        raise QualcodeError("name at least one source project to merge")
    loaded: list[tuple[str, Side]] = []
    for source in sources:
        project = open_project(source, upgrade=False)
        try:
            if _same_store(project, target):
                raise QualcodeError(f"{source} is the target project itself")
            with project.read() as session:
                loaded.append((project.display, load_side(session, full=True)))
        finally:
            project.dispose()
    mapping = dict(coder_map or {})

    def work(session: Session) -> list[Plan]:
        plans = make_plans(load_side(session, full=False), loaded, mapping, add_codes)
        if not dry_run:
            for plan, (_, src) in zip(plans, loaded):
                if plan.changes():
                    _apply(session, plan, src, actor)
        return plans

    if dry_run:
        with target.read() as session:
            plans = work(session)
    else:
        plans = target.transact(work)
    return {
        "target": target.display,
        "dry_run": dry_run,
        "changed": (not dry_run) and any(p.changes() for p in plans),
        "would_change": any(p.changes() for p in plans),
        "sources": [_plan_dict(p) for p in plans],
    }
