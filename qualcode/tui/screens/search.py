"""Text search across all documents (plain or regex, Chinese and English); hits can be coded in place."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Input, Static

from qualcode.core.errors import QualcodeError
from qualcode.services.analysis.retrieval import search_text
from qualcode.services.analysis.rows import TextMatch
from qualcode.services.codebook.curation import list_codes
from qualcode.services.coding import segments as coding
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.widgets.key_bar import KeyBar


class SearchScreen(Screen[None]):
    TITLE = "Search all documents"
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
        self.hits: list[TextMatch] = []
        self.coded: dict[int, str] = {}  # hit row -> codes applied to it here (not part of the hit)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Input(placeholder="search text or regex (中文 / English)", id="s-pattern")
                yield Checkbox("regex", id="s-regex")
            yield DataTable(id="s-table", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="s-context", classes="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("document", "at", "before", "match", "after", "coded"):
            table.add_column(label, key=label)
        self.query_one(Input).focus()

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
        self.coded = {}
        table = self.query_one(DataTable)
        table.clear()
        for i, h in enumerate(self.hits):
            table.add_row(
                plain(h["document"]),
                plain(str(h["start"])),
                plain(h["before"][-20:].replace("\n", " ")),
                plain(h["match"][:40]),
                plain(h["after"][:20].replace("\n", " ")),
                plain(self.coded.get(i, "")),
                key=str(i),
            )
        self.notify(f"{len(self.hits)} hits")
        if self.hits:
            table.focus()

    def current(self) -> TextMatch | None:
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
            CodePicker(codes, f"Code “{hit['match'][:30]}”"), lambda key: key and self.code(row, hit, key)
        )

    def code(self, row: int, hit: TextMatch, key: str) -> None:
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
            self.notify(str(exc), severity="error", title="Not saved")
            return
        self.coded[row] = (self.coded.get(row, "") + " " + key).strip()
        self.query_one(DataTable).update_cell(str(row), "coded", self.coded[row])
        self.notify(f"coded {key} in {hit['document']} [{hit['start']}, {hit['end']})")
