"""Adjudication and training: consensus coding recorded beside the raw codings, and comparison
of coders with a gold standard.

A decision never changes a coder's own segments. Accepting one coder's segment (or several),
or an edited span, adds segments of the pseudo-coder `consensus` (created on demand); the lead
who decided is the actor of the events, so the log says who decided and the lead can undo it.
Rejecting records the decision without a segment. The TUI adjudication screen calls
`list_disagreements`, `accept`, `accept_edited` and `reject`.
"""

from typing import TypedDict

from sqlmodel import Session, col, select

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.core.participation import PARTICIPATION_RULE, coder_kind, reason_left_out
from qualcode.i18n import _
from qualcode.i18n.messages import Message
from qualcode.services.agreement.data import load_frame, load_units
from qualcode.services.agreement.rows import (
    Decision,
    DisagreementListing,
    DisagreementPlace,
    GoldComparison,
    GoldRow,
    NotCompared,
    RejectedPlace,
)
from qualcode.services.coders import CONSENSUS, ensure_coder, find_coder, is_pseudo_coder
from qualcode.services.coding.rows import CodedSegment
from qualcode.services.coding.segments import check_span, segment_dict
from qualcode.services.events import load_snapshot, new_group_id, record, snapshot
from qualcode.services.lookup import find_code, find_document
from qualcode.services.team.access import require_full_view
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Event, Segment


def _lead(session: Session, name: str) -> Coder:
    coder = find_coder(session, name)
    if coder.role != "lead":
        raise ValidationError(
            _("{name} is not a lead; only a lead can record consensus decisions").format(name=name)
        )
    return coder


def _add_consensus(
    session: Session,
    lead: Coder,
    doc: Document,
    code: Code,
    start: int,
    end: int,
    memo: str | None,
    group_id: str,
    source: list[int],
) -> Segment:
    check_span(doc, start, end)
    if code.retired or not code.codable:
        raise ValidationError(
            _("{code!r} cannot be applied (retired or not a codable code)").format(code=code.key)
        )
    consensus = ensure_coder(session, CONSENSUS, role="lead", actor=lead.name)
    existing = session.exec(
        select(Segment).where(
            Segment.document_id == doc.id,
            Segment.coder_id == consensus.id,
            Segment.code_id == code.id,
            Segment.start == start,
            Segment.end == end,
        )
    ).first()
    if existing is not None:
        raise ValidationError(
            _("the consensus already has {code} at [{start}, {end}) in {doc}").format(
                code=code.key, start=start, end=end, doc=doc.name
            )
        )
    seg = Segment(
        document_id=saved_id(doc.id),
        coder_id=saved_id(consensus.id),
        code_id=saved_id(code.id),
        start=start,
        end=end,
        memo=memo or None,
    )
    session.add(seg)
    session.flush()
    record(
        session,
        actor=lead.name,
        action="segment.add",
        entity="segment",
        entity_id=seg.id,
        after=snapshot(seg),
        group_id=group_id,
    )
    record(
        session,
        actor=lead.name,
        action="adjudication.accept",
        entity="adjudication",
        entity_id=seg.id,
        after={"document": doc.name, "code": code.key, "start": start, "end": end, "source_segments": source},
        group_id=group_id,
    )
    return seg


def accept(project: Project, segment_ids: list[int], decided_by: str) -> list[CodedSegment]:
    """Take one or several coders' segments as they are into the consensus."""
    if not segment_ids:
        raise ValidationError(_("name at least one segment to accept"))

    def _work(session: Session) -> list[CodedSegment]:
        lead = _lead(session, decided_by)
        group = new_group_id()
        out: list[CodedSegment] = []
        for sid in dict.fromkeys(segment_ids):
            src = session.get(Segment, sid)
            if src is None:
                raise NotFoundError(_("no segment with id {sid}").format(sid=sid))
            doc, code, coder = (
                session.get(Document, src.document_id),
                session.get(Code, src.code_id),
                session.get(Coder, src.coder_id),
            )
            assert doc is not None and code is not None and coder is not None
            if coder.name == CONSENSUS:
                raise ValidationError(_("segment {sid} is already a consensus segment").format(sid=sid))
            seg = _add_consensus(session, lead, doc, code, src.start, src.end, src.memo, group, [sid])
            out.append(segment_dict(seg, doc, session.get(Coder, seg.coder_id), code))  # type: ignore[arg-type]
        return out

    return project.transact(_work)


