"""Every memo is listed and counted, whatever it is attached to: one rule for info, the browser and exports."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from qualcode.services.coding import memos, workbench
from qualcode.services.demo import build_demo
from qualcode.services.project import project_info
from qualcode.services.team.access import blind_status
from qualcode.store.db import open_project
from tests.foundation.test_cli import qc

SOURCES = Path(__file__).resolve().parents[2] / "projects" / "demo"


def _demo_segment_memos() -> dict[str, int]:
    """Coder -> segment memos written in the demo's coding sheets."""
    out = {}
    for path in (SOURCES / "codings").glob("*.yaml"):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[sheet["coder"]] = sum(1 for s in sheet["segments"] if s.get("memo"))
    return out


def is_blind_on(project: Any) -> bool:
    return blind_status(project)["state"] == "on"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("memos") / "demo"
    project, _ = build_demo(folder)
    memos.add_memo(project, coder="lin", target_type="project", target=None, text="project-level thought")
    memos.add_memo(project, coder="chen", target_type="code", target="TAL.CURR", text="code note")
    project.dispose()
    return folder


def test_info_counts_the_demo_segment_memos(demo: Path) -> None:
    expected = sum(_demo_segment_memos().values()) + 2
    assert expected > 2
    info = json.loads(qc("info", str(demo), "--as", "wang", "--format", "json").stdout)
    assert info["memos"] == expected


def test_a_blank_search_lists_every_memo_that_info_counts(demo: Path) -> None:
    project = open_project(str(demo))
    try:
        rows = memos.list_memos(project, viewer="wang")
        assert len(rows) == project_info(project, viewer="wang")["memos"]
        assert {r["target_type"] for r in rows} == {"segment", "project", "code"}
        assert len(workbench.visible_memos(project, "wang")) == len(rows)
        # newest first, across memo rows and memos kept on segments
        assert [r["updated_at"] for r in rows] == sorted((r["updated_at"] for r in rows), reverse=True)
        assert [r["text"] for r in memos.list_memos(project, viewer="wang", search="project-level")] == [
            "project-level thought"
        ]
    finally:
        project.dispose()


def test_blind_mode_counts_and_lists_only_the_viewers_memos(demo: Path) -> None:
    project = open_project(str(demo))
    try:
        assert is_blind_on(project)
        own = _demo_segment_memos()["lin"] + 1  # plus lin's project memo
        rows = workbench.visible_memos(project, "lin")
        assert {r["coder"] for r in rows} == {"lin"}
        assert len(rows) == own == project_info(project, viewer="lin")["memos"]
    finally:
        project.dispose()


def test_the_memo_browser_lists_segment_memos_with_an_empty_search(demo: Path) -> None:
    from qualcode.tui.screens.memo_browser import MemoBrowser
    from tests.tui.helpers import run_app

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MemoBrowser)
        # the demo is blind: lin's own segment memos, and nobody else's
        assert sum(1 for r in screen.rows if r["target_type"] == "segment") == _demo_segment_memos()["lin"]

    run_app(demo, "lin", body)
