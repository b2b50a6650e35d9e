"""Snapshots of the main screens with a coded Chinese transcript (fixed size, no cursor blink).

These also guard the private TextArea internals the transcript view relies on (UTF-8 byte
columns in `_highlights`): an upgrade of Textual that changes them changes these pictures.
Update deliberately with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from qualcode.i18n import language
from qualcode.services.coding import memos
from qualcode.services.coding import segments as coding
from qualcode.store.db import open_project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import ZH_TEXT

SIZE = (140, 36)


@pytest.fixture(autouse=True)
def no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def coded(project_dir: Path) -> None:
    """Alice: overlapping codes in the first answer; Bob: a different reading of one sentence."""
    project = open_project(str(project_dir))
    first = ZH_TEXT.index("联合体是")
    for coder, code, start, end in [
        ("alice", "ADM.GOV", first, first + 17),
        ("alice", "TAL.TRAIN", first + 10, first + 30),
        ("alice", "TAL.TEACH", ZH_TEXT.index("老师"), ZH_TEXT.index("老师") + 12),
        ("bob", "ADM.GOV", first, first + 10),
        ("bob", "TAL.TEACH", first + 17, first + 30),
    ]:
        seg = coding.add_segment(project, coder=coder, document="zh-gov", code=code, start=start, end=end)
        if coder == "alice" and code == "TAL.TRAIN":
            coding.update_segment(project, coder="alice", segment_id=seg["id"], memo="两种资源交织")
    memos.add_memo(
        project, coder="alice", target_type="project", target=None, text="项目备忘：先编码政府访谈。"
    )
    project.dispose()


def make_app(project_dir: Path, coder: str = "alice") -> QualcodeApp:
    coded(project_dir)
    return QualcodeApp(str(project_dir), coder, cursor_blink=False)


async def open_zh(pilot: Any, select: tuple[int, int] | None = None) -> None:
    screen = pilot.app.screen
    screen.open_document("zh-gov")
    if select is not None:
        screen.query_one(TranscriptView).select_offsets(*select)
    await pilot.pause()


def test_workbench_coded_chinese(snap_compare: Any, project_dir: Path) -> None:
    at = ZH_TEXT.index("联合体是") + 12

    async def run_before(pilot: Any) -> None:
        await open_zh(pilot, (at, at))
        pilot.app.screen.query_one("#codebook").move_cursor_to_line(1)

    assert snap_compare(make_app(project_dir), terminal_size=SIZE, run_before=run_before)


def test_code_picker_filtered(snap_compare: Any, project_dir: Path) -> None:
    start = ZH_TEXT.index("市里先出方案")

    async def run_before(pilot: Any) -> None:
        await open_zh(pilot, (start, start + 6))
        await pilot.press("c")
        pilot.app.screen.query_one("#picker-input").value = "师资"
        await pilot.pause()

    assert snap_compare(make_app(project_dir), terminal_size=SIZE, run_before=run_before)


def test_lead_compare_view(snap_compare: Any, project_dir: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await open_zh(pilot)
        await pilot.press("w")

    assert snap_compare(make_app(project_dir, "lead"), terminal_size=SIZE, run_before=run_before)


def test_retrieval_screen(snap_compare: Any, project_dir: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("f2")
        pilot.app.screen.query_one("#r-codes").value = "ADM.GOV TAL.TRAIN"
        pilot.app.screen.action_retrieve()
        await pilot.pause()

    assert snap_compare(make_app(project_dir), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: Any, project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The help screen names the keymap file: a fixed folder, so the picture does not depend on
    # the test's temporary directory (nothing is written there).
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", "/home/coder/.config/qualcode")

    async def run_before(pilot: Any) -> None:
        await pilot.press("question_mark")

    assert snap_compare(make_app(project_dir), terminal_size=SIZE, run_before=run_before)


def _done_by_both(project_dir: Path) -> None:
    project = open_project(str(project_dir))
    for who in ("alice", "bob"):
        coding.set_document_status(project, coder=who, document="zh-gov", status="done")
    project.dispose()


def test_agreement_screen(snap_compare: Any, project_dir: Path) -> None:
    app = make_app(project_dir, "lead")
    _done_by_both(project_dir)

    async def run_before(pilot: Any) -> None:
        await pilot.press("f8")
        pilot.app.screen.query_one("#a-boot").value = "200"
        await pilot.press("ctrl+r")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_adjudication_screen(snap_compare: Any, project_dir: Path) -> None:
    app = make_app(project_dir, "lead")
    _done_by_both(project_dir)  # coders take part where they marked the document done

    async def run_before(pilot: Any) -> None:
        await pilot.press("f10")
        pilot.app.screen.query_one("#j-doc").value = "zh-gov"
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


LAYOUTS = [(80, 24), (120, 40)]
LANGUAGES = ["en", "zh_CN"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", LAYOUTS, ids=[f"{w}x{h}" for w, h in LAYOUTS])
def test_workbench_at_size(snap_compare: Any, project_dir: Path, size: tuple[int, int], lang: str) -> None:
    """The coded Chinese transcript with a selection at the size of a default terminal and a
    common larger one, in both interface languages (issue 13 item 6)."""
    start = ZH_TEXT.index("市里先出方案")

    async def run_before(pilot: Any) -> None:
        await open_zh(pilot, (start, start + 6))

    with language(lang):
        assert snap_compare(make_app(project_dir), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_workbench_80x24_codebook_open(snap_compare: Any, project_dir: Path, lang: str) -> None:
    """At 80×24 the codebook opens over the transcript with ]."""

    async def run_before(pilot: Any) -> None:
        await open_zh(pilot)
        await pilot.press("right_square_bracket")
        await pilot.pause()

    with language(lang):
        assert snap_compare(make_app(project_dir), terminal_size=(80, 24), run_before=run_before)
