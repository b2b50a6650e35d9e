"""`qualcode import`: bring transcript files and folders into a project."""

import sys
from pathlib import Path
from typing import Any

import click

from qualcode.cli._common import (
    POSITIONS_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _


def parse_pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    """`A=B` option values -> {A: B}; the last `=` splits, so patterns may contain `=`."""
    pairs: dict[str, str] = {}
    for value in values:
        left, sep, right = value.rpartition("=")
        if not sep or not left or not right:
            raise QualcodeError(
                _("{option} {value!r}: expected LEFT=RIGHT").format(option=option, value=value)
            )
        pairs[left] = right
    return pairs


@click.command("import")
@PROJECT_ARG
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--encoding", help=N_("Decode text files with this encoding instead of detecting it (e.g. gb18030).")
)
@click.option("--pattern", help=N_("Glob for files inside folders (default: every supported format)."))
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    help=N_("Survey table column -> field: document, question, question_text, answer, attribute or ignore."),
)
@click.option(
    "--speaker",
    "speakers",
    multiple=True,
    metavar="NAME=ROLE",
    help=N_("Role of a named speaker, e.g. 张主任=respondent, 王老师=interviewer."),
)
@click.option(
    "--attributes",
    "attributes_file",
    type=click.Path(dir_okay=False),
    help=N_("Sidecar CSV: a file column plus one column per attribute."),
)
@click.option(
    "--max-size", type=float, default=20.0, show_default=True, help=N_("Largest file accepted, in MB.")
)
@click.option("--actor", envvar="QUALCODE_CODER", help=N_("Who imports (recorded in the event log)."))
@POSITIONS_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=N_("Output format (json: imported, skipped and failed lists)."),
)
def import_(
    project: str,
    paths: tuple[str, ...],
    encoding: str | None,
    pattern: str | None,
    maps: tuple[str, ...],
    speakers: tuple[str, ...],
    attributes_file: str | None,
    max_size: float,
    actor: str | None,
    positions: str,
    fmt: str,
) -> None:
    """Import transcripts (.txt .md .docx .csv .xlsx .vtt .srt, folders, or a .qdpx project)."""
    from qualcode.services.sources.importing import import_paths

    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise QualcodeError(
                _("unknown encoding {encoding!r} (for example: gb18030, big5, utf-16)").format(
                    encoding=encoding
                )
            ) from None
    if not max_size > 0:
        raise QualcodeError(_("--max-size must be more than 0 MB"))
    roles = parse_pairs(speakers, "--speaker")
    for name, role in roles.items():
        if role not in ("interviewer", "respondent"):
            raise QualcodeError(
                _("--speaker {name}={role}: the role must be interviewer or respondent").format(
                    name=name, role=role
                )
            )
    opened = open_cli_project(project)
    progress, close = _progress_bar() if fmt != "json" else (None, lambda: None)
    try:
        report = import_paths(
            opened,
            paths,
            encoding=encoding,
            pattern=pattern,
            mapping=parse_pairs(maps, "--map"),
            speaker_roles=roles,
            attributes_file=attributes_file,
            max_mb=max_size,
            actor=actor,
            progress=progress,
            positions=positions,
        )
    finally:
        close()
        opened.dispose()
    if fmt == "json":
        echo_json(report.to_dict())
    else:
        _print_report(report.to_dict())
    if report.failed:
        # sys.exit, not ctx.exit: qualcode.cli.main runs click with standalone_mode=False,
        # which turns click's Exit into a return value that main() ignores.
        sys.exit(2)


def _progress_bar() -> tuple[Any, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    if not console.is_terminal:  # a log file or pipe gets the report only, not bar remnants
        return None, lambda: None
    bar = Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    )
    task: list[Any] = []

    def update(done: int, total: int, path: Path) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("", total=total))
        bar.update(task[0], completed=done, description=path.name)

    return update, bar.stop


def _print_report(report: dict[str, list[dict[str, Any]]]) -> None:
    from qualcode.cli._qdpx_report import echo_not_imported, qdpx_headline

    documents = [r for r in report["imported"] if "qdpx" not in r]
    if documents:
        echo_table(
            [
                (r["document"], r.get("encoding"), r.get("language"), r.get("units"), r.get("case"))
                for r in documents
            ],
            [_("document"), _("encoding"), _("language"), _("units"), _("case")],
            title=_("imported"),
        )
    for row in report["imported"]:
        if "qdpx" in row:
            click.echo(qdpx_headline(row["qdpx"]))
            echo_not_imported(row["qdpx"])
    for row in report["skipped"]:
        echo_line(
            _("skipped {file}: {reason} (as {existing})").format(
                file=row['file'], reason=row['reason'], existing=row['existing']
            )
        )
    for row in report["failed"]:
        echo_line(f"error: {row['file']}: {row['error']}", err=True)  # a line scripts look for
    echo_line(
        _("{count} imported, {count2} skipped, {count3} failed").format(
            count=len(report['imported']), count2=len(report['skipped']), count3=len(report['failed'])
        )
    )
