"""Stored text on its way to the screen: nothing in a name, transcript or memo is obeyed.

Names and texts may hold characters a terminal acts on (ESC, BEL, direction overrides) and
brackets Rich reads as markup. Every TUI surface shows stored text through one of these two,
both built on the one display rule, :func:`qualcode.core.names.printable`.
"""

from typing import Any

from rich.markup import escape
from rich.text import Text

from qualcode.core.names import printable


def markup_safe(value: Any) -> str:
    """`value` for a markup string: control characters shown as symbols, brackets escaped."""
    return escape(printable("" if value is None else str(value), keep_lines=True))


def plain(value: Any) -> Text:
    """`value` as one line of plain text (a table cell): no markup, nothing a terminal obeys."""
    return Text(printable("" if value is None else str(value)), end="")
