"""Modals that ask for text: a multi-line memo editor and a one-line prompt."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from qualcode.i18n import N_
from qualcode.tui.widgets.translated_label import TranslatedLabel


class MemoEditor(ModalScreen[str | None]):
    """Returns the edited text (possibly empty, meaning clear) or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="memo.save", tooltip=N_("Save the memo")),
        Binding("escape", "cancel", N_("Cancel"), id="memo.cancel", tooltip=N_("Close without saving")),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text, self.initial = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            yield TextArea(self.initial, id="memo-text", soft_wrap=True)
            yield TranslatedLabel(N_("[dim]ctrl+s save · esc cancel[/]"))

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LinePrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel", tooltip=N_("Close"))]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
