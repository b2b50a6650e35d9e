"""The interview guide: loading it, aligning answers to it, and a lead's corrections."""

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session, col

from qualcode.core.alignment import GuideQuestion, align_units, needs_review
from qualcode.core.errors import NotFoundError, QualcodeError
from qualcode.core.ordering import natural_key
from qualcode.core.transcript import RESPONDENT, UnitSpec
from qualcode.i18n import _
from qualcode.io.guide_file import read_guide_file
from qualcode.services.events import new_group_id, record
from qualcode.services.sources.rows import FlaggedAnswer, GuideQuestionRow, GuideReview, QuestionLink
from qualcode.services.transcript_rows import load_guide
from qualcode.store.db import Project
from qualcode.store.mapped import table_of
from qualcode.store.models import Code, Document, Question, Unit


def load_guide_file(project: Project, path: str | Path, *, actor: str | None = None) -> dict[str, int]:
    """Replace the guide with the file's questions, then re-align every document."""
    questions = read_guide_file(Path(path))
    duplicates = sorted(key for key, count in Counter(q["key"] for q in questions).items() if count > 1)
    if duplicates:
        raise QualcodeError(
            _("{name}: duplicate question keys {duplicates}; nothing was loaded").format(
                name=Path(path).name, duplicates=', '.join(duplicates)
            )
        )

    def work(session: Session) -> dict[str, int]:
        codes = set(session.execute(select(col(Code.key))).scalars())
        # Checked once a codebook is there (a guide may be loaded first); a codebook load
        # later refuses to delete a code the guide names.
        unknown = [
            f"{q['key']} ({q['code_key']})" for q in questions if q["code_key"] and q["code_key"] not in codes
        ]
        if codes and unknown:
            raise QualcodeError(
                _(
                    "{name}: code_key names codes the project's codebook does not have: {unknown}; add them to the codebook or fix the guide"
                ).format(name=Path(path).name, unknown=', '.join(unknown))
            )
        before = [q.key for q in session.execute(select(Question)).scalars()]
        session.execute(delete(Question))
        for question in questions:
            session.add(Question(**question))
        session.flush()
        group = new_group_id()
        record(
            session,
            actor=actor,
            action="load",
            entity="guide",
            group_id=group,
            before={"keys": before},
            after={"questions": questions},
        )
        changed = _realign(session, load_guide(session), actor, group)
        return {"questions": len(questions), "units_changed": changed}

    return project.transact(work)


def guide_questions(project: Project) -> list[GuideQuestionRow]:
    """The interview guide's questions in guide order, with their texts and linked code keys."""
    with project.read() as session:
        rows = session.execute(select(Question)).scalars().all()
        rows = sorted(rows, key=lambda q: (q.order, natural_key(q.key)))
        return [
            {
                "key": q.key,
                "order": q.order,
                "text_en": q.text_en,
                "text_zh": q.text_zh,
                "code_key": q.code_key,
            }
            for q in rows
        ]


def realign(project: Project, *, actor: str | None = None) -> int:
    """Re-link every answer to the current guide (lead corrections are kept). Units changed."""
    return project.transact(lambda session: _realign(session, load_guide(session), actor, new_group_id()))


def _realign(
    session: Session,
    guide: list[GuideQuestion],
    actor: str | None,
    group: str,
    document_id: int | None = None,
) -> int:
    changed_rows: list[dict[str, Any]] = []
    query = select(col(Document.id), col(Document.text))
    if document_id is not None:
        query = query.where(col(Document.id) == document_id)
    for document_id, text in session.execute(query).all():
        rows = (
            session.execute(select(Unit).where(col(Unit.document_id) == document_id).order_by(col(Unit.seq)))
            .scalars()
            .all()
        )
        specs = [
            UnitSpec(
                u.start,
                u.end,
                u.kind,
                u.speaker,
                u.speaker_role,
                u.question_key,
                u.question_confidence,
                u.question_source,
            )
            for u in rows
        ]
        align_units(text, specs, guide)
        for row, spec in zip(rows, specs, strict=True):
            after = (spec.question_key, spec.question_confidence, spec.question_source)
            if after != (row.question_key, row.question_confidence, row.question_source):
                changed_rows.append({"uid": row.id, "k": after[0], "c": after[1], "s": after[2]})
    if changed_rows:
        units_table = table_of(Unit)
        statement = (
            update(units_table)
            .where(units_table.c.id == bindparam("uid"))
            .values(
                question_key=bindparam("k"),
                question_confidence=bindparam("c"),
                question_source=bindparam("s"),
            )
        )
        session.connection().execute(statement, changed_rows)
        session.expire_all()
    record(
        session,
        actor=actor,
        action="realign",
        entity="units",
        group_id=group,
        after={"units_changed": len(changed_rows)},
    )
    return len(changed_rows)


