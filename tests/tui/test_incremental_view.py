"""Applying a code updates only what changed; the result must equal a full reload from the database."""

from pathlib import Path
from typing import Any

from qualcode.services.coding import workbench
from qualcode.store.db import open_project
from tests.tui.conftest import ZH_TEXT
from tests.tui.helpers import bench, run_app, view


def stored(project_dir: Path, doc: str) -> list[dict[str, Any]]:
    project = open_project(str(project_dir))
    try:
        return workbench.document_segments(project, doc, viewer="alice")
    finally:
        project.dispose()


def painted(tv: Any) -> list[list[tuple[str, Any]]]:
    height = tv.scrollable_content_region.height
    return [[(seg.text, seg.style) for seg in tv.render_line(y)] for y in range(height)]


def test_incremental_apply_equals_full_reload(project_dir: Path) -> None:
    doc = "zh-gov"
    a = ZH_TEXT.index("市里先出方案")
    spans = [(a, a + 12), (a + 4, a + 30), (a + 20, a + 25)]  # overlapping: overlap style on a shared row

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document(doc)
        await pilot.pause()
        for key, (start, end) in zip("123", spans, strict=True):
            tv.select_offsets(start, end)
            await pilot.press(key)
            db = stored(project_dir, doc)
            assert screen.segments == db  # same rows, same order as a reload
            shown = screen.query_one("#in-document").rows_by_key
            assert shown == {str(s["id"]): s for s in db}
            here = screen.query_one("#at-cursor").rows_by_key
            assert {s["id"] for s in here.values()} == {
                s["id"] for s in db if s["start"] < end and start < s["end"]
            }
            assert screen.query_one("#doc-seg-title").content.startswith(f"In this document ({len(db)})")
            # the touched rows were recomputed and only their cached lines dropped: the screen
            # must look exactly as after rebuilding the whole highlight map and rendering afresh
            before = painted(tv)
            tv.paint_all()
            incremental = {row: sorted(h) for row, h in tv._highlights.items() if h}
            tv._build_highlight_map()
            tv.paint_all()
            assert {row: sorted(h) for row, h in tv._highlights.items() if h} == incremental
            assert painted(tv) == before

    run_app(project_dir, "alice", body)


def test_a_failed_apply_shows_what_is_stored(project_dir: Path) -> None:
    doc = "zh-gov"
    a = ZH_TEXT.index("市里先出方案")

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document(doc)
        tv.select_offsets(a, a + 6)
        await pilot.press("1")
        await pilot.press("1")  # the same segment again: refused, nothing added on screen either
        assert screen.segments == stored(project_dir, doc)
        assert len(screen.segments) == 1

    run_app(project_dir, "alice", body)


def test_segment_list_keys_jump_to_the_segment(project_dir: Path) -> None:
    doc = "zh-gov"
    a = ZH_TEXT.index("市里先出方案")

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document(doc)
        for key, (start, end) in zip("12", [(a, a + 6), (a + 10, a + 16)], strict=True):
            tv.select_offsets(start, end)
            await pilot.press(key)
        tv.select_offsets(0, 0)
        listing = screen.query_one("#in-document")
        listing.focus()
        await pilot.press("end", "enter")
        last = listing.current
        assert last is not None and tv.selected_offsets == (last["start"], last["end"])
        assert tv.has_focus  # choosing a segment hands the keys back to the transcript
        listing.focus()
        await pilot.press("home", "enter")
        first = listing.current
        assert (
            first is not None and first is not last and tv.selected_offsets == (first["start"], first["end"])
        )

    run_app(project_dir, "alice", body)


def test_a_segment_added_elsewhere_meanwhile_is_shown_too(project_dir: Path) -> None:
    """The same coder in another window: the counts differ, so the screen rereads everything."""
    from qualcode.services.coding.segments import add_segment

    doc = "zh-gov"
    a = ZH_TEXT.index("市里先出方案")

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document(doc)
        add_segment(app.project, coder="alice", document=doc, code="TAL.TEACH", start=a + 20, end=a + 24)
        tv.select_offsets(a, a + 6)
        await pilot.press("1")
        db = stored(project_dir, doc)
        assert len(db) == 2 and screen.segments == db
        assert set(screen.query_one("#in-document").rows_by_key) == {str(s["id"]) for s in db}

    run_app(project_dir, "alice", body)


def test_clicking_a_segment_row_twice_jumps_to_it(project_dir: Path) -> None:
    doc = "zh-gov"
    a = ZH_TEXT.index("市里先出方案")

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document(doc)
        tv.select_offsets(a, a + 6)
        await pilot.press("1")
        tv.select_offsets(0, 0)
        await pilot.click("#in-document", offset=(3, 0))  # the header: nothing happens
        assert tv.selected_offsets == (0, 0)
        await pilot.click("#in-document", offset=(3, 1))
        await pilot.click("#in-document", offset=(3, 1))
        assert tv.selected_offsets == (a, a + 6)

    run_app(project_dir, "alice", body)
