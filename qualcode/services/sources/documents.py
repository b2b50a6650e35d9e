"""Reading documents back: listings and one document with its units."""

from collections import Counter

from sqlalchemy import func, select
from sqlmodel import col

from qualcode.core.attributes import RoleReading
from qualcode.core.errors import NotFoundError
from qualcode.i18n import _
from qualcode.services.attributes import all_attributes, attribute_settings, role_reading
from qualcode.services.sources.rows import DocumentListing, DocumentShown, RoleFields
from qualcode.store.db import Project
from qualcode.store.models import Case, CaseMember, Document, DocumentAttribute, Unit


def list_documents(project: Project) -> list[DocumentListing]:
    """One summary per document, by name."""
    with project.read() as session:
        documents = session.execute(
            select(
                col(Document.id),
                col(Document.name),
                col(Document.sha256),
                col(Document.encoding),
                col(Document.language),
                col(Document.length),
                col(Document.version_of),
                col(Document.source_filename),
            ).order_by(col(Document.name))
        ).all()
        attributes = all_attributes(session)
        counts: dict[int, Counter[str]] = {}
        for document_id, role, count in session.execute(
            select(col(Unit.document_id), col(Unit.speaker_role), func.count()).group_by(
                col(Unit.document_id), col(Unit.speaker_role)
            )
        ):
            counts.setdefault(document_id, Counter())[role or "none"] = count
        cases: dict[int, list[str]] = {}
        for document_id, name in session.execute(
            select(col(CaseMember.document_id), col(Case.name))
            .join(Case, col(Case.id) == col(CaseMember.case_id))
            .order_by(col(Case.name))
        ):
            cases.setdefault(document_id, []).append(name)
        settings = attribute_settings(session)
    roles = {d: role_reading(a, settings) for d, a in attributes.items()}
    names = {row.id: row.name for row in documents}
    return [
        {
            "name": row.name,
            "sha256": row.sha256,
            "encoding": row.encoding,
            "language": row.language,
            "length": row.length,
            "attributes": attributes.get(row.id, {}),
            "units": dict(sorted(counts.get(row.id, Counter()).items())),
            "case": ", ".join(cases.get(row.id, [])) or None,
            **_role_fields(roles.get(row.id)),
            "version_of": names.get(row.version_of) if row.version_of else None,
            "source_filename": row.source_filename,
        }
        for row in documents
    ]


def _role_fields(reading: RoleReading | None) -> RoleFields:
    """The role as the typology reads it, the title beside it, and whether the vocabulary knew it."""
    if reading is None:
        return {"role": None, "role_title": None, "role_value": None, "role_mapped": None}
    return {
        "role": reading.role,
        "role_title": reading.title,
        "role_value": reading.raw,
        "role_mapped": reading.mapped,
    }


def show_document(project: Project, name: str) -> DocumentShown:
    """The stored text, attributes and units of one document."""
    with project.read() as session:
        document = session.execute(select(Document).where(col(Document.name) == name)).scalars().first()
        if document is None:
            raise NotFoundError(_("no document named {name!r} (see `qualcode docs list`)").format(name=name))
        attributes = {
            key: value
            for key, value in session.execute(
                select(col(DocumentAttribute.key), col(DocumentAttribute.value))
                .where(col(DocumentAttribute.document_id) == document.id)
                .order_by(col(DocumentAttribute.id))
            )
        }
        units = (
            session.execute(select(Unit).where(col(Unit.document_id) == document.id).order_by(col(Unit.seq)))
            .scalars()
            .all()
        )
        return {
            "name": document.name,
            "text": document.text,
            "encoding": document.encoding,
            "language": document.language,
            "sha256": document.sha256,
            "attributes": attributes,
            "units": [
                {
                    "seq": u.seq,
                    "start": u.start,
                    "end": u.end,
                    "kind": u.kind,
                    "speaker": u.speaker,
                    "speaker_role": u.speaker_role,
                    "question_key": u.question_key,
                    "question_confidence": u.question_confidence,
                    "question_source": u.question_source,
                    "t_start": u.t_start,
                    "t_end": u.t_end,
                }
                for u in units
            ],
        }
