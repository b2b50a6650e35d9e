"""Segments in a table: code, coder, span and memo; choosing a row jumps to the passage."""

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from qualcode.tui.messages import SegmentChosen

COLUMNS = (("code", 12), ("coder", 8), ("span", 11), ("memo", 30))


def _cells(seg: dict[str, Any]) -> list[Text]:
    # Text cells: no markup parsing (a memo may contain [brackets]) and cheaper to measure.
    memo = (seg.get("memo") or "").replace("\n", " ")[:40]
    return [Text(seg["code"]), Text(seg["coder"]), Text(f"{seg['start']}-{seg['end']}"), Text(memo)]


class SegmentList(DataTable[Text]):
    """Updated by difference: after one action only the changed rows are touched."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, width in COLUMNS:
            self.add_column(label, key=label, width=width)
        self.rows_by_key: dict[str, dict[str, Any]] = {}

    def show(self, segments: list[dict[str, Any]]) -> None:
        new = {str(seg["id"]): seg for seg in segments}
        old = self.rows_by_key
        gone = old.keys() - new.keys()
        added = [k for k in new if k not in old]
        if len(gone) + len(added) > 200 or (old and not set(old) & set(new)):
            self.clear()
            self.rows_by_key = new
            if len(new) > 200:  # a long list fills after the first frame: the transcript comes first
                self.call_after_refresh(self._fill, new)
            else:
                self._fill(new)
            return
        for key in gone:
            self.remove_row(key)
        for key, seg in new.items():
            if key in old and old[key] != seg:
                for (column, _), cell in zip(COLUMNS, _cells(seg)):
                    self.update_cell(key, column, cell)
        for key in added:
            self.add_row(*_cells(new[key]), key=key, height=1)
        self.rows_by_key = new

    def _fill(self, rows: dict[str, dict[str, Any]]) -> None:
        if rows is not self.rows_by_key:  # replaced meanwhile
            return
        for key, seg in rows.items():
            self.add_row(*_cells(seg), key=key, height=1)

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
