"""All memos (project, documents, codes, segments): search, read, edit, add a project memo."""

from collections.abc import Callable, Sequence

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input

from qualcode.i18n import N_, _
from qualcode.services.coding import memos, workbench
from qualcode.services.coding.rows import MemoRow
from qualcode.tui.failures import Failed
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.results import ResultsScreen
from qualcode.tui.screens.text_prompt import MemoEditor

COLUMNS = (N_("on"), N_("target"), N_("by"), N_("memo"))
PLACEHOLDER = N_("search memos (blank: all)")
MEMO_TITLES = {
    "project": N_("Project memo"),
    "document": N_("Memo on {target}"),
    "code": N_("Memo on code {target}"),
    "segment": N_("Memo on segment {target}"),
}


class MemoBrowser(ResultsScreen[MemoRow]):
    TITLE = N_("Memos")
    PREFIX = "m"
    COLUMNS = (N_("on"), N_("target"), N_("by"), N_("memo"))
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="memos.back", tooltip=N_("Back to the workbench")),
        Binding(
            "ctrl+n",
            "new_project_memo",
            N_("Project memo"),
            id="memos.new",
            tooltip=N_("Write a new project memo"),
        ),
        Binding("ctrl+e", "edit", N_("Edit"), id="memos.edit", tooltip=N_("Edit the highlighted memo")),
    ]

    def compose_query(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield Input(placeholder=_(PLACEHOLDER), id="m-search")
            yield Checkbox(_("regex"), id="m-regex")

    def mounted(self) -> None:
        self.reload()

    def relabel(self) -> None:
        super().relabel()
        self.query_one(Input).placeholder = _(PLACEHOLDER)
        self.query_one(Checkbox).label = _("regex")

    @on(Input.Submitted, "#m-search")
    def _search(self) -> None:
        self.reload()

    def fetch(self) -> list[MemoRow]:
        return workbench.visible_memos(
            self.app.project,
            self.app.coder,
            search=self.query_one(Input).value.strip() or None,
            regex=self.query_one(Checkbox).value,
        )

    def cells(self, row: MemoRow) -> Sequence[RenderableType]:
        return (
            plain(row["target_type"]),
            plain(row["target"]),
            plain(row["coder"] or ""),
            plain(row["text"].replace("\n", " ")[:70]),
        )

    def preview(self, row: MemoRow) -> str:
        return markup_safe(row["text"])

    def choose(self) -> None:
        self.action_edit()

    def _save(self, work: Callable[[], object]) -> None:
        if not isinstance(self.attempt(work), Failed):
            self.notify("memo saved")
        self.reload()

    def action_new_project_memo(self) -> None:
        def save(text: str | None) -> None:
            if text and text.strip():
                self._save(
                    lambda: memos.add_memo(
                        self.app.project, coder=self.app.coder, target_type="project", target=None, text=text
                    )
                )

        self.app.push_screen(MemoEditor(_("New project memo")), save)

    def action_edit(self) -> None:
        m = self.current()
        if m is None or m["id"] is None:  # segment memos live on the segment: edit them in the workbench
            return
        memo_id = m["id"]

        def save(text: str | None) -> None:
            if text is not None and text.strip():
                self._save(
                    lambda: memos.edit_memo(
                        self.app.project, coder=self.app.coder, memo_id=memo_id, text=text
                    )
                )

        title = _(MEMO_TITLES.get(m["target_type"], MEMO_TITLES["document"])).format(target=m["target"])
        self.app.push_screen(MemoEditor(title, m["text"]), save)
