"""The interface language: chosen at start, switched from the palette while a document is open,
remembered for the person; nothing but the words changes on screen."""

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Label

from qualcode.i18n import current_language, start_language
from tests.tui.conftest import build_project
from tests.tui.helpers import bench, run_app, tree_labels, view

LINES = 120
LONG_TEXT = "\n".join(
    f"访谈者：第{i}个问题，人才培养方面呢？"
    if i % 2 == 0
    else f"受访者：我们建了共享的公共实训基地，这是第{i}段回答。"
    for i in range(LINES)
)


@pytest.fixture(scope="module")
def long_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long") / "project"
    build_project(folder, {"long-zh": (LONG_TEXT, "zh", "政府官员")})
    return folder


@pytest.fixture
def long_project(long_template: Path, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "long-project"
    shutil.copytree(long_template, target)
    yield target


def _labels(app: Any) -> list[str]:
    return [str(label.render()) for label in bench(app).query(".pane-title").results(Label)]


def _preference(config: Path) -> str | None:
    path = config / "preferences.toml"
    return path.read_text(encoding="utf-8") if path.exists() else None


def test_switching_keeps_document_selection_cursor_and_scroll(long_project: Path, tmp_path: Path) -> None:
    config = tmp_path / "user-config"

    async def body(app: Any, pilot: Any) -> None:
        screen, tv = bench(app), view(app)
        start = LONG_TEXT.index("第101段")
        tv.select_offsets(start, start + 5)
        screen.apply_code("TAL.TRAIN")
        await pilot.pause()
        tv.select_offsets(start - 40, start + 3)
        tv.scroll_to(y=60, animate=False)
        await pilot.pause()
        before = {
            "document": screen.document,
            "selection": tv.selected_offsets,
            "cursor": tv.cursor_offset,
            "scroll": tv.scroll_offset,
            "segments": [(s["code"], s["start"], s["end"]) for s in screen.segments],
            "docs_cursor": screen.query_one("#documents", DataTable).cursor_row,
        }
        assert before["scroll"].y > 0
        english = _labels(app)
        assert english[:2] == ["Documents", "At the cursor"]
        assert english[2] == "In this document (1)"

        app.action_switch_language()
        await pilot.pause()
        assert current_language() == "zh_CN"
        assert _labels(app) == ["文档", "光标处", "本文档中（1）"]
        assert screen.query_one("#code-filter", Input).placeholder.startswith("筛选编码")
        assert "TAL.TRAIN 实训基地" in tree_labels(app)
        status_line = str(screen.query_one("#turn-info").render())
        assert "进行中" in status_line and "选区" in status_line
        after = {
            "document": screen.document,
            "selection": tv.selected_offsets,
            "cursor": tv.cursor_offset,
            "scroll": tv.scroll_offset,
            "segments": [(s["code"], s["start"], s["end"]) for s in screen.segments],
            "docs_cursor": screen.query_one("#documents", DataTable).cursor_row,
        }
        assert after == before
        assert 'language = "zh_CN"' in (_preference(config) or "")

        app.action_switch_language()
        await pilot.pause()
        assert _labels(app) == english
        assert tv.selected_offsets == before["selection"] and tv.scroll_offset == before["scroll"]
        assert 'language = "en"' in (_preference(config) or "")

    run_app(long_project, "alice", body)


def test_the_remembered_language_is_used_at_start(project_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "user-config"
    config.mkdir()
    (config / "preferences.toml").write_text('language = "zh_CN"\n', encoding="utf-8")

    async def body(app: Any, pilot: Any) -> None:
        assert _labels(app)[:2] == ["文档", "光标处"]
        columns = [str(c.label) for c in bench(app).query_one("#documents", DataTable).columns.values()]
        assert "文档" in columns and "document" not in columns

    run_app(project_dir, "alice", body)


def test_a_language_given_on_the_command_line_is_not_remembered(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "user-config"
    config.mkdir()
    (config / "preferences.toml").write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("QUALCODE_LANG", "zh_CN")
    start_language()  # as `qualcode` does first: QUALCODE_LANG pins the language

    async def body(app: Any, pilot: Any) -> None:
        assert _labels(app)[0] == "文档"  # the environment wins over the remembered choice
        app.action_switch_language()
        await pilot.pause()
        assert _labels(app)[0] == "Documents"  # switching still works for this session

    run_app(project_dir, "alice", body)
    assert (config / "preferences.toml").read_text(encoding="utf-8") == 'language = "en"\n'


async def _palette(app: Any, pilot: Any, query: str) -> list[str]:
    from textual.command import CommandInput, CommandList

    app.screen.query_one(CommandInput).value = query
    await pilot.pause(0.3)
    options = app.screen.query_one(CommandList)
    return [
        str(getattr(options.get_option_at_index(i).prompt, "plain", options.get_option_at_index(i).prompt))
        for i in range(options.option_count)
    ]


@pytest.mark.parametrize("query", ["language", "语言", "yuyan", "yy"])
def test_the_palette_finds_the_language_command_in_both_scripts_and_pinyin(
    project_dir: Path, query: str
) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+p")
        found = await _palette(app, pilot, query)
        at = [i for i, prompt in enumerate(found) if prompt.startswith("Language / 语言")]
        assert at, found
        from textual.command import CommandList

        app.screen.query_one(CommandList).highlighted = at[0]
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert current_language() == "zh_CN"
        assert _labels(app)[0] == "文档"

    run_app(project_dir, "alice", body)


def test_an_open_screen_and_the_workbench_under_it_both_switch(project_dir: Path) -> None:
    from qualcode.tui.screens.retrieval import RetrievalScreen

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        screen.query_one("#r-codes", Input).value = "TAL.TRAIN"
        app.action_switch_language()
        await pilot.pause()
        assert screen.title == "编码检索"
        headers = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert headers[:3] == ["文档", "编码员", "编码"]
        assert screen.query_one("#r-codes", Input).value == "TAL.TRAIN"  # what was typed stays
        await pilot.press("escape")
        await pilot.pause()
        assert _labels(app)[0] == "文档"

    run_app(project_dir, "lead", body)
