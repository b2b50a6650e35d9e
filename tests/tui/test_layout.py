"""The workbench at any terminal size: the transcript keeps room to read and code (issue 13 item 6)."""

from pathlib import Path
from typing import Any

import pytest

from qualcode.services.coding.segments import document_statuses, list_segments
from qualcode.store.db import open_project
from qualcode.tui.widgets.code_details import CodeDetails
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.document_list import DocumentList
from qualcode.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import ZH_TEXT
from tests.tui.helpers import bench, run_app, view

SIZES = [(80, 24), (100, 30), (120, 40), (200, 60)]


def text_columns(tv: TranscriptView) -> int:
    """Cells a transcript line may fill: the view's content width without the gutter."""
    return tv.scrollable_content_region.width - tv.gutter_width


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_transcript_keeps_room_to_read(project_dir: Path, size: tuple[int, int]) -> None:
    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        assert text_columns(tv) >= 60
        side_by_side = screen.query_one("#left").display
        assert side_by_side == (size[0] >= 110)  # below 110 columns the panes open on demand
        if side_by_side:  # where the panes stand beside the text, the text has most of the row
            assert text_columns(tv) >= size[0] // 2
            assert screen.query_one(CodebookTree).region.width >= 24

    run_app(project_dir, "alice", body, size=size)


def test_narrow_panes_open_over_the_text_and_close(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        width = tv.region.width
        assert "[" in str(screen.query_one("#pane-keys").render())  # the keys are on screen
        await pilot.press("left_square_bracket")
        assert screen.query_one("#left").display and app.focused is screen.query_one(DocumentList)
        assert tv.region.width == width  # over the transcript, not beside it
        await pilot.press("right_square_bracket")  # one overlay at a time
        assert screen.query_one("#right").display and not screen.query_one("#left").display
        assert app.focused is screen.query_one(CodebookTree)
        await pilot.press("escape")
        assert not screen.query_one("#right").display and app.focused is tv
        await pilot.press("o")  # "go to the documents" opens the pane it goes to
        assert app.focused is screen.query_one(DocumentList)
        await pilot.press("enter")  # choosing a document closes the pane
        assert not screen.query_one("#left").display and app.focused is tv

    run_app(project_dir, "alice", body, size=(80, 24))


def test_wide_panes_hide_for_room(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        before = text_columns(tv)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert not screen.query_one("#left").display and text_columns(tv) > before
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.query_one("#left").display and text_columns(tv) == before

    run_app(project_dir, "alice", body, size=(200, 60))


def test_crossing_a_breakpoint_starts_from_its_layout(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        screen = bench(app)
        await pilot.press("left_square_bracket")  # hidden for room at 200 columns
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.query_one("#left").display  # not reopened as an overlay
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert screen.query_one("#left").display

    run_app(project_dir, "alice", body, size=(200, 60))


def test_maximise_and_restore(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        await pilot.press("z")
        assert screen.maximized is tv and tv.region.width == 120
        await pilot.press("z")
        assert screen.maximized is None and tv.region.width < 120
        screen.query_one(CodebookTree).focus()
        await pilot.press("z")
        assert screen.maximized is screen.query_one(CodebookTree)
        await pilot.press("escape")
        assert screen.maximized is None
        assert screen.query_one(CodeDetails).display

    run_app(project_dir, "alice", body, size=(120, 40))


def test_code_at_80x24_picker_memo_undo_done(project_dir: Path) -> None:
    sentence = "市里先出方案，再去动员企业和学校加入！"
    start = ZH_TEXT.index(sentence)
    span = (start, start + len(sentence))

    def stored() -> tuple[list[tuple[str, int, int, str | None]], str]:
        project = open_project(str(project_dir))
        try:
            rows = [
                (s["code"], s["start"], s["end"], s["memo"])
                for s in list_segments(project, document="zh-gov")
            ]
            return rows, document_statuses(project, "alice")["zh-gov"]
        finally:
            project.dispose()

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document("zh-gov")
        tv.select_offsets(start + 2, start + 2)
        await pilot.press("s")
        assert tv.selected_offsets == span
        await pilot.press("c")
        app.screen.query_one("#picker-input").value = "师资"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert stored()[0] == [("TAL.TEACH", *span, None)]
        tv.select_offsets(start + 1, start + 1)
        await pilot.press("m")
        app.screen.query_one("#memo-text").text = "市里主导"
        await pilot.press("ctrl+s")
        assert stored()[0] == [("TAL.TEACH", *span, "市里主导")]
        await pilot.press("u")
        assert stored()[0] == [("TAL.TEACH", *span, None)]
        await pilot.press("d")
        assert stored()[1] == "done"

    run_app(project_dir, "alice", body, size=(80, 24))
