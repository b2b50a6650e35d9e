"""Helpers shared by CLI command modules: opening projects, printing JSON and tables."""

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from qualcode.store.db import Project

PROJECT_ARG = click.argument("project", envvar="QUALCODE_DB")
# Who runs the command: in blind mode a coder sees only their own work (services/team/access.py).
AS_OPTION = click.option(
    "--as",
    "viewer",
    default=None,
    envvar="QUALCODE_CODER",
    help="Run as this coder (or QUALCODE_CODER): in blind mode a coder sees only their own work.",
)


def open_cli_project(target: str) -> "Project":
    """Open PROJECT; its `language` setting becomes the interface language unless the person
    chose one with --lang or QUALCODE_LANG."""
    from qualcode.i18n import apply_project_language
    from qualcode.services.settings import get_setting
    from qualcode.store.db import open_project

    project = open_project(target)
    apply_project_language(get_setting(project, "language"))
    return project


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    import csv

    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)


def echo_table(rows: Iterable[Sequence[Any]], headers: Sequence[str], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers, title=title)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
