"""`qualcode backup PROJECT [--to FILE]`."""

from pathlib import Path

import click

from qualcode.cli._common import FORCE_OPTION, PROJECT_ARG, open_cli_project
from qualcode.i18n import N_, _


@click.command()
@PROJECT_ARG
@click.option(
    "--to",
    "to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Where to write the copy (default: backups/ inside the project folder)."),
)
@FORCE_OPTION
def backup(project: str, to: Path | None, force: bool) -> None:
    """Write a consistent copy of PROJECT while others may keep coding.

    SQLite projects use SQLite's online backup API and the copy is integrity-checked;
    PostgreSQL projects are dumped with pg_dump (it must be installed).
    """
    from qualcode.services.team.backups import make_backup

    result = make_backup(open_cli_project(project), to=to, force=force)
    click.echo(
        _("backed up {project} to {path} ({bytes} bytes)").format(
            project=result['project'], path=result['path'], bytes=result['bytes']
        )
    )
