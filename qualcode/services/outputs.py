"""Every file a command or screen writes goes through here (the rules are in io/output.py):
never over a file of an open project, never over another existing file without `force`,
atomically, with the mode of a normal new file."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.io.output import Protected, atomic_output, check_output
from qualcode.store.db import Project, open_projects_files


def protected_files(project: Project | None = None) -> Protected:
    """The files of `project` and of every other project open in this process."""
    own = project.own_files if project is not None else Protected()
    return own + open_projects_files()


def check_output_path(project: Project | None, path: str | Path, *, force: bool = False) -> None:
    """Refuse a path `output_file` would refuse, before a long computation rather than after it."""
    check_output(path, protected_files(project), force=force)


@contextmanager
def output_file(project: Project | None, path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary path for the writer; it becomes `path` when the block ends without error."""
    with atomic_output(path, protected_files(project), force=force) as temporary:
        yield temporary


def write_text_output(project: Project | None, path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write `text` as UTF-8 to `path` under the output rules; returns `path`."""
    with output_file(project, path, force=force) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="")
    return Path(path)


def table_format(path: str | Path) -> str:
    """ "csv" or "xlsx" from the file name, or a refusal naming both."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(
            _("{path}: write a .csv or .xlsx file, not {value}").format(
                path=path, value=suffix or 'a file without extension'
            )
        )
    return suffix[1:]


def write_table_output(
    project: Project | None,
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    force: bool = False,
    title: str = "data",
    wrap: Iterable[str] = (),
) -> int:
    """One table to a .csv or .xlsx (chosen by the name) under the output rules; returns the row count."""
    from qualcode.io.table_files import write_table_file

    fmt = table_format(path)
    with output_file(project, path, force=force) as temporary:
        return write_table_file(temporary, fmt, header, rows, title=title, wrap=wrap)


def write_sheets_output(
    project: Project | None,
    path: str | Path,
    tables: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    *,
    force: bool = False,
    number_format: str | None = None,
) -> Path:
    """Several tables, each (title, rows with the header first), as one .xlsx under the output rules."""
    if Path(path).suffix.lower() != ".xlsx":
        raise ValidationError(_("{path}: the workbook file must end in .xlsx").format(path=path))
    from qualcode.io.table_files import write_sheets_file

    with output_file(project, path, force=force) as temporary:
        write_sheets_file(temporary, tables, number_format=number_format)
    return Path(path)
