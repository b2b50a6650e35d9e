"""Driving the workbench from tests without typing more than the keys under test."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Tree

from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.workbench import WorkbenchScreen
from qualcode.tui.widgets.transcript_view import TranscriptView

SIZE = (140, 36)


def run_app(
    project_dir: Path,
    coder: str,
    body: Callable[[QualcodeApp, Pilot[Any]], Awaitable[None]],
    size: tuple[int, int] = SIZE,
) -> None:
    async def main() -> None:
        app = QualcodeApp(str(project_dir), coder, cursor_blink=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await body(app, pilot)
        app.project.dispose()

    asyncio.run(main())


def bench(app: QualcodeApp) -> WorkbenchScreen:
    screen = app.screen
    assert isinstance(screen, WorkbenchScreen)
    return screen


def view(app: QualcodeApp) -> TranscriptView:
    return bench(app).query_one(TranscriptView)


def tree_labels(app: QualcodeApp) -> list[str]:
    """Every node of the codebook tree as shown ("TAL.TRAIN 实训基地"), colour swatch left out."""
    out: list[str] = []
    stack = list(bench(app).query_one("#codebook", Tree).root.children)
    while stack:
        node = stack.pop()
        out.append(str(node.label.plain if hasattr(node.label, "plain") else node.label).lstrip("■ "))
        stack.extend(node.children)
    return out


def screen_text(app: QualcodeApp) -> str:
    """What the terminal shows, as text: every layer of the current screen (dialogs, toasts,
    the key bar), line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
