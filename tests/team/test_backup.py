"""Backups on request (SQLite online backup API, pg_dump) and before every schema upgrade."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from qualcode.core.errors import QualcodeError
from qualcode.services.coding.segments import add_segment
from qualcode.services.team.backups import make_backup
from qualcode.store import db as store_db
from qualcode.store.db import open_project
from tests.team.support import cli, make_project

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "project-v1"


def test_backup_while_another_connection_writes(tmp_path: Path) -> None:
    project = make_project(str(tmp_path / "p"))
    add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=0, end=5)
    with project.write() as session:  # an open write transaction does not block the copy
        from sqlalchemy import text

        session.execute(text("UPDATE coders SET role = role"))
        result = make_backup(project, to=tmp_path / "copy.db")
    with sqlite3.connect(result["path"]) as conn:
        assert conn.execute("SELECT count(*) FROM segments").fetchone() == (1,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with pytest.raises(QualcodeError, match="already exists; add --force to replace it"):
        make_backup(project, to=tmp_path / "copy.db")
    project.dispose()


def test_backup_cli_default_location(tmp_path: Path) -> None:
    make_project(str(tmp_path / "p")).dispose()
    out = cli("backup", str(tmp_path / "p"))
    assert out.returncode == 0 and out.stdout.startswith("backed up")
    assert len(list((tmp_path / "p" / "backups").glob("qualcode-manual-*.db"))) == 1


@pytest.mark.postgres
def test_postgres_backup_with_pg_dump(pg_database_url: str, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    project = make_project(pg_database_url)
    add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=0, end=5)
    result = make_backup(project, to=tmp_path / "dump.sql")
    dump = Path(result["path"]).read_text(encoding="utf-8")
    assert "CREATE TABLE public.segments" in dump and "问：贵市产教联合体" in dump
    project.dispose()


def test_backup_is_taken_before_a_migration_even_one_that_fails(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)

    def broken_step(conn) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("step failed")

    monkeypatch.setitem(store_db.STEPS, 1, broken_step)
    with pytest.raises(RuntimeError, match="step failed"):
        open_project(str(folder))
    backups = list((folder / "backups").glob("qualcode-before-upgrade-v1-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
    with sqlite3.connect(folder / "qualcode.db") as conn:  # the failed step left the project at v1
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)


@pytest.mark.postgres
def test_postgres_upgrade_is_preceded_by_a_dump(pg_database_url: str, tmp_path: Path, monkeypatch) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    from sqlalchemy import text

    project = make_project(pg_database_url)
    with project.write() as session:
        session.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    project.dispose()
    monkeypatch.chdir(tmp_path)  # a bare URL has no folder: backups go to ./backups
    open_project(pg_database_url).dispose()
    dumps = list((tmp_path / "backups").glob("qualcode-before-upgrade-v1-*.sql"))
    assert len(dumps) == 1
    assert "schema_version\t1" in dumps[0].read_text(encoding="utf-8")
