"""The documents pane: one row per transcript with the coder's own status and segment count."""

from typing import Any

from textual.widgets import DataTable

from qualcode.tui.messages import DocumentChosen

STATUS_MARK = {"not_started": "·", "in_progress": "◐", "done": "✓"}


class DocumentList(DataTable[str]):
    """Status: · not started, ◐ in progress, ✓ done; n = my segments."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        for label, key in (("", "status"), ("document", "name"), ("case", "case"), ("role", "role"),
                           ("lang", "language"), ("n", "segments")):
            self.add_column(label, key=key)

    def show(self, documents: list[dict[str, Any]], current: str | None = None) -> None:
        keep = self.cursor_row
        self.clear()
        for doc in documents:
            self.add_row(
                STATUS_MARK.get(doc["status"], "?"), doc["name"], doc.get("case") or "", doc.get("role") or "",
                doc.get("language") or "", str(doc["segments"]), key=doc["name"],
            )
        if current is not None and current in [d["name"] for d in documents]:
            self.move_cursor(row=self.get_row_index(current))
        elif documents:
            self.move_cursor(row=min(keep, len(documents) - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(DocumentChosen(event.row_key.value))
