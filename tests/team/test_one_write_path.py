"""Every service write goes through `Project.transact`: a busy store is retried, a retried write lands once."""

import ast
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from qualcode.services.agreement.consensus import accept
from qualcode.services.coding.memos import add_memo
from qualcode.services.coding.segments import add_segment, list_segments
from qualcode.services.coding.undo import undo
from qualcode.store import db as store_db
from qualcode.store.models import Event, Memo
from tests.team.support import REPO, make_project


def busy_once(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The first commit after this call fails as SQLite does when another writer holds the lock.

    The failure comes after the service's work ran in full, so a write that is retried must
    run it again on a clean transaction, and one that is not would reach the caller.
    """
    calls = {"commits": 0}
    real = Session.commit

    def commit(self: Session) -> None:
        calls["commits"] += 1
        if calls["commits"] == 1:
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        real(self)

    monkeypatch.setattr(store_db.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(Session, "commit", commit)
    return calls


def _count(project: store_db.Project, model: type, *where: object) -> int:
    with project.read() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()  # type: ignore[arg-type]


def test_a_memo_written_on_a_busy_store_is_retried_and_saved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(str(tmp_path / "p"))
    calls = busy_once(monkeypatch)
    memo = add_memo(project, coder="alice", target_type="document", target="interview-01", text="备忘录")
    assert calls["commits"] == 2
    assert _count(project, Memo) == 1
    assert _count(project, Event, Event.action == "memo.add", Event.entity_id == memo["id"]) == 1
    project.dispose()


def test_an_undo_on_a_busy_store_is_retried_and_undoes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(str(tmp_path / "p"))
    add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=0, end=3)
    add_segment(project, coder="alice", document="interview-01", code="TAL.TEACH", start=4, end=8)
    calls = busy_once(monkeypatch)
    changed = undo(project, "alice")
    assert calls["commits"] == 2 and len(changed) == 1
    # Undone once: the first segment is still there, and one undo event was logged.
    assert [s["code"] for s in list_segments(project)] == ["TAL.CURR"]
    assert _count(project, Event, Event.action == "undo") == 1
    project.dispose()


def test_a_consensus_decision_on_a_busy_store_is_retried_and_recorded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(str(tmp_path / "p"))
    seg = add_segment(project, coder="alice", document="interview-01", code="TAL.CURR", start=0, end=3)
    calls = busy_once(monkeypatch)
    accepted = accept(project, [seg["id"]], decided_by="lead")
    assert calls["commits"] == 2 and len(accepted) == 1
    assert [s["coder"] for s in list_segments(project)].count("consensus") == 1
    assert _count(project, Event, Event.action == "adjudication.accept") == 1
    project.dispose()


def _write_calls(path: Path) -> list[int]:
    """Lines calling `<something>.write()` with no arguments: a Project's unretried write path."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "write"
        and not node.args
        and not node.keywords
    ]


def test_no_service_writes_outside_transact() -> None:
    package = REPO / "qualcode"
    found = {
        str(path.relative_to(REPO)): lines
        for path in sorted(package.rglob("*.py"))
        if path != package / "store" / "db.py" and (lines := _write_calls(path))
    }
    assert found == {}, f"write through project.transact(fn), which retries a busy store: {found}"


def test_the_write_path_check_sees_a_direct_write(tmp_path: Path) -> None:
    sample = tmp_path / "service.py"
    sample.write_text("def f(project):\n    with project.write() as s:\n        s.add(1)\n", encoding="utf-8")
    assert _write_calls(sample) == [2]
