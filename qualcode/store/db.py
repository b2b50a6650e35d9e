"""Opening, creating and upgrading a project store (SQLite folder or PostgreSQL URL)."""

import json
import os
import random
import sqlite3
import time
import tomllib
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, create_engine

from qualcode.core.errors import DiskFullError, QualcodeError, is_disk_full
from qualcode.io.output import Protected
from qualcode.store import models  # noqa: F401  (registers the tables)
from qualcode.store.migrations import SCHEMA_VERSION, STEPS
from qualcode.store.schema import install_triggers

PROJECT_FILE = "qualcode-project.toml"
SQLITE_FILE = "qualcode.db"
BACKUP_FOLDER = "backups"
DISK_FULL = "the disk holding the project is full; nothing was changed (free some space and try again)"
# Files SQLite keeps beside a database while it is open or recovering.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
ENV_DB = "QUALCODE_DB"
T = TypeVar("T")


@dataclass
class Project:
    """An open project: where it lives and an engine to reach it."""

    engine: Engine
    url: str
    folder: Path | None  # None for a bare database URL

    def __post_init__(self) -> None:
        key = id(self)

        def forget(ref: "weakref.ref[Project]") -> None:
            if _OPEN.get(key) is ref:
                del _OPEN[key]

        _OPEN[key] = weakref.ref(self, forget)

    @property
    def own_files(self) -> Protected:
        """The files that make up this project, which no output may write over."""
        files: list[Path] = []
        folders: list[Path] = []
        if self.folder is not None:
            files.append(self.folder / PROJECT_FILE)
            folders.append(self.folder / BACKUP_FOLDER)
        database = make_url(self.url).database if self.dialect == "sqlite" else None
        if database:
            files += [Path(database + suffix) for suffix in ("", *SQLITE_SIDE_FILES)]
        return Protected(tuple(files), tuple(folders))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display(self) -> str:
        if self.folder is not None:
            return str(self.folder)
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            try:
                yield session
            except DBAPIError as exc:
                _translate(exc)
                raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on normal exit, rolled back on error.

        On SQLite it starts with BEGIN IMMEDIATE so two writers queue on the busy
        timeout instead of failing on a read-to-write lock upgrade.
        """
        with Session(self.engine.execution_options(qualcode_write=True)) as session:
            try:
                yield session
                session.commit()
            except Exception as exc:
                try:
                    session.rollback()
                except DBAPIError:
                    # SQLite has already rolled back after SQLITE_FULL and the savepoint is gone;
                    # the transaction is undone either way, so report the original error.
                    pass
                _translate(exc)
                raise

    def transact(self, work: Callable[[Session], T], attempts: int = 8) -> T:
        """Run `work` in a write transaction, retrying with backoff while the store is busy.

        `work` may run more than once, so it must not have effects outside the session.
        SQLite already waits up to its busy timeout inside each attempt; the retries cover
        the busy cases that skip that wait (WAL recovery, snapshot conflicts, PostgreSQL
        serialisation failures and deadlocks). A person waits at most about a minute.
        """
        deadline = time.monotonic() + 60
        for attempt in range(attempts):
            try:
                with self.write() as session:
                    return work(session)
            except StoreBusyError:
                if attempt == attempts - 1 or time.monotonic() > deadline:
                    raise
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
        _OPEN.pop(id(self), None)


# Every project this process has open: an output path may overwrite none of their files.
_OPEN: dict[int, "weakref.ref[Project]"] = {}


def open_projects_files() -> Protected:
    """The own files of every project open in this process."""
    protected = Protected()
    for ref in list(_OPEN.values()):
        project = ref()
        if project is not None:
            protected = protected + project.own_files
    return protected


class StoreBusyError(QualcodeError):
    """Other writers held the project for too long; nothing was changed."""


def _is_busy(exc: Exception) -> bool:
    message = str(exc).lower()
    return "database is locked" in message or "could not serialize" in message or "deadlock" in message


def _translate(exc: Exception) -> None:
    """Turn a busy store or a refused database login into a message a person can act on.

    Raw "database is locked" must never reach the user: callers retry on StoreBusyError
    (see `transact`) and, if it still fails, the user reads this message instead.
    """
    if is_disk_full(exc):
        raise DiskFullError(DISK_FULL) from exc
    if isinstance(exc, OperationalError) and _is_busy(exc):
        raise StoreBusyError(
            "the project is busy with other coders' changes; nothing was changed, please try again"
        ) from exc
    if isinstance(exc, StaleDataError):  # e.g. row-level security hid the row from this update
        raise QualcodeError(
            "that row was changed or removed meanwhile, or your database login may not change it; nothing was changed"
        ) from exc
    if isinstance(exc, DBAPIError):
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
        if "permission denied" in reason or "row-level security" in reason:
            raise QualcodeError(f"your database login may not do this ({reason})") from exc


def is_url(target: str) -> bool:
    return "://" in target


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": 30, "isolation_level": None, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        # FULL: a commit the UI has acknowledged survives a crash of the machine too.
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get("qualcode_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _url_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise QualcodeError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database:
            raise QualcodeError("an in-memory SQLite URL cannot hold a project")
        return _sqlite_engine(Path(parsed.database))
    if parsed.get_backend_name() != "postgresql":
        raise QualcodeError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or postgresql+psycopg://"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except ModuleNotFoundError as exc:
        raise QualcodeError("PostgreSQL support needs psycopg: pip install 'qualcode[postgres]'") from exc


def _describe_connect_error(
    project_display: str, exc: Exception, folder: Path | None = None
) -> QualcodeError:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    if is_disk_full(exc) or ("disk I/O error" in reason and folder is not None and _nearly_full(folder)):
        # Opening a WAL database creates its -shm file; on a full disk SQLite says "disk I/O error".
        return DiskFullError(f"cannot open {project_display}: the disk holding the project is full")
    if "file is not a database" in reason or "malformed" in reason:
        return QualcodeError(
            f"{project_display}: the project database is corrupt or not a SQLite file ({reason})"
        )
    return QualcodeError(f"cannot open {project_display}: {reason}")


def _nearly_full(folder: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _read_project_file(folder: Path) -> dict[str, object]:
    try:
        with open(folder / PROJECT_FILE, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise QualcodeError(f"{folder / PROJECT_FILE} is not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise QualcodeError(
            f"{folder / PROJECT_FILE} is not UTF-8 text (byte {exc.start}); "
            "save it as UTF-8 (it holds the project name and database settings)"
        ) from exc
    except OSError as exc:
        raise QualcodeError(
            f"{folder / PROJECT_FILE}: cannot read the project file ({exc.strerror})"
        ) from exc


def _resolve(target: str) -> tuple[Engine, str, Path | None]:
    if is_url(target):
        return _url_engine(target), target, None
    folder = Path(target).expanduser()
    if not folder.exists():
        raise QualcodeError(f"{target}: no such project folder (create one with `qualcode init {target}`)")
    if not folder.is_dir():
        raise QualcodeError(f"{target} is a file, not a project folder")
    if not (folder / PROJECT_FILE).is_file():
        raise QualcodeError(
            f"{target} is not a qualcode project (no {PROJECT_FILE}; create one with `qualcode init`)"
        )
    database = str(_read_project_file(folder).get("database", SQLITE_FILE))
    if is_url(database):
        return _url_engine(database), database, folder
    path = folder / database
    if not path.is_file():
        raise QualcodeError(f"{target}: the project database {database} is missing")
    return _sqlite_engine(path), f"sqlite:///{path}", folder


def schema_version(engine: Engine) -> int | None:
    """The stored schema version, or None if the database has no qualcode schema."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "meta"):
            return None
        row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
        return int(row[0]) if row else None


