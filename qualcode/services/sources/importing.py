"""Importing transcript files into a project.

Each file is atomic: it is written inside its own SAVEPOINT, so a file that fails leaves no
rows and the others still import. Savepoints are committed together at most every
COMMIT_EVERY seconds (and at the end): a durable commit costs an fsync, 5-10 ms here, which
alone would take most of the 10 s budget for 1,000 files, while a short batch keeps the write
lock brief for coders working at the same time. Units go in with one executemany per
document (ORM add() per row is far too slow for big batches).
"""

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from qualcode.core.alignment import GuideQuestion, align_units
from qualcode.core.errors import DiskFullError, QualcodeError, is_disk_full
from qualcode.core.ordering import natural_key
from qualcode.core.transcript import (
    SpeakerRules,
    UnitSpec,
    detect_language,
    header_key_variants,
    normalise_text,
)
from qualcode.io.decode import DEFAULT_MAX_MB
from qualcode.io.input_files import special_file_kind, special_file_message
from qualcode.io.readers import SUPPORTED, ReadDocument, ReadOptions, read_path
from qualcode.io.refi.offsets import POSITIONS as QDPX_POSITIONS
from qualcode.io.sidecar import attributes_for, read_sidecar
from qualcode.services.events import new_group_id, record
from qualcode.services.settings import read_setting, write_setting
from qualcode.store.db import Project
from qualcode.store.mapped import table_of
from qualcode.store.models import Case, CaseMember, Document, DocumentAttribute, Event, Question, utcnow

CASE_SETTING = "case_attribute"
COMMIT_EVERY = 0.5  # seconds
DEFAULT_CASE_ATTRIBUTES = ("Case", "案例")
Progress = Callable[[int, int, Path], None]


@dataclass
class ImportReport:
    imported: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {"imported": self.imported, "skipped": self.skipped, "failed": self.failed}


def collect_files(
    paths: Iterable[str | Path], pattern: str | None = None
) -> tuple[list[Path], list[dict[str, str]]]:
    """Files named directly plus those found in folders (recursively), and paths not found."""
    if pattern is not None:
        check_pattern(pattern)
    files: list[Path] = []
    missing: list[dict[str, str]] = []
    for raw in paths:
        path = Path(raw)
        kind = special_file_kind(path)
        if kind is not None:
            # Never opened: reading a FIFO would wait for a writer, /dev/zero never ends.
            missing.append({"file": str(path), "error": special_file_message(path, kind)})
        elif path.is_dir():
            found = (
                path.rglob(pattern)
                if pattern
                else (p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED)
            )
            inside = sorted(p for p in found if p.is_file() and not _hidden(p.relative_to(path)))
            if not inside:  # a mistyped folder must not look like a successful import
                wanted = f"files matching {pattern}" if pattern else f"{', '.join(SUPPORTED)} files"
                missing.append({"file": str(path), "error": f"{path}: a folder with no {wanted}"})
            files.extend(inside)
        elif path.is_file():
            files.append(path)
        else:
            missing.append({"file": str(path), "error": f"{path}: no such file or folder"})
    return files, missing


def check_pattern(pattern: str) -> None:
    """`--pattern` matches file names inside the folders given; a path pattern is refused."""
    parts = PurePath(pattern).parts
    if not pattern.strip() or PurePath(pattern).is_absolute() or ".." in parts or pattern.startswith("~"):
        raise QualcodeError(
            f"--pattern {pattern!r}: give a pattern for file names inside the folders, such as '*.txt' "
            "or 'interviews/*.docx'; name other folders as paths instead"
        )


def _hidden(relative: Path) -> bool:
    # Word leaves ~$ lock files beside open documents.
    return any(part.startswith((".", "~$")) for part in relative.parts)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_guide(session: Session) -> list[GuideQuestion]:
    rows = session.execute(select(Question)).scalars().all()
    rows = sorted(rows, key=lambda q: (q.order, natural_key(q.key)))
    return [GuideQuestion(q.key, q.text_en, q.text_zh, q.order) for q in rows]


