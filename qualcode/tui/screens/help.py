"""The `?` screen: every binding of the screen underneath, with its id for remapping."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from qualcode.i18n import _


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label(f"Keys: {type(self.under).__name__.removesuffix('Screen')}", classes="modal-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Label(
                _(
                    "z maximises the focused pane, z or esc restores it. In the workbench [ and ] "
                    "show or hide the side panes; in a narrow terminal they open over the transcript."
                ),
                id="help-layout",
            )
            yield Label("[dim]Remap a key by its id in the keymap (App.set_keymap). esc closes.[/]")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("key", key="key")
        table.add_column("does", key="does")
        table.add_column("id", key="id")
        seen: set[str] = set()
        for node in (self.under, self.app):
            for binding in getattr(node, "BINDINGS", []):
                if not isinstance(binding, Binding) or binding.id in seen:
                    continue
                seen.add(binding.id or binding.key)
                table.add_row(binding.key, binding.tooltip or binding.description, binding.id or "")
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
