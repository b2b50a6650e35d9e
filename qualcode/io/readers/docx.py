"""Word (.docx) transcripts: paragraphs, and question/answer tables rendered as turns."""

import re
from pathlib import Path
from typing import Any

from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import normalise_text
from qualcode.i18n import _
from qualcode.io.decode import check_file_size
from qualcode.io.readers import ReadDocument, ReadOptions
from qualcode.io.readers.plain import document_from_text
from qualcode.io.safe_zip import DamagedArchiveError, ZipLimits, office_archive

_KEY_HEAD = re.compile(r"^(no\.?|#|key|id|编号|序号|题号)$", re.IGNORECASE)
_Q_HEAD = re.compile(r"^(questions?|问题|提问|问)$", re.IGNORECASE)
_A_HEAD = re.compile(r"^(answers?|responses?|回答|答案|答复|答)$", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_MARKER = re.compile(r"^(q\d|question|问题|問題|第.{1,3}[题題])", re.IGNORECASE)


def read_docx(path: Path, options: ReadOptions) -> ReadDocument:
    import io

    from docx import Document

    check_file_size(path, options.max_mb)
    try:
        data = office_archive(path, ZipLimits.for_import(options.max_mb))  # bounds what inflates
    except DamagedArchiveError as exc:
        raise QualcodeError(
            _("{name}: not a readable .docx file (truncated or corrupt: {value})").format(
                name=path.name, value=exc.__cause__ or exc
            )
        ) from exc
    try:
        document = Document(io.BytesIO(data))
        blocks = [_block_text(block) for block in document.iter_inner_content()]
    except Exception as exc:  # python-docx raises zip, XML and key errors for broken files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QualcodeError(
            _("{name}: not a readable .docx file (truncated or corrupt: {reason})").format(
                name=path.name, reason=reason
            )
        ) from exc
    text = normalise_text("\n".join(blocks))
    if not text.strip():
        raise QualcodeError(_("{name}: the document has no text").format(name=path.name))
    return document_from_text(path.stem, text, None, options)


def _block_text(block: Any) -> str:
    if hasattr(block, "rows"):
        return _table_text(block)
    return block.text


def _table_text(table: Any) -> str:
    rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    columns = _qa_columns(rows[0])
    chinese = any(_CJK.search(cell) for row in rows for cell in row)
    if columns is not None:
        rows = rows[1:]
    elif _is_details(rows):
        # Interview details (城市 | 海滨市): `key：value` lines, which become header
        # attributes when the table opens the document.
        colon = "：" if chinese else ": "
        return "\n".join(f"{key}{colon}{value}" if key != value else key for key, value in rows) + "\n"
    elif len(rows[0]) in (2, 3):
        columns = (0, 1, None) if len(rows[0]) == 2 else (1, 2, 0)
    else:
        return "\n".join("\t".join(row) for row in rows) + "\n"
    ask, answer = ("问：", "答：") if chinese else ("Q: ", "A: ")
    q_col, a_col, key_col = columns
    lines: list[str] = []
    for row in rows:
        key = row[key_col] if key_col is not None and key_col < len(row) else ""
        question = " ".join(part for part in (key, row[q_col]) if part)
        lines.append(f"{ask}{question}\n{answer}{row[a_col] if a_col < len(row) else ''}\n")
    return "\n".join(lines)


def _is_details(rows: list[list[str]]) -> bool:
    """Two columns of short labels and their values, not questions (no ?, no Q3/问题3 marker)."""
    if any(len(row) != 2 for row in rows):
        return False
    labels = [row[0] for row in rows if row[0] != row[1]]  # a merged title row repeats its cell
    return bool(labels) and all(
        0 < len(label) <= 12 and not label.endswith(("?", "？")) and not _MARKER.search(label)
        for label in labels
    )


def _qa_columns(header: list[str]) -> tuple[int, int, int | None] | None:
    """(question, answer, key) column indices if the first row names them."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for name, pattern in (("key", _KEY_HEAD), ("q", _Q_HEAD), ("a", _A_HEAD)):
            if pattern.match(cell) and name not in found:
                found[name] = index
    if "q" in found and "a" in found:
        return found["q"], found["a"], found.get("key")
    return None
