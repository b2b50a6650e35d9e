"""Write a list of flat rows to CSV (UTF-8 with BOM, so Excel reads Chinese) or .xlsx."""

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qualcode.core.errors import ValidationError

# Spreadsheet programs evaluate cells starting with these as formulas; write such text as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_rows(
    path: Path, rows: Sequence[dict[str, Any]], columns: Sequence[str], sheet_title: str = "retrieved"
) -> Path:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(f"export to .csv or .xlsx, not {path.suffix or 'a file without extension'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([safe_cell(row.get(c)) for c in columns])
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c) for c in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    book.save(path)
    return path
