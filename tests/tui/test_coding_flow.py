"""Select → code → undo → redo → memo → done, on a Chinese and an English transcript, checked in the database."""

from pathlib import Path
from typing import Any

import pytest

from qualcode.services.coding.segments import document_statuses, list_segments
from qualcode.store.db import open_project
from tests.tui.conftest import EN_TEXT, ZH_TEXT
from tests.tui.helpers import bench, run_app, view


def db_segments(project_dir: Path, doc: str) -> list[tuple[str, int, int, str | None]]:
    project = open_project(str(project_dir))
    try:
        return [(s["code"], s["start"], s["end"], s["memo"]) for s in list_segments(project, document=doc)]
    finally:
        project.dispose()


def db_status(project_dir: Path, coder: str, doc: str) -> str:
    project = open_project(str(project_dir))
    try:
        return document_statuses(project, coder)[doc]
    finally:
        project.dispose()


CASES = [
    # document, text, a position inside the second sentence of the first answer, that sentence
    ("zh-gov", ZH_TEXT, ZH_TEXT.index("市里先出方案") + 2, "市里先出方案，再去动员企业和学校加入！"),
    ("en-res", EN_TEXT, EN_TEXT.index("Companies joined") + 3, "Companies joined later!"),
]


@pytest.mark.parametrize("doc,text,pos,sentence", CASES, ids=["zh", "en"])
def test_select_code_undo_redo_memo_done(
    project_dir: Path, doc: str, text: str, pos: int, sentence: str
) -> None:
    start = text.index(sentence)
    span = (start, start + len(sentence))

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document(doc)
        tv.select_offsets(pos, pos)
        await pilot.press("s")
        assert tv.selected_offsets == span
        assert tv.selected_text == sentence  # the view's offsets are code points, also for 中文
        await pilot.press("1")
        assert db_segments(project_dir, doc) == [("TAL.TRAIN", *span, None)]
        assert [(s["code"], s["start"], s["end"]) for s in screen.segments] == [("TAL.TRAIN", *span)]
        await pilot.press("u")
        assert db_segments(project_dir, doc) == []
        assert screen.segments == []
        await pilot.press("r")
        assert db_segments(project_dir, doc) == [("TAL.TRAIN", *span, None)]
        tv.select_offsets(span[0] + 1, span[0] + 1)
        await pilot.press("m")
        editor = app.screen
        editor.query_one("#memo-text").text = "政府主导 / government-led"
        await pilot.press("ctrl+s")
        assert db_segments(project_dir, doc) == [("TAL.TRAIN", *span, "政府主导 / government-led")]
        assert screen.query_one("#in-document").rows_by_key  # the pane shows the reloaded row
        await pilot.press("d")
        assert db_status(project_dir, "alice", doc) == "done"
        await pilot.press("u")
        assert db_status(project_dir, "alice", doc) == "in_progress"

    run_app(project_dir, "alice", body)


def test_turn_picker_bounds_remove(project_dir: Path) -> None:
    answer = ZH_TEXT.split("\n")[1]
    a0 = ZH_TEXT.index(answer)
    body_start = a0 + len("受访者：")

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document("zh-gov")
        tv.select_offsets(a0 + 10, a0 + 10)
        await pilot.press("t")
        assert tv.selected_offsets == (body_start, a0 + len(answer))  # the turn without its speaker label
        await pilot.press("c")
        picker = app.screen
        picker.query_one("#picker-input").value = "政府"  # filter by the Chinese name
        await pilot.pause()
        await pilot.press("enter")
        assert db_segments(project_dir, "zh-gov") == [("ADM.GOV", body_start, a0 + len(answer), None)]
        tv.select_offsets(body_start, body_start + 5)
        await pilot.press("b")
        assert db_segments(project_dir, "zh-gov") == [("ADM.GOV", body_start, body_start + 5, None)]
        tv.select_offsets(body_start + 1, body_start + 1)
        await pilot.press("x")
        assert db_segments(project_dir, "zh-gov") == []
        assert screen.segments == []

    run_app(project_dir, "alice", body)


