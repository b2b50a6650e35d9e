"""An unexpected exception inside a service call (here: in the middle of its transaction) leaves
the screen running, says so in an error toast, and writes nothing (issue 15, item 5)."""

from pathlib import Path
from typing import Any

import pytest

from qualcode.services.coding import segments as coding
from qualcode.store.db import open_project
from tests.tui.conftest import ZH_TEXT
from tests.tui.helpers import run_app


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("injected failure")


def _error_toasts(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def test_adjudication_survives_an_unexpected_error_and_writes_nothing(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcode.services.agreement import consensus
    from qualcode.services.coding.segments import list_segments
    from qualcode.tui.screens.adjudication import AdjudicationScreen

    project = open_project(str(project_dir))
    a = ZH_TEXT.index(ZH_TEXT.split("\n")[1])
    coding.add_segment(project, coder="alice", document="zh-gov", code="ADM.GOV", start=a + 4, end=a + 20)
    coding.add_segment(project, coder="bob", document="zh-gov", code="ADM.GOV", start=a + 4, end=a + 24)
    for who in ("alice", "bob"):
        coding.set_document_status(project, coder=who, document="zh-gov", status="done")
    before = {(s["coder"], s["start"], s["end"]) for s in list_segments(project, document="zh-gov")}
    project.dispose()
    # After the consensus segments are added and before the transaction ends.
    monkeypatch.setattr(consensus, "segment_dict", _boom)

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f10")
        screen = app.screen
        screen.query_one("#j-doc").value = "zh-gov"
        await pilot.pause()
        await pilot.press("k")  # keep both: two consensus segments, the failure after the first
        await pilot.pause()
        assert app.screen is screen and isinstance(screen, AdjudicationScreen)
        assert any("RuntimeError" in m and "injected failure" in m for m in _error_toasts(app))
        assert screen.places and not any(p["consensus"] for p in screen.places)
        await pilot.press("a")  # and the screen still answers keys
        await pilot.pause()
        assert app.screen is screen

    run_app(project_dir, "lead", body)
    project = open_project(str(project_dir))
    try:
        after = {(s["coder"], s["start"], s["end"]) for s in list_segments(project, document="zh-gov")}
    finally:
        project.dispose()
    assert after == before  # no consensus segment half-written


def test_memo_browser_survives_an_unexpected_error_and_writes_nothing(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcode.services.coding import memos
    from qualcode.tui.screens.memo_browser import MemoBrowser

    monkeypatch.setattr(memos, "memo_dict", _boom)  # after the memo row and its event are added

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f4")
        screen = app.screen
        assert isinstance(screen, MemoBrowser)
        shown = len(screen.rows)
        await pilot.press("ctrl+n")
        await pilot.press(*"a memo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert any("RuntimeError" in m for m in _error_toasts(app))
        assert len(screen.rows) == shown

    run_app(project_dir, "alice", body)
    project = open_project(str(project_dir))
    try:
        from sqlmodel import select

        from qualcode.store.models import Event, Memo

        with project.read() as session:
            assert session.exec(select(Memo)).all() == []
            assert [e for e in session.exec(select(Event)).all() if e.action == "memo.add"] == []
    finally:
        project.dispose()


def test_a_refusal_is_shown_as_it_is_and_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    from qualcode.core.errors import ValidationError
    from qualcode.tui.failures import failure_text

    assert failure_text(ValidationError("a memo cannot be empty")) == "a memo cannot be empty"
    assert not caplog.records
    assert "KeyError" in failure_text(KeyError("x"))
    assert caplog.records and caplog.records[0].exc_info is not None


def test_a_report_worker_that_fails_unexpectedly_says_so_and_the_screen_stays(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Label, ProgressBar

    from qualcode.tui.screens import agreement

    monkeypatch.setattr(agreement, "agreement_report", _boom)

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f8")
        screen = app.screen
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        status = str(screen.query_one("#a-status", Label).render())
        assert "RuntimeError" in status and "injected failure" in status, status
        assert screen.query_one(ProgressBar).total == 1  # the bar stopped spinning

    run_app(project_dir, "lead", body)
