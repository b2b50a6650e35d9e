"""Segments in a list: code, coder, span and memo; choosing a row jumps to the passage.

A line-API widget (ScrollView.render_line) rather than a DataTable: a document may have
thousands of segments, and adding one row to a DataTable recomputes the offsets of every row
and relayouts the screen (~25-50 ms per key press). Here a new row is one list append, its
line is rendered when it becomes visible, and the virtual size changes without a layout pass.
"""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.core.code_names import names
from qualcode.core.names import printable
from qualcode.i18n import N_, _, current_language
from qualcode.tui.messages import SegmentChosen
from qualcode.tui.theme import SUGGESTED_STYLE

# The code's name and the coder first: a side pane shows those two; the key follows.
COLUMNS = ((N_("code"), 12), (N_("coder"), 8), (N_("key"), 12), (N_("span"), 11), (N_("memo"), 24))
ROW_WIDTH = sum(width + 2 for _, width in COLUMNS)


def code_name(key: str, entry: Mapping[str, Any] | None, language: str) -> str:
    """A segment's code as the list names it: the code's name in the interface language (the one
    rule of core/code_names); the key for a code the codebook does not name."""
    name = names(entry, language)[0] if entry is not None else ""
    return name or key


def _cells(seg: Mapping[str, Any], codes: Mapping[str, Mapping[str, Any]], language: str) -> tuple[str, ...]:
    memo = (seg.get("memo") or "").replace("\n", " ")[:40]
    key = str(seg["code"])
    return (
        printable(code_name(key, codes.get(key), language)),
        printable(seg["coder"]),
        printable(key),
        f"{seg['start']}-{seg['end']}",
        printable(memo),
    )


def _fit(cell: str, width: int) -> str:
    """The cell in exactly `width` columns (wide CJK characters count two); a cut one ends in …."""
    if cell_len(cell) <= width:
        return set_cell_size(cell, width)
    return set_cell_size(set_cell_size(cell, width - 1).rstrip() + "…", width)


def _line(cells: tuple[str, ...], style: Style) -> Strip:
    # One space either side of each cell, like a DataTable.
    text = "".join(f" {_fit(cell, width)} " for cell, (_, width) in zip(cells, COLUMNS, strict=True))
    return Strip([Segment(text, style)], ROW_WIDTH)


class SegmentList(ScrollView, can_focus=True):
    """A header line, then one line per segment; the cursor row is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", N_("Up"), show=False, id="segments.up", tooltip=N_("Previous segment")),
        Binding("down", "cursor(1)", N_("Down"), show=False, id="segments.down", tooltip=N_("Next segment")),
        Binding(
            "pageup",
            "page(-1)",
            N_("Page up"),
            show=False,
            id="segments.page_up",
            tooltip=N_("One page of segments up"),
        ),
        Binding(
            "pagedown",
            "page(1)",
            N_("Page down"),
            show=False,
            id="segments.page_down",
            tooltip=N_("One page of segments down"),
        ),
        Binding(
            "home",
            "cursor(-1000000000)",
            N_("First"),
            show=False,
            id="segments.first",
            tooltip=N_("First segment"),
        ),
        Binding(
            "end",
            "cursor(1000000000)",
            N_("Last"),
            show=False,
            id="segments.last",
            tooltip=N_("Last segment"),
        ),
        Binding(
            "enter",
            "choose",
            N_("Go to"),
            show=False,
            id="segments.choose",
            tooltip=N_("Select the segment in the transcript"),
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"segment-list--header", "segment-list--cursor"}
    DEFAULT_CSS = """
    SegmentList { background: $surface; }
    SegmentList > .segment-list--header { text-style: bold; background: $panel; color: $foreground; }
    SegmentList > .segment-list--cursor { background: $block-cursor-blurred-background; }
    SegmentList:focus > .segment-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows_by_key: dict[str, Mapping[str, Any]] = {}
        self.codes: Mapping[str, Mapping[str, Any]] = {}  # the codebook by key, for the codes' names
        self._order: list[str] = []  # row keys in display order
        self.cursor_row = 0

    # ---- content -----------------------------------------------------------------------------

    def show(self, segments: Sequence[Mapping[str, Any]]) -> None:
        """Show exactly these segments. Rows that stay keep their place; new ones go at the end."""
        new = {str(seg["id"]): seg for seg in segments}
        kept = [key for key in self._order if key in new]
        if not kept:  # another document, or nothing in common: the given order, from the top
            self._order = list(new)
            self.cursor_row = 0
        else:
            seen = set(kept)
            self._order = kept + [key for key in new if key not in seen]
        self.rows_by_key = new
        self.cursor_row = min(self.cursor_row, max(len(self._order) - 1, 0))
        self._resized()
        if not kept:
            self.scroll_to(y=0, animate=False)

    def set_codes(self, codes: Mapping[str, Mapping[str, Any]]) -> None:
        """The codebook by key, so each row names its code (in the language current when drawn)."""
        self.codes = codes
        self.refresh()

    def relabel(self) -> None:
        self.refresh()  # the header line and the codes' names are translated as they are drawn

    def add(self, seg: Mapping[str, Any]) -> None:
        """One new row at the end (as `show` adds new rows), without looking at the others."""
        key = str(seg["id"])
        if key not in self.rows_by_key:
            self.rows_by_key[key] = seg
            self._order.append(key)
            self._resized()

    def _resized(self) -> None:
        size = Size(ROW_WIDTH, len(self._order) + 1)
        if size != self.virtual_size:
            # set_reactive: virtual_size is a layout reactive, and a layout pass repaints every pane
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def current(self) -> Mapping[str, Any] | None:
        if not self._order:
            return None
        return self.rows_by_key[self._order[self.cursor_row]]

    # ---- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        if y == 0:  # the header stays on top while the rows scroll under it
            style = self.get_component_rich_style("segment-list--header")
            strip = _line(tuple(_(label) for label, _width in COLUMNS), style)
        else:
            row = int(self.scroll_y) + y - 1
            if row >= len(self._order):
                return Strip.blank(width, self.rich_style)
            style = self.rich_style
            if self.rows_by_key[self._order[row]].get("suggested"):
                style = style + SUGGESTED_STYLE  # a machine suggestion, not anyone's coding
            if row == self.cursor_row:
                style = style + self.get_component_rich_style("segment-list--cursor")
            strip = _line(_cells(self.rows_by_key[self._order[row]], self.codes, current_language()), style)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, self.rich_style)

    # ---- keys --------------------------------------------------------------------------------

    def _move_to(self, row: int) -> None:
        if not self._order:
            return
        self.cursor_row = max(0, min(row, len(self._order) - 1))
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(self.scrollable_content_region.height - 1, 1))

    def action_choose(self) -> None:
        seg = self.current
        if seg is not None:
            self.post_message(SegmentChosen(seg["id"], seg["start"], seg["end"]))

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            row = int(self.scroll_y) + event.y - 1
            if row < len(self._order):
                already = row == self.cursor_row
                self._move_to(row)
                if already or event.chain > 1:
                    self.action_choose()