def test_refused_action_leaves_view_equal_to_database(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document("en-res")
        tv.select_offsets(0, 11)
        await pilot.press("1")
        await pilot.press("1")  # the same code on the same span again: refused by the service
        assert db_segments(project_dir, "en-res") == [("TAL.TRAIN", 0, 11, None)]
        assert [(s["code"], s["start"], s["end"]) for s in screen.segments] == [("TAL.TRAIN", 0, 11)]
        assert any(n.severity == "error" and "already coded" in n.message for n in app._notifications)

    run_app(project_dir, "alice", body)


def test_undo_survives_restart(project_dir: Path) -> None:
    async def code(app: Any, pilot: Any) -> None:
        bench(app).open_document("en-res")
        view(app).select_offsets(0, 11)
        await pilot.press("2")

    async def undo_after_restart(app: Any, pilot: Any) -> None:
        await pilot.press("u")

    run_app(project_dir, "alice", code)
    assert db_segments(project_dir, "en-res") == [("TAL.TEACH", 0, 11, None)]
    run_app(project_dir, "alice", undo_after_restart)
    assert db_segments(project_dir, "en-res") == []


def test_invivo_code_from_chinese_selection(project_dir: Path) -> None:
    start = ZH_TEXT.index("公共实训基地")
    span = (start, start + len("公共实训基地"))

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document("zh-gov")
        tv.select_offsets(*span)
        await pilot.press("v")
        app.screen.query_one("#picker-input").value = "TAL"
        await pilot.pause()
        await pilot.press("enter")
        assert app.screen.query_one("#prompt-input").value == "公共实训基地"
        await pilot.press("enter")
        assert db_segments(project_dir, "zh-gov") == [("TAL.IV1", *span, None)]
        assert screen.codes_by_key["TAL.IV1"]["name_zh"] == "公共实训基地"  # the tree shows the new code

    run_app(project_dir, "alice", body)


def test_mouse_selection_on_wide_characters_and_codebook_filter(project_dir: Path) -> None:
    line1 = ZH_TEXT.index("受访者")

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document("zh-gov")
        await pilot.pause()
        # Row 1 is the first answer; after the 8-cell gutter every CJK character is 2 cells wide.
        await pilot.mouse_down(tv, offset=(8 + 8, 1))
        await pilot.hover(tv, offset=(8 + 8 + 12, 1))
        await pilot.mouse_up(tv, offset=(8 + 8 + 12, 1))
        assert tv.selected_offsets == (line1 + 4, line1 + 10)
        assert tv.selected_text == ZH_TEXT[line1 + 4 : line1 + 10]
        screen.query_one("#code-filter").value = "师资"
        await pilot.pause()
        tree = screen.query_one("#codebook")
        shown = [node.data for node in (tree.get_node_at_line(i) for i in range(tree.last_line + 1)) if node]
        assert shown == ["TAL", "TAL.TEACH"]

    run_app(project_dir, "alice", body)


def test_memos_on_document_code_and_project_are_searchable(project_dir: Path) -> None:
    from qualcode.services.coding.memos import list_memos

    async def body(app: Any, pilot: Any) -> None:
        screen = bench(app)
        screen.open_document("zh-gov")
        await pilot.press("n")
        app.screen.query_one("#memo-text").text = "政府主导很明显"
        await pilot.press("ctrl+s")
        screen.query_one("#codebook").move_cursor_to_line(1)
        await pilot.press("k")
        app.screen.query_one("#memo-text").text = "training base memo"
        await pilot.press("ctrl+s")
        await pilot.press("f4")
        browser = app.screen
        await pilot.press("ctrl+n")
        app.screen.query_one("#memo-text").text = "project: 先编码政府访谈"
        await pilot.press("ctrl+s")
        assert {(m["target_type"], m["target"]) for m in browser.rows} == {
            ("document", "zh-gov"),
            ("code", "TAL.TRAIN"),
            ("project", "project"),
        }
        browser.query_one("#m-search").value = "政府"
        await pilot.press("enter")
        assert {m["target_type"] for m in browser.rows} == {"document", "project"}

    run_app(project_dir, "alice", body)
    project = open_project(str(project_dir))
    try:
        assert len(list_memos(project, search="memo")) == 1
    finally:
        project.dispose()


def test_command_palette_offers_the_screens_actions(project_dir: Path) -> None:
    from textual.command import CommandInput, CommandList

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+p")
        palette = app.screen
        palette.query_one(CommandInput).value = "undo"
        await pilot.pause(0.3)
        options = palette.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts and prompts[0].startswith("Undo")

    run_app(project_dir, "alice", body)
