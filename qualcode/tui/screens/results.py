"""The skeleton of the search-like screens (memos, search, retrieval, guide review).

Each shows a query bar, a table of results, a preview of the highlighted row and the key bar,
and can open a row's passage in the workbench. A screen supplies only what differs: its query
bar (`compose_query`), its service call (`fetch`), a row's cells (`cells`), and optionally the
row's preview, its place in a transcript (`location`) and what enter does (`choose`). Layout is
in results.tcss.
"""

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from qualcode.i18n import _
from qualcode.tui.failures import CANNOT_LOAD, Failed
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar

Row = TypeVar("Row")


class ResultsScreen(QualcodeScreen[None], Generic[Row]):
    PREFIX: ClassVar[str]  # widget ids: {PREFIX}-table, {PREFIX}-preview
    COLUMNS: ClassVar[tuple[str, ...]]  # column keys, shown as the headings

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    # ---- what a screen supplies ----------------------------------------------------------------

    def compose_query(self) -> ComposeResult:
        """The query and filter widgets above the table."""
        yield from ()

    def fetch(self) -> list[Row]:
        """The rows for the current query (a service call; may raise)."""
        raise NotImplementedError

    def cells(self, row: Row) -> Sequence[RenderableType]:
        """One table row, in the order of COLUMNS."""
        raise NotImplementedError

    def preview(self, row: Row) -> str | None:
        """Markup for the preview of the highlighted row (None leaves the preview as it is)."""
        return None

    def location(self, row: Row) -> tuple[str, int, int] | None:
        """(document, start, end) of the row's passage, for opening it in the workbench."""
        return None

    def mounted(self) -> None:
        """After the table has its columns: first query, focus. (Textual calls `on_mount` of
        every class of a screen, so screens put theirs here rather than beside the skeleton's.)"""

    def loaded(self) -> None:
        """After the rows of a query are shown (counts, status, focus)."""

    def choose(self) -> None:
        """Enter on a row: open its passage unless the screen says otherwise."""
        self.action_jump()

    # ---- the shared part -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            yield from self.compose_query()
            yield DataTable(
                id=f"{self.PREFIX}-table", cursor_type="row", zebra_stripes=True, classes="results-table"
            )
            yield Static("", id=f"{self.PREFIX}-preview", classes="results-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.results_table
        add_columns(table, self.COLUMNS)
        self.title = _(self.TITLE or "")
        self.mounted()

    def relabel(self) -> None:
        """Title and column headings in the interface language again (a language switch)."""
        self.title = _(self.TITLE or "")
        relabel_columns(self.results_table, self.COLUMNS)

    @property
    def results_table(self) -> DataTable[RenderableType]:
        return self.query_one(f"#{self.PREFIX}-table", DataTable)

    def show_preview(self, markup: str) -> None:
        self.query_one(f"#{self.PREFIX}-preview", Static).update(markup)

    def reload(self, keep_cursor: bool = False) -> bool:
        """Run the query and show its rows; False (and an error toast) when the service refused."""
        rows = self.attempt(self.fetch, title=CANNOT_LOAD)
        if isinstance(rows, Failed):
            return False
        self.rows = rows
        table = self.results_table
        keep = table.cursor_row
        table.clear()
        for i, row in enumerate(rows):
            table.add_row(*self.cells(row), key=str(i))
        if keep_cursor and rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self.loaded()
        return True

    def current(self) -> Row | None:
        row = self.results_table.cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            markup = self.preview(self.rows[event.cursor_row])
            if markup is not None:
                self.show_preview(markup)

    def on_data_table_row_selected(self) -> None:
        self.choose()

    def action_jump(self) -> None:
        row = self.current()
        place = None if row is None else self.location(row)
        if place is not None:
            self.app.jump_to(*place)
