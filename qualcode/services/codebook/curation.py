"""Codebook use cases: load a file onto a project, evolve it safely while coding goes on.

Every change builds the edited codebook in core, validates it as a whole (keys,
cycles, typology references), then writes the difference and its events in one
transaction, increments the codebook version and returns. Nothing is changed when
a check fails. Undo reverses the latest codebook change as a whole.
"""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from qualcode.core.codebook import TEXT_FIELDS, Codebook, CodeNode
from qualcode.core.codebook_ops import add_node, edit, merge, move, rename, set_retired
from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.i18n import _
from qualcode.services.codebook.rows import (
    CodebookInfo,
    CodebookLoaded,
    CodebookUndone,
    CodeChanged,
    CodeListing,
    CodeMoved,
    CodesMerged,
)
from qualcode.services.codebook.sync import (
    META_KEY,
    Change,
    bulk_delete,
    bulk_update,
    bump_version,
    read_book,
    read_version,
    reverse_batch,
    sync_codes,
    update_row,
    write_meta,
)
from qualcode.services.events import load_snapshot
from qualcode.services.team.access import visible_coder_ids
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, Event, Memo, Question, Segment

__all__ = [
    "load_codebook",
    "apply_codebook",
    "codebook_info",
    "current_codebook",
    "list_codes",
    "create_code",
    "add_code",
    "rename_code",
    "edit_code",
    "move_code",
    "merge_codes",
    "retire_code",
    "unretire_code",
    "undo_last_codebook_change",
    "codes_in_use",
]


# ---------------------------------------------------------------- reading


def current_codebook(project: Project) -> Codebook:
    """The project's codebook as it stands, in tree order."""
    with project.read() as session:
        return read_book(session)


def codebook_info(project: Project) -> CodebookInfo:
    """Identity of the codebook for exports: {id, version, file_version, sha256, codes}."""
    with project.read() as session:
        book = read_book(session)
        return {
            "id": book.id or None,
            "version": read_version(session),
            "file_version": book.version if book.id else None,
            "sha256": book.sha256(),
            "codes": len(book.nodes),
        }


def list_codes(project: Project, viewer: str | None = None) -> list[CodeListing]:
    """Every node, flat, in tree order: key, parent, names, dimension, level, flags, colour, definitions.

    `segments` counts the coding `viewer` may see: in blind mode a coder's own segments only,
    and a caller who does not say who they are is refused (services/team/access.py).
    """
    with project.read() as session:
        visible = visible_coder_ids(session, viewer)
        book = read_book(session)
        rows = {row.key: row for row in session.exec(select(Code)).all()}
        count_query = select(Segment.code_id, func.count()).group_by(col(Segment.code_id))
        if visible is not None:
            count_query = count_query.where(col(Segment.coder_id).in_(visible))
        counts = dict(session.exec(count_query).all())
    out: list[CodeListing] = []
    for depth, node in book.walk():
        row = rows[node.key]
        out.append(
            {
                "key": node.key,
                "parent": node.parent,
                "name_en": node.name_en,
                "name_zh": node.name_zh,
                "dimension": book.dimension_of(node.key),
                "level": node.level,
                "depth": depth,
                "codable": node.codable,
                "retired": node.retired,
                "color": node.color,
                **{name: getattr(node, name) for name in TEXT_FIELDS},  # type: ignore[typeddict-item]
                "guid": node.guid,
                "id": saved_id(row.id),
                "segments": int(counts.get(saved_id(row.id), 0)),
            }
        )
    return out


def codes_in_use(session: Session) -> dict[str, int]:
    """Code key -> number of segments and code memos that point at it."""
    used: dict[str, int] = {}
    for key, n in session.exec(
        select(Code.key, func.count()).join(Segment, col(Segment.code_id) == Code.id).group_by(Code.key)
    ).all():
        used[key] = used.get(key, 0) + int(n)
    memo_rows = session.exec(
        select(Code.key, func.count())
        .join(Memo, col(Memo.target_id) == Code.id)
        .where(Memo.target_type == "code")
        .group_by(Code.key)
    ).all()
    for key, n in memo_rows:
        used[key] = used.get(key, 0) + int(n)
    return used


