"""Reads shaped for the coding workbench: one call per pane, fast enough to repeat after every action.

Visibility follows `coding.visible_coder_ids`: in blind mode a coder only ever receives their
own segments and segment counts from these functions.
"""

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from qualcode.core.attributes import attribute_value
from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.services.attributes import all_attributes, attribute_settings, role_reading, value_aliases
from qualcode.services.codebook.rows import CodeListing
from qualcode.services.coders import find_coder
from qualcode.services.coding.rows import (
    CodedSegment,
    DocumentOverview,
    DocumentSegment,
    InVivoCoded,
    MemoRow,
    OpenedDocument,
)
from qualcode.services.coding.segments import visible_coder_ids
from qualcode.services.lookup import find_document
from qualcode.services.settings import read_setting, write_setting
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import (
    Case,
    CaseMember,
    Code,
    Coder,
    Document,
    DocumentStatus,
    Question,
    Segment,
    Unit,
)

PIN_SLOTS = 9


def documents_overview(project: Project, coder: str) -> list[DocumentOverview]:
    """Every current document with case, role, city, language, and this coder's status and count."""
    with project.read() as session:
        me = find_coder(session, coder)
        docs = session.exec(
            select(col(Document.id), Document.name, Document.language, Document.length).order_by(
                Document.name
            )
        ).all()
        attrs = all_attributes(session)
        settings = attribute_settings(session)
        aliases = value_aliases(settings)
        roles = {d: role_reading(a, settings) for d, a in attrs.items()}
        cases: dict[int, list[str]] = {}
        for doc_id, name in session.exec(
            select(CaseMember.document_id, Case.name).join(Case, col(Case.id) == col(CaseMember.case_id))
        ):
            cases.setdefault(doc_id, []).append(name)
        statuses = dict(
            session.exec(
                select(DocumentStatus.document_id, DocumentStatus.status).where(
                    DocumentStatus.coder_id == me.id
                )
            ).all()
        )
        counts = dict(
            session.exec(
                select(col(Segment.document_id), func.count())
                .where(col(Segment.coder_id) == me.id)
                .group_by(col(Segment.document_id))
            ).all()
        )
        return [
            {
                "name": name,
                "language": language,
                "length": length,
                "case": ", ".join(sorted(cases.get(doc_id, []))) or None,
                "role": reading.role if (reading := roles.get(doc_id)) else None,
                "city": attribute_value(attrs.get(doc_id, {}), "City", aliases),
                "status": statuses.get(doc_id, "not_started"),
                "segments": counts.get(doc_id, 0),
            }
            for doc_id, name, language, length in docs
            if doc_id is not None  # never NULL; tells the type checker so
        ]


def open_document(project: Project, name: str) -> OpenedDocument:
    """Text, attributes and units (turns with speaker and guide question) of one document."""
    with project.read() as session:
        doc = find_document(session, name)
        # Columns, not ORM objects: a long transcript has thousands of turns, and ORM attribute
        # access cost ~0.1 s of the workbench's first frame.
        units = session.execute(
            sa.select(  # sqlmodel's select is typed for at most four columns
                col(Unit.seq),
                col(Unit.start),
                col(Unit.end),
                col(Unit.kind),
                col(Unit.speaker),
                col(Unit.speaker_role),
                col(Unit.question_key),
            )
            .where(col(Unit.document_id) == doc.id)
            .order_by(col(Unit.seq))
        ).all()
        questions = {q.key: q.text_zh or q.text_en for q in session.exec(select(Question))}
        return {
            "name": doc.name,
            "text": doc.text,
            "language": doc.language,
            "attributes": all_attributes(session).get(doc.id or 0, {}),
            "units": [
                {
                    "seq": seq,
                    "start": start,
                    "end": end,
                    "kind": kind,
                    "speaker": speaker,
                    "speaker_role": role,
                    "question_key": question,
                    "question": questions.get(question or ""),
                }
                for seq, start, end, kind, speaker, role, question in units
            ],
        }


def document_segments(
    project: Project, name: str, *, viewer: str, coders: list[str] | None = None
) -> list[DocumentSegment]:
    """Segments of one document that `viewer` may see, with code colour and names.

    `coders` narrows to those coders (the lead's compare view); blind mode still applies.
    """
    with project.read() as session:
        doc = find_document(session, name)
        query = (
            sa.select(  # sqlmodel's select is typed for at most four columns
                col(Segment.id),
                col(Segment.start),
                col(Segment.end),
                col(Segment.memo),
                col(Coder.name),
                col(Code.key),
                col(Code.name_en),
                col(Code.name_zh),
                col(Code.color),
            )
            .join(Coder, col(Coder.id) == col(Segment.coder_id))
            .join(Code, col(Code.id) == col(Segment.code_id))
            .where(col(Segment.document_id) == doc.id)
        )
        visible = visible_coder_ids(session, viewer)
        if visible is not None:
            query = query.where(col(Segment.coder_id).in_(visible))
        if coders:
            query = query.where(col(Coder.name).in_(coders))
        # Core execution: the ORM's per-row processing tripled the cost for thousands of segments.
        rows = (
            session.connection()
            .execute(query.order_by(col(Segment.start), col(Segment.end), col(Code.key)))
            .all()
        )
        return [
            _document_segment(saved_id(sid), s, e, memo, who, key, en, zh, color)
            for sid, s, e, memo, who, key, en, zh, color in rows
        ]


