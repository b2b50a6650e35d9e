"""A table as GitHub-flavoured Markdown lines: the one writer behind every `--format md` table.

A cell may hold any text: a pipe would end the cell and a line break the row, so both are
escaped here, once, instead of by each command.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any


def plain_cell(value: Any) -> str:
    """A value as a cell shows it: nothing for None, else its text."""
    return "" if value is None else str(value)


def _escaped(text: str) -> str:
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def markdown_table(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], cell: Callable[[Any], str] = plain_cell
) -> list[str]:
    """The header line, the rule under it and one line per row; `cell` turns a value into text."""
    lines = ["| " + " | ".join(_escaped(str(h)) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_escaped(cell(v)) for v in row) + " |" for row in rows]
    return lines
