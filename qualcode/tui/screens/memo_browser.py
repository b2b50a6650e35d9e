"""All memos (project, documents, codes, segments): search, read, edit, add a project memo."""

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Input, Static

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _
from qualcode.services.coding import memos, workbench
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.text_prompt import MemoEditor
from qualcode.tui.widgets.key_bar import KeyBar

COLUMNS = (N_("on"), N_("target"), N_("by"), N_("memo"))
PLACEHOLDER = N_("search memos (blank: all)")
MEMO_TITLES = {
    "project": N_("Project memo"),
    "document": N_("Memo on {target}"),
    "code": N_("Memo on code {target}"),
    "segment": N_("Memo on segment {target}"),
}


class MemoBrowser(Screen[None]):
    TITLE = N_("Memos")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="memos.back", tooltip="Back to the workbench"),
        Binding(
            "ctrl+n", "new_project_memo", "Project memo", id="memos.new", tooltip="Write a new project memo"
        ),
        Binding("ctrl+e", "edit", "Edit", id="memos.edit", tooltip="Edit the highlighted memo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Input(placeholder=_(PLACEHOLDER), id="m-search")
                yield Checkbox(_("regex"), id="m-regex")
            yield DataTable(id="m-table", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="m-text", classes="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        self.title = _(self.TITLE)
        self.reload()

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        self.query_one(Input).placeholder = _(PLACEHOLDER)
        self.query_one(Checkbox).label = _("regex")
        relabel_columns(self.query_one(DataTable), COLUMNS)

    @on(Input.Submitted, "#m-search")
    def reload(self) -> None:
        needle = self.query_one(Input).value.strip() or None
        try:
            self.rows = workbench.visible_memos(
                self.app.project,
                self.app.coder,
                search=needle,  # type: ignore[attr-defined]
                regex=self.query_one(Checkbox).value,
            )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        table = self.query_one(DataTable)
        table.clear()
        for i, m in enumerate(self.rows):
            table.add_row(
                plain(m["target_type"]),
                plain(m["target"]),
                plain(m["coder"] or ""),
                plain(m["text"].replace("\n", " ")[:70]),
                key=str(i),
            )

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        return self.rows[table.cursor_row] if self.rows and table.cursor_row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#m-table")
    def _show(self) -> None:
        m = self.current()
        if m is not None:
            self.query_one("#m-text", Static).update(markup_safe(m["text"]))

    def _save(self, work: Any) -> None:
        try:
            work()
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", title=_("Not saved"))
        else:
            self.notify(_("memo saved"))
        self.reload()

    def action_new_project_memo(self) -> None:
        def save(text: str | None) -> None:
            if text and text.strip():
                self._save(
                    lambda: memos.add_memo(
                        self.app.project,
                        coder=self.app.coder,  # type: ignore[attr-defined]
                        target_type="project",
                        target=None,
                        text=text,
                    )
                )

        self.app.push_screen(MemoEditor(_("New project memo")), save)

    @on(DataTable.RowSelected, "#m-table")
    def action_edit(self) -> None:
        m = self.current()
        if m is None or m["id"] is None:  # segment memos live on the segment: edit them in the workbench
            return

        def save(text: str | None) -> None:
            if text is not None and text.strip():
                self._save(
                    lambda: memos.edit_memo(
                        self.app.project,
                        coder=self.app.coder,  # type: ignore[attr-defined]
                        memo_id=m["id"],
                        text=text,
                    )
                )

        title = _(MEMO_TITLES.get(m["target_type"], MEMO_TITLES["document"])).format(target=m["target"])
        self.app.push_screen(MemoEditor(title, m["text"]), save)
