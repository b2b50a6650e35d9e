"""What every bad-input regression test of this folder asserts: exit code 2, one `error:` line
on stderr, and a project whose tables are exactly as they were (row counts and a hash each)."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from qualcode.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def tables(project: Path) -> dict[str, tuple[int, str]]:
    """Row count and a content hash per table of a SQLite project."""
    with sqlite3.connect(project / "qualcode.db") as conn:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        out = {}
        for name in names:
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            out[name] = (len(rows), digest)
    return out


def assert_refused(capsys: pytest.CaptureFixture[str], project: Path, *args: object, says: str = "") -> str:
    """Run the command, expect a clean refusal that changed nothing; return the error line."""
    before = tables(project)
    code, _, err = run(capsys, *args)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "unexpected failure" not in lines[0]
    assert says in lines[0], lines[0]
    assert tables(project) == before
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    from qualcode.store.db import init_project

    init_project(str(tmp_path / "project")).dispose()
    return tmp_path / "project"
