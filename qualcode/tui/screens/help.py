"""The `?` screen: every binding of the screen underneath, with its id for remapping."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from qualcode.i18n import N_, _
from qualcode.tui.relabel import add_columns, relabel_columns

COLUMNS = (N_("key"), N_("does"), N_("id"))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label("", id="help-title", classes="modal-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="help-layout")
            yield Label("", id="help-hint")

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
        self.query_one("#help-hint", Label).update(
            "[dim]" + _("Remap a key by its id in the keymap (App.set_keymap). esc closes.") + "[/]"
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
            for binding in getattr(node, "BINDINGS", []):
                if not isinstance(binding, Binding) or binding.id in seen:
                    continue
                seen.add(binding.id or binding.key)
                out.append(binding)
        return out

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        for binding in self._listed_bindings():
            table.add_row(
                binding.key, _(binding.tooltip or binding.description), binding.id or "", key=binding.id
            )
        self.relabel()
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
