"""`qualcode blind on|off|reveal|status PROJECT --as LEAD`."""

import click

from qualcode.cli._common import PROJECT_ARG, echo_json, open_cli_project
from qualcode.i18n import N_, _

AS_OPTION = click.option(
    "--as",
    "actor",
    default=None,
    envvar="QUALCODE_CODER",
    help=N_("Who runs this (a lead, to change the setting). Also read from QUALCODE_CODER."),
)


# The blind setting as a sentence; the JSON keeps the stored word (on, off, revealed).
_BLIND_STATES = {
    "on": N_("blind mode: on"),
    "off": N_("blind mode: off"),
    "revealed": N_("blind mode: revealed"),
}


@click.command()
@click.argument("state", type=click.Choice(["on", "off", "reveal", "status"]))
@PROJECT_ARG
@AS_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def blind(state: str, project: str, actor: str | None, fmt: str) -> None:
    """Blind coding: coders see only their own work until a lead reveals it.

    on: hide each coder's work from the others (again); off: no blinding;
    reveal: show everyone's work (e.g. for adjudication); status: show the setting.
    Only a lead may change it.
    """
    from qualcode.services.team.access import blind_status, set_blind

    opened = open_cli_project(project)
    result = blind_status(opened) if state == "status" else set_blind(opened, state, actor=actor)
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(_(_BLIND_STATES.get(result["state"], result["state"])))
