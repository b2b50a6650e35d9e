"""Switching the interface language while the app runs, keeping everything else as it is.

A screen or widget that shows translated text has a `relabel()` method that sets that text from
`_()` (it calls it once on mount too). When the language changes, the app calls `relabel()` on
every screen of the stack and every widget in them; nothing is recomposed, so the open document,
the selection, cursors and scroll positions stay where they were.
"""

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual.screen import Screen
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from qualcode.i18n import _


@runtime_checkable
class Relabels(Protocol):
    def relabel(self) -> None: ...


def relabel_screens(screens: Iterable[Screen[Any]]) -> None:
    """Call `relabel()` on each screen and on every widget under it that has one."""
    for screen in screens:
        for node in (screen, *screen.walk_children(with_self=False)):
            if isinstance(node, Relabels):
                node.relabel()


def add_columns(table: DataTable[Any], labels: Iterable[str]) -> None:
    """Columns keyed by their English labels (N_ strings), headed in the interface language."""
    for label in labels:
        table.add_column(_(label), key=label)


def relabel_columns(table: DataTable[Any], labels: Iterable[str] | Mapping[str, str]) -> None:
    """Head the columns in the interface language again: `labels` are the English labels of
    columns keyed by them (as `add_columns` adds them), or a mapping of column key to label.
    Rows, cursor and scroll position are untouched; a column only ever widens."""
    pairs = labels.items() if isinstance(labels, Mapping) else ((label, label) for label in labels)
    for key, label in pairs:
        column = table.columns.get(ColumnKey(key))
        if column is None:
            continue
        column.label = Text(_(label))
        column.content_width = max(column.content_width, column.label.cell_len)
    table.notify_style_update()  # drops the cached header cells
    table.refresh(layout=True)
