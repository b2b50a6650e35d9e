"""PostgreSQL projects end to end: the CLI on a folder pointing at a server, and the change feed."""

import json
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from qualcode.cli import cli
from qualcode.services.coding.segments import add_segment
from qualcode.services.team.changes import changes_since
from qualcode.store.db import open_project
from tests.team.support import TEXTS, add_codes, add_documents

pytestmark = pytest.mark.postgres


def _ok(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_cli_on_a_folder_that_points_at_postgres(pg_database_url: str, tmp_path) -> None:
    folder = str(tmp_path / "study")
    assert "(postgresql)" in _ok("init", folder, "--db", pg_database_url)
    project = open_project(folder)
    add_documents(project, TEXTS)
    add_codes(project, ["TAL.CURR"])
    project.dispose()
    _ok("coders", "add", folder, "alice")
    _ok("coders", "add", folder, "wang", "--role", "lead")
    _ok(
        "code",
        "add",
        folder,
        "--coder",
        "alice",
        "--doc",
        "interview-01",
        "--code",
        "TAL.CURR",
        "--start",
        "2",
        "--end",
        "9",
    )
    rows = json.loads(_ok("code", "list", folder, "--as", "alice", "--format", "json"))
    assert [(r["coder"], r["text"]) for r in rows] == [("alice", TEXTS["interview-01"][2:9])]
    assert "blind mode: on" in _ok("blind", "on", folder, "--as", "wang")
    info = json.loads(_ok("info", folder, "--as", "wang", "--format", "json"))  # blind: say who you are
    assert info["database"] == "postgresql" and info["segments"] == 1


def _poll_until(project, last: int, want: int, viewer: str | None = None) -> tuple[int, list[dict]]:
    """Poll like a compare view; other tests' transactions on the server may delay (never break) the cursor."""
    seen: list[dict] = []
    for _ in range(100):
        last, events = changes_since(project, last, viewer=viewer)
        seen += events
        if len(seen) >= want:
            return last, seen
        time.sleep(0.05)
    return last, seen


def test_change_feed_never_skips_an_event_committed_late(pg_database_url: str) -> None:
    from tests.team.support import make_project

    project = make_project(pg_database_url)
    last, _ = changes_since(project, 0)
    slow = project.engine.connect()
    transaction = slow.begin()
    slow.execute(text("INSERT INTO events (at, actor, action, entity) VALUES (now(), 'bob', 'slow', 'test')"))
    add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=0, end=4)
    held, early = changes_since(project, last)
    assert (held, early) == (last, [])  # the slow transaction's id is still a gap: wait for it
    transaction.commit()
    slow.close()
    last, events = _poll_until(project, last, 2)
    assert sorted(e["action"] for e in events) == ["segment.add", "slow"]
    # a rolled-back id leaves a permanent gap, which the feed moves past once nobody is writing
    rolled = project.engine.connect()
    with rolled.begin() as transaction:
        rolled.execute(
            text("INSERT INTO events (at, actor, action, entity) VALUES (now(), 'bob', 'gone', 'test')")
        )
        transaction.rollback()
    rolled.close()
    add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=5, end=9)
    last, events = _poll_until(project, last, 1)
    assert [e["action"] for e in events] == ["segment.add"]
    project.dispose()
