"""Segments in a table: code, coder, span and memo; choosing a row jumps to the passage."""

from typing import Any

from textual.widgets import DataTable

from qualcode.tui.messages import SegmentChosen


class SegmentList(DataTable[str]):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, width in (("code", 12), ("coder", 8), ("span", 11), ("memo", 30)):
            self.add_column(label, key=label, width=width)
        self.rows_by_key: dict[str, dict[str, Any]] = {}

    def show(self, segments: list[dict[str, Any]]) -> None:
        self.clear()
        self.rows_by_key = {}
        for seg in segments:
            key = str(seg["id"])
            self.rows_by_key[key] = seg
            memo = (seg.get("memo") or "").replace("\n", " ")
            self.add_row(seg["code"], seg["coder"], f"{seg['start']}-{seg['end']}", memo[:40], key=key)

    @property
    def current(self) -> dict[str, Any] | None:
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
        return self.rows_by_key.get(str(row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        seg = self.rows_by_key.get(str(event.row_key.value))
        if seg is not None:
            self.post_message(SegmentChosen(seg["id"], seg["start"], seg["end"]))
