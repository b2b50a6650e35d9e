"""Blind mode: a coder never receives another coder's segments, in any pane, search or memo list."""

from pathlib import Path
from typing import Any

from qualcode.services import settings
from qualcode.services.analysis import retrieval
from qualcode.services.coding import memos, workbench
from qualcode.services.coding import segments as coding
from qualcode.store.db import open_project
from tests.tui.helpers import bench, run_app, view


def _seed(project_dir: Path, blind: bool) -> None:
    project = open_project(str(project_dir))
    settings.set_setting(project, "blind_mode", blind, actor="lead")
    bob = coding.add_segment(
        project, coder="bob", document="zh-gov", code="ADM.GOV", start=4, end=12, memo="BOB-SECRET"
    )
    memos.add_memo(project, coder="bob", target_type="segment", target=bob["id"], text="BOB-SECRET memo")
    memos.add_memo(project, coder="bob", target_type="document", target="zh-gov", text="BOB-SECRET doc memo")
    coding.add_segment(project, coder="alice", document="zh-gov", code="ADM.GOV", start=4, end=9)
    project.dispose()


def test_services_hide_other_coders_in_blind_mode(project_dir: Path) -> None:
    _seed(project_dir, blind=True)
    project = open_project(str(project_dir))
    try:
        segs = workbench.document_segments(project, "zh-gov", viewer="alice", coders=["alice", "bob"])
        assert {s["coder"] for s in segs} == {"alice"}
        assert workbench.visible_coders(project, "alice") == ["alice"]
        got = retrieval.retrieve_segments(project, viewer="alice", codes=["ADM.GOV"])
        assert [r["coder"] for r in got] == ["alice"]
        assert all("BOB-SECRET" not in m["text"] for m in workbench.visible_memos(project, "alice"))
        assert workbench.visible_memos(project, "alice", search="BOB") == []
        assert {
            s["coder"]
            for s in workbench.document_segments(project, "zh-gov", viewer="lead", coders=["alice", "bob"])
        } == {"alice", "bob"}
    finally:
        project.dispose()


def test_workbench_shows_no_foreign_segment_in_blind_mode(project_dir: Path) -> None:
    _seed(project_dir, blind=True)

    async def body(app: Any, pilot: Any) -> None:
        screen = bench(app)
        screen.open_document("zh-gov")
        assert {s["coder"] for s in screen.segments} == {"alice"}
        await pilot.press("w")  # compare: refused, only alice is visible
        assert screen.compare is None
        assert {s["coder"] for s in screen.segments} == {"alice"}
        painted = {name for row in view(app)._highlights.values() for _, _, name in row}
        assert "disagree" not in painted
        shown = screen.query_one("#in-document").rows_by_key.values()
        assert {s["coder"] for s in shown} == {"alice"}
        await pilot.press("f4")
        rows = app.screen.rows
        assert rows == [] or all("BOB-SECRET" not in r["text"] for r in rows)

    run_app(project_dir, "alice", body)


def test_lead_compare_marks_disagreement(project_dir: Path) -> None:
    _seed(project_dir, blind=True)

    async def body(app: Any, pilot: Any) -> None:
        screen = bench(app)
        screen.open_document("zh-gov")
        await pilot.press("w")
        assert screen.compare == ["alice", "bob"]
        assert {s["coder"] for s in screen.segments} == {"alice", "bob"}
        tv = view(app)
        row0 = [(s, e, n) for s, e, n in tv._highlights[0] if n != "speaker"]
        # alice coded [4, 9), bob [4, 12): [4, 9) agrees on ADM.GOV, [9, 12) is bob's alone.
        # Byte columns: every character of this line is 3 bytes long in UTF-8.
        assert row0 == [(12, 27, "code.ADM.GOV"), (27, 36, "disagree")]

    run_app(project_dir, "lead", body)
