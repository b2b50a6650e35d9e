"""`qualcode tui PROJECT --coder NAME`: open the coding workbench."""

import click

from qualcode.cli._common import PROJECT_ARG, open_cli_project
from qualcode.i18n import N_, _


@click.command()
@PROJECT_ARG
@click.option(
    "--coder",
    required=True,
    envvar="QUALCODE_CODER",
    help=N_("Who is coding (as in `qualcode coders list`)."),
)
@click.option("--yes", is_flag=True, help=N_("Create an unknown coder without asking."))
def tui(project: str, coder: str, yes: bool) -> None:
    """Open the coding workbench as CODER. An unknown coder is created only after you confirm."""
    from qualcode.core.errors import NotFoundError
    from qualcode.services.coders import add_coder, coder_role

    opened = open_cli_project(project)
    try:
        coder_role(opened, coder)
    except NotFoundError as exc:
        click.echo(str(exc), err=True)
        if not (
            yes
            or click.confirm(
                _("Create coder {coder!r} in {opened}?").format(coder=coder, opened=opened.display),
                default=False,
            )
        ):
            raise click.exceptions.Abort() from exc
        add_coder(opened, coder, actor=coder)
    from qualcode.tui.app import QualcodeApp, settle_imports

    settle_imports()
    QualcodeApp(opened, coder).run()
