"""SQLModel tables: the project's whole persistent state.

No `from __future__ import annotations` here: SQLModel relationships break with it.
Table names are plural and explicit (`case` is an SQL keyword).
Offsets are code point indices into `Document.text`, half-open [start, end).
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_guid() -> str:
    """A fresh identity that survives copying a project (rows and events keep it in every copy)."""
    return str(uuid.uuid4())


class Meta(SQLModel, table=True):
    """Schema version and other facts about the store itself."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Setting(SQLModel, table=True):
    """Project settings (blind mode, case attribute, ...), values JSON-encoded."""

    __tablename__ = "settings"
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Coder(SQLModel, table=True):
    __tablename__ = "coders"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    role: str = Field(default="coder", max_length=20)  # coder | lead
    created_at: datetime = Field(default_factory=utcnow)
    # who this person is in every copy of the project, whatever their name becomes
    guid: str | None = Field(default_factory=new_guid, max_length=40, index=True)
    __table_args__ = (CheckConstraint("role IN ('coder', 'lead')", name="ck_coder_role"),)


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=500, unique=True, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    length: int = Field(ge=0)  # len(text) in code points, for DB-side bounds checks
    sha256: str = Field(max_length=64, index=True)
    source_filename: str | None = Field(default=None, max_length=1000)
    encoding: str | None = Field(default=None, max_length=50)
    language: str | None = Field(default=None, max_length=20)
    version_of: int | None = Field(default=None, foreign_key="documents.id")
    imported_at: datetime = Field(default_factory=utcnow)


class DocumentAttribute(SQLModel, table=True):
    __tablename__ = "document_attributes"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=200)
    value: str | None = Field(default=None, sa_column=Column(Text))
    type: str = Field(default="text", max_length=20)  # text | integer | float | date | boolean
    __table_args__ = (UniqueConstraint("document_id", "key", name="uq_docattr_key"),)


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=500, unique=True)
    description: str | None = Field(default=None, sa_column=Column(Text))


class CaseMember(SQLModel, table=True):
    __tablename__ = "case_members"
    case_id: int = Field(foreign_key="cases.id", primary_key=True, ondelete="CASCADE")
    document_id: int = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")


class Question(SQLModel, table=True):
    """A question of the interview guide."""

    __tablename__ = "questions"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, unique=True)
    text_en: str | None = Field(default=None, sa_column=Column(Text))
    text_zh: str | None = Field(default=None, sa_column=Column(Text))
    order: int = Field(default=0)
    code_key: str | None = Field(default=None, max_length=100)  # for auto-coding by question


class Unit(SQLModel, table=True):
    """A speaker turn (or other unit) of a document; answers carry their guide question."""

    __tablename__ = "units"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    seq: int
    kind: str = Field(default="turn", max_length=20)  # turn | answer | paragraph | header | page
    speaker: str | None = Field(default=None, max_length=200)
    speaker_role: str | None = Field(default=None, max_length=20)  # interviewer | respondent
    question_key: str | None = Field(default=None, max_length=100)
    question_confidence: float | None = None
    question_source: str | None = Field(default=None, max_length=20)  # marker | fuzzy | manual | row
    start: int
    end: int
    t_start: float | None = None  # seconds, from .vtt/.srt
    t_end: float | None = None
    __table_args__ = (
        UniqueConstraint("document_id", "seq", name="uq_unit_seq"),
        CheckConstraint('start >= 0 AND start <= "end"', name="ck_unit_bounds"),
    )


class Code(SQLModel, table=True):
    """A node of the codebook tree: dimension, category or code."""

    __tablename__ = "codes"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, unique=True, index=True)
    parent_id: int | None = Field(default=None, foreign_key="codes.id")
    level: str = Field(default="code", max_length=20)  # dimension | category | code
    name_en: str = Field(default="", max_length=300)
    name_zh: str = Field(default="", max_length=300)
    short_definition: str | None = Field(default=None, sa_column=Column(Text))
    definition: str | None = Field(default=None, sa_column=Column(Text))
    inclusion: str | None = Field(default=None, sa_column=Column(Text))
    exclusion: str | None = Field(default=None, sa_column=Column(Text))
    # Chinese texts beside the English ones (schema v5); names as in core.codebook.BILINGUAL_FIELDS
    short_definition_zh: str | None = Field(default=None, sa_column=Column(Text))
    definition_zh: str | None = Field(default=None, sa_column=Column(Text))
    inclusion_zh: str | None = Field(default=None, sa_column=Column(Text))
    exclusion_zh: str | None = Field(default=None, sa_column=Column(Text))
    example_en: str | None = Field(default=None, sa_column=Column(Text))
    example_zh: str | None = Field(default=None, sa_column=Column(Text))
    color: str | None = Field(default=None, max_length=9)
    codable: bool = Field(default=True)
    retired: bool = Field(default=False)
    sort_order: int = Field(default=0)
    guid: str | None = Field(default_factory=new_guid, max_length=40)  # REFI-QDA and merge identity


