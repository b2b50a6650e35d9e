"""Who coded with machine suggestions visible, and where: what an agreement report must state.

Read here, beside the agreement report that states it, from the events the suggestion layer
(services/suggest) writes; kept out of that layer so the report need not import the machine coder.
"""

from sqlmodel import Session, col, select

from qualcode.store.models import Document, Event, Segment, Suggestion

SHOWN_ACTION = "suggest.shown"  # event: suggestions were shown to a person in a document


def assisted_exposure(session: Session) -> dict[str, list[str]]:
    """Which people coded with suggestions visible, in which documents (shown, accepted or rejected)."""
    names = dict(session.exec(select(Document.id, Document.name)).all())
    out: dict[str, set[str]] = {}
    for actor, doc_id in session.exec(
        select(Event.actor, Event.entity_id).where(Event.action == SHOWN_ACTION)
    ).all():
        if actor and doc_id in names:
            out.setdefault(actor, set()).add(names[doc_id])
    for reviewer, doc_id in session.exec(
        select(Suggestion.reviewer, Segment.document_id).where(
            Suggestion.segment_id == Segment.id, col(Suggestion.reviewer).is_not(None)
        )
    ).all():
        if reviewer is not None:
            out.setdefault(reviewer, set()).add(names[doc_id])
    return {k: sorted(v) for k, v in sorted(out.items())}