def open_project(target: str, *, upgrade: bool = True) -> Project:
    """Open an existing project; back up and upgrade an older schema, refuse a newer one."""
    engine, url, folder = _resolve(target)
    project = Project(engine=engine, url=url, folder=folder)
    try:
        version = schema_version(engine)
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise _describe_connect_error(project.display, exc, folder) from exc
    if version is None:
        engine.dispose()
        raise QualcodeError(f"{project.display} holds no qualcode project (run `qualcode init`)")
    if version > SCHEMA_VERSION:
        engine.dispose()
        raise QualcodeError(
            f"{project.display} was written by a newer qualcode (schema {version}, this version reads up to "
            f"{SCHEMA_VERSION}); upgrade qualcode to open it"
        )
    if version < SCHEMA_VERSION:
        if not upgrade:
            raise QualcodeError(
                f"{project.display} needs an upgrade from schema {version} to {SCHEMA_VERSION}"
            )
        _upgrade(project, version)
    return project


def open_source_copy(target: str, scratch: Path) -> Project:
    """Open a project only to read it; an older SQLite one is upgraded in a copy under `scratch`.

    A coder's offline copy handed in for merging must not be changed by reading it.
    """
    try:
        return open_project(target, upgrade=False)
    except QualcodeError:
        engine, url, folder = _resolve(target)
        try:
            version = schema_version(engine)
        finally:
            engine.dispose()
        if version is None or version >= SCHEMA_VERSION or not url.startswith("sqlite"):
            raise
    copy = scratch / SQLITE_FILE
    source = sqlite3.connect(make_url(url).database or "", timeout=30)
    dest = sqlite3.connect(copy)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    project = Project(engine=_sqlite_engine(copy), url=f"sqlite:///{copy}", folder=scratch)
    _upgrade(project, version)
    return project


