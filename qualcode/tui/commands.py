"""The command palette: every screen of the app and the current screen's actions, by their bindings."""

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.markup import escape
from textual.command import DiscoveryHit, Hit, Hits, Provider

from qualcode.i18n import _
from qualcode.tui.keymap import bindings_of, current_key, user_keymap


class ScreenCommands(Provider):
    """What the screen on top can do (its own bindings, as the help screen lists them), then the
    app's: every screen (retrieval, search, memos, export, agreement, guide review, adjudication,
    typology) with its function key, so nothing is reachable by key alone."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        out: list[tuple[str, Callable[[], Any], str]] = []
        seen: set[str] = set()
        keymap = user_keymap(self.app)
        for owner in (self.screen, self.app):
            for binding in bindings_of(owner):
                if not binding.tooltip or binding.action.startswith("apply_pinned") or binding.action in seen:
                    continue
                seen.add(binding.action)
                run = partial(owner.run_action, binding.action)
                # escaped: the help line is markup, which would swallow "[f2]"
                key = current_key(binding, keymap)
                out.append((_(binding.description), run, escape(f"{_(binding.tooltip)}  [{key}]")))
        return out

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