def _document_segment(
    segment_id: int,
    start: int,
    end: int,
    memo: str | None,
    coder: str,
    code: str,
    name_en: str,
    name_zh: str,
    color: str | None,
) -> DocumentSegment:
    return {
        "id": segment_id,
        "start": start,
        "end": end,
        "memo": memo,
        "coder": coder,
        "code": code,
        "name_en": name_en,
        "name_zh": name_zh,
        "color": color,
    }


def document_segment(segment: CodedSegment, code: CodeListing) -> DocumentSegment:
    """The row `document_segments` would give for a segment just added: the workbench paints it
    from what `add_segment` returned and its code's row, without reading the document again."""
    return _document_segment(
        segment["id"],
        segment["start"],
        segment["end"],
        segment["memo"],
        segment["coder"],
        segment["code"],
        code["name_en"],
        code["name_zh"],
        code["color"],
    )


def invivo_code(
    project: Project, *, coder: str, document: str, start: int, end: int, parent: str, name: str
) -> InVivoCoded:
    """Create a code named after the selected words under `parent`, then apply it to [start, end).

    The key is `<parent>.IV<n>` with the next free n; the name goes to the Chinese or English
    name depending on the script. Two commits: undo removes the segment, the code stays.
    """
    from qualcode.services.codebook.curation import create_code
    from qualcode.services.coding.segments import add_segment

    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("an in-vivo code needs a name"))
    with project.read() as session:
        parent_row = session.exec(select(Code).where(Code.key == parent)).first()
        if parent_row is None or parent_row.level == "code":
            raise ValidationError(
                _("{parent!r} is not a dimension or category of the codebook").format(parent=parent)
            )
        taken = set(session.exec(select(Code.key).where(col(Code.key).startswith(f"{parent}.IV"))).all())
        find_coder(session, coder)
        find_document(session, document)
    n = 1
    while f"{parent}.IV{n}" in taken:
        n += 1
    key = f"{parent}.IV{n}"
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in name)
    create_code(project, key, parent, "" if chinese else name, name if chinese else "", actor=coder)
    segment = add_segment(project, coder=coder, document=document, code=key, start=start, end=end)
    return {"code": key, "segment": segment}


def visible_coders(project: Project, viewer: str) -> list[str]:
    """Coders whose work `viewer` may see (only themselves in blind mode)."""
    with project.read() as session:
        visible = visible_coder_ids(session, viewer)
        query = select(Coder.name).order_by(Coder.name)
        if visible is not None:
            query = query.where(col(Coder.id).in_(visible))
        return list(session.exec(query).all())


def _pin_key(coder: str) -> str:
    return f"pins:{coder}"


def pinned_codes(project: Project, coder: str) -> list[str | None]:
    """The coder's hotkey slots 1-9 (code keys or None); the first codable codes by default."""
    with project.read() as session:
        stored = read_setting(session, _pin_key(coder))
        if stored is None:
            keys = session.exec(
                select(col(Code.key))
                .where(col(Code.codable) == True, col(Code.retired) == False)  # noqa: E712
                .order_by(col(Code.sort_order), col(Code.key))
                .limit(PIN_SLOTS)
            ).all()
            stored = list(keys)
    slots = list(stored)[:PIN_SLOTS]
    return slots + [None] * (PIN_SLOTS - len(slots))


def pin_code(project: Project, coder: str, slot: int, code: str) -> list[str | None]:
    """Put a code on hotkey `slot` (1-9) for this coder."""
    if not 1 <= slot <= PIN_SLOTS:
        raise ValidationError(
            _("hotkey slots are 1 to {PIN_SLOTS}, not {slot}").format(PIN_SLOTS=PIN_SLOTS, slot=slot)
        )
    slots = pinned_codes(project, coder)

    def _work(session: Session) -> list[str | None]:
        find_coder(session, coder)
        code_row = session.exec(select(Code).where(Code.key == code)).first()
        if code_row is None or not code_row.codable or code_row.retired:
            raise ValidationError(_("{code!r} is not a codable code").format(code=code))
        slots[slot - 1] = code
        write_setting(session, _pin_key(coder), slots)
        return slots

    return project.transact(_work)


def visible_memos(
    project: Project, viewer: str, *, search: str | None = None, regex: bool = False
) -> list[MemoRow]:
    """Every memo `viewer` may see (`memos.list_memos`, whose blind-mode rule is the only one)."""
    from qualcode.services.coding.memos import list_memos

    return list_memos(project, search=search, regex=regex, viewer=viewer)
