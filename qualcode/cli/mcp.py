"""`qualcode mcp`: serve a project to an AI assistant over stdio (read-only, propose-only)."""

import click

from qualcode.cli._common import AS_OPTION, PROJECT_ARG, open_cli_project
from qualcode.i18n import _


@click.command("mcp")
@PROJECT_ARG
@AS_OPTION
def mcp(project: str, viewer: str | None) -> None:
    """Serve PROJECT to an assistant over stdio (MCP): it reads what NAME may see and can only
    propose codings, which land as suggestions of ai:mcp for people to review. Needs [assist]."""
    from qualcode.core.errors import ValidationError
    from qualcode.mcp.server import run_stdio

    if viewer is None:
        raise ValidationError(_("say whose view the assistant gets with --as NAME"))
    run_stdio(open_cli_project(project), viewer)
