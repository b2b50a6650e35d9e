"""Opening a project written at schema version 1 backs it up and upgrades it in place."""

import shutil
import sqlite3
from pathlib import Path

from qualcode.services.coding import segments as coding
from qualcode.store.db import open_project, schema_version
from qualcode.store.migrations import SCHEMA_VERSION

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "project-v1"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "old"
    shutil.copytree(FIXTURE, target)
    return target


def test_fixture_really_is_version_1(tmp_path: Path) -> None:
    with sqlite3.connect(_copy(tmp_path) / "qualcode.db") as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(segments)")}
        assert "guid" not in columns


def test_old_project_is_backed_up_then_upgraded_keeping_its_data(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    project = open_project(str(folder))
    assert schema_version(project.engine) == SCHEMA_VERSION
    backups = list((folder / "backups").glob("qualcode-before-upgrade-v1-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
        assert conn.execute("SELECT count(*) FROM segments").fetchone() == (1,)
    rows = coding.list_segments(project)
    assert [(r["coder"], r["code"], r["text"], r["memo"]) for r in rows] == [
        ("lin", "TAL.PROG", "开了储能专业", "v1 memo")
    ]
    # the upgraded schema is fully usable, including the new columns and the bounds triggers
    coding.add_segment(project, coder="chen", document="doc1", code="TAL.PROG", start=0, end=3)
    assert coding.document_statuses(project, "lin") == {"doc1": "done"}
    project.dispose()
    # reopening does not upgrade or back up again
    open_project(str(folder)).dispose()
    assert len(list((folder / "backups").glob("*.db"))) == 1


def test_failed_upgrade_step_is_one_clear_error_and_leaves_version(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from sqlalchemy import text

    from qualcode.core.errors import QualcodeError
    from qualcode.store import db, migrations

    def broken(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute(text("ALTER TABLE no_such_table ADD COLUMN x INTEGER"))

    monkeypatch.setitem(migrations.STEPS, 1, broken)
    monkeypatch.setattr(db, "STEPS", migrations.STEPS)
    folder = _copy(tmp_path)
    with pytest.raises(QualcodeError, match="upgrading the schema from version 1 to 2 failed.*backup is at"):
        open_project(str(folder))
    with sqlite3.connect(folder / "qualcode.db") as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
