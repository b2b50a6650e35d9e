"""Reading agreement data from CSV files made anywhere (spreadsheets, other tools).

Reliability table: a header row, first column the unit id, one column per coder; an empty
cell or NA means missing. Span table: columns coder,start,end,category with 0-based,
half-open code point offsets; a row with only a coder name declares a coder who marked nothing.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from qualcode.core.errors import ValidationError
from qualcode.i18n import _

SPAN_COLUMNS = ("coder", "start", "end", "category")


@dataclass
class ReliabilityTable:
    coders: list[str]
    units: list[str]
    rows: list[list[str]]  # coders x units raw cells


def _read_rows(path: str | Path) -> list[list[str]]:
    p = Path(path)
    if not p.is_file():
        raise ValidationError(_("{path}: no such file").format(path=path))
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            return [row for row in csv.reader(fh, dialect) if any(cell.strip() for cell in row)]
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("{path}: not UTF-8 text ({reason} at byte {start})").format(
                path=path, reason=exc.reason, start=exc.start
            )
        ) from exc


def read_reliability_table(path: str | Path) -> ReliabilityTable:
    rows = _read_rows(path)
    if not rows:
        raise ValidationError(_("{path}: the table is empty").format(path=path))
    header, body = rows[0], rows[1:]
    coders = [h.strip() for h in header[1:]]
    if len(coders) < 2:
        raise ValidationError(
            _("{path}: agreement needs at least two coder columns after the unit id, found {count}").format(
                path=path, count=len(coders)
            )
        )
    if any(not c for c in coders):
        raise ValidationError(
            _("{path}: every coder column needs a name in the header row").format(path=path)
        )
    if len(set(coders)) != len(coders):
        raise ValidationError(_("{path}: coder names in the header repeat").format(path=path))
    if not body:
        raise ValidationError(_("{path}: the table has a header but no units").format(path=path))
    units: list[str] = []
    cells: list[list[str]] = [[] for _unused in coders]
    for line_no, row in enumerate(body, start=2):
        if len(row) > len(header):
            raise ValidationError(
                _("{path}: line {line_no} has {count} cells but the header has {count2}").format(
                    path=path, line_no=line_no, count=len(row), count2=len(header)
                )
            )
        row = row + [""] * (len(header) - len(row))
        units.append(row[0].strip())
        for i in range(len(coders)):
            cells[i].append(row[i + 1])
    return ReliabilityTable(coders=coders, units=units, rows=cells)


def _offset(value: str, what: str, path: str | Path, line_no: int) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ValidationError(
            _("{path}: line {line_no}: {what} {value!r} is not a whole number").format(
                path=path, line_no=line_no, what=what, value=value
            )
        ) from None


def read_span_table(path: str | Path) -> dict[str, list[tuple[int, int, str]]]:
    """Coder -> list of (start, end, category), in file order; coders in order of first mention."""
    rows = _read_rows(path)
    if rows and [c.strip().lower() for c in rows[0][:4]] == list(SPAN_COLUMNS[: len(rows[0][:4])]):
        rows = rows[1:]
    if not rows:
        raise ValidationError(_("{path}: the span table is empty").format(path=path))
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for line_no, row in enumerate(rows, start=2):
        cells = [c.strip() for c in row] + [""] * 4
        coder, start, end, category = cells[:4]
        if not coder:
            raise ValidationError(
                _("{path}: line {line_no} has no coder name").format(path=path, line_no=line_no)
            )
        spans.setdefault(coder, [])
        if not (start or end or category):
            continue  # declares a coder who marked nothing
        if not (start and end and category):
            raise ValidationError(
                _("{path}: line {line_no} needs start, end and category (or only a coder name)").format(
                    path=path, line_no=line_no
                )
            )
        spans[coder].append(
            (_offset(start, "start", path, line_no), _offset(end, "end", path, line_no), category)
        )
    return spans
