"""The command palette (ctrl+p) lists every screen and its function key, not only the current screen's keys."""

from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import run_app

# what a person types -> the palette entry (binding description) and its key
SCREENS = {
    "retrieve": ("Retrieve", "f2"),
    "search": ("Search", "f3"),
    "memos": ("Memos", "f4"),
    "export": ("Export", "f5"),
    "agreement": ("Agreement", "f8"),
    "guide": ("Guide", "f9"),
    "adjudicat": ("Adjudicate", "f10"),
    "typology": ("Typology", "f11"),
}


async def _prompts(app: Any, pilot: Any, query: str) -> list[tuple[str, str]]:
    from textual.command import CommandInput, CommandList

    palette = app.screen
    palette.query_one(CommandInput).value = query
    await pilot.pause(0.3)
    options = palette.query_one(CommandList)
    found = []
    for i in range(options.option_count):
        prompt = options.get_option_at_index(i).prompt
        text = prompt.plain if hasattr(prompt, "plain") else str(prompt)
        found.append((text.splitlines()[0], text))
    return found


def test_the_palette_lists_every_screen_with_its_key(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+p")
        for query, (name, key) in SCREENS.items():
            found = await _prompts(app, pilot, query)
            assert any(first.startswith(name) and f"[{key}]" in text for first, text in found), (query, found)
        # the workbench's own keys are still there
        assert (await _prompts(app, pilot, "undo"))[0][0].startswith("Undo")

    run_app(project_dir, "lead", body)


@pytest.mark.parametrize("query", ["typology"])
def test_choosing_a_screen_in_the_palette_opens_it(project_dir: Path, query: str) -> None:
    from textual.command import CommandPalette

    from qualcode.tui.screens.typology import TypologyScreen

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+p")
        await _prompts(app, pilot, query)
        await pilot.press("down", "enter")
        await pilot.pause(0.5)
        assert not isinstance(app.screen, CommandPalette)
        assert isinstance(app.screen, TypologyScreen)

    run_app(project_dir, "lead", body)
