"""Coding: applying codes to spans, removing and adjusting segments, marking documents done.

Every function commits before it returns, and records an event that undo can reverse.
Writes go through `project.transact`, which retries while other coders hold the store,
so several processes can code one project at once.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qualcode.core.errors import NotFoundError, QualcodeError, ValidationError
from qualcode.i18n import N_, _
from qualcode.services.coders import find_coder, is_pseudo_coder
from qualcode.services.coding.rows import CodedSegment, DocumentStatusRow, DoneMarks, UpdatedSegment
from qualcode.services.events import new_group_id, record, snapshot
from qualcode.services.lookup import find_code, find_document
from qualcode.services.team.access import visible_coder_ids  # re-exported: callers may import it from here
from qualcode.store.db import Project
from qualcode.store.mapped import id_of, saved_id, table_of
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Segment, Unit, utcnow

STATUSES = ("in_progress", "done")
# A coder's progress on a document as a person reads it; the stored word stays the key.
STATUS_NAMES = {"not_started": N_("not started"), "in_progress": N_("in progress"), "done": N_("done")}


def status_label(status: str) -> str:
    """A document status in the interface language (an unknown one as stored)."""
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


STREAM_BATCH = 2000  # rows read from the store at a time when segments are streamed


def check_span(doc: Document, start: int, end: int) -> None:
    """Refuse offsets that are negative, empty or reversed, or that run past the end of the document."""
    if start < 0 or end < 0:
        raise ValidationError(
            _("offsets cannot be negative (start={start}, end={end})").format(start=start, end=end)
        )
    if start >= end:
        raise ValidationError(
            _("start must be before end (start={start}, end={end})").format(start=start, end=end)
        )
    if end > doc.length:
        raise ValidationError(
            _("end={end} lies outside {doc!r}, which has {length} characters").format(
                end=end, doc=doc.name, length=doc.length
            )
        )


def segment_dict(seg: Segment, doc: Document, coder: Coder, code: Code) -> CodedSegment:
    """A segment as the row the CLI and TUI show: document, coder, code, offsets, text and memo."""
    return coded_segment(
        saved_id(seg.id),
        doc.name,
        coder.name,
        code.key,
        seg.start,
        seg.end,
        doc.text,
        seg.memo,
        seg.created_at,
        seg.updated_at,
    )


def coded_segment(
    segment_id: int,
    document: str,
    coder: str,
    code: str,
    start: int,
    end: int,
    document_text: str,
    memo: str | None,
    created_at: datetime,
    updated_at: datetime,
) -> CodedSegment:
    """The one place a CodedSegment is put together, from ORM objects or from plain column rows."""
    return {
        "id": segment_id,
        "document": document,
        "coder": coder,
        "code": code,
        "start": start,
        "end": end,
        "text": document_text[start:end],
        "memo": memo,
        "created_at": created_at.isoformat(),
        "updated_at": updated_at.isoformat(),
    }


def _mark_in_progress(session: Session, doc: Document, coder: Coder) -> None:
    if session.get(DocumentStatus, (doc.id, coder.id)) is not None:
        return
    # ON CONFLICT: the same coder working in two processes must not make this insert fail.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    table = table_of(DocumentStatus)
    session.execute(
        insert(table)
        .values(document_id=doc.id, coder_id=coder.id, status="in_progress", updated_at=utcnow())
        .on_conflict_do_nothing()
    )


def add_segment_in(
    session: Session,
    coder: Coder,
    doc: Document,
    code: Code,
    start: int,
    end: int,
    memo: str | None = None,
    group_id: str | None = None,
) -> Segment:
    """Insert a segment inside an open transaction (for services that code in bulk)."""
    check_span(doc, start, end)
    if code.retired:
        raise ValidationError(_("code {code!r} is retired and cannot be applied").format(code=code.key))
    if not code.codable:
        raise ValidationError(
            _("{code!r} is a {level}, not a codable code").format(code=code.key, level=code.level)
        )
    exists = session.exec(
        select(Segment.id).where(
            Segment.document_id == doc.id,
            Segment.coder_id == coder.id,
            Segment.code_id == code.id,
            Segment.start == start,
            Segment.end == end,
        )
    ).first()
    if exists is not None:
        raise ValidationError(
            _("{coder} already coded {doc} [{start}, {end}) with {code}").format(
                coder=coder.name, doc=doc.name, start=start, end=end, code=code.key
            )
        )
    seg = Segment(
        document_id=id_of(doc),
        coder_id=id_of(coder),
        code_id=id_of(code),
        start=start,
        end=end,
        memo=memo or None,
    )
    session.add(seg)
    session.flush()
    _mark_in_progress(session, doc, coder)
    record(
        session,
        actor=coder.name,
        action="segment.add",
        entity="segment",
        entity_id=seg.id,
        after=snapshot(seg),
        group_id=group_id,
    )
    return seg


def locate_span(
    session: Session,
    doc: Document,
    *,
    start: int | None = None,
    end: int | None = None,
    unit: int | None = None,
    quote: str | None = None,
) -> tuple[int, int]:
    """The [start, end) a person means: given offsets, a whole unit (answer) by its number, or the
    one place a quote occurs. An ambiguous or missing quote is refused with the candidates."""
    from qualcode.core.quotes import in_context, nearest, occurrences

    ways = sum(x is not None for x in (unit, quote)) + (start is not None or end is not None)
    if ways != 1:
        raise ValidationError(
            _("say what to code in one way: --start and --end, --unit SEQ, or --quote TEXT")
        )
    if unit is not None:
        row = session.exec(select(Unit).where(Unit.document_id == doc.id, Unit.seq == unit)).first()
        if row is None:
            count = len(session.exec(select(Unit.id).where(Unit.document_id == doc.id)).all())
            raise NotFoundError(
                _("{doc} has no unit {unit} (it has {count} units; `qualcode docs show` lists them)").format(
                    doc=doc.name, unit=unit, count=count
                )
            )
        return row.start, row.end
    if quote is not None:
        found = occurrences(doc.text, quote)
        if len(found) == 1:
            return found[0]
        if found:
            shown = found[:10]
            raise ValidationError(
                _(
                    "the quote occurs {count} times in {doc}; quote more of it, or give --start and --end of one of them (the first {count2} are listed):"
                ).format(count=len(found), doc=doc.name, count2=len(shown)),
                details=[f"  [{s}, {e}) {in_context(doc.text, s, e)}" for s, e in shown],
            )
        near = nearest(doc.text, quote)
        if near is None:
            raise NotFoundError(
                _("the quote does not occur in {doc}, nor anything close to it").format(doc=doc.name)
            )
        s, e = near
        raise NotFoundError(
            _("the quote does not occur in {doc}; the closest passage is:").format(doc=doc.name),
            details=[f"  [{s}, {e}) {in_context(doc.text, s, e)}"],
        )
    if start is None or end is None:
        raise ValidationError(_("give both --start and --end (or --unit SEQ, or --quote TEXT)"))
    return start, end


def add_segment(
    project: Project,
    *,
    coder: str,
    document: str,
    code: str,
    start: int | None = None,
    end: int | None = None,
    memo: str | None = None,
    unit: int | None = None,
    quote: str | None = None,
) -> CodedSegment:
    """Code a span of a document; commits before it returns.

    The span is given by `start`/`end` (code points, end exclusive), by `unit` (a whole speaker
    turn or answer, by its number) or by `quote` (text that must occur exactly once).
    """

    def work(session: Session) -> CodedSegment:
        c, d, k = find_coder(session, coder), find_document(session, document), find_code(session, code)
        s, e = locate_span(session, d, start=start, end=end, unit=unit, quote=quote)
        seg = add_segment_in(session, c, d, k, s, e, memo)
        return segment_dict(seg, d, c, k)

    try:
        return project.transact(work)
    except IntegrityError as exc:
        raise QualcodeError(
            _("the segment was refused by the database: {splitlines}").format(
                splitlines=str(exc.orig).splitlines()[0]
            )
        ) from exc


def _find_segment(
    session: Session,
    coder: Coder,
    *,
    segment_id: int | None = None,
    document: str | None = None,
    code: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Segment:
    if segment_id is not None:
        seg = session.get(Segment, segment_id)
        if seg is None or seg.coder_id != coder.id:
            raise NotFoundError(
                _("{coder} has no segment with id {segment_id}").format(
                    coder=coder.name, segment_id=segment_id
                )
            )
        return seg
    if document is None or code is None or start is None or end is None:
        raise ValidationError(_("name the segment by its id, or by document, code, start and end"))
    doc, k = find_document(session, document), find_code(session, code)
    seg = session.exec(
        select(Segment).where(
            Segment.document_id == doc.id,
            Segment.coder_id == coder.id,
            Segment.code_id == k.id,
            Segment.start == start,
            Segment.end == end,
        )
    ).first()
    if seg is None:
        raise NotFoundError(
            _("{coder} has no {code} segment at [{start}, {end}) in {document!r}").format(
                coder=coder.name, code=code, start=start, end=end, document=document
            )
        )
    return seg


def remove_segment(project: Project, *, coder: str, **where: Any) -> CodedSegment:
    """Remove one of `coder`'s segments (by id, or by document, code, start and end), undoably, and return
    it as it was. Refused when that coder has no such segment."""

    def work(session: Session) -> CodedSegment:
        c = find_coder(session, coder)
        seg = _find_segment(session, c, **where)
        doc, code = session.get(Document, seg.document_id), session.get(Code, seg.code_id)
        assert doc is not None and code is not None
        result = segment_dict(seg, doc, c, code)
        before = snapshot(seg)
        session.delete(seg)
        session.flush()
        record(
            session,
            actor=c.name,
            action="segment.remove",
            entity="segment",
            entity_id=before["id"],
            before=before,
        )
        return result

    return project.transact(work)


def update_segment(
    project: Project,
    *,
    coder: str,
    segment_id: int,
    start: int | None = None,
    end: int | None = None,
    memo: str | None = None,
    clear_memo: bool = False,
) -> UpdatedSegment:
    """Adjust a segment's boundaries and/or memo. When nothing would change, nothing is written
    and no event is logged; the result's `changed` says which happened."""

    def work(session: Session) -> UpdatedSegment:
        c = find_coder(session, coder)
        seg = _find_segment(session, c, segment_id=segment_id)
        doc, code = session.get(Document, seg.document_id), session.get(Code, seg.code_id)
        assert doc is not None and code is not None
        before = snapshot(seg)
        new_start = seg.start if start is None else start
        new_end = seg.end if end is None else end
        check_span(doc, new_start, new_end)
        new_memo = (None if clear_memo else memo) if memo is not None or clear_memo else seg.memo
        if (new_start, new_end, new_memo) == (seg.start, seg.end, seg.memo):
            return {**segment_dict(seg, doc, c, code), "changed": False}
        seg.start, seg.end, seg.memo = new_start, new_end, new_memo
        seg.updated_at = utcnow()
        session.add(seg)
        session.flush()
        record(
            session,
            actor=c.name,
            action="segment.update",
            entity="segment",
            entity_id=seg.id,
            before=before,
            after=snapshot(seg),
        )
        return {**segment_dict(seg, doc, c, code), "changed": True}

    try:
        return project.transact(work)
    except IntegrityError as exc:
        raise QualcodeError(
            _("{coder} already has that code on that exact span").format(coder=coder)
        ) from exc


