"""Textual's private API, fenced: everything the transcript view relies on below TextArea's public surface.

Verified against textual 8.2.8; pyproject pins `textual>=8.2,<8.3` for that reason. Before moving
the pin, re-check every item below against the new version: `tests/tui/test_textual_private.py`
inspects Textual's own objects and fails, naming this module, when one of them changes.

What is relied on, and why:
- `WrappedDocument` (in the private module `textual.document._wrapped_document`) is subclassed
  by the transcript view for an O(1) height and a faster wrap; the wrap writes the state
  `WRAP_STATE` names, exactly as `WrappedDocument.wrap` leaves it. A TextArea's
  `wrapped_document` is a plain `WrappedDocument`, whose class the view swaps for its own in
  `_rewrap_and_refresh_virtual_size`, before Textual wraps it.
- `TextArea._highlights`: row -> list of (start byte column, end byte column, highlight name),
  painted row by row instead of by a tree-sitter query.
- `TextArea._line_cache`: rendered strips keyed by a tuple whose item `CACHE_KEY_Y` is the
  absolute (scrolled) y of the row (`TextArea.render_line`), so only changed rows are dropped.
- `TextArea` methods the view overrides, with their positional parameters: `OVERRIDDEN`.
"""

from collections.abc import Callable
from typing import Any

from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea

VERIFIED_WITH = "textual 8.2.8"
WRAP_STATE = (
    "_wrap_offsets",
    "_offset_to_line_info",
    "_line_index_to_offsets",
    "_tab_width_cache",
    "_width",
    "_tab_width",
)
# method -> its positional parameters after self
OVERRIDDEN = {
    "_rewrap_and_refresh_virtual_size": 0,
    "_build_highlight_map": 0,
    "_render_line": 1,
    "_watch_selection": 2,
}
CACHE_KEY_Y = 2

Highlights = dict[int, list[tuple[int, int, str]]]

__all__ = [
    "CACHE_KEY_Y",
    "OVERRIDDEN",
    "VERIFIED_WITH",
    "WRAP_STATE",
    "WrappedDocument",
    "clear_line_cache",
    "forget_cached_rows",
    "highlight_map",
    "set_wrap_state",
    "wrap_tab_width",
    "wrapped_rows",
]


def wrapped_rows(wrapped: WrappedDocument) -> list[tuple[int, int]]:
    """(document line, section) of every wrapped row; its length is the wrapped height."""
    return wrapped._offset_to_line_info


def wrap_tab_width(wrapped: WrappedDocument) -> int:
    return wrapped._tab_width


def set_wrap_state(
    wrapped: WrappedDocument,
    width: int,
    tab_width: int,
    wrap_offsets: list[list[int]],
    rows: list[tuple[int, int]],
    line_rows: list[list[int]],
    tab_widths: list[list[int]],
) -> None:
    """Leave a wrapped document as `WrappedDocument.wrap` would for these breaks."""
    wrapped._width, wrapped._tab_width = width, tab_width
    wrapped._wrap_offsets = wrap_offsets
    wrapped._offset_to_line_info = rows
    wrapped._line_index_to_offsets = line_rows
    wrapped._tab_width_cache = tab_widths


def highlight_map(area: TextArea) -> Highlights:
    """The area's highlights by row (a defaultdict: a missing row reads as none)."""
    highlights: Highlights = area._highlights  # type: ignore[assignment]
    return highlights


def clear_line_cache(area: TextArea) -> None:
    area._line_cache.clear()


def forget_cached_rows(area: TextArea, stale: Callable[[int], bool]) -> None:
    """Drop the cached strips of the rows (absolute y) for which `stale` is true."""
    cache: Any = area._line_cache
    for key in [key for key in list(cache.keys()) if stale(key[CACHE_KEY_Y])]:
        cache.discard(key)
