"""The command palette: the current screen's actions, by their binding descriptions."""

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    """Lists only what the screen on top can do (its own bindings, as the help screen does)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        out: list[tuple[str, str, str]] = []
        for binding in getattr(screen, "BINDINGS", []):
            if (
                isinstance(binding, Binding)
                and binding.tooltip
                and not binding.action.startswith("apply_pinned")
            ):
                out.append((binding.description, binding.action, f"{binding.tooltip}  [{binding.key}]"))
        return out

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.screen.run_action, action), help=help_text
                )