def iter_segments(
    project: Project,
    *,
    coder: str | None = None,
    document: str | None = None,
    code: str | None = None,
    viewer: str | None = None,
    batch: int | None = None,
) -> Iterator[CodedSegment]:
    """Coded segments with their text, in document order, read in batches of `batch` rows.

    The filters are checked before this returns (an unknown name raises at once, before any
    row is produced). Rows are then streamed: each document's text is read once, when its
    first segment comes, so memory stays bounded by one batch and one document, however many
    segments the project holds.
    """
    with project.read() as session:
        query = (
            sa.select(  # sqlmodel's select is typed for at most four columns
                col(Segment.id),
                col(Segment.document_id),
                col(Document.name),
                col(Coder.name),
                col(Code.key),
                col(Segment.start),
                col(Segment.end),
                col(Segment.memo),
                col(Segment.created_at),
                col(Segment.updated_at),
            )
            .join(Document, col(Segment.document_id) == col(Document.id))
            .join(Coder, col(Segment.coder_id) == col(Coder.id))
            .join(Code, col(Segment.code_id) == col(Code.id))
        )
        if coder is not None:
            query = query.where(col(Segment.coder_id) == find_coder(session, coder).id)
        if document is not None:
            query = query.where(col(Segment.document_id) == find_document(session, document).id)
        if code is not None:
            query = query.where(col(Segment.code_id) == find_code(session, code).id)
        # Asking for one coder's segments without naming a viewer acts as that coder
        # (as `code list --coder` does); blind mode then shows them only their own.
        visible = visible_coder_ids(session, viewer if viewer is not None else coder)
        if visible is not None:
            query = query.where(col(Segment.coder_id).in_(visible))
    query = query.order_by(
        col(Document.name),
        col(Segment.document_id),
        col(Segment.start),
        col(Segment.end),
        col(Coder.name),
        col(Code.key),
    ).execution_options(yield_per=batch or STREAM_BATCH)
    return _stream_segments(project, query)


