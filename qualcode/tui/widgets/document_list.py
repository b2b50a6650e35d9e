"""The documents pane: one row per transcript with the coder's own status and segment count."""

from collections.abc import Mapping, Sequence
from typing import Any

from textual.widgets import DataTable

from qualcode.core.attributes import short_role
from qualcode.i18n import N_, _
from qualcode.tui.messages import DocumentChosen
from qualcode.tui.relabel import relabel_columns
from qualcode.tui.safe_text import plain

STATUS_MARK = {"not_started": "·", "in_progress": "◐", "done": "✓"}


class DocumentList(DataTable[str]):
    """Status: · not started, ◐ in progress, ✓ done; n = my segments."""

    # Status and my count first: the pane is narrow and these are what a coder scans for.
    COLUMNS = (
        ("", "status"),
        (N_("document"), "name"),
        (N_("n"), "segments"),
        (N_("role"), "role"),
        (N_("case"), "case"),
        (N_("lang"), "language"),
    )

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._shown: dict[str, tuple[str, ...]] = {}
        for label, key in self.COLUMNS:
            self.add_column(_(label) if label else "", key=key)

    def relabel(self) -> None:
        relabel_columns(self, {key: label for label, key in self.COLUMNS if label})

    def show(self, documents: Sequence[Mapping[str, Any]], current: str | None = None) -> None:
        rows = {doc["name"]: self._cells(doc) for doc in documents}
        if list(rows) == list(self._shown):  # same documents: touch only the cells that changed
            for name, cells in rows.items():
                for column, old, new in zip(self.COLUMNS, self._shown[name], cells, strict=True):
                    if old != new:
                        self.update_cell(name, column[1], new)
            self._shown = rows
            return
        keep = self.cursor_row
        self.clear()
        self._shown = rows
        for name, cells in rows.items():
            self.add_row(*cells, key=name, height=1)
        if current is not None and current in rows:
            self.move_cursor(row=self.get_row_index(current))
        elif rows:
            self.move_cursor(row=min(keep, len(rows) - 1))

    @staticmethod
    def _cells(doc: Mapping[str, Any]) -> tuple[Any, ...]:
        return (
            STATUS_MARK.get(doc["status"], "?"),
            plain(doc["name"]),
            str(doc["segments"]),
            plain(short_role(doc.get("role"))),
            doc.get("case") or "",
            doc.get("language") or "",
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(DocumentChosen(event.row_key.value))
