"""Project backups: SQLite's online backup API, or pg_dump for PostgreSQL."""

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import make_url

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _

BACKUP_FOLDER = "backups"


class Backed(Protocol):
    """What a backup needs of a project (store/db.py's Project, which upgrades through this module)."""

    @property
    def url(self) -> str: ...

    @property
    def folder(self) -> Path | None: ...

    @property
    def dialect(self) -> str: ...


def _default_target(project: Backed, reason: str, suffix: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    base = project.folder if project.folder is not None else Path.cwd()
    return base / BACKUP_FOLDER / f"qualcode-{reason}-{stamp}{suffix}"


def backup_project(project: Backed, to: Path | None = None, reason: str = "manual") -> Path:
    """Write a consistent copy of the project database and return its path."""
    if project.dialect == "sqlite":
        target = to or _default_target(project, reason, ".db")
        target.parent.mkdir(parents=True, exist_ok=True)
        source_path = make_url(project.url).database
        assert source_path is not None
        src = sqlite3.connect(source_path, timeout=30)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target
    target = to or _default_target(project, reason, ".sql")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise QualcodeError(
            _("pg_dump is not installed: install the PostgreSQL client to back up this project")
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    url = make_url(project.url).set(drivername="postgresql")
    result = subprocess.run(
        [pg_dump, "--no-owner", "--file", str(target), url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise QualcodeError(
            _("pg_dump failed: {value}").format(
                value=result.stderr.strip().splitlines()[-1] if result.stderr else 'unknown'
            )
        )
    return target