def case_attributes(session: Session) -> tuple[str, ...]:
    """The attribute keys that name a document's case (project setting, JSON string or list)."""
    value = read_setting(session, CASE_SETTING)
    if not value:
        return DEFAULT_CASE_ATTRIBUTES
    return tuple(value) if isinstance(value, list) else (str(value),)


def case_name(attributes: dict[str, str], keys: tuple[str, ...]) -> str | None:
    folded = {key.casefold(): value for key, value in attributes.items()}
    for key in keys:
        for variant in header_key_variants(key):
            value = folded.get(variant)
            if value:
                return value
    return None


def attribute_type(value: str) -> str:
    if re.fullmatch(r"-?\d+", value):
        return "integer"
    if re.fullmatch(r"-?\d+\.\d+", value):
        return "float"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    return "text"


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    pattern: str | None = None,
    mapping: dict[str, str] | None = None,
    speaker_roles: dict[str, str] | None = None,
    attributes_file: str | Path | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    actor: str | None = None,
    progress: Progress | None = None,
    positions: str = "auto",
) -> ImportReport:
    """Import files and folders; never raises for one bad file (see the report's `failed`).

    `positions` (auto, exclusive, inclusive) says how .qdpx selection ends are read.
    """
    if positions not in QDPX_POSITIONS:
        raise QualcodeError(f"unknown positions {positions!r}; use one of {', '.join(QDPX_POSITIONS)}")
    sidecar = read_sidecar(Path(attributes_file)) if attributes_file else {}
    options = ReadOptions(
        encoding=encoding,
        max_mb=max_mb,
        mapping=dict(mapping or {}),
        rules=SpeakerRules(roles=dict(speaker_roles or {})),
    )
    files, missing = collect_files(paths, pattern)
    report = ImportReport(failed=list(missing))
    with project.read() as session:
        guide = load_guide(session)
        case_keys = case_attributes(session)
    batch = new_group_id()
    pending = ImportReport()  # written but not yet committed
    session = Session(project.engine.execution_options(qualcode_write=True))
    last_commit = time.monotonic()
    try:
        for done, path in enumerate(files, start=1):
            try:
                if path.suffix.lower() == ".qdpx":
                    _commit(session, pending, report)
                    report.imported.append(_import_qdpx(project, path, actor, options, positions))
                else:
                    documents = read_path(path, options)
                    for document in documents:
                        align_units(document.text, document.units, guide)
                    with session.begin_nested():
                        _store_file(session, path, documents, sidecar, case_keys, actor, batch, pending)
            except Exception as exc:  # noqa: BLE001  one odd file must not lose the batch
                if is_disk_full(exc):  # ... but a full disk stops it: every later file would fail too
                    raise _full_disk(session, report, path) from exc
                report.failed.append({"file": str(path), "error": _failure(path, exc)})
            if time.monotonic() - last_commit >= COMMIT_EVERY:
                _commit(session, pending, report)
                last_commit = time.monotonic()
            if progress is not None:
                progress(done, len(files), path)
        _commit(session, pending, report)
    finally:
        session.close()
    return report


def _failure(path: Path, exc: Exception) -> str:
    if isinstance(exc, QualcodeError):
        return str(exc)
    if isinstance(exc, (OSError, ValueError, SQLAlchemyError)):
        return f"{path.name}: {exc}"
    return f"{path.name}: {type(exc).__name__}: {exc}"


def _full_disk(session: Session, report: ImportReport, path: Path) -> DiskFullError:
    """Undo what is not committed and say, in one line, what the full disk left saved."""
    try:
        session.rollback()
    except SQLAlchemyError:
        pass  # SQLite rolls back by itself after SQLITE_FULL
    if not report.imported:
        return DiskFullError(
            "the disk holding the project is full: nothing was imported; free some space and try again"
        )
    return DiskFullError(
        f"the disk holding the project is full: {len(report.imported)} files imported before it filled up "
        f"were saved; {path.name} and the files after it were not imported"
    )