# ---------------------------------------------------------------- loading a file


def load_codebook(
    project: Project, path: str | Path, actor: str | None = None, retire_missing: bool = False
) -> CodebookLoaded:
    """Load a codebook file onto the project (first load, or a new version of the codebook)."""
    from qualcode.io.codebook_yaml import read_codebook

    book = read_codebook(path)
    return apply_codebook(
        project, book, actor=actor, retire_missing=retire_missing, source=str(path), action="codebook.load"
    )


def apply_codebook(
    project: Project,
    book: Codebook,
    *,
    actor: str | None = None,
    retire_missing: bool = False,
    source: str | None = None,
    action: str = "codebook.load",
) -> CodebookLoaded:
    """Replace the project's codebook by `book`, refusing to orphan coded segments."""
    problems = book.validate()
    if problems:
        if len(problems) > 1:
            message = _("the codebook is not valid: {problem} (and {count} more)")
        else:
            message = _("the codebook is not valid: {problem}")
        raise ValidationError(message.format(problem=problems[0].message, count=len(problems) - 1))

    def _work(session: Session, book: Codebook = book) -> CodebookLoaded:
        # A retried attempt starts again from the caller's book: _keep_retired and _with_guids change it.
        book = copy.deepcopy(book)
        old = read_book(session)
        used = codes_in_use(session)
        new_keys = set(book.by_key())
        orphaned = sorted(k for k in used if k not in new_keys)
        # Guide questions name their auto-coding code by key (no foreign key): a load must not
        # leave them pointing at nothing.
        unlinked = session.exec(
            select(Question)
            .where(col(Question.code_key).is_not(None))
            .order_by(col(Question.order), col(Question.key))
        ).all()
        unlinked = [q for q in unlinked if q.code_key not in new_keys]
        retired: list[str] = []
        if (orphaned or unlinked) and not retire_missing:
            refusals: list[str] = []
            if orphaned:
                listed = ", ".join(f"{k} ({used[k]})" for k in orphaned)
                refusals.append(
                    _("orphan coded segments of codes it no longer has: {listed}").format(listed=listed)
                )
            if unlinked:
                listed = ", ".join(f"{q.key} ({q.code_key})" for q in unlinked)
                refusals.append(
                    _(
                        "leave interview-guide questions whose code_key names codes it no longer has: {listed}"
                    ).format(listed=listed)
                )
            raise QualcodeError(
                _(
                    "loading this codebook would {problems}. Add them back, merge them into other codes first, or load with --retire-missing (codes with coded segments are kept as retired codes; guide questions stop naming the missing codes)"
                ).format(
                    problems=refusals[0]
                    if len(refusals) == 1
                    else _("{first}; and {second}").format(first=refusals[0], second=refusals[1])
                )
            )
        if orphaned:
            book, retired = _keep_retired(old, book, orphaned)
            problems = book.validate()
            if problems:
                raise ValidationError(
                    _("keeping the missing codes as retired breaks the codebook: {message}").format(
                        message=problems[0].message
                    )
                )
        change = Change(session, actor, action)
        cleared = [f"{q.key} ({q.code_key})" for q in unlinked]
        for question in unlinked:  # also those of codes kept as retired: nothing is auto-coded into those
            update_row(change, "codebook_question", question, code_key=None)
        sync_codes(change, _with_guids(old, book))
        write_meta(change, book, source)
        version = bump_version(change) if change.count else read_version(session)
        return {
            "id": book.id,
            "version": version,
            "codes": len(book.nodes),
            "retired": retired,
            "guide_links_cleared": cleared,
            "changes": change.count,
        }

    return project.transact(_work)