def _stream_segments(project: Project, query: Any) -> Iterator[CodedSegment]:
    with project.read() as session:
        doc_id, text = None, ""
        for sid, did, doc_name, coder_name, key, start, end, memo, created, updated in session.exec(query):
            if did != doc_id:
                doc_id, text = did, session.exec(select(Document.text).where(Document.id == did)).one()
            yield coded_segment(sid, doc_name, coder_name, key, start, end, text, memo, created, updated)


def list_segments(
    project: Project,
    *,
    coder: str | None = None,
    document: str | None = None,
    code: str | None = None,
    viewer: str | None = None,
) -> list[CodedSegment]:
    """Coded segments with their text (all in memory; `iter_segments` streams them)."""
    return list(iter_segments(project, coder=coder, document=document, code=code, viewer=viewer))


def set_document_status(project: Project, *, coder: str, document: str, status: str) -> DocumentStatusRow:
    """Mark a document todo, in progress or done for `coder`, undoably. Refused for an unknown status, coder
    or document."""
    if status not in STATUSES:
        raise ValidationError(
            _("status must be one of {STATUSES}, not {status!r}").format(
                STATUSES=', '.join(STATUSES), status=status
            )
        )

    def work(session: Session) -> DocumentStatusRow:
        c, d = find_coder(session, coder), find_document(session, document)
        row = session.get(DocumentStatus, (d.id, c.id))
        before = None if row is None else snapshot(row)
        if row is None:
            row = DocumentStatus(document_id=id_of(d), coder_id=id_of(c), status=status)
        row.status, row.updated_at = status, utcnow()
        session.add(row)
        session.flush()
        record(
            session,
            actor=c.name,
            action="document.status",
            entity="document_status",
            entity_id=d.id,
            before=before,
            after=snapshot(row),
        )
        return {"document": d.name, "coder": c.name, "status": status}

    return project.transact(work)