def _commit(session: Session, pending: ImportReport, report: ImportReport) -> None:
    """Commit the files written since the last commit and move them into the report."""
    try:
        session.commit()
    except SQLAlchemyError as exc:
        if is_disk_full(exc) and pending.imported + pending.skipped:
            raise _full_disk(session, report, Path((pending.imported + pending.skipped)[0]["file"])) from exc
        session.rollback()
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        for row in pending.imported + pending.skipped:
            report.failed.append(
                {"file": row["file"], "error": f"{Path(row['file']).name}: not saved ({reason})"}
            )
    else:
        report.imported.extend(pending.imported)
        report.skipped.extend(pending.skipped)
    pending.imported.clear()
    pending.skipped.clear()


def _import_qdpx(
    project: Project, path: Path, actor: str | None, options: ReadOptions, positions: str
) -> dict[str, Any]:
    try:
        from qualcode.services.exchange.qdpx import import_qdpx
    except ImportError as exc:
        raise QualcodeError(f"{path.name}: REFI-QDA (.qdpx) import is not available in this version") from exc
    result = import_qdpx(
        project, path, actor=actor, rules=options.rules, positions=positions, max_mb=options.max_mb
    )
    return {"file": str(path), "qdpx": result}


def _store_file(
    session: Session,
    path: Path,
    documents: list[ReadDocument],
    sidecar: dict[str, dict[str, str]],
    case_keys: tuple[str, ...],
    actor: str | None,
    batch: str,
    report: ImportReport,
) -> None:
    # Collected locally and added to the report only after the savepoint is released.
    imported: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for document in documents:
        if normalise_text(document.text) != document.text:
            raise QualcodeError(f"{path.name}: internal error, text not normalised")
        digest = sha256_of(document.text)
        existing = session.execute(select(col(Document.name)).where(col(Document.sha256) == digest)).first()
        if existing is not None:
            skipped.append(
                {"file": str(path), "reason": "same text already imported", "existing": existing[0]}
            )
            continue
        attributes = dict(document.attributes)
        attributes.update(attributes_for(sidecar, path, document.name))
        imported.append(_store_document(session, path, document, digest, attributes, case_keys, actor, batch))
    report.imported.extend(imported)
    report.skipped.extend(skipped)


def _version_name(session: Session, name: str) -> tuple[str, int | None]:
    """`name`, or `name (vN)` with the first free N when `name` is taken."""
    base = session.execute(
        select(col(Document.id), col(Document.version_of)).where(col(Document.name) == name)
    ).first()
    if base is None:
        return name, None
    taken = set(
        session.execute(select(col(Document.name)).where(col(Document.name).like(f"{name} (v%)"))).scalars()
    )
    number = 2
    while f"{name} (v{number})" in taken:
        number += 1
    return f"{name} (v{number})", base[1] or base[0]


def _store_document(
    session: Session,
    path: Path,
    read: ReadDocument,
    digest: str,
    attributes: dict[str, str],
    case_keys: tuple[str, ...],
    actor: str | None,
    batch: str,
) -> dict[str, Any]:
    # Core statements throughout: ORM add()/flush() per row was most of the time per file.
    name, version_of = _version_name(session, read.name[:500])
    language = detect_language(read.text)
    connection = session.connection()
    documents = table_of(Document)
    document_id = connection.execute(
        insert(documents).returning(documents.c.id),
        {
            "name": name,
            "text": read.text,
            "length": len(read.text),
            "sha256": digest,
            "source_filename": str(path)[:1000],
            "encoding": read.encoding,
            "language": language,
            "version_of": version_of,
            "imported_at": utcnow(),
        },
    ).scalar_one()
    if attributes:
        connection.execute(
            insert(table_of(DocumentAttribute)),
            [
                {"document_id": document_id, "key": k, "value": v, "type": attribute_type(v)}
                for k, v in attributes.items()
            ],
        )
    if read.units:
        insert_units(connection, document_id, read.units)
    case = case_name(attributes, case_keys)
    if case is not None:
        _join_case(connection, case, document_id, actor, batch)
    summary = {
        "file": str(path),
        "document": name,
        "encoding": read.encoding,
        "language": language,
        "units": len(read.units),
        "version_of": version_of,
        "case": case,
    }
    _event(
        connection,
        actor,
        "import",
        "document",
        document_id,
        batch,
        {**summary, "sha256": digest, "attributes": attributes},
    )
    return summary


