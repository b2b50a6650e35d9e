"""A busy SQLite store: writers wait and retry; "database is locked" never reaches the user."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from qualcode.services.coding.segments import add_segment, list_segments
from qualcode.store import db as store_db
from qualcode.store.db import StoreBusyError
from tests.team.support import make_project


def _locked(attempts_failing: int):
    calls = {"n": 0}

    def work(session) -> str:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] <= attempts_failing:
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
        return "done"

    return work, calls


def test_transact_retries_a_busy_store_then_succeeds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_db.time, "sleep", lambda s: None)
    project = make_project(str(tmp_path / "p"))
    work, calls = _locked(3)
    assert project.transact(work) == "done" and calls["n"] == 4
    work, calls = _locked(100)
    with pytest.raises(StoreBusyError) as caught:
        project.transact(work)
    assert calls["n"] == 8
    assert (
        str(caught.value)
        == "the project is busy with other coders' changes; nothing was changed, please try again"
    )
    assert "locked" not in str(caught.value)
    project.dispose()


def test_a_writer_waits_for_another_process_holding_the_lock(tmp_path: Path) -> None:
    project = make_project(str(tmp_path / "p"))
    other = sqlite3.connect(tmp_path / "p" / "qualcode.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE coders SET role = role")
    released = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    released.start()
    start = time.perf_counter()
    add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=0, end=3)
    assert time.perf_counter() - start >= 0.9
    assert len(list_segments(project)) == 1
    released.join()
    other.close()
    project.dispose()
