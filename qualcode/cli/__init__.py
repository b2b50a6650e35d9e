"""The `qualcode` command line: a thin layer that parses arguments and calls services.

Subcommands are registered by dotted path and imported only when run, so that
`qualcode --help` stays fast (no sqlmodel, pandas or textual at start-up).
"""

import importlib
import os
import sys

import click

from qualcode import __version__
from qualcode.core.errors import QualcodeError
from qualcode.core.names import printable
from qualcode.i18n import N_, UnknownLanguageError, _, start_language

# name -> (module, attribute, one-line help). Help text lives here so listing
# commands imports nothing.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "qualcode.cli.project",
        "init",
        N_("Create a project (folder with SQLite, or a PostgreSQL URL)."),
    ),
    "info": ("qualcode.cli.project", "info", N_("Show what a project holds.")),
    "coders": ("qualcode.cli.coders", "coders", N_("Add and list coders.")),
    "code": ("qualcode.cli.coding", "code", N_("Add, list and remove coded segments.")),
    "codebook": (
        "qualcode.cli.codebook",
        "codebook",
        N_("Validate, load, show, export, diff and evolve codebooks."),
    ),
    "docs": ("qualcode.cli.docs", "docs", N_("List and show documents.")),
    "attributes": (
        "qualcode.cli.attributes",
        "attributes",
        N_("List and fix document attributes: set, rename, alias (no re-import)."),
    ),
    "import": (
        "qualcode.cli.importing",
        "import_",
        N_("Import transcripts (txt, md, docx, csv, xlsx, vtt, srt, qdpx)."),
    ),
    "guide": (
        "qualcode.cli.guide",
        "guide",
        N_("Load the interview guide; review and correct question links."),
    ),
    "autocode": (
        "qualcode.cli.autocode",
        "autocode",
        N_("Auto-code by question, speaker or pattern; undo a run."),
    ),
    "demo": ("qualcode.cli.demo", "demo", N_("Build the demo project and open it.")),
    "tui": ("qualcode.cli.tui", "tui", N_("Open the coding workbench.")),
    "settings": (
        "qualcode.cli.settings",
        "settings",
        N_("Show and change project settings (case attribute, unit)."),
    ),
    "export": ("qualcode.cli.export", "export", N_("Export a project (REFI-QDA .qdpx, Excel .xlsx, CSV).")),
    "typology": (
        "qualcode.cli.typology",
        "typology",
        N_("Sort cases into types by the typology rules; check by clustering."),
    ),
    "saturation": (
        "qualcode.cli.saturation",
        "saturation",
        N_("Saturation: new codes per interview, and the check on reserve interviews."),
    ),
    "evidence": (
        "qualcode.cli.evidence",
        "evidence",
        N_("The coding-evidence table: categories, codes and representative statements; pin quotes."),
    ),
    "configuration": (
        "qualcode.cli.configuration",
        "configuration",
        N_("Configuration table per case and truth table for an outcome (QCA-ready CSV)."),
    ),
    "report": (
        "qualcode.cli.report",
        "report",
        N_("The paper's tables as three-line tables in one Word document (--docx)."),
    ),
    "stats": ("qualcode.cli.stats", "stats", N_("Agreement statistics for CSV tables from anywhere.")),
    "agree": ("qualcode.cli.agree", "agree", N_("Intercoder agreement report for a project.")),
    "adjudicate": (
        "qualcode.cli.adjudicate",
        "adjudicate",
        N_("Review disagreements and record consensus coding."),
    ),
    "merge": ("qualcode.cli.merge", "merge", N_("Merge coders' offline copies of a project into one.")),
    "blind": (
        "qualcode.cli.blind",
        "blind",
        N_("Blind coding: on, off, reveal or status (leads change it)."),
    ),
    "team": ("qualcode.cli.team", "team", N_("PostgreSQL logins per coder with row-level security.")),
    "backup": ("qualcode.cli.backup", "backup", N_("Write a consistent copy of a project.")),
    "mcp": (
        "qualcode.cli.mcp",
        "mcp",
        N_("Serve a project to an AI assistant over stdio (read-only; proposals only)."),
    ),
    "suggest": (
        "qualcode.cli.suggest",
        "suggest",
        N_("Code suggestions: train, evaluate like a coder, apply, review (needs [assist])."),
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attr, _ = entry
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _(COMMANDS[name][2])) for name in self.list_commands(ctx)]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qualcode")
@click.option(
    "--lang",
    metavar="zh_CN|en",
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, param, value: start_language(value) if value else None,
    help="Interface language (else QUALCODE_LANG, the project's setting, the locale, English).",
)
def cli() -> None:
    """qualcode: code structured interviews, measure agreement, build typologies."""


def usage_error_line(exc: click.ClickException) -> str:
    """Click's three-line usage block as the one `error:` line the README promises."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        return f"error: {message} (see '{ctx.command_path} --help')"
    return f"error: {message}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit code 2.

    The `error:` prefix stays in English in every language so that scripts can find it."""
    try:
        start_language()
    except UnknownLanguageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        code = cli.main(args=argv, prog_name="qualcode", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(1)
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare group: the person asked what it can do
        click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
        sys.exit(0)
    except click.ClickException as exc:
        click.echo(usage_error_line(exc), err=True)
        sys.exit(2)
    except (QualcodeError, UnknownLanguageError) as exc:
        # The message may quote what the person typed or a file held: one line, nothing a terminal acts on.
        click.echo(printable(f"error: {exc}"), err=True)
        for line in getattr(exc, "details", ()):
            click.echo(printable(line), err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug, not bad input: one line, the traceback only on request
        if os.environ.get("QUALCODE_DEBUG"):
            raise
        message = _(
            "unexpected failure ({kind}: {detail}); the failed action was rolled back. "
            "Set QUALCODE_DEBUG=1 to see the traceback and please report it."
        ).format(kind=type(exc).__name__, detail=exc)
        click.echo(printable(f"error: {message}"), err=True)
        sys.exit(1)
    if isinstance(code, int) and code != 0:
        sys.exit(code)
