"""Creating, opening and describing projects."""

from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import func
from sqlmodel import col, select

from qualcode import __version__
from qualcode.i18n import _
from qualcode.store.db import Project, init_project, open_project, schema_version
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Event, Segment, Unit


def create_project(
    target: str, *, db_url: str | None = None, codebook: Path | None = None, name: str | None = None
) -> Project:
    """Create a project, optionally loading a codebook file in the same step.

    The codebook is read and validated first, so a bad file creates nothing; should the load
    itself fail, the just-created project is left empty but valid.
    """
    book = None
    if codebook is not None:
        from qualcode.core.errors import ValidationError
        from qualcode.io.codebook_yaml import read_codebook

        book = read_codebook(codebook)
        problems = book.validate()
        if problems:
            raise ValidationError(
                _("{codebook}: {message}").format(codebook=codebook, message=problems[0].message)
            )
    project = init_project(target, db_url=db_url, name=name)
    if book is not None:
        from qualcode.services.codebook.curation import apply_codebook

        apply_codebook(project, book, source=str(codebook), action="codebook.load")
    return project


class ProjectInfo(TypedDict):
    """What a project holds (`qualcode info`); in blind mode a coder's counts are their own."""

    project: str
    database: str
    schema_version: int | None
    qualcode_version: str
    documents: int
    units: int
    coders: int
    codes: int
    segments: int
    memos: int
    events: int
    documents_done: int
    done_marks: int


def project_info(project: Project, viewer: str | None = None) -> ProjectInfo:
    """Counts of what the project holds; in blind mode a coder's (`viewer`'s) segment, memo and
    done counts are their own only."""
    from qualcode.services.coding.memos import count_memos
    from qualcode.services.team.access import visible_coder_ids

    with project.read() as session:
        visible = visible_coder_ids(session, viewer)

        def count(model: Any, *where: Any) -> int:
            return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

        def own(model: Any) -> tuple[Any, ...]:
            if visible is None:
                return ()
            return (col(model.coder_id).in_(visible),)

        is_done = DocumentStatus.status == "done"
        marks = count(DocumentStatus, is_done, *own(DocumentStatus))
        # documents some coder marked done; marks count each coder's mark on a document
        done = session.exec(
            select(func.count(func.distinct(DocumentStatus.document_id))).where(is_done, *own(DocumentStatus))
        ).one()
        return {
            "project": project.display,
            "database": project.dialect,
            "schema_version": schema_version(project.engine),
            "qualcode_version": __version__,
            "documents": count(Document),
            "units": count(Unit),
            "coders": count(Coder),
            "codes": count(Code),
            "segments": count(Segment, *own(Segment)),
            "memos": count_memos(session, visible),
            "events": count(Event),
            "documents_done": int(done),
            "done_marks": int(marks),
        }


__all__ = ["create_project", "open_project", "project_info"]
