"""Survey tables (.csv, .xlsx) with one row per answer: one document per respondent.

Columns are found by name (document/respondent, question key, question text, answer)
or mapped explicitly with `--map COLUMN=FIELD`; other columns become attributes.
"""

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import INTERVIEWER, RESPONDENT, UnitSpec, normalise_text
from qualcode.i18n import _
from qualcode.io.decode import check_file_size, decode_file
from qualcode.io.readers import ReadDocument, ReadOptions
from qualcode.io.safe_zip import DamagedArchiveError, ZipLimits, office_archive

FIELDS = ("document", "question", "question_text", "answer", "attribute", "ignore")
# Header names as survey tools write them, compared after _header_key (case, spaces, hyphens).
_GUESSES: dict[str, tuple[str, ...]] = {
    "document": (
        "document",
        "respondent",
        "respondent_id",
        "responseid",
        "response_id",
        "participant",
        "participant_id",
        "interviewee",
        "file",
        "name",
        "受访者",
        "受访者编号",
        "受访人",
        "被访者",
        "访谈对象",
        "文档",
        "编号",
    ),
    "question": ("question_key", "question_id", "qid", "key", "问题编号", "题号"),
    "question_text": ("question_text", "question", "问题", "题目"),
    "answer": (
        "answer",
        "response",
        "answer_text",
        "response_text",
        "text",
        "回答",
        "回答内容",
        "答案",
        "答复",
    ),
}


def _header_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", name.strip().casefold())


def read_table(path: Path, options: ReadOptions) -> list[ReadDocument]:
    header, rows, encoding = _load(path, options)
    columns = _resolve_columns(path.name, header, options.mapping)
    groups: dict[str, list[list[str]]] = {}
    for row in rows:
        row = row + [""] * (len(header) - len(row))
        name = row[columns["document"]].strip()
        if not name and not any(cell.strip() for cell in row):
            continue
        if not name:
            raise QualcodeError(
                _("{name}: a row has an answer but no {header!r} value").format(
                    name=path.name, header=header[columns['document']]
                )
            )
        groups.setdefault(name, []).append(row)
    if not groups:
        raise QualcodeError(_("{name}: the table has no answer rows").format(name=path.name))
    attribute_columns = [
        i
        for i, name in enumerate(header)
        if _field_of(i, columns) is None and _mapped(name, options) != "ignore"
    ]
    return [
        _document(name, group, header, columns, attribute_columns, encoding) for name, group in groups.items()
    ]


def _mapped(column: str, options: ReadOptions) -> str | None:
    return options.mapping.get(column)


def _field_of(index: int, columns: dict[str, int]) -> str | None:
    for name, where in columns.items():
        if where == index:
            return name
    return None


def _load(path: Path, options: ReadOptions) -> tuple[list[str], list[list[str]], str | None]:
    if path.suffix.lower() == ".xlsx":
        check_file_size(path, options.max_mb)
        try:
            data = office_archive(path, ZipLimits.for_import(options.max_mb))  # bounds what inflates
        except DamagedArchiveError as exc:
            raise QualcodeError(
                _("{name}: not a readable .xlsx file ({value})").format(
                    name=path.name, value=exc.__cause__ or exc
                )
            ) from exc
        try:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            values = list(book.worksheets[0].iter_rows(values_only=True))
            book.close()
            if any(v is None for row in values for v in row):
                _refuse_uncalculated_formulas(path.name, data, values)
        except QualcodeError:
            raise
        except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
            raise QualcodeError(
                _("{name}: not a readable .xlsx file ({value})").format(
                    name=path.name, value=exc or type(exc).__name__
                )
            ) from exc
        table = [["" if v is None else str(v) for v in row] for row in values]
        encoding = None
    else:
        decoded = decode_file(path, encoding=options.encoding, max_mb=options.max_mb)
        # Interview answers can be long: lift the csv module's 128 KiB per-field limit.
        csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
        table = _csv_rows(decoded.text, path.name)
        encoding = decoded.encoding
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise QualcodeError(_("{name}: the table is empty").format(name=path.name))
    return _unique_names([cell.strip() for cell in table[0]]), table[1:], encoding


