"""The text search screen treats simplified and traditional characters as the same when asked:
off by default, ctrl+t (id search.fold_variants) turns it on and off, the screen says so while it
is on, and every hit keeps the stored text's offsets and characters."""

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Label

from qualcode import i18n
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.search import SearchScreen
from tests.tui.conftest import build_project
from tests.tui.helpers import run_app

# Traditional 職業教育 first, then simplified 职业教育 (as in tests/i18n/test_variants.py).
TEXT = "受访者：我們學校與企業重視職業教育，也重视职业教育。"
TRADITIONAL = TEXT.index("職業教育")
SIMPLIFIED = TEXT.index("职业教育")


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    build_project(folder, {"訪談01": (TEXT, "zh", "政府官员")})
    return folder


def test_search_folds_variants_only_when_toggled(tmp_path: Path) -> None:
    async def body(app: QualcodeApp, pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        note = screen.query_one("#s-folded", Label)
        assert not screen.folding and not note.display  # off by default, and nothing said
        screen.query_one(Input).value = "职业教育"
        await pilot.press("enter")
        await pilot.pause()
        assert [(h["start"], h["match"]) for h in screen.hits] == [(SIMPLIFIED, "职业教育")]

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.folding and screen.query_one("#s-fold", Checkbox).value and note.display
        assert "Simplified and traditional characters are matched as the same." in str(note.render())
        # the search ran again: both forms, at the stored text's offsets, quoting the stored text
        assert [(h["start"], h["end"], h["match"]) for h in screen.hits] == [
            (TRADITIONAL, TRADITIONAL + 4, "職業教育"),
            (SIMPLIFIED, SIMPLIFIED + 4, "职业教育"),
        ]
        preview = screen.preview(screen.hits[0])
        assert "[reverse]職業教育[/]" in preview  # the highlight is on the stored characters

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not screen.folding and not note.display
        assert [h["start"] for h in screen.hits] == [SIMPLIFIED]

    run_app(_project(tmp_path), "alice", body)


def test_the_toggle_is_a_key_with_an_id_and_a_chinese_description(tmp_path: Path) -> None:
    async def body(app: QualcodeApp, pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await pilot.pause()
        bindings = {b.id: b for b in app.screen.BINDINGS if not isinstance(b, tuple)}
        fold = bindings["search.fold_variants"]
        assert fold.key == "ctrl+t"
        with i18n.language(i18n.CHINESE):
            assert i18n._(fold.description) == "简繁同搜"
            assert "简体字与繁体字" in i18n._(fold.tooltip)

    run_app(_project(tmp_path), "alice", body)