def accept_edited(
    project: Project,
    document: str,
    code: str,
    start: int,
    end: int,
    decided_by: str,
    memo: str | None = None,
    source_segments: list[int] | None = None,
) -> CodedSegment:
    """Record a consensus segment with boundaries the lead set (e.g. the union of two codings)."""

    def _work(session: Session) -> CodedSegment:
        lead = _lead(session, decided_by)
        doc, k = find_document(session, document), find_code(session, code)
        seg = _add_consensus(
            session, lead, doc, k, start, end, memo, new_group_id(), list(source_segments or [])
        )
        return segment_dict(seg, doc, session.get(Coder, seg.coder_id), k)  # type: ignore[arg-type]

    return project.transact(_work)


def reject(
    project: Project,
    document: str,
    code: str,
    start: int,
    end: int,
    decided_by: str,
    reason: str | None = None,
) -> RejectedPlace:
    """Decide that the code does not apply at [start, end): logged, no consensus segment."""

    def _work(session: Session) -> RejectedPlace:
        lead = _lead(session, decided_by)
        doc, k = find_document(session, document), find_code(session, code)
        check_span(doc, start, end)
        decision = {"document": doc.name, "code": k.key, "start": start, "end": end, "reason": reason}
        event = record(
            session, actor=lead.name, action="adjudication.reject", entity="adjudication", after=decision
        )
        return {
            "document": doc.name,
            "code": k.key,
            "start": start,
            "end": end,
            "reason": reason,
            "decided_by": lead.name,
            "event_id": event.id,
        }

    return project.transact(_work)


class _DecisionHead(TypedDict):
    at: str
    decided_by: str | None
    decision: str
    consensus_segment: int | None
    code: str
    document: str
    end: int


def decisions(project: Project, document: str | None = None, viewer: str | None = None) -> list[Decision]:
    """Every adjudication decision, oldest first: when, who decided, what (accept or reject), where.

    Decisions name other coders' segments, so in blind mode only a lead may read them.
    """
    with project.read() as session:
        require_full_view(session, viewer, "the adjudication log")
        if document is not None:
            find_document(session, document)
        events = session.exec(
            select(Event)
            .where(col(Event.action).in_(["adjudication.accept", "adjudication.reject"]))
            .order_by(col(Event.id))
        ).all()
        out: list[Decision] = []
        for e in events:
            data = load_snapshot(e.after) or {}
            if document is not None and data.get("document") != document:
                continue
            head: _DecisionHead = {
                "at": e.at.isoformat(),
                "decided_by": e.actor,
                "decision": e.action.split(".")[1],
                "consensus_segment": e.entity_id,
                "code": data["code"],
                "document": data["document"],
                "end": data["end"],
            }
            # in the order the event stored its keys (sorted): reason or source_segments, then start
            if "reason" in data:
                out.append({**head, "reason": data["reason"], "start": data["start"]})
            elif "source_segments" in data:
                out.append({**head, "source_segments": data["source_segments"], "start": data["start"]})
            else:
                out.append({**head, "start": data["start"]})
        return out


def _rejections(session: Session, doc_name: str) -> set[tuple[str, int, int]]:
    out = set()
    for after in session.exec(select(Event.after).where(Event.action == "adjudication.reject")).all():
        data = load_snapshot(after) or {}
        if data.get("document") == doc_name:
            out.add((data["code"], data["start"], data["end"]))
    return out


