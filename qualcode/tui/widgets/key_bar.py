"""A one-line list of the screen's main keys.

Textual's Footer rebuilds one widget per key on every focus change, which was most of the
workbench's start-up time; the bar is static text built once per screen.
"""

from textual.binding import Binding
from textual.widgets import Static

from qualcode.i18n import _


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        parts = []
        for node in (self.screen, self.app):
            for binding in getattr(node, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.show:
                    key = self.app.get_key_display(binding)
                    parts.append(f"[b $accent]{key}[/] {_(binding.description)}")
        self.update("  ".join(parts))
