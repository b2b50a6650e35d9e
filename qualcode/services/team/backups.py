"""Backups on request (the store also backs up automatically before every schema upgrade)."""

import sqlite3
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.services.outputs import output_file
from qualcode.services.team.rows import BackupWritten
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
            _("the backup {path} failed its integrity check ({result}); the project may be damaged").format(
                path=path, result=result
            )
        )


def make_backup(project: Project, to: Path | None = None, *, force: bool = False) -> BackupWritten:
    """Copy the project database to `to` (or a dated file under backups/) and verify it.

    A copy to `to` follows the output rules (services/outputs.py): written beside the target
    and renamed only once it passed its integrity check; an existing file only with `force`.
    """
    if to is None:
        path = backup_project(project, reason="manual")
        if project.dialect == "sqlite":
            _check_sqlite_copy(path)
        return {"project": project.display, "path": str(path), "bytes": path.stat().st_size}
    to = to.expanduser()
    with output_file(project, to, force=force) as temporary:
        backup_project(project, to=temporary, reason="manual")
        if project.dialect == "sqlite":
            _check_sqlite_copy(temporary)
        size = temporary.stat().st_size
    return {"project": project.display, "path": str(to), "bytes": size}
