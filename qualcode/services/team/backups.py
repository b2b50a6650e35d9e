"""Backups on request (the store also backs up automatically before every schema upgrade)."""

import sqlite3
from pathlib import Path
from typing import Any

from qualcode.core.errors import QualcodeError
from qualcode.store.backup import backup_project
from qualcode.store.db import Project


def _check_sqlite_copy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise QualcodeError(
            f"the backup {path} failed its integrity check ({result}); the project may be damaged"
        )


def make_backup(project: Project, to: Path | None = None) -> dict[str, Any]:
    """Copy the project database to `to` (or a dated file under backups/) and verify it."""
    if to is not None:
        to = to.expanduser()
        if to.exists():
            raise QualcodeError(f"{to} already exists; choose another file name")
        if not to.parent.is_dir():
            raise QualcodeError(f"{to.parent} is not a folder")
    path = backup_project(project, to=to, reason="manual")
    if project.dialect == "sqlite":
        _check_sqlite_copy(path)
    return {"project": project.display, "path": str(path), "bytes": path.stat().st_size}
