"""A one-line list of the screen's main keys, in the interface language and the user's keymap.

Textual's Footer rebuilds one widget per key on every focus change, which was most of the
workbench's start-up time; the bar is static text built once per screen, and again when the
interface language changes.
"""

from collections.abc import Callable

from textual.widgets import Static

from qualcode.i18n import _, on_language_change
from qualcode.tui.keymap import bindings_of, current_key, user_keymap


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    _stop_listening: Callable[[], None] | None = None

    def on_mount(self) -> None:
        self.render_keys()
        self._stop_listening = on_language_change(lambda _language: self.render_keys())

    def on_unmount(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()

    def render_keys(self) -> None:
        keymap = user_keymap(self.app)
        parts = []
        for node in (self.screen, self.app):
            for binding in bindings_of(node):
                if binding.show:
                    key = self.app.get_key_display(
                        binding.with_key(current_key(binding, keymap).split(",")[0])
                    )
                    parts.append(f"[b $accent]{key}[/] {_(binding.description)}")
        self.update("  ".join(parts))
