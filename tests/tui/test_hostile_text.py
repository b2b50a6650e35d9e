"""Stored text with terminal control characters is shown as symbols in the TUI, never obeyed."""

from pathlib import Path
from typing import Any

from qualcode.services.coding import segments as coding
from qualcode.store.db import open_project
from qualcode.tui.widgets.segment_list import _cells
from tests.hardening.harness import HOSTILE
from tests.tui.conftest import build_project
from tests.tui.helpers import bench, run_app, view

HOSTILE_TEXT = "访谈者：第一问\x1b[2J\x1b]52;c;eA==\x07？\n受访者：回答\u202eevil\x9b31m。"


def test_transcript_and_memo_with_control_characters_are_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    build_project(folder, {"hostile": (HOSTILE_TEXT, "zh", "政府官员")})
    project = open_project(str(folder))
    coding.add_segment(
        project, coder="alice", document="hostile", code="ADM.GOV", start=4, end=12, memo="\x1b[31mred"
    )
    project.dispose()

    async def body(app: Any, pilot: Any) -> None:
        screen = bench(app)
        screen.open_document("hostile")
        await pilot.pause()
        shown = view(app).text
        assert len(shown) == len(HOSTILE_TEXT)  # one symbol per control character: offsets hold
        assert not HOSTILE & set(shown) and "␛[2J" in shown
        assert view(app).get_text_range((0, 4), (0, 12)) == shown[4:12]
        listing = screen.query_one("#in-document")
        rows = listing.rows_by_key.values()
        assert [r["memo"] for r in rows] == ["\x1b[31mred"]  # stored as typed
        for row in rows:  # every cell the list paints (the memo column may be scrolled off screen)
            cells = _cells(row, listing.codes, "zh_CN")
            assert not HOSTILE & set("".join(cells)), cells

    run_app(folder, "alice", body)
