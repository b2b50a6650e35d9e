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
from qualcode.tui.relabel import add_columns, relabel_columns

# the id before the description, so that a long description cannot hide it
COLUMNS = (N_("key"), N_("id"), N_("does"))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", N_("Close"), id="help.close", tooltip=N_("Close help"))
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label("", id="help-title", classes="modal-title")
            yield Static("", id="help-keymap")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="help-layout")

    def relabel(self) -> None:
        title = getattr(type(self.under), "TITLE", None)
        where = _(title) if title else type(self.under).__name__.removesuffix("Screen")
        self.query_one("#help-title", Label).update(_("Keys: {screen}").format(screen=where))
        self.query_one("#help-layout", Label).update(
            _(
                "z maximises the focused pane, z or esc restores it. In the workbench [ and ] "
                "show or hide the side panes; in a narrow terminal they open over the transcript."
            )
        )
        self.query_one("#help-keymap", Static).update(
            escape(
                _(
                    "Change a key in {path} by the binding's id, for example:\n{example}\n"
                    "It is read when qualcode starts. esc closes."
                ).format(path=keymap_path(), example=EXAMPLE)
            )
            + "\n"
        )
        table = self.query_one(DataTable)
        relabel_columns(table, COLUMNS)
        for binding in self._listed_bindings():
            if binding.id:
                table.update_cell(binding.id, "does", _(binding.tooltip or binding.description))

    def _listed_bindings(self) -> list[Binding]:
        out: list[Binding] = []
        seen: set[str] = set()
        for node in (self.under, self.app):
            for binding in bindings_of(node):
                if binding.id in seen:
                    continue
                seen.add(binding.id or binding.key)
                out.append(binding)
        return out

    def on_mount(self) -> None:
        keymap = user_keymap(self.app)
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        for binding in self._listed_bindings():
            table.add_row(
                current_key(binding, keymap),
                binding.id or "",
                _(binding.tooltip or binding.description),
                key=binding.id,
            )
        self.relabel()
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
