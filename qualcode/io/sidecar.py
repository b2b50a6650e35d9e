"""A sidecar CSV of attributes per file: a file column plus one column per attribute."""

import csv
import io
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.io.decode import decode_file
from qualcode.io.input_files import refuse_special_file

_FILE_COLUMNS = ("file", "filename", "document", "name", "文件", "文件名", "文档")


def read_sidecar(path: Path) -> dict[str, dict[str, str]]:
    """Attributes keyed by the file name (or document name) given in the file column."""
    refuse_special_file(path)
    if not path.is_file():
        raise QualcodeError(_("{path}: attribute file not found").format(path=path))
    rows = list(csv.reader(io.StringIO(decode_file(path).text)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise QualcodeError(_("{name}: the attribute file is empty").format(name=path.name))
    header = [cell.strip() for cell in rows[0]]
    folded = [h.casefold() for h in header]
    key_index = next((folded.index(name) for name in _FILE_COLUMNS if name in folded), None)
    if key_index is None:
        raise QualcodeError(
            _("{name}: no file column (name one of {FILE_COLUMNS}); columns found: {header}").format(
                name=path.name, FILE_COLUMNS=', '.join(_FILE_COLUMNS), header=', '.join(header)
            )
        )
    table: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        row = row + [""] * (len(header) - len(row))
        key = row[key_index].strip()
        if not key:
            continue
        if key in table:
            raise QualcodeError(
                _("{name}: {key!r} appears twice in the file column").format(name=path.name, key=key)
            )
        table[key] = {
            header[i]: row[i].strip() for i in range(len(header)) if i != key_index and row[i].strip()
        }
    return table


def attributes_for(sidecar: dict[str, dict[str, str]], path: Path, document: str) -> dict[str, str]:
    """The sidecar row for a file, matched by file name, path, stem or document name."""
    for key in (path.name, str(path), path.stem, document):
        if key in sidecar:
            return sidecar[key]
    return {}