def list_disagreements(
    project: Project,
    document: str,
    code: str | None = None,
    coders: list[str] | None = None,
    *,
    viewer: str | None = None,
) -> list[DisagreementPlace]:
    """Places in a document where the compared coders' segments of a code differ.

    The places of `disagreement_listing`, which also says who was compared and why.
    """
    return disagreement_listing(project, document, code, coders, viewer=viewer)["places"]


def _participants(
    session: Session, doc: Document, coders: list[str] | None
) -> tuple[dict[int, str], list[NotCompared]]:
    """Coders compared in `doc` under the participation rule, and the others with the reason."""
    candidates = (
        [find_coder(session, n) for n in dict.fromkeys(coders)]
        if coders
        else list(session.exec(select(Coder).order_by(Coder.name)).all())
    )
    done = set(
        session.exec(
            select(DocumentStatus.coder_id).where(
                DocumentStatus.document_id == doc.id, DocumentStatus.status == "done"
            )
        ).all()
    )
    coded = set(session.exec(select(Segment.coder_id).where(Segment.document_id == doc.id).distinct()).all())
    people: dict[int, str] = {}
    left_out: list[NotCompared] = []
    for c in candidates:
        kind = coder_kind(c.role, is_pseudo_coder(c.name))
        why = reason_left_out(kind, bool(coders), c.id in done, c.id in coded)
        if why is None:
            people[c.id] = c.name  # type: ignore[index]
        elif coders or kind != "pseudo" or c.id in coded:
            left_out.append({"coder": c.name, "reason": why})
    return people, left_out


def disagreement_listing(
    project: Project,
    document: str,
    code: str | None = None,
    coders: list[str] | None = None,
    *,
    viewer: str | None = None,
) -> DisagreementListing:
    """Places in a document where the coders' segments of a code differ, and who was compared.

    Who is compared follows the participation rule (`core.participation`), the same as `agree`:
    `coders` names them explicitly. Overlapping segments of one code (across compared coders)
    form one place; a place is a disagreement unless every compared coder has exactly the same
    span there. Each place lists the segments (id, coder, span, text), the compared coders with
    nothing there, the consensus segments already overlapping it and whether it was rejected.
    Returns {document, participation_rule, coders, not_compared, notes, places}.
    In blind mode only a lead (`viewer`) may see it.
    """
    with project.read() as session:
        require_full_view(session, viewer, "the disagreement list")
        doc = find_document(session, document)
        wanted_code = find_code(session, code) if code else None
        people, left_out = _participants(session, doc, coders)
        listing: DisagreementListing = {
            "document": doc.name,
            "participation_rule": PARTICIPATION_RULE,
            "coders": sorted(people.values()),
            "not_compared": left_out,
            "notes": [],
            "places": [],
        }
        if len(people) < 2:
            listing["notes"].append(Message("fewer_than_two_take_part", document=doc.name))
            return listing
        query = (
            select(Segment, Code)
            .join(Code, col(Segment.code_id) == col(Code.id))
            .where(Segment.document_id == doc.id)
        )
        if wanted_code is not None:
            query = query.where(Segment.code_id == wanted_code.id)
        rows = session.exec(query.order_by(col(Code.key), col(Segment.start), col(Segment.end))).all()
        consensus = session.exec(select(Coder.id).where(Coder.name == CONSENSUS)).first()
        rejected = _rejections(session, doc.name)
        by_code: dict[str, list[Segment]] = {}
        agreed: dict[str, list[Segment]] = {}
        for seg, k in rows:
            if seg.coder_id in people:
                by_code.setdefault(k.key, []).append(seg)
            elif seg.coder_id == consensus:
                agreed.setdefault(k.key, []).append(seg)
        out: list[DisagreementPlace] = []
        for key, segs in by_code.items():
            for place in _places(segs):
                start, end = min(s.start for s in place), max(s.end for s in place)
                spans = {(s.coder_id, s.start, s.end) for s in place}
                coders_there = {s.coder_id for s in place}
                same = len({(s.start, s.end) for s in place}) == 1 and coders_there == set(people)
                if same and len(spans) == len(people):
                    continue
                out.append(
                    {
                        "document": doc.name,
                        "code": key,
                        "start": start,
                        "end": end,
                        "segments": [
                            {
                                "id": saved_id(s.id),
                                "coder": people[s.coder_id],
                                "start": s.start,
                                "end": s.end,
                                "text": doc.text[s.start : s.end],
                            }
                            for s in place
                        ],
                        "coders_without": [n for cid, n in people.items() if cid not in coders_there],
                        "consensus": [
                            {"id": saved_id(s.id), "start": s.start, "end": s.end}
                            for s in agreed.get(key, [])
                            if s.start < end and s.end > start
                        ],
                        "rejected": (key, start, end) in rejected,
                    }
                )
        listing["places"] = out
        return listing


