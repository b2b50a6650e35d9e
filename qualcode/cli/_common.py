"""Helpers shared by CLI command modules: opening projects, printing JSON and tables."""

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from qualcode.core.names import printable
from qualcode.i18n import N_

if TYPE_CHECKING:
    from qualcode.store.db import Project

PROJECT_ARG = click.argument("project", envvar="QUALCODE_DB")
# Who runs the command: in blind mode a coder sees only their own work (services/team/access.py).
AS_OPTION = click.option(
    "--as",
    "viewer",
    default=None,
    envvar="QUALCODE_CODER",
    help=N_("Run as this coder (or QUALCODE_CODER): in blind mode a coder sees only their own work."),
)
# Every command that writes a file refuses to replace an existing one unless told to.
FORCE_OPTION = click.option(
    "--force", is_flag=True, help=N_("Replace the output file if it exists (never a project's own files).")
)


def open_cli_project(target: str) -> "Project":
    """Open PROJECT; its `language` setting becomes the interface language unless the person
    chose one with --lang or QUALCODE_LANG."""
    from qualcode.i18n import apply_project_language, project_language_applies
    from qualcode.services.settings import get_setting
    from qualcode.store.db import open_project

    project = open_project(target)
    if project_language_applies():
        apply_project_language(get_setting(project, "language"))
    return project


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_json_array(rows: Iterable[Any]) -> None:
    """The same text as `echo_json(list(rows))`, written one item at a time so that a long
    stream of rows is never held in memory."""
    first = True
    for row in rows:
        item = json.dumps(row, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
        click.echo(("[\n  " if first else ",\n  ") + item, nl=False)
        first = False
    click.echo("[]" if first else "\n]")


def echo_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """Rows as CSV on stdout, through the one table writer (formula guard, CR/LF quoted),
    written as they come so that a long stream is never held in memory."""
    from qualcode.io.table_files import write_csv

    write_csv(sys.stdout, list(columns), ([row.get(c) for c in columns] for row in rows))


def shown(value: Any) -> str:
    """A stored value as one line of terminal output: control and direction characters escaped."""
    return printable("" if value is None else str(value))


def echo_line(text: str, *, err: bool = False) -> None:
    """Print one line that may quote stored names or text, escaped so it stays one harmless line."""
    click.echo(printable(text), err=err)


def echo_table(rows: Iterable[Sequence[Any]], headers: Sequence[str], title: str | None = None) -> None:
    """A Rich table of stored values (never read as markup); a list cell shows one item a line."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text() rather than str: a stored name such as "[link=...]" must not be read as Rich markup.
    table = Table(*headers, title=None if title is None else Text(shown(title)))
    for row in rows:
        table.add_row(*(Text(_cell_text(v)) for v in row))
    Console().print(table)


def _cell_text(value: Any) -> str:
    """A table cell: a list or tuple is one line per item, each escaped like any stored text."""
    if isinstance(value, list | tuple):
        return "\n".join(shown(item) for item in value)
    return shown(value)


def _positions_option() -> Any:
    from qualcode.io.refi.offsets import POSITIONS

    return click.option(
        "--positions",
        type=click.Choice(POSITIONS),
        default="auto",
        show_default=True,
        help=N_(
            "How a .qdpx archive's selection ends are read: auto (as the exporting tool is known to "
            "write them), exclusive (the end is the position after the last character) or inclusive "
            "(the end is the last character, the REFI-QDA text read literally)."
        ),
    )


POSITIONS_OPTION = _positions_option()

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)

# Alpha's bootstrap intervals: the same options, and the same defaults, on `agree` and `export`.
# The defaults themselves live in core/agreement/intervals.py (not imported here: numpy is slow
# to load for `--help`); None means "the default".
BOOTSTRAP_OPTION = click.option(
    "--bootstrap",
    "n_boot",
    type=click.IntRange(min=0),
    default=None,
    help=N_("Bootstrap resamples for alpha's intervals (95%; default 1000; 0: no intervals)."),
)
SEED_OPTION = click.option(
    "--seed",
    type=int,
    default=None,
    help=N_("Seed for the bootstrap (default 1; same seed, same intervals)."),
)
MIN_CI_UNITS_OPTION = click.option(
    "--min-ci-units",
    type=click.IntRange(min=1),
    default=None,
    help=N_(
        "Pairable units a code must be used in (by any coder) before alpha gets an interval "
        "(default: the project's min_ci_units setting, else 10)."
    ),
)
