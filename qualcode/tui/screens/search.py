"""Text search across all documents (plain or regex, Chinese and English); hits can be coded in place."""

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Input, Static

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _, ngettext
from qualcode.services.analysis.retrieval import search_text
from qualcode.services.codebook.curation import list_codes
from qualcode.services.coding import segments as coding
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.widgets.key_bar import KeyBar

COLUMNS = (N_("document"), N_("at"), N_("before"), N_("match"), N_("after"), N_("coded"))
PLACEHOLDER = N_("search text or regex (中文 / English)")


class SearchScreen(Screen[None]):
    TITLE = N_("Search all documents")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="search.back", tooltip="Back to the workbench"),
        Binding(
            "ctrl+k", "code_hit", "Code hit", id="search.code", tooltip="Code the highlighted hit in place"
        ),
        Binding(
            "ctrl+j", "jump", "Jump", id="search.jump", tooltip="Open the highlighted hit in the transcript"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Input(placeholder=_(PLACEHOLDER), id="s-pattern")
                yield Checkbox(_("regex"), id="s-regex")
            yield DataTable(id="s-table", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="s-context", classes="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        self.title = _(self.TITLE)
        self.query_one(Input).focus()

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        self.query_one(Input).placeholder = _(PLACEHOLDER)
        self.query_one(Checkbox).label = _("regex")
        relabel_columns(self.query_one(DataTable), COLUMNS)

    @on(Input.Submitted, "#s-pattern")
    def run_search(self) -> None:
        try:
            self.hits = search_text(
                self.app.project,
                self.query_one(Input).value,  # type: ignore[attr-defined]
                regex=self.query_one(Checkbox).value,
            )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        table = self.query_one(DataTable)
        table.clear()
        for i, h in enumerate(self.hits):
            table.add_row(
                plain(h["document"]),
                plain(str(h["start"])),
                plain(h["before"][-20:].replace("\n", " ")),
                plain(h["match"][:40]),
                plain(h["after"][:20].replace("\n", " ")),
                plain(h.get("coded", "")),
                key=str(i),
            )
        self.notify(ngettext("{count} hit", "{count} hits", len(self.hits)).format(count=len(self.hits)))
        if self.hits:
            table.focus()

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        return self.hits[table.cursor_row] if self.hits and table.cursor_row < len(self.hits) else None

    @on(DataTable.RowHighlighted, "#s-table")
    def _show(self) -> None:
        h = self.current()
        if h is not None:
            self.query_one("#s-context", Static).update(
                f"[dim]{markup_safe(h['before'])}[/][reverse]{markup_safe(h['match'])}[/][dim]{markup_safe(h['after'])}[/]"
            )

    @on(DataTable.RowSelected, "#s-table")
    def action_jump(self) -> None:
        h = self.current()
        if h is not None:
            self.app.jump_to(h["document"], h["start"], h["end"])  # type: ignore[attr-defined]

    def action_code_hit(self) -> None:
        hit, row = self.current(), self.query_one(DataTable).cursor_row
        if hit is None:
            return
        codes = list_codes(self.app.project)  # type: ignore[attr-defined]
        self.app.push_screen(
            CodePicker(codes, _("Code “{text}”").format(text=hit["match"][:30])),
            lambda key: key and self.code(row, hit, key),
        )

    def code(self, row: int, hit: dict[str, Any], key: str) -> None:
        try:
            coding.add_segment(
                self.app.project,
                coder=self.app.coder,
                document=hit["document"],  # type: ignore[attr-defined]
                code=key,
                start=hit["start"],
                end=hit["end"],
            )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", title=_("Not saved"))
            return
        hit["coded"] = ((hit.get("coded") or "") + " " + key).strip()
        self.query_one(DataTable).update_cell(str(row), "coded", hit["coded"])
        self.notify(
            _("coded {code} in {document} [{start}, {end})").format(
                code=key, document=hit["document"], start=hit["start"], end=hit["end"]
            )
        )
