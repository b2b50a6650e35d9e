"""The `?` screen: every binding of the screen underneath, its current key and its id, and where
the keymap file that remaps them lives."""

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from qualcode.i18n import N_, _
from qualcode.tui.keymap import EXAMPLE, bindings_of, current_key, keymap_path, user_keymap


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", N_("Close"), id="help.close", tooltip=N_("Close help"))
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label(f"Keys: {type(self.under).__name__.removesuffix('Screen')}", classes="modal-title")
            yield Static(
                escape(
                    _(
                        "Change a key in {path} by the binding's id, for example:\n{example}\n"
                        "It is read when qualcode starts. esc closes."
                    ).format(path=keymap_path(), example=EXAMPLE)
                )
                + "\n",
                id="help-keymap",
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Label(
                _(
                    "z maximises the focused pane, z or esc restores it. In the workbench [ and ] "
                    "show or hide the side panes; in a narrow terminal they open over the transcript."
                ),
                id="help-layout",
            )

    def on_mount(self) -> None:
        keymap = user_keymap(self.app)
        table = self.query_one(DataTable)
        table.add_column("key", key="key")
        table.add_column("id", key="id")  # before the description, so that a long one cannot hide it
        table.add_column("does", key="does")
        seen: set[str] = set()
        for node in (self.under, self.app):
            for binding in bindings_of(node):
                if binding.id in seen:
                    continue
                seen.add(binding.id or binding.key)
                table.add_row(
                    current_key(binding, keymap), binding.id or "", _(binding.tooltip or binding.description)
                )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