def _refuse_uncalculated_formulas(label: str, data: bytes, values: Sequence[tuple[object, ...]]) -> None:
    """A formula cell whose result was never saved (files written by scripts, not by Excel)
    reads as empty: refuse it rather than store an empty answer or attribute."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = book.worksheets[0]
    first_row, first_column = sheet.min_row or 1, sheet.min_column or 1
    try:
        for r, (formulas, results) in enumerate(zip(sheet.iter_rows(values_only=True), values, strict=False)):
            for c, (formula, result) in enumerate(zip(formulas, results, strict=False)):
                if result is None and formula is not None:
                    cell = f"{get_column_letter(first_column + c)}{first_row + r}"
                    shown = (
                        formula if isinstance(formula, str) else getattr(formula, "text", "") or "a formula"
                    )
                    raise QualcodeError(
                        _(
                            "{label}: cell {cell} holds the formula {shown} but no saved result; open and save the file in Excel or LibreOffice (which calculates it), or replace the formula by its value"
                        ).format(label=label, cell=cell, shown=str(shown)[:60])
                    )
    finally:
        book.close()


def _csv_rows(text: str, label: str) -> list[list[str]]:
    """The rows of a CSV text, read strictly: a quote that is never closed would otherwise
    swallow the rows after it into one answer, and a stray quote inside a field changes it."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
    rows: list[list[str]] = []
    while True:
        starts = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            if "end of data" in str(exc):
                raise QualcodeError(
                    _(
                        '{label}: row {value} (line {starts}) opens a quote (") that is never closed; close it, or the rows after it would become part of one answer'
                    ).format(label=label, value=len(rows) + 1, starts=starts)
                ) from exc
            raise QualcodeError(
                _(
                    '{label}: row {value} (line {starts}) has a stray quote (") inside a field ({exc}); double it ("") or quote the whole field'
                ).format(label=label, value=len(rows) + 1, starts=starts, exc=exc)
            ) from exc
        rows.append(row)


def _delimiter(text: str) -> str:
    """`,` unless the header line is split by `;` (Excel in many locales) or tabs."""
    first = text.split("\n", 1)[0]
    counts = {sep: len(next(csv.reader([first], delimiter=sep), [])) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _unique_names(header: list[str]) -> list[str]:
    """Blank header cells get `column N`, repeated ones `name (2)`, so no attribute is lost or nameless."""
    out: list[str] = []
    for index, name in enumerate(header):
        name = name or f"column {index + 1}"
        base, n = name, 1
        while name in out:
            n += 1
            name = f"{base} ({n})"
        out.append(name)
    return out


def _resolve_columns(label: str, header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    found = ", ".join(header)
    for column, field_name in mapping.items():
        if field_name not in FIELDS:
            raise QualcodeError(
                _("--map {column}={field_name}: unknown field; use one of {FIELDS}").format(
                    column=column, field_name=field_name, FIELDS=', '.join(FIELDS)
                )
            )
    missing = [column for column in mapping if column not in header]
    if missing:
        raise QualcodeError(
            _("{label}: mapped column(s) {missing} not found; columns found: {found}").format(
                label=label, missing=', '.join(missing), found=found
            )
        )
    columns: dict[str, int] = {}
    for column, field_name in mapping.items():
        if field_name in _GUESSES:
            columns[field_name] = header.index(column)
    folded = [_header_key(h) for h in header]
    for field_name, names in _GUESSES.items():
        if field_name in columns:
            continue
        for name in names:
            if (
                name in folded
                and folded.index(name) not in columns.values()
                and header[folded.index(name)] not in mapping
            ):
                columns[field_name] = folded.index(name)
                break
    for required in ("document", "answer"):
        if required not in columns:
            raise QualcodeError(
                _(
                    "{label}: no {required} column; columns found: {found} (map one with --map COLUMN={required})"
                ).format(label=label, required=required, found=found)
            )
    return columns


def _document(
    name: str,
    rows: list[list[str]],
    header: list[str],
    columns: dict[str, int],
    attribute_columns: list[int],
    encoding: str | None,
) -> ReadDocument:
    parts: list[str] = []
    units: list[UnitSpec] = []
    position = 0
    for row in rows:
        key = row[columns["question"]].strip() if "question" in columns else ""
        question = normalise_text(row[columns["question_text"]]).strip() if "question_text" in columns else ""
        answer = normalise_text(row[columns["answer"]]).strip()
        source = "row" if key else None
        confidence = 1.0 if key else None
        asked = " ".join(part for part in (key, question) if part)
        if asked:
            units.append(
                UnitSpec(
                    position,
                    position + len(asked),
                    "turn",
                    None,
                    INTERVIEWER,
                    key or None,
                    confidence,
                    source,
                )
            )
            parts.append(asked + "\n")
            position += len(asked) + 1
        if answer:
            units.append(
                UnitSpec(
                    position,
                    position + len(answer),
                    "answer",
                    name,
                    RESPONDENT,
                    key or None,
                    confidence,
                    source,
                )
            )
            parts.append(answer + "\n")
            position += len(answer) + 1
        parts.append("\n")
        position += 1
    text = "".join(parts).rstrip("\n") + "\n"
    attributes: dict[str, str] = {}
    for index in attribute_columns:
        value = next((row[index].strip() for row in rows if index < len(row) and row[index].strip()), "")
        if value:
            attributes[header[index]] = value
    return ReadDocument(name=name, text=text, encoding=encoding, attributes=attributes, units=units)
