"""Memos on the project, documents, codes and segments; all searchable."""

import re
from typing import Any

from sqlmodel import Session, col, func, select

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.services.coders import find_coder
from qualcode.services.events import record, snapshot
from qualcode.services.lookup import find_code, find_document
from qualcode.store.db import Project
from qualcode.store.models import Code, Coder, Document, Memo, Segment, utcnow

TARGETS = ("project", "document", "code", "segment")


def _target_id(session: Session, target_type: str, target: str | int | None) -> int | None:
    if target_type not in TARGETS:
        raise ValidationError(f"a memo belongs to one of {', '.join(TARGETS)}, not {target_type!r}")
    if target_type == "project":
        return None
    if target is None:
        raise ValidationError(f"name the {target_type} the memo belongs to")
    if target_type == "document":
        return find_document(session, str(target)).id
    if target_type == "code":
        return find_code(session, str(target)).id
    seg = session.get(Segment, int(target))
    if seg is None:
        raise NotFoundError(f"no segment with id {target}")
    return seg.id


def _label(session: Session, memo: Memo) -> str:
    if memo.target_type == "document":
        doc = session.get(Document, memo.target_id)
        return doc.name if doc else "?"
    if memo.target_type == "code":
        code = session.get(Code, memo.target_id)
        return code.key if code else "?"
    if memo.target_type == "segment":
        return f"segment {memo.target_id}"
    return "project"


def memo_dict(session: Session, memo: Memo) -> dict[str, Any]:
    author = session.get(Coder, memo.coder_id) if memo.coder_id else None
    return {
        "id": memo.id,
        "target_type": memo.target_type,
        "target_id": memo.target_id,
        "target": _label(session, memo),
        "coder": author.name if author else None,
        "title": memo.title,
        "text": memo.text,
        "updated_at": memo.updated_at.isoformat(),
    }


def add_memo(
    project: Project,
    *,
    coder: str,
    target_type: str,
    target: str | int | None,
    text: str,
    title: str | None = None,
) -> dict[str, Any]:
    if not text.strip():
        raise ValidationError("a memo cannot be empty")
    with project.write() as session:
        author = find_coder(session, coder)
        memo = Memo(
            target_type=target_type,
            target_id=_target_id(session, target_type, target),
            coder_id=author.id,
            title=title,
            text=text,
        )
        session.add(memo)
        session.flush()
        record(
            session,
            actor=author.name,
            action="memo.add",
            entity="memo",
            entity_id=memo.id,
            after=snapshot(memo),
        )
        return memo_dict(session, memo)


def edit_memo(
    project: Project, *, coder: str, memo_id: int, text: str, title: str | None = None
) -> dict[str, Any]:
    with project.write() as session:
        author = find_coder(session, coder)
        memo = session.get(Memo, memo_id)
        if memo is None:
            raise NotFoundError(f"no memo with id {memo_id}")
        before = snapshot(memo)
        memo.text, memo.updated_at = text, utcnow()
        if title is not None:
            memo.title = title
        session.add(memo)
        session.flush()
        record(
            session,
            actor=author.name,
            action="memo.edit",
            entity="memo",
            entity_id=memo.id,
            before=before,
            after=snapshot(memo),
        )
        return memo_dict(session, memo)


def delete_memo(project: Project, *, coder: str, memo_id: int) -> None:
    with project.write() as session:
        author = find_coder(session, coder)
        memo = session.get(Memo, memo_id)
        if memo is None:
            raise NotFoundError(f"no memo with id {memo_id}")
        before = snapshot(memo)
        session.delete(memo)
        session.flush()
        record(
            session, actor=author.name, action="memo.delete", entity="memo", entity_id=memo_id, before=before
        )


def _memo_rule(visible: set[int] | None) -> tuple[Any, ...]:
    """Which memo rows a viewer may see: their own or authorless ones, never on another coder's segment."""
    if visible is None:
        return ()
    own_segments = select(Segment.id).where(col(Segment.coder_id).in_(visible))
    return (
        col(Memo.coder_id).in_(visible) | col(Memo.coder_id).is_(None),
        (col(Memo.target_type) != "segment") | col(Memo.target_id).in_(own_segments),
    )


def _segment_memo_rule(visible: set[int] | None) -> tuple[Any, ...]:
    """Segments that carry a memo (kept on the segment itself), limited to the viewer's own."""
    rule: tuple[Any, ...] = (col(Segment.memo).is_not(None), Segment.memo != "")
    return rule if visible is None else (*rule, col(Segment.coder_id).in_(visible))


def count_memos(session: Session, visible: set[int] | None) -> int:
    """Every memo `visible` coders may see: memo rows on any target plus memos kept on segments.

    The one counting rule behind `info`, the memo browser and the exports.
    """
    rows = session.exec(select(func.count()).select_from(Memo).where(*_memo_rule(visible))).one()
    on_segments = session.exec(
        select(func.count()).select_from(Segment).where(*_segment_memo_rule(visible))
    ).one()
    return int(rows) + int(on_segments)


def list_memos(
    project: Project,
    *,
    target_type: str | None = None,
    target: str | int | None = None,
    search: str | None = None,
    regex: bool = False,
    viewer: str | None = None,
) -> list[dict[str, Any]]:
    """Every memo, newest first, optionally for one target and/or matching a search (plain or
    regex, case-insensitive).

    Memos kept on a segment (its memo field) are listed with `id` None next to the memo rows,
    so a blank search lists as many memos as `count_memos` counts. In blind mode only
    `viewer`'s own memos (and memos without an author) are returned, never one on another
    coder's segment.
    """
    from qualcode.services.team.access import visible_coder_ids

    pattern = None
    if search is not None:
        try:
            pattern = re.compile(search if regex else re.escape(search), re.IGNORECASE)
        except re.error as exc:
            raise ValidationError(f"invalid regular expression {search!r}: {exc}") from exc
    with project.read() as session:
        visible = visible_coder_ids(session, viewer)
        query = select(Memo).where(*_memo_rule(visible))
        target_id = None
        if target_type is not None:
            query = query.where(Memo.target_type == target_type)
            if target_type != "project" and target is not None:
                target_id = _target_id(session, target_type, target)
                query = query.where(Memo.target_id == target_id)
        rows = [memo_dict(session, m) for m in session.exec(query)]
        if target_type in (None, "segment"):
            seg_query = (
                select(Segment, Coder.name)
                .join(Coder, col(Coder.id) == col(Segment.coder_id))
                .where(*_segment_memo_rule(visible))
            )
            if target_id is not None:
                seg_query = seg_query.where(Segment.id == target_id)
            for seg, name in session.exec(seg_query).all():
                rows.append(
                    {
                        "id": None,
                        "target_type": "segment",
                        "target_id": seg.id,
                        "target": f"segment {seg.id}",
                        "coder": name,
                        "title": None,
                        "text": seg.memo,
                        "updated_at": seg.updated_at.isoformat(),
                    }
                )
    rows.sort(key=lambda r: r["updated_at"], reverse=True)
    if pattern is None:
        return rows
    return [r for r in rows if pattern.search(r["text"]) or (r["title"] and pattern.search(r["title"]))]
