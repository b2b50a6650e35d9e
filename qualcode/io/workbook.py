"""Writing xlsx workbooks with openpyxl in write-only (streaming) mode.

Every sheet is one data table: an English header row (Chinese headers as notes on
the header cells), frozen, with an autofilter, so pandas can read it back.

Formula injection: every text cell is a string cell (t="inlineStr", never a formula),
and one that starts with = + - @ tab or CR also gets the quote-prefix style, which is
what Excel and LibreOffice set when a user types a leading apostrophe: the text is
shown as typed and is not evaluated, even after editing the cell.

Speed: openpyxl writes the header row, column widths, frozen panes, autofilter,
colour scales and charts. The data rows are serialised here, straight to a temporary
file, and spliced into the sheet XML that openpyxl wrote (before `</sheetData>`) when
the workbook is saved. openpyxl's per-cell writer costs about ten times more than a
string join, and 100,000 segments make two million cells. Styles (wrap, quote prefix,
number format) are registered through openpyxl so that their ids are valid.
"""

import math
import numbers
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32767  # Excel's limit on characters in a cell
# XML 1.0 forbids these control characters; openpyxl would refuse the whole row.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60.0


_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _escape(value: str) -> str:
    """XML text content; CR as a character reference, or XML parsers turn it into LF."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_ENTITIES)
    return value


def clean_text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("\ufffd", value)
    if len(value) > MAX_CELL:
        value = value[: MAX_CELL - 1] + "…"
    return value


def is_risky(value: str) -> bool:
    return value.startswith(RISKY_START)


def _display_width(value: Any) -> float:
    text = value if isinstance(value, str) else str(value)
    line = max(text.split("\n"), key=len) if "\n" in text else text
    # CJK characters take two columns
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in line[:80])


class SheetWriter:
    """Streams one table into a write-only sheet."""

    def __init__(
        self,
        book: "WorkbookWriter",
        title: str,
        header: Sequence[str],
        *,
        header_zh: Sequence[str] | None = None,
        wrap: Iterable[str] = (),
        number_format: str | None = None,
        sample: Sequence[Sequence[Any]] = (),
        freeze: str = "A2",
        widths: dict[str, float] | None = None,
    ) -> None:
        self.ws = book.workbook.create_sheet(title=title[:31])
        self.title = self.ws.title
        self.header = list(header)
        self.n_rows = 0
        self.wrap = {i for i, h in enumerate(self.header) if h in set(wrap)}
        self.number_format = number_format
        self.widths = self._widths(sample, widths or {})
        for i, width in enumerate(self.widths):
            self.ws.column_dimensions[get_column_letter(i + 1)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        cells = []
        for i, name in enumerate(self.header):
            cell = self._text_cell(str(name))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            if header_zh and i < len(header_zh) and header_zh[i] and header_zh[i] != name:
                cell.comment = Comment(str(header_zh[i]), "qualcode", width=160, height=40)
            cells.append(cell)
        self.ws.append(cells)
        self._cols = [get_column_letter(i + 1) for i in range(len(self.header))]
        self._styles: dict[tuple[bool, bool, str | None], str] = {}
        handle, self._rows_path = tempfile.mkstemp(prefix="qualcode-rows-", suffix=".xml")
        self._rows_file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self._buffer: list[str] = []
        self.closed = False

    def _widths(self, sample: Sequence[Sequence[Any]], fixed: dict[str, float]) -> list[float]:
        widths = []
        for i, name in enumerate(self.header):
            if name in fixed:
                widths.append(fixed[name])
                continue
            longest = max(
                [_display_width(name)]
                + [_display_width(r[i]) for r in sample[:200] if i < len(r) and r[i] is not None]
            )
            widths.append(min(MAX_WIDTH, max(6.0, longest + 2)))
        return widths

    def _text_cell(self, value: str) -> Cell:
        cell = WriteOnlyCell(self.ws, value)
        cell.data_type = "s"  # openpyxl would make "=..." a formula
        if is_risky(value):
            cell.quotePrefix = True
        return cell

    def _style(self, wrap: bool, quote: bool, number_format: str | None) -> str:
        """The ` s="N"` attribute for a combination of styles, registered with openpyxl once."""
        key = (wrap, quote, number_format)
        if key not in self._styles:
            if not any(key):
                self._styles[key] = ""
            else:
                cell = WriteOnlyCell(self.ws, 0)
                if wrap:
                    cell.alignment = WRAP
                if quote:
                    cell.quotePrefix = True
                if number_format:
                    cell.number_format = number_format
                self._styles[key] = f' s="{cell.style_id}"'
        return self._styles[key]

    def row_xml(self, row: Sequence[Any], r: int) -> str:
        parts = [f'<row r="{r}">']
        for i, value in enumerate(row):
            if value is None or i >= len(self._cols):
                continue
            ref = f"{self._cols[i]}{r}"
            if isinstance(value, str):
                value = clean_text(value)
                if not value:
                    continue
                wrap = i in self.wrap and (len(value) > self.widths[i] or "\n" in value)
                style = self._style(wrap, is_risky(value), None)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>')
            elif isinstance(value, (bool, np.bool_)):
                parts.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, numbers.Integral):
                parts.append(f'<c r="{ref}" t="n"><v>{int(value)}</v></c>')
            elif isinstance(value, numbers.Real):  # float and numpy floats (whose repr is not a number)
                number = float(value)
                if not math.isfinite(number):
                    continue
                style = self._style(False, False, self.number_format) if self.number_format else ""
                parts.append(f'<c r="{ref}"{style} t="n"><v>{number!r}</v></c>')
            else:
                text = clean_text(str(value))
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{_escape(text)}</t></is></c>')
        parts.append("</row>")
        return "".join(parts)

    def append(self, row: Sequence[Any]) -> None:
        if self.closed:
            raise RuntimeError(f"sheet {self.title} is already closed")
        self.n_rows += 1
        self._buffer.append(self.row_xml(row, self.n_rows + 1))
        if len(self._buffer) >= 2000:
            self._rows_file.write("".join(self._buffer))
            self._buffer.clear()

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)

    def close(self) -> None:
        """Let openpyxl finish the sheet, then put the data rows inside its <sheetData>."""
        if self.closed:
            return
        self.closed = True
        self._rows_file.write("".join(self._buffer))
        self._buffer.clear()
        self._rows_file.close()
        try:
            self.ws.close()
            target = self.ws._writer.out  # the sheet XML openpyxl will put in the archive
            with open(target, "rb") as fh:
                written = fh.read()
            cut = written.rfind(b"</sheetData>")
            if cut < 0:
                raise RuntimeError(f"unexpected sheet XML from openpyxl for {self.title}")
            with open(target, "wb") as out, open(self._rows_path, "rb") as rows:
                out.write(written[:cut])
                while chunk := rows.read(1 << 20):
                    out.write(chunk)
                out.write(written[cut:])
        finally:
            os.unlink(self._rows_path)

    @property
    def ref(self) -> str:
        return f"A1:{get_column_letter(max(1, len(self.header)))}{self.n_rows + 1}"

    def finish(self, autofilter: bool = True, color_scale: tuple[int, int] | None = None) -> None:
        """Autofilter over the table; a colour scale over columns [first, last] (1-based) of the data."""
        if autofilter and self.header:
            self.ws.auto_filter.ref = self.ref
        if color_scale and self.n_rows:
            first, last = color_scale
            if last >= first:
                area = f"{get_column_letter(first)}2:{get_column_letter(last)}{self.n_rows + 1}"
                self.ws.conditional_formatting.add(
                    area,
                    ColorScaleRule(
                        start_type="min", start_color="FFFFFF", end_type="max", end_color="63BE7B"
                    ),
                )

    def bar_chart(
        self,
        title: str,
        categories_col: int,
        first_col: int,
        last_col: int,
        anchor: str,
        y_title: str = "",
        x_title: str = "",
    ) -> None:
        """A clustered bar chart of columns first..last (1-based, header as series names) by the category column."""
        if not self.n_rows or last_col < first_col:
            return
        chart = BarChart()
        chart.type = "col"
        chart.title = title
        chart.y_axis.title = y_title
        chart.x_axis.title = x_title
        chart.height, chart.width = 9, 18
        data = Reference(self.ws, min_col=first_col, max_col=last_col, min_row=1, max_row=self.n_rows + 1)
        cats = Reference(self.ws, min_col=categories_col, min_row=2, max_row=self.n_rows + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        self.ws.add_chart(chart, anchor)

    def series_chart(
        self,
        title: str,
        label_col: int,
        first_col: int,
        last_col: int,
        first_row: int,
        last_row: int,
        anchor: str,
        y_title: str = "",
    ) -> None:
        """A column chart with one series per column first..last over rows first..last (1-based, sheet rows)."""
        if last_row < first_row or last_col < first_col or self.n_rows + 1 < last_row:
            return
        chart = BarChart()
        chart.type = "col"
        chart.title = title
        chart.y_axis.title = y_title
        chart.height, chart.width = 9, 18
        for col in range(first_col, last_col + 1):
            values = Reference(self.ws, min_col=col, min_row=first_row, max_row=last_row)
            chart.series.append(Series(values, title=str(self.header[col - 1])))
        chart.set_categories(Reference(self.ws, min_col=label_col, min_row=first_row, max_row=last_row))
        self.ws.add_chart(chart, anchor)

    def line_chart(
        self,
        title: str,
        categories_col: int,
        first_col: int,
        last_col: int,
        anchor: str,
        y_title: str = "",
        x_title: str = "",
    ) -> None:
        """A line chart (with markers) of columns first..last (1-based, header as series names) over
        the category column: an Excel chart, so the reader can restyle it."""
        if not self.n_rows or last_col < first_col:
            return
        chart = LineChart()
        chart.title = title
        chart.y_axis.title = y_title
        chart.x_axis.title = x_title
        chart.height, chart.width = 9, 18
        data = Reference(self.ws, min_col=first_col, max_col=last_col, min_row=1, max_row=self.n_rows + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(self.ws, min_col=categories_col, min_row=2, max_row=self.n_rows + 1))
        for series in chart.series:
            series.marker.symbol = "circle"
            series.smooth = False
        self.ws.add_chart(chart, anchor)


def column_letter(n: int) -> str:
    return get_column_letter(n)


class WorkbookWriter:
    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheets: list[SheetWriter] = []

    def sheet(self, title: str, header: Sequence[str], **kwargs: Any) -> SheetWriter:
        writer = SheetWriter(self, title, header, **kwargs)
        self.sheets.append(writer)
        return writer

    def table(
        self,
        title: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        color_scale: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> SheetWriter:
        writer = self.sheet(title, header, sample=rows, **kwargs)
        writer.extend(rows)
        writer.finish(color_scale=color_scale)
        return writer

    def save(self, path: Path) -> Path:
        """Write the file to `path` (callers make it atomic: services/outputs.py)."""
        for sheet in self.sheets:
            sheet.close()
        self.workbook.save(str(path))
        return path

    def discard(self) -> None:
        """Drop temporary row files of a workbook that will not be saved."""
        for sheet in self.sheets:
            if not sheet.closed:
                sheet.closed = True
                sheet._rows_file.close()
                os.unlink(sheet._rows_path)
