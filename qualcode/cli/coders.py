"""`qualcode coders add|list`."""

import click

from qualcode.cli._common import (
    FORMAT_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.core.participation import role_label
from qualcode.i18n import N_, _


@click.group()
def coders() -> None:
    """Add and list the people who code."""


@coders.command("add")
@PROJECT_ARG
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["coder", "lead"]),
    default="coder",
    show_default=True,
    help=N_("A lead measures agreement and adjudicates disagreements."),
)
def add(project: str, name: str, role: str) -> None:
    """Add coder NAME to PROJECT."""
    from qualcode.services.coders import add_coder

    added = add_coder(open_cli_project(project), name, role)
    echo_line(_("added {role} {name}").format(role=role_label(added["role"]), name=added["name"]))


@coders.command("list")
@PROJECT_ARG
@FORMAT_OPTION
def list_(project: str, fmt: str) -> None:
    """List coders with their roles."""
    from qualcode.services.coders import list_coders

    rows = list_coders(open_cli_project(project))
    if fmt == "json":
        echo_json(rows)
    else:
        echo_table(([r["name"], role_label(r["role"])] for r in rows), [_("name"), _("role")])
