"""`qualcode init` and `qualcode info`."""

from pathlib import Path

import click

from qualcode.cli._common import (
    AS_OPTION,
    FORMAT_OPTION,
    POSITIONS_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    open_cli_project,
)
from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _


@click.command()
@click.argument("project")
@click.option(
    "--db",
    "db_url",
    envvar="QUALCODE_DB",
    help=N_(
        "PostgreSQL URL (postgresql+psycopg://user@host/db) "
        "to hold the data instead of a SQLite file in the folder. Also read from QUALCODE_DB."
    ),
)
@click.option(
    "--codebook",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("Codebook YAML file to load into the new project."),
)
@click.option(
    "--from",
    "from_file",
    metavar="FILE.qdpx",
    type=click.Path(path_type=Path),  # the reader checks it
    help=N_("Start from a REFI-QDA project (.qdpx) exported by another tool."),
)
@POSITIONS_OPTION
@click.option("--name", help=N_("Project name (default: the folder name)."))
def init(
    project: str,
    db_url: str | None,
    codebook: Path | None,
    from_file: Path | None,
    positions: str,
    name: str | None,
) -> None:
    """Create PROJECT: a folder (SQLite inside) or a PostgreSQL database URL."""
    if positions != "auto" and from_file is None:
        raise QualcodeError(_("--positions applies to a REFI-QDA archive: give it with --from FILE.qdpx"))
    if from_file is not None and codebook is not None:
        raise QualcodeError(
            _(
                "--codebook and --from cannot be combined: create the project --from the archive, then `qualcode codebook load` the codebook"
            )
        )
    if from_file is not None:
        from qualcode.cli._qdpx_report import echo_not_imported, qdpx_headline
        from qualcode.services.exchange.qdpx import init_from_qdpx

        summary = init_from_qdpx(project, from_file, db_url=db_url, name=name, positions=positions)
        echo_line(
            _("created {project} from {qdpx_headline}").format(
                project=project, qdpx_headline=qdpx_headline(summary)
            )
        )
        echo_not_imported(summary)
        return
    from qualcode.services.project import create_project

    created = create_project(project, db_url=db_url, codebook=codebook, name=name)
    echo_line(
        _("created project {created} ({dialect})").format(created=created.display, dialect=created.dialect)
    )


# `info`'s lines as a reader sees them; the JSON keys stay as the service names them.
_INFO_LABELS = {
    "project": N_("project"),
    "database": N_("database"),
    "schema_version": N_("schema version"),
    "qualcode_version": N_("qualcode version"),
    "documents": N_("documents"),
    "units": N_("units"),
    "coders": N_("coders"),
    "codes": N_("codes"),
    "segments": N_("segments"),
    "memos": N_("memos"),
    "events": N_("events"),
    "documents_done": N_("documents done"),
    "done_marks": N_("done marks"),
}


@click.command()
@PROJECT_ARG
@AS_OPTION
@FORMAT_OPTION
def info(project: str, viewer: str | None, fmt: str) -> None:
    """Show what PROJECT holds: counts of documents, coders, codes, segments."""
    from qualcode.services.project import project_info

    data = project_info(open_cli_project(project), viewer=viewer)
    if fmt == "json":
        echo_json(data)
    else:
        from rich.cells import cell_len

        labels = {key: _(_INFO_LABELS[key]) if key in _INFO_LABELS else key for key in data}
        width = max(cell_len(label) for label in labels.values())
        for key, value in data.items():
            label = labels[key]
            echo_line(f"{label}{' ' * (width - cell_len(label))}  {value}")
