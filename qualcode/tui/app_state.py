"""What every screen and widget may use of the running app: the project, who codes, their role,
the user's keymap, the terminal's width of ambiguous characters, and jumping to a passage in the workbench.

Screens type `self.app` as this class (screens/base.py). It is apart from tui/app.py, which
opens the screens, so that screens and the app do not import each other.
"""

from typing import Any

from textual.app import App

from qualcode.services.coders import coder_role
from qualcode.services.project import open_project
from qualcode.store.db import Project
from qualcode.tui.cell_width import ambiguous_width as read_ambiguous_width


class QualcodeAppBase(App[None]):
    def __init__(
        self,
        project: Project | str,
        coder: str,
        *,
        cursor_blink: bool = True,
        ambiguous_width: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.project = open_project(project) if isinstance(project, str) else project
        self.coder = coder
        self.role = coder_role(self.project, coder)  # raises for an unknown coder: create it first
        self.cursor_blink = cursor_blink
        # Cells of “ ” … — in this person's terminal; a bad setting stops here, before any screen.
        self.ambiguous_width = ambiguous_width if ambiguous_width is not None else read_ambiguous_width()
        self.user_keymap: dict[str, str] = {}  # binding id -> keys, from the user's keymap.toml

    def jump_to(self, document: str, start: int, end: int) -> None:
        """Close the screens above the workbench and select [start, end) of `document` there."""
        raise NotImplementedError
