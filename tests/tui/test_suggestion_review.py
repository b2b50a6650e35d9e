"""The suggestion review loop in the workbench: g shows suggestions, a accepts, x rejects, n moves on, u undoes."""

from pathlib import Path
from typing import Any

from qualcode.services.coders import add_coder
from qualcode.services.suggest.applying import apply_model
from qualcode.services.suggest.layer import list_suggestions, set_assisted
from qualcode.services.suggest.training import train
from qualcode.services.team.access import set_blind
from qualcode.store.db import open_project
from qualcode.tui.widgets.segment_list import SegmentList
from qualcode.tui.widgets.suggestion_review import SuggestionReview
from tests.suggest_corpus import build_corpus
from tests.tui.helpers import bench, run_app, view


def _project(tmp_path: Path) -> Path:
    project, _ = build_corpus(tmp_path, n_docs=6)
    add_coder(project, "wang")
    train(project, source="consensus")
    apply_model(project, docs=["d00"])
    project.dispose()
    return tmp_path / "corpus"


def _db(folder: Path, fn: Any) -> Any:
    project = open_project(str(folder))
    try:
        return fn(project)
    finally:
        project.dispose()


def _wang_segments(folder: Path) -> list[tuple[str, int, int]]:
    from qualcode.services.coding.segments import list_segments

    return _db(folder, lambda p: [(s["code"], s["start"], s["end"]) for s in list_segments(p, coder="wang")])


def test_review_loop_accept_reject_next_and_undo(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    open_rows = _db(folder, lambda p: list_suggestions(p, viewer="wang", document="d00"))
    assert len(open_rows) >= 2

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        screen.open_document("d00")
        review = screen.query_one(SuggestionReview)
        assert not review.display
        await pilot.press("g")
        assert review.display and review.has_focus and len(review.rows) == len(open_rows)
        first = review.current
        assert tv.selected_offsets == (first["start"], first["end"])
        listed = screen.query_one("#in-document", SegmentList).rows_by_key
        assert f"suggestion-{first['id']}" in listed and listed[f"suggestion-{first['id']}"]["suggested"]
        await pilot.press("a")
        assert _wang_segments(folder) == [(first["code"], first["start"], first["end"])]
        assert len(review.rows) == len(open_rows) - 1
        await pilot.press("u")
        assert _wang_segments(folder) == []
        assert len(review.rows) == len(open_rows)
        await pilot.press("n")
        second = review.current
        assert second["id"] != first["id"]
        assert tv.selected_offsets == (second["start"], second["end"])
        await pilot.press("x")
        status = _db(
            folder, lambda p: {r["id"]: r["status"] for r in list_suggestions(p, viewer="wang", status=None)}
        )
        assert status[second["id"]] == "rejected" and _wang_segments(folder) == []
        await pilot.press("u")
        status = _db(
            folder, lambda p: {r["id"]: r["status"] for r in list_suggestions(p, viewer="wang", status=None)}
        )
        assert status[second["id"]] == "open"
        await pilot.press("g")
        assert not review.display and screen.suggesting is False
        assert not any(
            s.get("suggested") for s in screen.query_one("#in-document", SegmentList).rows_by_key.values()
        )

    run_app(folder, "wang", body)


def test_blind_mode_keeps_suggestions_off_until_assisted_coding(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    _db(folder, lambda p: set_blind(p, "on", actor="lead"))

    async def refused(app: Any, pilot: Any) -> None:
        screen = bench(app)
        screen.open_document("d00")
        await pilot.press("g")
        assert screen.suggesting is False and not screen.query_one(SuggestionReview).display

    run_app(folder, "wang", refused)
    _db(folder, lambda p: set_assisted(p, True, actor="lead"))

    async def allowed(app: Any, pilot: Any) -> None:
        screen = bench(app)
        screen.open_document("d00")
        await pilot.press("g")
        assert screen.suggesting and screen.query_one(SuggestionReview).rows

    run_app(folder, "wang", allowed)
    from qualcode.services.agreement.assisted import assisted_exposure

    project = open_project(str(folder))
    with project.read() as s:
        assert assisted_exposure(s) == {"wang": ["d00"]}
    project.dispose()
