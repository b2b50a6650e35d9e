"""The one writer of every table the tool produces as CSV or .xlsx.

Segments, retrieved rows, `code list --format csv`, agreement reports and gold comparisons
all go through here (the multi-sheet workbook through io/workbook.py, whose cell rule this
shares), so a text cell is written the same way everywhere:

- a cell that spreadsheet programs would evaluate (starting with = + - @ tab or CR) is
  written as text: in CSV with a leading apostrophe, the usual defence against CSV
  injection and the only change made to the text; in .xlsx as a string cell with the
  quote-prefix style (io/workbook.py);
- characters XML forbids become U+FFFD and text beyond Excel's cell limit is cut (`clean_text`);
- CSV rows end in CRLF (RFC 4180), so a cell holding a CR or LF is always quoted and
  cannot break its row; files get a UTF-8 BOM so that Excel shows Chinese correctly.
"""

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from qualcode.i18n import _
from qualcode.io.workbook import WorkbookWriter, clean_text, is_risky

FORMATS = ("csv", "xlsx")


def csv_cell(value: Any) -> Any:
    """A value as the CSV writer stores it (risky text prefixed with an apostrophe)."""
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if is_risky(value) else value
    return value


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a header and rows to an open text stream (opened with newline=""); returns the row count."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    return count


def write_table_file(
    path: Path,
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "data",
    wrap: Iterable[str] = (),
) -> int:
    """Write one table to `path` as `fmt` ("csv" or "xlsx"); returns the row count.

    `path` is written directly: callers make the write atomic (services/outputs.py) and
    pass the format because a temporary file's name does not end in .csv or .xlsx.
    """
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            return write_csv(fh, header, rows)
    if fmt != "xlsx":
        raise ValueError(_("unknown table format {fmt!r}").format(fmt=fmt))
    rows = rows if isinstance(rows, Sequence) else list(rows)
    book = WorkbookWriter()
    try:
        book.table(title, list(header), rows, wrap=wrap)
        book.save(path)
    except BaseException:
        book.discard()
        raise
    return len(rows)


def write_sheets_file(
    path: Path, tables: Sequence[tuple[str, Sequence[Sequence[Any]]]], *, number_format: str | None = None
) -> None:
    """An .xlsx of several tables, each given as (title, rows) with the header as the first row."""
    book = WorkbookWriter()
    try:
        for title, rows in tables:
            header = [str(h) for h in rows[0]] if rows else []
            book.table(title, header, list(rows[1:]), number_format=number_format)
        book.save(path)
    except BaseException:
        book.discard()
        raise