def _upgrade(project: Project, version: int) -> None:
    from qualcode.store.backup import backup_project

    backup = backup_project(project, reason=f"before-upgrade-v{version}")
    for step_from in range(version, SCHEMA_VERSION):
        try:
            with project.engine.execution_options(qualcode_write=True).begin() as conn:
                STEPS[step_from](conn)
                install_triggers(conn)
                conn.execute(
                    text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(step_from + 1)}
                )
        except (OperationalError, DatabaseError) as exc:
            project.dispose()
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise QualcodeError(
                f"{project.display}: upgrading the schema from version {step_from} to {step_from + 1} failed "
                f"({reason}); the project is unchanged at version {step_from} and a backup is at {backup}"
            ) from exc


def create_schema(engine: Engine) -> None:
    with engine.execution_options(qualcode_write=True).begin() as conn:
        SQLModel.metadata.create_all(conn)
        install_triggers(conn)
        conn.execute(text("DELETE FROM meta WHERE key = 'schema_version'"))
        conn.execute(
            text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": str(SCHEMA_VERSION)}
        )


def init_project(target: str, *, db_url: str | None = None, name: str | None = None) -> Project:
    """Create a project folder (SQLite, or pointing at `db_url`) or a schema at a database URL."""
    db_url = db_url or (os.environ.get(ENV_DB) if not is_url(target) else None)
    engine: Engine | None
    if is_url(target):
        engine, url, folder = _url_engine(target), target, None
    else:
        folder = Path(target).expanduser()
        if (folder / PROJECT_FILE).exists():
            raise QualcodeError(f"{target} is already a qualcode project")
        if folder.exists() and not folder.is_dir():
            raise QualcodeError(f"{target} is a file, not a folder")
        if db_url:
            engine, url = _url_engine(db_url), db_url
        else:
            path = folder / SQLITE_FILE
            url = f"sqlite:///{path}"
            engine = None
    project_name = name or (folder.name if folder is not None else make_url(url).database or "qualcode")
    if engine is not None:
        try:
            existing = schema_version(engine)
        except (OperationalError, DatabaseError) as exc:
            engine.dispose()
            raise _describe_connect_error(make_url(url).render_as_string(hide_password=True), exc) from exc
        if existing is not None:
            engine.dispose()
            raise QualcodeError("that database already holds a qualcode project")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        if engine is None:
            engine = _sqlite_engine(folder / SQLITE_FILE)
    assert engine is not None  # a URL target or db_url made one; otherwise the folder branch did
    create_schema(engine)
    project = Project(engine=engine, url=url, folder=folder)
    if folder is not None:
        database = SQLITE_FILE if url.startswith("sqlite") else url
        (folder / PROJECT_FILE).write_text(
            f"# qualcode project\nname = {json.dumps(project_name, ensure_ascii=False)}\n"
            f"database = {json.dumps(database)}\n",
            encoding="utf-8",
        )
    return project
