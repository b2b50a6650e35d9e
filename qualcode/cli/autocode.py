"""`qualcode autocode`: code by guide question, speaker or pattern; undo a run."""

import click

from qualcode.cli._common import FORMAT_OPTION, PROJECT_ARG, echo_json, echo_table, open_cli_project
from qualcode.cli.docs import FOLD_VARIANTS_OPTION
from qualcode.cli.importing import parse_pairs
from qualcode.i18n import N_, _


class _RunByDefault(click.Group):
    """`autocode PROJECT ...` runs; `autocode undo PROJECT RUN` undoes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("autocode", cls=_RunByDefault)
def autocode() -> None:
    """Auto-code by guide question, speaker or keyword/regex (preview with --dry-run; undo a run)."""


@autocode.command("run")
@PROJECT_ARG
@click.option(
    "--by",
    "by",
    type=click.Choice(["question", "speaker", "pattern"]),
    required=True,
    help=N_("What decides the code: the guide question answered, the speaker, or a keyword/regex."),
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="WHAT=CODE",
    help=N_("question key, speaker name/role, or pattern -> code key (question: default from the guide)."),
)
@click.option("--literal", is_flag=True, help=N_("Patterns are plain keywords, not regular expressions."))
@click.option(
    "--scope",
    type=click.Choice(["match", "sentence", "turn"]),
    default="match",
    show_default=True,
    help=N_("For --by pattern: code the match, its sentence or its whole turn."),
)
@FOLD_VARIANTS_OPTION
@click.option("--dry-run", is_flag=True, help=N_("Only count what would be coded."))
@click.option("--actor", envvar="QUALCODE_CODER", help=N_("Who runs it (event log)."))
@FORMAT_OPTION
def run(
    project: str,
    by: str,
    maps: tuple[str, ...],
    literal: bool,
    scope: str,
    fold: bool,
    dry_run: bool,
    actor: str | None,
    fmt: str,
) -> None:
    """Code spans automatically, attributed to the coder auto:<by>."""
    from qualcode.services.coding.autocode import autocode as run_autocode

    result = run_autocode(
        open_cli_project(project),
        by,
        mapping=parse_pairs(maps, "--map"),
        literal=literal,
        scope=scope,
        dry_run=dry_run,
        actor=actor,
        fold=fold,
    ).to_dict()
    if fmt == "json":
        echo_json(result)
        return
    echo_table(
        [(code, doc, n) for code, per in result["counts"].items() for doc, n in per.items()],
        [_("code"), _("document"), _("segments")],
        title=_("preview") if dry_run else _("coded by {coder}").format(coder=result["coder"]),
    )
    summary = (
        _("would add {total} segments ({skipped} already there)")
        if dry_run
        else _("added {total} segments ({skipped} already there)")
    )
    click.echo(summary.format(total=result["total"], skipped=result["skipped_existing"]))
    if result["run_id"]:
        click.echo(
            _("run {run_id} (undo: qualcode autocode undo {project} {run_id})").format(
                run_id=result["run_id"], project=project
            )
        )
    if result["variants_folded"]:
        click.echo(_("Simplified and traditional characters were matched as the same."))


@autocode.command("undo")
@PROJECT_ARG
@click.argument("run_id")
@click.option("--actor", envvar="QUALCODE_CODER", help=N_("Who undoes it (event log)."))
def undo(project: str, run_id: str, actor: str | None) -> None:
    """Remove every segment auto-coding run RUN_ID created."""
    from qualcode.services.coding.autocode import undo_autocode

    removed = undo_autocode(open_cli_project(project), run_id, actor=actor)
    click.echo(_("removed {removed} segments of run {run_id}").format(removed=removed, run_id=run_id))
