"""The command palette: every screen of the app and the current screen's actions, by their bindings.

Entries are shown in the interface language and found by either language: the English name, the
Chinese name, or its pinyin (`qualcode.core.script_match`, the rule the code picker uses too).
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from qualcode.core.script_match import EXACT, score
from qualcode.i18n import _, translate_in
from qualcode.tui.keymap import bindings_of, current_key, user_keymap

# Deliberately in both scripts and never translated: whoever cannot read the current language
# still finds the way back to theirs.
LANGUAGE_COMMAND = "Language / 语言"


class ScreenCommands(Provider):
    """What the screen on top can do (its own bindings, as the help screen lists them), then the
    app's: every screen (retrieval, search, memos, export, agreement, guide review, adjudication,
    typology) with its function key, so nothing is reachable by key alone; then the language."""

    def _commands(self) -> list[tuple[str, tuple[str, ...], Callable[[], Any], str]]:
        """(shown name, every name it is found by, what it runs, help line)."""
        out: list[tuple[str, tuple[str, ...], Callable[[], Any], str]] = []
        seen: set[str] = set()
        keymap = user_keymap(self.app)
        for owner in (self.screen, self.app):
            for binding in bindings_of(owner):
                if not binding.tooltip or binding.action.startswith("apply_pinned") or binding.action in seen:
                    continue
                seen.add(binding.action)
                run = partial(owner.run_action, binding.action)
                name = _(binding.description)
                names = (name, binding.description, translate_in("zh_CN", binding.description))
                # escaped: the help line is markup, which would swallow "[f2]"
                out.append(
                    (name, names, run, escape(f"{_(binding.tooltip)}  [{current_key(binding, keymap)}]"))
                )
        run_switch = partial(self.app.run_action, "switch_language")
        help_text = _("Switch the interface between 中文 and English")
        out.append((LANGUAGE_COMMAND, (LANGUAGE_COMMAND, "中文", "English"), run_switch, help_text))
        return out

    async def discover(self) -> Hits:
        for name, _names, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, names, run, help_text in self._commands():
            fuzzy = max(matcher.match(name), matcher.match(help_text))
            either = max(score(query, n) for n in names) / EXACT  # both scripts and pinyin, 0..1
            if max(fuzzy, either) > 0:
                shown = matcher.highlight(name) if fuzzy >= either else Text(name)
                yield Hit(max(fuzzy, either), shown, run, help=help_text)