def _unit(session: Session, document: str, seq: int) -> tuple[Document, Unit]:
    doc = session.execute(select(Document).where(col(Document.name) == document)).scalars().first()
    if doc is None:
        raise NotFoundError(_("no document named {document!r}").format(document=document))
    unit = (
        session.execute(select(Unit).where(col(Unit.document_id) == doc.id, col(Unit.seq) == seq))
        .scalars()
        .first()
    )
    if unit is None:
        raise NotFoundError(_("{document!r} has no unit {seq}").format(document=document, seq=seq))
    return doc, unit


def set_unit_question(
    project: Project, document: str, seq: int, key: str | None, actor: str | None
) -> QuestionLink:
    """A lead's correction: unit `seq` of `document` answers guide question `key` (None: no question)."""

    def work(session: Session) -> QuestionLink:
        if key is not None:
            keys = [q.key for q in session.execute(select(Question)).scalars()]
            if keys and key not in keys:
                raise QualcodeError(
                    _("no guide question {key!r}; the guide has {keys}").format(key=key, keys=', '.join(keys))
                )
        doc, unit = _unit(session, document, seq)
        fields = ("question_key", "question_confidence", "question_source")
        before = {f: getattr(unit, f) for f in fields}
        unit.question_key, unit.question_confidence, unit.question_source = key, 1.0, "manual"
        session.add(unit)
        after = {f: getattr(unit, f) for f in fields}
        link: QuestionLink = {
            "document": doc.name,
            "seq": seq,
            "question_key": unit.question_key,
            "question_confidence": unit.question_confidence,
            "question_source": unit.question_source,
        }
        session.flush()
        group = new_group_id()
        record(
            session,
            actor=actor,
            action="align",
            entity="unit",
            entity_id=unit.id,
            before={"document": doc.name, "seq": seq, **before},
            after={"document": doc.name, "seq": seq, **after},
            group_id=group,
        )
        # Answers after a corrected interviewer turn follow it.
        _realign(session, load_guide(session), actor, group, doc.id)
        return link

    return project.transact(work)


def _excerpt(text: str, limit: int = 80) -> str:
    return text[:limit] + ("…" if len(text) > limit else "")


def _in_language_of(answer: str, question: GuideQuestion | None) -> str | None:
    """The guide question's wording in the answer's language (Chinese when the answer has Han characters)."""
    if question is None:
        return None
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in answer)
    first, second = (question.text_zh, question.text_en) if chinese else (question.text_en, question.text_zh)
    return first or second or None


def review(project: Project) -> GuideReview:
    """Answers whose question link is missing or weak, and guide questions each document never reaches.

    Each flagged answer carries the words the interviewer asked just before it (`asked`) and the
    text of the guide question it is linked to (`question_text`), so the link can be judged.
    """
    with project.read() as session:
        guide = load_guide(session)
        rows = session.execute(
            select(
                col(Document.name),
                col(Document.text),
                col(Unit.seq),
                col(Unit.speaker),
                col(Unit.speaker_role),
                col(Unit.start),
                col(Unit.end),
                col(Unit.question_key),
                col(Unit.question_confidence),
                col(Unit.question_source),
            )
            .join(Unit, col(Unit.document_id) == col(Document.id))
            .order_by(col(Document.name), col(Unit.seq))
        ).all()
    by_key = {q.key: q for q in guide}
    guide_keys = [q.key for q in guide]
    flagged: list[FlaggedAnswer] = []
    seen: dict[str, set[str]] = {}
    asked: dict[str, str] = {}  # document -> the last question turn before the current answer
    for name, text, seq, speaker, role, start, end, key, confidence, source in rows:
        if role != RESPONDENT:
            asked[name] = text[start:end].strip()
            continue
        seen.setdefault(name, set())
        if key:
            seen[name].add(key)
        if needs_review(key, confidence, source):
            answer = text[start:end]
            flagged.append(
                {
                    "document": name,
                    "seq": seq,
                    "speaker": speaker,
                    "asked": _excerpt(asked.get(name, "")) or None,
                    "question_key": key,
                    "question_text": _in_language_of(answer, by_key.get(key) if key else None),
                    "question_confidence": confidence,
                    "question_source": source,
                    "excerpt": _excerpt(answer),
                }
            )
    missing = {name: [k for k in guide_keys if k not in keys] for name, keys in seen.items()}
    return {"flagged": flagged, "missing": {name: keys for name, keys in missing.items() if keys}}
