"""Auto-coding by guide question, by speaker, or by keyword/regex.

Segments are attributed to pseudo-coders (`auto:question`, `auto:speaker`, `auto:pattern`)
so that they are reviewable and excluded from agreement unless asked. Every run can be
previewed (dry run) and undone in one step: its events share one group id, the run id.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session, col

from qualcode.core.errors import NotFoundError, QualcodeError
from qualcode.core.variants import fold_variants
from qualcode.i18n import _
from qualcode.services.coders import ensure_coder
from qualcode.services.coding.rows import AutocodeSummary
from qualcode.services.events import load_snapshot, new_group_id, record
from qualcode.store.db import Project
from qualcode.store.mapped import table_of
from qualcode.store.models import Code, Coder, Document, Event, Question, Segment, Unit, utcnow

MODES = ("question", "speaker", "pattern")
SCOPES = ("match", "sentence", "turn")
# Sentence ends in Chinese and English text; Chinese needs no spaces after them.
_SENTENCE_END = re.compile(r"[。！？!?；;]+|\.(?=\s|$)|\n")


@dataclass
class AutocodeResult:
    run_id: str | None
    coder: str
    dry_run: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # code key -> document -> segments
    skipped_existing: int = 0
    variants_folded: bool = False  # simplified and traditional characters matched as one

    @property
    def total(self) -> int:
        return sum(sum(per_doc.values()) for per_doc in self.counts.values())

    def to_dict(self) -> AutocodeSummary:
        return {
            "run_id": self.run_id,
            "coder": self.coder,
            "dry_run": self.dry_run,
            "total": self.total,
            "skipped_existing": self.skipped_existing,
            "counts": self.counts,
            "variants_folded": self.variants_folded,
        }


Span = tuple[int, str, int, int]  # document id, code key, start, end


def _codes(session: Session, keys: set[str]) -> dict[str, int]:
    rows = session.execute(
        select(col(Code.key), col(Code.id), col(Code.retired), col(Code.codable), col(Code.level)).where(
            col(Code.key).in_(keys)
        )
    ).all()
    found = {key: code_id for key, code_id, _unused, _unused2, _unused3 in rows}
    missing = sorted(keys - set(found))
    if missing:
        raise QualcodeError(
            _("unknown code key(s) {missing}; load or add them to the codebook first").format(
                missing=', '.join(missing)
            )
        )
    # the same rules as coding by hand (services.coding)
    for key, _id, retired, codable, level in sorted(rows):
        if retired:
            raise QualcodeError(
                _(
                    "cannot auto-code with {key}: the code is retired (unretire it or map another code)"
                ).format(key=key)
            )
        if not codable:
            raise QualcodeError(
                _("cannot auto-code with {key}: it is a {level}, not a codable code").format(
                    key=key, level=level
                )
            )
    return found


def _by_question(session: Session, overrides: dict[str, str]) -> list[Span]:
    mapping = {q.key: q.code_key for q in session.execute(select(Question)).scalars() if q.code_key}
    mapping.update(overrides)
    if not mapping:
        raise QualcodeError(
            _("no guide question has a code_key; load a guide with code_key or pass --map Q3=CODE")
        )
    rows = session.execute(
        select(col(Unit.document_id), col(Unit.question_key), col(Unit.start), col(Unit.end)).where(
            col(Unit.speaker_role) == "respondent", col(Unit.question_key).in_(mapping)
        )
    ).all()
    return [(doc, mapping[key], start, end) for doc, key, start, end in rows if end > start]


def _by_speaker(session: Session, mapping: dict[str, str]) -> list[Span]:
    if not mapping:
        raise QualcodeError(_("give speaker rules such as --map respondent=CODE or --map 张主任=CODE"))
    folded = {who.casefold(): code for who, code in mapping.items()}
    spans: list[Span] = []
    for doc, speaker, role, start, end in session.execute(
        select(
            col(Unit.document_id), col(Unit.speaker), col(Unit.speaker_role), col(Unit.start), col(Unit.end)
        )
    ).all():
        code = folded.get((speaker or "").casefold()) or folded.get((role or "").casefold())
        if code and end > start:
            spans.append((doc, code, start, end))
    return spans


def _compile(patterns: dict[str, str], literal: bool, fold: bool) -> list[tuple[re.Pattern[str], str]]:
    compiled = []
    for pattern, code in patterns.items():
        wanted = fold_variants(pattern) if fold else pattern
        try:
            compiled.append((re.compile(re.escape(wanted) if literal else wanted, re.IGNORECASE), code))
        except re.error as exc:
            raise QualcodeError(
                _("bad regular expression {pattern!r}: {exc}").format(pattern=pattern, exc=exc)
            ) from exc
    return compiled


def _widen(text: str, start: int, end: int, scope: str, turns: list[tuple[int, int]]) -> tuple[int, int]:
    turn = next(((s, e) for s, e in turns if s <= start < e), None)
    if scope == "turn":
        return turn or (start, end)
    if scope == "sentence":
        # A sentence never reaches past its turn (nor into the speaker label).
        low, high = turn or (0, len(text))
        before = [m.end() for m in _SENTENCE_END.finditer(text, low, start)]
        s = before[-1] if before else low
        after = _SENTENCE_END.search(text, end, high)
        e = after.end() if after and after.group() != "\n" else (after.start() if after else high)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, max(e, end)
    return start, end


def _by_pattern(
    session: Session, patterns: dict[str, str], literal: bool, scope: str, fold: bool
) -> list[Span]:
    if not patterns:
        raise QualcodeError(_("give patterns such as --map '校企合作=TAL.PRAC'"))
    if scope not in SCOPES:
        raise QualcodeError(
            _("unknown scope {scope!r}; use one of {SCOPES}").format(scope=scope, SCOPES=', '.join(SCOPES))
        )
    compiled = _compile(patterns, literal, fold)
    spans: list[Span] = []
    for doc, text in session.execute(select(col(Document.id), col(Document.text))).all():
        turns = [
            (s, e)
            for s, e in session.execute(
                select(col(Unit.start), col(Unit.end)).where(col(Unit.document_id) == doc)
            ).all()
        ]
        # Folding keeps every character in place, so a match's offsets are the original text's.
        searched = fold_variants(text) if fold else text
        for regex, code in compiled:
            for match in regex.finditer(searched):
                if match.end() > match.start():
                    spans.append((doc, code, *_widen(text, match.start(), match.end(), scope, turns)))
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping or touching spans of one code in one document become one segment."""
    merged: list[Span] = []
    for doc, code, start, end in sorted(set(spans)):
        if merged and merged[-1][0] == doc and merged[-1][1] == code and start <= merged[-1][3]:
            last = merged[-1]
            merged[-1] = (doc, code, last[2], max(last[3], end))
        else:
            merged.append((doc, code, start, end))
    return [span for span in merged if span[3] > span[2]]


