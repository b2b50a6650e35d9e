"""The suggestion layer: machine-proposed segments owned by pseudo-coders, reviewed by people.

A suggestion is a segment of `model:<id>` or `ai:<source>` plus a `suggestions` row with its
probability, provenance and review status. People never find suggestions among their own rows:
accepting one writes the person's own segment (and links it), rejecting only marks it. Both are
logged as that person's events and can be undone. Who saw suggestions in which documents is
logged too, so a report can say which coding was assisted.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.i18n import _
from qualcode.services.agreement.assisted import SHOWN_ACTION
from qualcode.services.coders import ensure_coder, find_coder, is_pseudo_coder
from qualcode.services.coding.segments import add_segment_in
from qualcode.services.events import new_group_id, record, snapshot
from qualcode.services.lookup import find_document
from qualcode.services.settings import read_setting, write_setting
from qualcode.services.suggest.rows import (
    AssistedSetting,
    ProposalCounts,
    SuggestionAccepted,
    SuggestionRejected,
    SuggestionRow,
)
from qualcode.services.team.access import BlindModeError, is_blind, require_lead
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, Coder, Document, Event, Segment, Suggestion, utcnow

ASSISTED_KEY = "assisted_coding"


@dataclass(frozen=True)
class Proposal:
    """One proposed segment before it is written."""

    document_id: int
    code_id: int
    start: int
    end: int
    probability: float | None
    provenance: dict[str, Any]


# ---------------------------------------------------------------- who may see suggestions


def suggestions_allowed(session: Session, viewer: str) -> bool:
    """The one rule for showing suggestions to a person: always outside blind mode; in blind mode
    to a lead, and to coders only while a lead has turned assisted coding on (suggestions are
    trained on other coders' judgements and would leak them)."""
    coder = find_coder(session, viewer)
    if is_pseudo_coder(coder.name):
        raise ValidationError(
            _("{viewer!r} is a pseudo-coder, not a person who reviews suggestions").format(viewer=viewer)
        )
    if not is_blind(session) or coder.role == "lead":
        return True
    return bool(read_setting(session, ASSISTED_KEY))


def _require_allowed(session: Session, viewer: str) -> Coder:
    if not suggestions_allowed(session, viewer):
        raise BlindModeError(
            _(
                "blind mode is on and assisted coding is off: suggestions stay hidden until a lead runs `qualcode suggest assist on PROJECT --as LEAD`"
            )
        )
    return find_coder(session, viewer)


def set_assisted(project: Project, on: bool, *, actor: str) -> AssistedSetting:
    """A lead turns assisted coding (suggestions visible to coders in blind mode) on or off."""

    def work(session: Session) -> AssistedSetting:
        require_lead(session, actor)
        before = bool(read_setting(session, ASSISTED_KEY))
        write_setting(session, ASSISTED_KEY, on)
        record(
            session,
            actor=actor,
            action="setting.set",
            entity="setting",
            before={ASSISTED_KEY: before},
            after={ASSISTED_KEY: on},
        )
        return {"assisted_coding": on, "blind": is_blind(session)}

    return project.transact(work)


def note_shown(project: Project, viewer: str, document: str) -> None:
    """Log that `viewer` had suggestions visible in `document` (once per person and document)."""

    def work(session: Session) -> None:
        coder = _require_allowed(session, viewer)
        doc = find_document(session, document)
        seen = session.exec(
            select(Event.id).where(
                Event.action == SHOWN_ACTION, Event.actor == coder.name, Event.entity_id == doc.id
            )
        ).first()
        if seen is None:
            record(
                session,
                actor=coder.name,
                action=SHOWN_ACTION,
                entity="document",
                entity_id=doc.id,
                after={"document": doc.name},
            )

    project.transact(work)


# ---------------------------------------------------------------- writing proposals


def write_proposals(
    session: Session,
    owner: str,
    proposals: Iterable[Proposal],
    *,
    replace_open_in: set[int] | None = None,
    actor: str | None = None,
) -> ProposalCounts:
    """Write proposals as segments of pseudo-coder `owner` with their suggestion rows, inside an
    open transaction. Open (unreviewed) suggestions of `owner` in `replace_open_in` documents are
    replaced; reviewed ones stay, and a proposal identical to an existing segment is skipped."""
    if not is_pseudo_coder(owner):
        raise ValidationError(
            _("suggestions belong to a pseudo-coder (model:..., ai:...), not {owner!r}").format(owner=owner)
        )
    coder = ensure_coder(session, owner, actor=actor)
    removed = 0
    if replace_open_in:
        stale = session.exec(
            select(Suggestion.id, Suggestion.segment_id).where(
                Suggestion.status == "open",
                Suggestion.segment_id == Segment.id,
                Segment.coder_id == coder.id,
                col(Segment.document_id).in_(sorted(replace_open_in)),
            )
        ).all()
        if stale:
            sug_ids, seg_ids = [s[0] for s in stale], [s[1] for s in stale]
            for chunk in range(0, len(sug_ids), 500):
                session.execute(
                    delete(Suggestion).where(col(Suggestion.id).in_(sug_ids[chunk : chunk + 500]))
                )
                session.execute(delete(Segment).where(col(Segment.id).in_(seg_ids[chunk : chunk + 500])))
            removed = len(stale)
    existing = set(
        session.exec(
            select(Segment.document_id, Segment.code_id, Segment.start, Segment.end).where(
                Segment.coder_id == coder.id
            )
        ).all()
    )
    fresh: dict[tuple[int, int, int, int], Proposal] = {}
    kept = 0
    for p in proposals:
        key = (p.document_id, p.code_id, p.start, p.end)
        if key in existing:
            kept += 1  # already proposed and reviewed: the person's decision stands
        elif key not in fresh:
            fresh[key] = p
    if fresh:
        now = utcnow()
        session.execute(
            insert(Segment),
            [
                {
                    "document_id": d,
                    "coder_id": coder.id,
                    "code_id": c,
                    "start": s,
                    "end": e,
                    "created_at": now,
                    "updated_at": now,
                }
                for d, c, s, e in fresh
            ],
        )
        ids = {
            (d, c, s, e): i
            for i, d, c, s, e in session.execute(
                sa.select(
                    col(Segment.id),
                    col(Segment.document_id),
                    col(Segment.code_id),
                    col(Segment.start),
                    col(Segment.end),
                ).where(col(Segment.coder_id) == coder.id)
            ).all()
        }
        session.execute(
            insert(Suggestion),
            [
                {
                    "segment_id": ids[key],
                    "probability": p.probability,
                    "provenance": json.dumps(p.provenance, ensure_ascii=False, sort_keys=True),
                    "status": "open",
                }
                for key, p in fresh.items()
            ],
        )
    record(
        session,
        actor=actor,
        action="suggest.apply",
        entity="coder",
        entity_id=coder.id,
        after={"owner": owner, "written": len(fresh), "replaced": removed},
    )
    return {"written": len(fresh), "replaced": removed, "already_reviewed": kept}


# ---------------------------------------------------------------- reading and reviewing


def _row(sug: Suggestion, seg: Segment, code: Code, doc: Document, owner: str) -> SuggestionRow:
    return {
        "id": saved_id(sug.id),
        "document": doc.name,
        "code": code.key,
        "start": seg.start,
        "end": seg.end,
        "text": doc.text[seg.start : seg.end],
        "probability": sug.probability,
        "owner": owner,
        "status": sug.status,
        "reviewer": sug.reviewer,
        "provenance": json.loads(sug.provenance),
    }


def list_suggestions(
    project: Project, *, viewer: str, document: str | None = None, status: str | None = "open"
) -> list[SuggestionRow]:
    """Suggestions `viewer` may see, in text order; open ones unless `status` says otherwise."""
    with project.read() as session:
        _require_allowed(session, viewer)
        # Five entities: past sqlmodel.select's typed overloads, so SQLAlchemy's select and execute.
        query = sa.select(Suggestion, Segment, Code, Document, Coder).where(
            col(Suggestion.segment_id) == col(Segment.id),
            col(Segment.code_id) == col(Code.id),
            col(Segment.document_id) == col(Document.id),
            col(Segment.coder_id) == col(Coder.id),
        )
        if document is not None:
            query = query.where(col(Segment.document_id) == find_document(session, document).id)
        if status is not None:
            query = query.where(col(Suggestion.status) == status)
        rows = session.execute(
            query.order_by(col(Document.name), col(Segment.start), col(Segment.end), col(Code.key))
        ).all()
        return [_row(sug, seg, code, doc, coder.name) for sug, seg, code, doc, coder in rows]


def _open_suggestion(session: Session, suggestion_id: int) -> tuple[Suggestion, Segment]:
    sug = session.get(Suggestion, suggestion_id)
    if sug is None:
        raise NotFoundError(_("no suggestion with id {suggestion_id}").format(suggestion_id=suggestion_id))
    if sug.status != "open":
        raise ValidationError(
            _("suggestion {suggestion_id} was already {status} by {reviewer}").format(
                suggestion_id=suggestion_id, status=sug.status, reviewer=sug.reviewer
            )
        )
    seg = session.get(Segment, sug.segment_id)
    assert seg is not None
    return sug, seg


def _decide(
    session: Session, sug: Suggestion, coder: Coder, status: str, group: str, accepted: int | None
) -> None:
    before = snapshot(sug)
    sug.status, sug.reviewer, sug.decided_at, sug.accepted_segment_id = status, coder.name, utcnow(), accepted
    session.add(sug)
    session.flush()
    record(
        session,
        actor=coder.name,
        action=f"suggestion.{'accept' if status == 'accepted' else 'reject'}",
        entity="suggestion",
        entity_id=sug.id,
        before=before,
        after=snapshot(sug),
        group_id=group,
    )


def accept(project: Project, suggestion_id: int, *, coder: str) -> SuggestionAccepted:
    """Turn a suggestion into `coder`'s own segment, recording which suggestion it came from."""

    def work(session: Session) -> SuggestionAccepted:
        person = _require_allowed(session, coder)
        sug, seg = _open_suggestion(session, suggestion_id)
        doc, code = session.get(Document, seg.document_id), session.get(Code, seg.code_id)
        assert doc is not None and code is not None
        group = new_group_id()
        mine = add_segment_in(session, person, doc, code, seg.start, seg.end, group_id=group)
        _decide(session, sug, person, "accepted", group, mine.id)
        return {
            "suggestion": saved_id(sug.id),
            "segment": saved_id(mine.id),
            "code": code.key,
            "document": doc.name,
        }

    return project.transact(work)


def reject(project: Project, suggestion_id: int, *, coder: str) -> SuggestionRejected:
    """Mark a suggestion rejected by `coder` (logged, undoable); nobody's coding changes."""

    def work(session: Session) -> SuggestionRejected:
        person = _require_allowed(session, coder)
        sug, _unused = _open_suggestion(session, suggestion_id)
        _decide(session, sug, person, "rejected", new_group_id(), None)
        return {"suggestion": saved_id(sug.id), "status": "rejected"}

    return project.transact(work)


def review_counts(session: Session, owner: str) -> dict[str, dict[str, int]]:
    """Per code key: suggestions of `owner` accepted, rejected and still open."""
    out: dict[str, dict[str, int]] = {}
    for key, status in session.exec(
        select(Code.key, Suggestion.status).where(
            Suggestion.segment_id == Segment.id,
            Segment.code_id == Code.id,
            Segment.coder_id == Coder.id,
            Coder.name == owner,
        )
    ).all():
        counts = out.setdefault(key, {"accepted": 0, "rejected": 0, "open": 0})
        counts[status] += 1
    return out
