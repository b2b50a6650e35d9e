"""`qualcode export PROJECT --qdpx FILE [...]`: one command, one option per output format.

Each format option maps to a service in EXPORTERS; at least one must be given, and each
given one runs in turn. --xlsx (with --sheets and the coding source) and --csv write the workbook
and the segment table.
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from qualcode.cli._common import (
    AS_OPTION,
    BOOTSTRAP_OPTION,
    FORCE_OPTION,
    MIN_CI_UNITS_OPTION,
    PROJECT_ARG,
    SEED_OPTION,
    echo_json,
    echo_line,
    open_cli_project,
)
from qualcode.i18n import N_, _, join_list, ngettext
from qualcode.i18n.messages import localise


def _qdpx(project: Any, path: Path, options: dict[str, Any]) -> Mapping[str, Any]:
    from qualcode.services.exchange.qdpx import export_qdpx

    return export_qdpx(project, path, viewer=options.get("viewer"), force=bool(options.get("force")))


def _xlsx(project: Any, path: Path, options: dict[str, Any]) -> Mapping[str, Any]:
    from qualcode.services.exchange.workbook import write_workbook

    return write_workbook(
        project,
        path,
        sheets=options.get("sheets") or None,
        coder=options.get("coder"),
        consensus=bool(options.get("consensus")),
        combine=options.get("combine"),
        case_attribute=options.get("case_attribute"),
        viewer=options.get("viewer"),
        force=bool(options.get("force")),
        n_boot=options.get("n_boot"),
        seed=options.get("seed"),
        min_ci_units=options.get("min_ci_units"),
    )


def _csv(project: Any, path: Path, options: dict[str, Any]) -> Mapping[str, Any]:
    from qualcode.services.exchange.frames import write_segments_csv

    return write_segments_csv(
        project,
        path,
        case_attribute=options.get("case_attribute"),
        viewer=options.get("viewer"),
        force=bool(options.get("force")),
    )


# option name -> service(project, path, all options) -> summary dict
EXPORTERS: dict[str, Callable[[Any, Path, dict[str, Any]], Mapping[str, Any]]] = {
    "qdpx": _qdpx,
    "xlsx": _xlsx,
    "csv": _csv,
}

_PATH = click.Path(path_type=Path)  # checked by services/outputs.py, with one message for every command


# What an export's summary counts, as a reader sees it; the JSON keeps the keys.
_COUNTS: dict[str, Callable[[int], str]] = {
    "users": lambda n: ngettext("{count} user", "{count} users", n),
    "codes": lambda n: ngettext("{count} code", "{count} codes", n),
    "variables": lambda n: ngettext("{count} variable", "{count} variables", n),
    "cases": lambda n: ngettext("{count} case", "{count} cases", n),
    "sources": lambda n: ngettext("{count} source", "{count} sources", n),
    "selections": lambda n: ngettext("{count} selection", "{count} selections", n),
    "codings": lambda n: ngettext("{count} coding", "{count} codings", n),
    "notes": lambda n: ngettext("{count} note", "{count} notes", n),
    "sheets": lambda n: ngettext("{count} sheet", "{count} sheets", n),
    "segments": lambda n: ngettext("{count} segment", "{count} segments", n),
}


def _count(key: str, value: int) -> str:
    return _COUNTS[key](value).format(count=value) if key in _COUNTS else f"{value} {key}"


def _describe(fmt: str, summary: Mapping[str, Any]) -> None:
    counts = join_list(_count(k, v) for k, v in summary.items() if isinstance(v, int) and k != "bytes")
    echo_line(
        _("{format}: wrote {file} ({counts})").format(format=fmt, file=summary.get("file"), counts=counts)
    )
    for item in summary.get("not_exported", []):
        echo_line(_("  not exported: {item}").format(item=localise(item)))


@click.command()
@PROJECT_ARG
@click.option(
    "--qdpx",
    "qdpx",
    type=_PATH,
    help=N_("REFI-QDA project file (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder."),
)
@click.option(
    "--xlsx", "xlsx", type=_PATH, help=N_("Excel workbook (.xlsx): coded data, matrices, typology.")
)
@click.option(
    "--sheets",
    "sheets",
    multiple=True,
    help=N_("Workbook sheets to write (repeat or comma-separate; default all), e.g. Segments,Assignments."),
)
@click.option("--csv", "csv", type=_PATH, help=N_("The long segment table as CSV (UTF-8 with BOM)."))
@click.option("--coder", default=None, help=N_("xlsx: matrices and typology from this coder's coding."))
@click.option("--consensus", is_flag=True, help=N_("xlsx: matrices and typology from the consensus coding."))
@click.option(
    "--combine",
    type=click.Choice(["union", "majority"]),
    default=None,
    help=N_("xlsx: matrices and typology from all human coders combined."),
)
@click.option(
    "--case-attribute", default=None, help=N_("Document attribute that names the case (or 'document').")
)
@BOOTSTRAP_OPTION
@SEED_OPTION
@MIN_CI_UNITS_OPTION
@AS_OPTION
@FORCE_OPTION
@click.option("--json", "as_json", is_flag=True, help=N_("Print the summaries as JSON."))
def export(project: str, as_json: bool, **targets: Any) -> None:
    """Export PROJECT to one or more file formats.

    In blind mode a coder (--as NAME, or --coder NAME) exports only their own segments and memos.
    """
    # As in `code list`, naming a coder without --as acts as that coder.
    targets["viewer"] = targets.get("viewer") or targets.get("coder")
    chosen = {fmt: path for fmt, path in targets.items() if fmt in EXPORTERS and path is not None}
    if not chosen:
        raise click.UsageError(
            _("name at least one output: {value}").format(value=', '.join('--' + f for f in EXPORTERS))
        )
    opened = open_cli_project(project)
    try:
        from qualcode.services.outputs import check_output_path

        for path in chosen.values():  # refuse before writing any, not after the first
            check_output_path(opened, path, force=bool(targets.get("force")))
        results = {fmt: EXPORTERS[fmt](opened, path, targets) for fmt, path in chosen.items()}
    finally:
        opened.dispose()
    if as_json:
        echo_json(results)
        return
    for fmt, summary in results.items():
        _describe(fmt, summary)