def autocode(
    project: Project,
    by: str,
    *,
    mapping: dict[str, str] | None = None,
    literal: bool = False,
    scope: str = "match",
    dry_run: bool = False,
    actor: str | None = None,
    fold: bool = False,
) -> AutocodeResult:
    """Code spans automatically. `mapping`: question key, speaker/role or pattern -> code key.
    `fold`: patterns match simplified and traditional characters alike (pattern mode only)."""
    if by not in MODES:
        raise QualcodeError(
            _("unknown auto-coding mode {by!r}; use one of {MODES}").format(by=by, MODES=', '.join(MODES))
        )
    if fold and by != "pattern":
        raise QualcodeError(_("folding simplified and traditional characters applies to --by pattern only"))
    coder_name = f"auto:{by}"
    mapping = dict(mapping or {})

    def work(session: Session) -> AutocodeResult:
        if by == "question":
            spans = _by_question(session, mapping)
        elif by == "speaker":
            spans = _by_speaker(session, mapping)
        else:
            spans = _by_pattern(session, mapping, literal, scope, fold)
        spans = _merge(spans)
        codes = _codes(
            session,
            {code for _unused, code, _unused, _unused in spans}
            | set(mapping.values() if by != "question" else []),
        )
        coder = session.execute(select(Coder).where(col(Coder.name) == coder_name)).scalars().first()
        existing: set[tuple[int, int, int, int]] = set()
        if coder is not None:
            existing = {
                tuple(row)
                for row in session.execute(
                    select(
                        col(Segment.document_id), col(Segment.code_id), col(Segment.start), col(Segment.end)
                    ).where(col(Segment.coder_id) == coder.id)
                ).all()
            }
        fresh = [s for s in spans if (s[0], codes[s[1]], s[2], s[3]) not in existing]
        names = dict(session.execute(select(col(Document.id), col(Document.name))).all())
        counts: dict[str, Counter[str]] = {}
        for doc, code, _start, _end in fresh:
            counts.setdefault(code, Counter())[names[doc]] += 1
        result = AutocodeResult(
            run_id=None,
            coder=coder_name,
            dry_run=dry_run,
            skipped_existing=len(spans) - len(fresh),
            variants_folded=fold,
            counts={code: dict(sorted(per.items())) for code, per in sorted(counts.items())},
        )
        if dry_run or not fresh:
            return result
        if coder is None:
            coder = ensure_coder(session, coder_name, actor=actor)
        result.run_id = _write(session, coder, fresh, codes, actor, by, mapping, fold)
        return result

    if dry_run:
        with project.read() as session:
            return work(session)
    return project.transact(work)


