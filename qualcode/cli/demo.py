"""`qualcode demo`: build a fresh demo project and open it in the workbench."""

import shlex
from pathlib import Path

import click

from qualcode.i18n import N_, _, join_list, pgettext


@click.command()
@click.option(
    "--path",
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=N_("Folder for the new demo project (default: a new folder in your data directory)."),
)
@click.option("--no-tui", is_flag=True, help=N_("Only build the project; do not open the workbench."))
@click.option(
    "--coder",
    default=None,
    help=N_(
        "Open the workbench as this person (default: the demo's first coder; the lead's screens "
        "need the lead's name)."
    ),
)
def demo(path: Path | None, no_tui: bool, coder: str | None) -> None:
    """Build the demo project (8 interviews, 2 coders and a lead) from projects/demo and open it
    as a coder."""
    from qualcode.core.participation import role_label
    from qualcode.services.demo import build_demo

    project, summary = build_demo(path)
    roles: dict[str, str] = summary["roles"]
    coders = [name for name, role in roles.items() if role != "lead"]
    leads = [name for name, role in roles.items() if role == "lead"]
    who = coder or (coders[0] if coders else summary["coders"][0])
    click.echo(
        _("demo project ready at {path}: {documents} documents, {segments} segments by {coders}").format(
            path=summary['path'],
            documents=summary['documents'],
            segments=summary['segments'],
            coders=', '.join(summary['coders']),
        )
    )
    nobody = pgettext("people", "none")
    click.echo(
        _("coders: {coders}; lead: {leads}").format(
            coders=join_list(coders) or nobody, leads=join_list(leads) or nobody
        )
    )
    for lead in leads:
        click.echo(
            _(
                "the lead's screens (agreement, adjudication, typology): qualcode tui {quote} --coder {lead}"
            ).format(quote=shlex.quote(summary['path']), lead=lead)
        )
    if not no_tui:
        from qualcode.tui import run_workbench

        role = roles.get(who)
        click.echo(
            _("opening the workbench as {coder} ({role})").format(
                coder=who, role=role_label(role) if role else pgettext("role", "unknown")
            )
        )
        project.dispose()
        run_workbench(summary["path"], who)