class Segment(SQLModel, table=True):
    """One coder's application of one code to [start, end) of one document."""

    __tablename__ = "segments"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    coder_id: int = Field(foreign_key="coders.id", index=True)
    code_id: int = Field(foreign_key="codes.id", index=True)
    start: int
    end: int
    memo: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    guid: str | None = Field(default_factory=new_guid, max_length=40, index=True)
    __table_args__ = (
        UniqueConstraint("document_id", "coder_id", "code_id", "start", "end", name="uq_segment"),
        CheckConstraint('start >= 0 AND start < "end"', name="ck_segment_bounds"),
        Index("ix_segment_doc_coder", "document_id", "coder_id"),
    )


class DocumentStatus(SQLModel, table=True):
    """A coder's progress on a document; only 'done' documents count for agreement."""

    __tablename__ = "document_status"
    document_id: int = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coders.id", primary_key=True)
    status: str = Field(default="in_progress", max_length=20)  # in_progress | done
    updated_at: datetime = Field(default_factory=utcnow)


class Memo(SQLModel, table=True):
    """A memo on the project, a document, a code or a segment."""

    __tablename__ = "memos"
    id: int | None = Field(default=None, primary_key=True)
    target_type: str = Field(max_length=20)  # project | document | code | segment
    target_id: int | None = None
    coder_id: int | None = Field(default=None, foreign_key="coders.id")
    title: str | None = Field(default=None, max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    guid: str | None = Field(default_factory=new_guid, max_length=40, index=True)


class Event(SQLModel, table=True):
    """Append-only log of every change: the basis of undo/redo, audit and merge.

    `before` and `after` are JSON snapshots of the changed row (null for create/delete).
    `undoes` points at the event an undo reverses; `group_id` ties multi-row actions.
    """

    __tablename__ = "events"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str | None = Field(default=None, max_length=200)
    action: str = Field(max_length=50)
    entity: str = Field(max_length=50)
    entity_id: int | None = None
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    undoes: int | None = None
    group_id: str | None = Field(default=None, max_length=40)
    # identifies the event in every copy of the project: a merge finds where a copy split off
    guid: str | None = Field(default_factory=new_guid, max_length=40, index=True)


class SuggestModel(SQLModel, table=True):
    """A trained suggester, stored in the project so it cannot drift from what it was trained on.

    `meta` is JSON: training source and unit, codebook version and hash, training-set hash, units
    and documents used, codes modelled and skipped (with why), library versions, parameters.
    `blob` holds the fitted classifiers. Its coder is the pseudo-coder `model:<id>`.
    """

    __tablename__ = "suggest_models"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str | None = Field(default=None, max_length=200)
    source: str = Field(max_length=200)  # consensus | union | <coder name>
    unit: str = Field(max_length=20)  # answer | sentence
    meta: str = Field(sa_column=Column(Text, nullable=False))
    blob: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Suggestion(SQLModel, table=True):
    """A machine-proposed segment awaiting review: the segment itself belongs to a pseudo-coder
    (`model:<id>` or `ai:<source>`), never to a person. Accepting creates the person's own segment
    (`accepted_segment_id`); rejecting only changes `status`."""

    __tablename__ = "suggestions"
    id: int | None = Field(default=None, primary_key=True)
    segment_id: int = Field(foreign_key="segments.id", index=True, unique=True)
    probability: float | None = None
    provenance: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    status: str = Field(default="open", max_length=20)  # open | accepted | rejected
    reviewer: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = None
    accepted_segment_id: int | None = None
    __table_args__ = (
        CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="ck_suggestion_status"),
    )