def _with_guids(old: Codebook, book: Codebook) -> Codebook:
    """Keep each existing code's REFI-QDA GUID when the new file does not name one."""
    guids = {n.key: n.guid for n in old.nodes}
    for node in book.nodes:
        if not node.guid and guids.get(node.key):
            node.guid = guids[node.key]
    return book


def _keep_retired(old: Codebook, book: Codebook, orphaned: list[str]) -> tuple[Codebook, list[str]]:
    keep: list[str] = []
    present = set(book.by_key())
    for key in orphaned:
        for k in [key, *old.ancestors(key)]:
            if k not in present and k not in keep:
                keep.append(k)
    for _unused, node in old.walk():
        if node.key in keep:
            book.nodes.append(CodeNode(**{**node.__dict__, "retired": True}))
    return book, sorted(keep)


# ---------------------------------------------------------------- evolving


Extra = TypeVar("Extra")


def _nothing_else(change: Change, old: Codebook, new: Codebook) -> None:
    return None


def _evolve(
    project: Project,
    actor: str | None,
    action: str,
    edit_fn: Callable[[Codebook], Codebook],
    extra: Callable[[Change, Codebook, Codebook], Extra],
    renames: dict[str, str] | None = None,
) -> tuple[Extra, int, int]:
    """Apply `edit_fn` to the codebook and write the difference; `extra` does what else the
    change needs in the same transaction. Returns what `extra` returned, the new codebook
    version and the number of rows written."""

    def _work(session: Session) -> tuple[Extra, int, int]:
        old = read_book(session)
        if not old.nodes:
            raise QualcodeError(
                _("the project has no codebook yet: load one with `qualcode codebook load PROJECT FILE`")
            )
        new = edit_fn(old)
        problems = new.validate()
        if problems:
            raise ValidationError(
                _("{action} refused: {message}").format(
                    action=action.removeprefix('codebook.'), message=problems[0].message
                )
            )
        change = Change(session, actor, action)
        result = extra(change, old, new)
        sync_codes(change, new, renames)
        if new.typology != old.typology:
            write_meta(change, new)
        version = bump_version(change) if change.count else read_version(session)
        return result, version, change.count

    return project.transact(_work)


def _changed(
    project: Project, key: str, actor: str | None, action: str, edit_fn: Callable[[Codebook], Codebook]
) -> CodeChanged:
    _none, version, changes = _evolve(project, actor, action, edit_fn, _nothing_else)
    return {"key": key, "version": version, "changes": changes}


def add_code(
    project: Project,
    key: str,
    parent_key: str | None,
    name_en: str = "",
    name_zh: str = "",
    actor: str | None = None,
    level: str | None = None,
    **fields: Any,
) -> CodeChanged:
    """Add a code (or dimension) under `parent_key` and log it as one change. Refused without a name in either
    language, for a key already used, or when the codebook would become invalid."""
    if not (name_en or "").strip() and not (name_zh or "").strip():
        raise ValidationError(
            _("a new code needs a name (English and/or Chinese) for {key!r}").format(key=key)
        )
    node = CodeNode(
        key=key,
        parent=parent_key,
        level=level or ("dimension" if parent_key is None else "code"),
        name_en=name_en,
        name_zh=name_zh,
        codable=fields.pop("codable", level in (None, "code")),
    )
    for name, value in fields.items():
        if not hasattr(node, name) or name in ("key", "parent", "level", "retired", "guid"):
            raise ValidationError(_("unknown code field {name!r}").format(name=name))
        setattr(node, name, value)
    return _changed(project, key, actor, "codebook.add", lambda book: add_node(book, node))


def create_code(
    project: Project, key: str, parent_key: str | None, name_en: str, name_zh: str, actor: str | None
) -> CodeChanged:
    """A new codable code, e.g. made in vivo from the TUI while coding."""
    return add_code(project, key, parent_key, name_en, name_zh, actor=actor)