def _places(segs: list[Segment]) -> list[list[Segment]]:
    """Connected groups of overlapping segments (sorted by start)."""
    groups: list[list[Segment]] = []
    reach = -1
    for s in sorted(segs, key=lambda s: (s.start, s.end)):
        if groups and s.start < reach:
            groups[-1].append(s)
            reach = max(reach, s.end)
        else:
            groups.append([s])
            reach = s.end
    return groups


def gold_comparison(
    project: Project,
    *,
    gold: str,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    unit: str | None = None,
    viewer: str | None = None,
) -> GoldComparison:
    """Per code and coder: precision, recall and F1 of the coder's presence/absence per unit
    against the gold coder, over units both may be compared on (both done, or for a
    pseudo-coder such as `consensus`, documents where it has segments)."""
    if unit is None:
        from qualcode.services.settings import get_setting

        unit = str(get_setting(project, "unit") or "answer")
    if unit not in ("answer", "sentence"):
        raise ValidationError(_("the gold comparison works on answer or sentence units"))
    with project.read() as session:
        require_full_view(session, viewer, "the gold-standard comparison")
        find_coder(session, gold)
        others = coders or [
            n
            for n in session.exec(select(Coder.name).order_by(Coder.name)).all()
            if n != gold and not is_pseudo_coder(n)
        ]
        others = [c for c in others if c != gold]
        if not others:
            raise ValidationError(_("no coder to compare with the gold standard"))
        frame = load_frame(session, coders=[gold, *others], codes=codes, viewer=viewer)
        units = load_units(session, frame, unit)
    from qualcode.services.agreement.data import done_per_unit, presence

    p = presence(frame, units)
    done = done_per_unit(frame, units)
    rows: list[GoldRow] = []
    for i, coder in enumerate(frame.coders[1:], start=1):
        both = done[0] & done[i]
        for k, info in enumerate(frame.codes):
            g, c = p[k, 0] & both, p[k, i] & both
            rows.append(_prf(info.key, coder, int((g & c).sum()), int((c & ~g).sum()), int((g & ~c).sum())))
        total = [r for r in rows if r["coder"] == coder]
        rows.append(
            _prf(
                "(all codes)",
                coder,
                sum(r["tp"] for r in total),
                sum(r["fp"] for r in total),
                sum(r["fn"] for r in total),
            )
        )
    return {
        "gold": gold,
        "unit_type": unit,
        "coders": frame.coders[1:],
        "n_units": len(units),
        "n_compared_units": {
            c: int((done[0] & done[i]).sum()) for i, c in enumerate(frame.coders[1:], start=1)
        },
        "rows": rows,
    }


def _prf(code: str, coder: str, tp: int, fp: int, fn: int) -> GoldRow:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall > 0
        else (0.0 if tp + fp and tp + fn else None)
    )
    return {
        "code": code,
        "coder": coder,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


__all__ = [
    "accept",
    "accept_edited",
    "reject",
    "list_disagreements",
    "disagreement_listing",
    "decisions",
    "gold_comparison",
]