def _event(
    connection: Any,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None,
    group_id: str,
    after: dict[str, Any],
) -> None:
    """The same row services.events.record writes, without an ORM flush."""
    connection.execute(
        insert(table_of(Event)),
        {
            "at": utcnow(),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": None,
            "after": json.dumps(after, ensure_ascii=False, sort_keys=True),
            "undoes": None,
            "group_id": group_id,
        },
    )


_UNIT_COLUMNS = (
    "document_id",
    "seq",
    "kind",
    "speaker",
    "speaker_role",
    "question_key",
    "question_confidence",
    "question_source",
    "start",
    "end",
    "t_start",
    "t_end",
)


def insert_units(connection: Any, document_id: int, units: list[UnitSpec]) -> None:
    """One DBAPI executemany: SQLAlchemy's per-row parameter handling costs more than SQLite's insert."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    columns = ", ".join(f'"{c}"' for c in _UNIT_COLUMNS)
    sql = f"INSERT INTO units ({columns}) VALUES ({', '.join([mark] * len(_UNIT_COLUMNS))})"
    rows = [
        (
            document_id,
            seq,
            u.kind,
            u.speaker and u.speaker[:200],
            u.speaker_role,
            u.question_key,
            u.question_confidence,
            u.question_source,
            u.start,
            u.end,
            u.t_start,
            u.t_end,
        )
        for seq, u in enumerate(units, start=1)
    ]
    connection.exec_driver_sql(sql, rows)


def _join_case(connection: Any, name: str, document_id: int, actor: str | None, batch: str) -> None:
    cases = table_of(Case)
    case_id = connection.execute(select(cases.c.id).where(cases.c.name == name[:500])).scalar()
    if case_id is None:
        case_id = connection.execute(insert(cases).returning(cases.c.id), {"name": name[:500]}).scalar_one()
        _event(connection, actor, "create", "case", case_id, batch, {"name": name})
    connection.execute(insert(table_of(CaseMember)), {"case_id": case_id, "document_id": document_id})


def set_case_attribute(project: Project, keys: str | list[str], *, actor: str | None = None) -> int:
    """Choose the attribute(s) that name a document's case and re-assign case membership.

    Returns the number of documents that belong to a case afterwards.
    """
    key_list = [keys] if isinstance(keys, str) else list(keys)
    if not key_list or not all(k.strip() for k in key_list):
        raise QualcodeError("the case attribute needs a name, e.g. City or 城市")

    def work(session: Session) -> int:
        before = read_setting(session, CASE_SETTING)
        value = key_list if len(key_list) > 1 else key_list[0]
        write_setting(session, CASE_SETTING, value)
        record(
            session,
            actor=actor,
            action="setting.set",
            entity="setting",
            before={CASE_SETTING: before},
            after={CASE_SETTING: value},
        )
        session.connection().execute(table_of(CaseMember).delete())
        rows = session.execute(
            select(
                col(DocumentAttribute.document_id), col(DocumentAttribute.key), col(DocumentAttribute.value)
            )
        ).all()
        by_doc: dict[int, dict[str, str]] = {}
        for document_id, key, val in rows:
            by_doc.setdefault(document_id, {})[key] = val or ""
        members = 0
        group = new_group_id()
        for document_id, attributes in by_doc.items():
            case = case_name(attributes, tuple(key_list))
            if case is not None:
                _join_case(session.connection(), case, document_id, actor, group)
                members += 1
        return members

    return project.transact(work)