def rename_code(
    project: Project,
    key: str,
    actor: str | None = None,
    new_key: str | None = None,
    name_en: str | None = None,
    name_zh: str | None = None,
) -> CodeChanged:
    """Give a code a new key and/or new names; segments and guide questions follow the new key. Refused when
    nothing new is given or the new key is taken."""
    if new_key is None and name_en is None and name_zh is None:
        raise ValidationError(_("give a new key and/or new names"))

    def questions(change: Change, old: Codebook, new: Codebook) -> None:
        if new_key and new_key != key:
            for q in change.session.exec(select(Question).where(Question.code_key == key)).all():
                update_row(change, "codebook_question", q, code_key=new_key)

    renames = {new_key: key} if new_key and new_key != key else None
    _none, version, changes = _evolve(
        project,
        actor,
        "codebook.rename",
        lambda b: rename(b, key, new_key, name_en, name_zh),
        questions,
        renames,
    )
    return {"key": new_key or key, "version": version, "changes": changes}


def edit_code(project: Project, key: str, actor: str | None = None, **changes: Any) -> CodeChanged:
    """Change a code's fields (definition, criteria, examples, colour...). Refused when nothing is given or
    the result is not a valid codebook."""
    if not changes:
        raise ValidationError(_("nothing to change"))
    return _changed(project, key, actor, "codebook.edit", lambda b: edit(b, key, **changes))


def move_code(project: Project, key: str, new_parent: str | None, actor: str | None = None) -> CodeMoved:
    """Move a code under another parent (None: to the top). Refused when the move would make a cycle or an
    invalid codebook."""
    _none, version, changes = _evolve(
        project, actor, "codebook.move", lambda b: move(b, key, new_parent), _nothing_else
    )
    return {"key": key, "parent": new_parent, "version": version, "changes": changes}


def retire_code(project: Project, key: str, actor: str | None = None) -> CodeChanged:
    """Retire a code: it stays with its segments but can no longer be applied. Refused for an unknown code."""
    return _changed(project, key, actor, "codebook.retire", lambda b: set_retired(b, key, True))


def unretire_code(project: Project, key: str, actor: str | None = None) -> CodeChanged:
    """Make a retired code applicable again. Refused for an unknown code."""
    return _changed(project, key, actor, "codebook.unretire", lambda b: set_retired(b, key, False))


def merge_codes(project: Project, source: str, target: str, actor: str | None = None) -> CodesMerged:
    """Merge `source` into `target`: segments re-pointed, exact duplicates collapsed, source removed."""

    def repoint(change: Change, old: Codebook, new: Codebook) -> tuple[int, int]:
        session = change.session
        src = session.exec(select(Code).where(Code.key == source)).one()
        dst = session.exec(select(Code).where(Code.key == target)).one()
        table = Segment.__table__  # type: ignore[attr-defined]
        # Plain rows, not ORM objects: a merge may touch thousands of segments.
        existing = {
            (s["document_id"], s["coder_id"], s["start"], s["end"]): s
            for s in session.execute(table.select().where(table.c.code_id == dst.id)).mappings()
        }
        moving, duplicates = [], []
        for seg in session.execute(
            table.select().where(table.c.code_id == src.id).order_by(table.c.id)
        ).mappings():
            twin = existing.get((seg["document_id"], seg["coder_id"], seg["start"], seg["end"]))
            if twin is None:
                moving.append(seg)
                continue
            if seg["memo"] and seg["memo"] != twin["memo"]:  # keep the words a coder wrote on the duplicate
                memo = f"{twin['memo']}\n---\n{seg['memo']}" if twin["memo"] else seg["memo"]
                bulk_update(change, "codebook_segment", [twin], memo=memo)
            duplicates.append(seg)
        bulk_delete(change, "codebook_segment", duplicates)
        bulk_update(change, "codebook_segment", moving, code_id=dst.id)
        moved, collapsed = len(moving), len(duplicates)
        for memo in session.exec(
            select(Memo).where(Memo.target_type == "code", Memo.target_id == src.id)
        ).all():
            update_row(change, "codebook_memo", memo, target_id=dst.id)
        for q in session.exec(select(Question).where(Question.code_key == source)).all():
            update_row(change, "codebook_question", q, code_key=target)
        # The source row must lose its children before sync_codes deletes it.
        for child in session.exec(select(Code).where(Code.parent_id == src.id)).all():
            update_row(change, "codebook_code", child, parent_id=dst.id)
        session.expire_all()
        return moved, collapsed

    (moved, collapsed), version, changes = _evolve(
        project, actor, "codebook.merge", lambda b: merge(b, source, target), repoint
    )
    return {
        "source": source,
        "target": target,
        "segments_moved": moved,
        "duplicates_collapsed": collapsed,
        "version": version,
        "changes": changes,
    }


