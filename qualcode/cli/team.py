"""`qualcode team setup-rls|add-login|logins`: PostgreSQL logins per coder with row-level security."""

import sys
from typing import TYPE_CHECKING

import click

from qualcode.cli._common import (
    FORMAT_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.i18n import N_, _

if TYPE_CHECKING:
    from qualcode.services.team.rows import LoginRow


@click.group()
def team() -> None:
    """Database logins per coder on a PostgreSQL project (run with the project owner's URL)."""


def _show(rows: "list[LoginRow]", fmt: str) -> None:
    if fmt == "json":
        echo_json(rows)
        return
    for row in rows:
        password = f" password {row['password']}" if row["password"] else ""
        echo_line(
            f"{'created' if row['created'] else 'updated'} login {row['login']!r} for {row['role']} "
            f"{row['coder']}{password}"
        )


@team.command("setup-rls")
@PROJECT_ARG
@click.option(
    "--generate-passwords",
    is_flag=True,
    help=N_("Give every login a new random password (printed once). Default: logins without a password."),
)
@FORMAT_OPTION
def setup_rls(project: str, generate_passwords: bool, fmt: str) -> None:
    """Enable row-level security and create a login per coder, named after the coder.

    In blind mode a coder's login then cannot read other coders' segments, memos,
    document statuses or their events, even with plain SQL; a lead's login sees all.
    """
    from qualcode.services.team.logins import setup_rls as run

    _show(run(open_cli_project(project), generate_passwords=generate_passwords), fmt)


@team.command("add-login")
@PROJECT_ARG
@click.argument("coder")
@click.option(
    "--role", "role", default=None, help=N_("Login (database role) name; default: the coder's name.")
)
@click.option(
    "--password-stdin", is_flag=True, help=N_("Read the password from the first line of standard input.")
)
@click.option("--generate-password", is_flag=True, help=N_("Set a new random password and print it once."))
@FORMAT_OPTION
def add_login(
    project: str, coder: str, role: str | None, password_stdin: bool, generate_password: bool, fmt: str
) -> None:
    """Create or refresh the database login for CODER (e.g. one added after setup-rls)."""
    from qualcode.services.team.logins import add_login as run

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    _show(
        [
            run(
                open_cli_project(project),
                coder,
                role=role,
                password=password,
                generate_password=generate_password,
            )
        ],
        fmt,
    )


@team.command("logins")
@PROJECT_ARG
@FORMAT_OPTION
def logins(project: str, fmt: str) -> None:
    """List the database logins of the project's coders."""
    from qualcode.services.team.logins import list_logins

    rows = list_logins(open_cli_project(project))
    if fmt == "json":
        echo_json(rows)
    else:
        echo_table(([r["login"], r["coder"], r["role"]] for r in rows), [_("login"), _("coder"), _("role")])