def mark_all_done(
    project: Project, *, coder: str | None = None, include_uncoded: bool = False
) -> list[DoneMarks]:
    """Mark documents done in bulk, for one coder or (coder None) every human coder.

    By default a coder's documents are those the coder has segments in; `include_uncoded` marks
    every document. Projects from other tools (REFI-QDA) carry no done marks, and agreement
    counts a coder only where they marked a document done. Each mark is recorded like a single
    `code done`, and one coder's marks form one undo step for that coder (`code undo`).
    Returns per coder: how many were marked, were already done, and were left (no segments).
    """

    def work(session: Session) -> list[DoneMarks]:
        if coder is not None:
            chosen = [find_coder(session, coder)]
            if is_pseudo_coder(chosen[0].name):
                raise ValidationError(
                    _(
                        "{name} is a pseudo-coder: agreement counts it wherever it has segments, so it has no done marks"
                    ).format(name=chosen[0].name)
                )
        else:
            chosen = [
                c for c in session.exec(select(Coder).order_by(Coder.name)) if not is_pseudo_coder(c.name)
            ]
            if not chosen:
                raise ValidationError(_("the project has no coders to mark documents done for"))
        ids = [c.id for c in chosen]
        # primary keys read back are never NULL; the filter only tells the type checker so
        docs = [d for d in session.exec(select(Document.id).order_by(Document.name)).all() if d is not None]
        coded = set(
            session.exec(
                select(Segment.document_id, Segment.coder_id).where(col(Segment.coder_id).in_(ids)).distinct()
            ).all()
        )
        rows = {
            (r.document_id, r.coder_id): r
            for r in session.exec(select(DocumentStatus).where(col(DocumentStatus.coder_id).in_(ids)))
        }
        out: list[DoneMarks] = []
        for c in chosen:
            group, marked, already, left = new_group_id(), 0, 0, 0
            coder_id = id_of(c)
            for doc_id in docs:
                row = rows.get((doc_id, coder_id))
                if row is not None and row.status == "done":
                    already += 1
                    continue
                if not include_uncoded and (doc_id, coder_id) not in coded:
                    left += 1
                    continue
                before = None if row is None else snapshot(row)
                if row is None:
                    row = DocumentStatus(document_id=doc_id, coder_id=coder_id, status="done")
                row.status, row.updated_at = "done", utcnow()
                session.add(row)
                session.flush()
                record(
                    session,
                    actor=c.name,
                    action="document.status",
                    entity="document_status",
                    entity_id=doc_id,
                    before=before,
                    after=snapshot(row),
                    group_id=group,
                )
                marked += 1
            out.append({"coder": c.name, "marked": marked, "already_done": already, "not_coded": left})
        return out

    return project.transact(work)


def document_statuses(project: Project, coder: str) -> dict[str, str]:
    """Document name -> this coder's status ('not_started' when never touched)."""
    with project.read() as session:
        c = find_coder(session, coder)
        rows = session.exec(
            select(Document.name, DocumentStatus.status).join(
                DocumentStatus,
                (col(DocumentStatus.document_id) == col(Document.id))
                & (col(DocumentStatus.coder_id) == c.id),
                isouter=True,
            )
        ).all()
        return {name: status or "not_started" for name, status in rows}


__all__ = [
    "add_segment",
    "add_segment_in",
    "remove_segment",
    "update_segment",
    "iter_segments",
    "mark_all_done",
    "list_segments",
    "set_document_status",
    "document_statuses",
    "visible_coder_ids",
    "new_group_id",
]
