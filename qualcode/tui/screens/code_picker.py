"""A modal that finds a code as you type (key, English or Chinese name, or the pinyin of the
Chinese: `rcgy` finds 人才供应) and returns its key."""

from collections.abc import Mapping, Sequence
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.core.code_names import names
from qualcode.core.code_search import rank
from qualcode.core.script_match import syllables
from qualcode.i18n import N_, _, current_language
from qualcode.tui.safe_text import markup_safe
from qualcode.tui.theme import swatch


class CodePicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker.cancel", tooltip=N_("Close without coding")),
        Binding("down", "down", N_("Next"), show=False, id="picker.down", tooltip=N_("Next match")),
        Binding("up", "up", N_("Previous"), show=False, id="picker.up", tooltip=N_("Previous match")),
    ]

    def __init__(
        self,
        entries: Sequence[Mapping[str, Any]],
        title: str | None = None,
        codable: bool = True,
        both: bool = False,
    ) -> None:
        """`title` (already in the interface language) defaults to "Apply code"; `both` shows
        each name in the other language too."""
        super().__init__()
        self.entries = [e for e in entries if not e.get("retired") and (e.get("codable") or not codable)]
        self.title_text = title if title is not None else _("Apply code")
        self.both = both

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(placeholder=_("type a key, English or 中文 name, or pinyin…"), id="picker-input")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.refill("")
        self.query_one(Input).focus()
        self._learn_pinyin()

    @work(thread=True, exclusive=True, group="pinyin", exit_on_error=False)
    def _learn_pinyin(self) -> None:
        """Read the pinyin of every name before the first letter is typed (the first reading
        loads pypinyin's dictionaries); matching then uses the cached readings."""
        for entry in self.entries:
            syllables(str(entry.get("name_zh") or ""))

    def relabel(self) -> None:
        search = self.query_one(Input)
        search.placeholder = _("type a key, English or 中文 name, or pinyin…")
        self.refill(search.value)

    def refill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        language = current_language()
        for entry in rank(self.entries, query):
            first, other = names(entry, language)
            shown = markup_safe(first) + (f"  [dim]{markup_safe(other)}[/]" if self.both and other else "")
            options.add_option(
                Option(
                    f"{swatch(entry.get('color'))} [b]{markup_safe(entry['key'])}[/b]  {shown}",
                    id=entry["key"],
                )
            )
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