def _write(
    session: Session,
    coder: Coder,
    spans: list[Span],
    codes: dict[str, int],
    actor: str | None,
    by: str,
    mapping: dict[str, str],
    fold: bool,
) -> str:
    run_id = new_group_id()
    now = utcnow()
    rows = [
        {
            "document_id": doc,
            "coder_id": coder.id,
            "code_id": codes[code],
            "start": start,
            "end": end,
            "created_at": now,
            "updated_at": now,
        }
        for doc, code, start, end in spans
    ]
    table = table_of(Segment)
    ids = (
        session.connection()
        .execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    # Full row snapshots, as the coding service writes them, so that the generic undo/redo
    # of services/coding/undo.py can replay these events too.
    events = [
        {
            "at": now,
            "actor": actor,
            "action": "segment.add",
            "entity": "segment",
            "entity_id": segment_id,
            "after": json.dumps(_snapshot(segment_id, row), ensure_ascii=False, sort_keys=True),
            "group_id": run_id,
        }
        for segment_id, row in zip(ids, rows, strict=True)
    ]
    session.connection().execute(insert(table_of(Event)), events)
    record(
        session,
        actor=actor,
        action="autocode",
        entity="run",
        group_id=run_id,
        after={
            "by": by,
            "coder": coder.name,
            "mapping": mapping,
            "segments": len(rows),
            "variants_folded": fold,
        },
    )
    return run_id


def _snapshot(segment_id: int, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": segment_id,
        **{k: row[k] for k in ("document_id", "coder_id", "code_id", "start", "end")},
        "memo": None,
        "guid": None,
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def undo_autocode(project: Project, run_id: str, *, actor: str | None = None) -> int:
    """Remove every segment an auto-coding run created (those still present). Returns how many."""

    def work(session: Session) -> int:
        events = (
            session.execute(
                select(Event).where(
                    col(Event.group_id) == run_id,
                    col(Event.entity) == "segment",
                    col(Event.action) == "segment.add",
                )
            )
            .scalars()
            .all()
        )
        if not events:
            raise NotFoundError(_("no auto-coding run {run_id!r}").format(run_id=run_id))
        ids = [e.id for e in events]
        undone = session.execute(select(col(Event.id)).where(col(Event.undoes).in_(ids))).first()
        if undone is not None:
            raise QualcodeError(_("auto-coding run {run_id} was already undone").format(run_id=run_id))
        group = new_group_id()
        removed = 0
        for event in events:
            segment = session.get(Segment, event.entity_id)
            if segment is None:
                continue
            before = load_snapshot(event.after) or {}
            session.delete(segment)
            record(
                session,
                actor=actor,
                action="segment.remove",
                entity="segment",
                entity_id=event.entity_id,
                before=before,
                undoes=event.id,
                group_id=group,
            )
            removed += 1
        record(
            session,
            actor=actor,
            action="undo",
            entity="run",
            group_id=group,
            after={"run_id": run_id, "removed": removed},
        )
        return removed

    return project.transact(work)