# ---------------------------------------------------------------- undo


def undo_last_codebook_change(project: Project, actor: str | None) -> CodebookUndone:
    """Reverse the most recent codebook change that is not undone yet (by anyone)."""
    table = Event.__table__  # type: ignore[attr-defined]

    def _work(session: Session) -> CodebookUndone:
        undone = set(
            session.execute(select(table.c.undoes).where(table.c.action == "codebook.undo")).scalars()
        )
        groups = session.execute(
            select(table.c.group_id, func.min(table.c.id).label("first"), func.max(table.c.id).label("last"))
            .where(
                table.c.action.like("codebook.%"),
                table.c.action.not_in(("codebook.undo", "codebook.version")),
                table.c.group_id.is_not(None),
            )
            .group_by(table.c.group_id)
            .order_by(func.max(table.c.id).desc())
        ).all()
        # an undo reverses every event of its group, so the group's first event tells
        chosen = next((g for g in groups if g.first not in undone), None)
        if chosen is None:
            raise QualcodeError(_("there is no codebook change to undo"))
        group = [
            dict(e)
            for e in session.execute(
                table.select()
                .where(
                    table.c.group_id == chosen.group_id,
                    table.c.action.like("codebook.%"),
                    table.c.action != "codebook.undo",
                )
                .order_by(table.c.id)
            ).mappings()
        ]
        undone_action = group[0]["action"]
        change = Change(session, actor, "codebook.undo")
        for batch in _batches(list(reversed(group))):
            pairs = [(load_snapshot(e["before"]), load_snapshot(e["after"])) for e in batch]
            problem = reverse_batch(session, batch[0]["entity"], pairs)
            if problem is not None:
                raise QualcodeError(
                    _("cannot undo {undone_action}: {problem}").format(
                        undone_action=undone_action.removeprefix('codebook.'), problem=problem
                    )
                )
            for event, (before, after) in zip(batch, pairs, strict=True):
                change.log(event["entity"], event["entity_id"], after, before, undoes=event["id"])
        session.expire_all()
        version = bump_version(change)
        return {"undone": undone_action, "events": len(group), "version": version}

    return project.transact(_work)


def _batches(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Runs of events on one entity with one kind of change and no row twice, reversible in bulk."""
    out: list[list[dict[str, Any]]] = []
    seen: set[tuple[str, Any]] = set()
    for event in events:
        kind = (event["before"] is None, event["after"] is None)
        row = (
            event["entity"],
            event["entity_id"] if event["entity_id"] is not None else event["after"] or event["before"],
        )
        last = out[-1][-1] if out else None
        if (
            last is not None
            and last["entity"] == event["entity"]
            and (last["before"] is None, last["after"] is None) == kind
            and row not in seen
        ):
            out[-1].append(event)
        else:
            out.append([event])
            seen = set()
        seen.add(row)
    return out


__all__ += ["META_KEY"]
