"""`qualcode code add|list|remove|update|done|undo|redo`: coding from the command line."""

from collections.abc import Callable
from typing import Any, TypeVar

import click

from qualcode.cli._common import (
    PROJECT_ARG,
    echo_csv,
    echo_json,
    echo_json_array,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _

_F = TypeVar("_F", bound=Callable[..., Any])

SEGMENT_COLUMNS = ["id", "document", "coder", "code", "start", "end", "text", "memo"]


@click.group()
def code() -> None:
    """Apply codes to spans of documents and manage coded segments."""


def _coder_option(required: bool = True) -> Callable[[_F], _F]:
    return click.option("--coder", required=required, help=N_("Coder name (as in `qualcode coders list`)."))


@code.command("add")
@PROJECT_ARG
@_coder_option()
@click.option("--doc", "document", required=True, help=N_("Document name."))
@click.option("--code", "code_key", required=True, help=N_("Code key, e.g. TAL.CURR."))
@click.option("--start", type=int, default=None, help=N_("First character (0-based code point offset)."))
@click.option("--end", type=int, default=None, help=N_("One past the last character."))
@click.option(
    "--unit", type=int, default=None, help=N_("Code a whole speaker turn or answer: its seq in `docs show`.")
)
@click.option(
    "--quote", default=None, help=N_("Code the one place this text occurs in the document (exact, NFC).")
)
@click.option("--memo", default=None, help=N_("A note on this segment."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("Output format (json: the new segment)."),
)
def add(
    project: str,
    coder: str,
    document: str,
    code_key: str,
    start: int | None,
    end: int | None,
    unit: int | None,
    quote: str | None,
    memo: str | None,
    fmt: str,
) -> None:
    """Code [START, END) of a document, a whole unit (--unit) or a quoted passage (--quote);
    exits 0 only once the segment is committed."""
    from qualcode.services.coding.segments import add_segment

    seg = add_segment(
        open_cli_project(project),
        coder=coder,
        document=document,
        code=code_key,
        start=start,
        end=end,
        unit=unit,
        quote=quote,
        memo=memo,
    )
    if fmt == "json":
        echo_json(seg)
    else:
        echo_line(
            _("coded {document} [{start}, {end}) {code} (segment {id})").format(
                document=seg['document'], start=seg['start'], end=seg['end'], code=seg['code'], id=seg['id']
            )
        )


@code.command("list")
@PROJECT_ARG
@click.option("--coder", default=None, help=N_("Only this coder's segments."))
@click.option("--doc", "document", default=None, help=N_("Only this document."))
@click.option("--code", "code_key", default=None, help=N_("Only this code."))
@click.option(
    "--as",
    "viewer",
    default=None,
    envvar="QUALCODE_CODER",
    help=N_("Run as this coder: in blind mode only their own segments are shown."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
def list_(
    project: str, coder: str | None, document: str | None, code_key: str | None, viewer: str | None, fmt: str
) -> None:
    """List coded segments with their text (streamed: any number of segments in bounded memory)."""
    from qualcode.services.coding.segments import iter_segments

    rows = iter_segments(
        open_cli_project(project), coder=coder, document=document, code=code_key, viewer=viewer or coder
    )
    if fmt == "json":
        echo_json_array(rows)
    elif fmt == "csv":
        echo_csv(rows, SEGMENT_COLUMNS)
    else:
        echo_table(
            (
                [
                    r["id"],
                    r["document"],
                    r["coder"],
                    r["code"],
                    r["start"],
                    r["end"],
                    r["text"][:60].replace("\n", " "),
                ]
                for r in rows
            ),
            [_("id"), _("document"), _("coder"), _("code"), _("start"), _("end"), _("text")],
        )


@code.command("remove")
@PROJECT_ARG
@_coder_option()
@click.option(
    "--id",
    "segment_id",
    type=int,
    default=None,
    help=N_("Segment id (or give --doc, --code, --start, --end)."),
)
@click.option("--doc", "document", default=None, help=N_("Document name."))
@click.option("--code", "code_key", default=None, help=N_("Code key."))
@click.option("--start", type=int, default=None, help=N_("Start offset of the segment."))
@click.option("--end", type=int, default=None, help=N_("End offset of the segment."))
def remove(
    project: str,
    coder: str,
    segment_id: int | None,
    document: str | None,
    code_key: str | None,
    start: int | None,
    end: int | None,
) -> None:
    """Remove one of the coder's segments (recorded, and undoable)."""
    from qualcode.services.coding.segments import remove_segment

    seg = remove_segment(
        open_cli_project(project),
        coder=coder,
        segment_id=segment_id,
        document=document,
        code=code_key,
        start=start,
        end=end,
    )
    echo_line(
        _("removed {document} [{start}, {end}) {code}").format(
            document=seg['document'], start=seg['start'], end=seg['end'], code=seg['code']
        )
    )


@code.command("update")
@PROJECT_ARG
@_coder_option()
@click.option(
    "--id", "segment_id", type=int, required=True, help=N_("Segment id (see `qualcode code list`).")
)
@click.option("--start", type=int, default=None, help=N_("New start offset."))
@click.option("--end", type=int, default=None, help=N_("New end offset."))
@click.option("--memo", default=None, help=N_("New memo."))
def update(
    project: str, coder: str, segment_id: int, start: int | None, end: int | None, memo: str | None
) -> None:
    """Move a segment's boundaries or change its memo."""
    from qualcode.services.coding.segments import update_segment

    if start is None and end is None and memo is None:
        raise QualcodeError(_("nothing to update: give --start, --end and/or --memo"))
    seg = update_segment(
        open_cli_project(project), coder=coder, segment_id=segment_id, start=start, end=end, memo=memo
    )
    if not seg["changed"]:
        echo_line(
            _("nothing changed: segment {id} already is [{start}, {end}) {code}").format(
                id=seg['id'], start=seg['start'], end=seg['end'], code=seg['code']
            )
        )
        return
    echo_line(
        _("updated segment {id}: [{start}, {end}) {code}").format(
            id=seg['id'], start=seg['start'], end=seg['end'], code=seg['code']
        )
    )


@code.command("done")
@PROJECT_ARG
@_coder_option(required=False)
@click.option("--doc", "document", default=None, help=N_("Document name."))
@click.option(
    "--all",
    "all_documents",
    is_flag=True,
    help=N_(
        "Every document the coder coded in (without --coder: every human coder), e.g. after importing "
        "a .qdpx, which has no done marks. One undo step per coder."
    ),
)
@click.option(
    "--include-uncoded", is_flag=True, help=N_("With --all: also documents the coder has no segments in.")
)
@click.option("--undone", is_flag=True, help=N_("Mark the document as in progress again."))
def done(
    project: str,
    coder: str | None,
    document: str | None,
    all_documents: bool,
    include_uncoded: bool,
    undone: bool,
) -> None:
    """Mark a document done for a coder (only done documents count for agreement)."""
    if all_documents:
        if document is not None or undone:
            raise click.UsageError(
                _("--all marks every document done: it cannot be combined with --doc or --undone")
            )
        from qualcode.services.coding.segments import mark_all_done

        for r in mark_all_done(open_cli_project(project), coder=coder, include_uncoded=include_uncoded):
            if r["not_coded"]:
                line = _(
                    "{coder}: {marked} documents marked done, {already_done} already done; {not_coded} "
                    "documents without their segments left as they were (--include-uncoded marks those too)"
                )
            else:
                line = _("{coder}: {marked} documents marked done, {already_done} already done")
            click.echo(line.format(**r))
        return
    if coder is None or document is None:
        raise click.UsageError(_("give --coder and --doc (or --all)"))
    from qualcode.services.coding.segments import set_document_status, status_label

    result = set_document_status(
        open_cli_project(project), coder=coder, document=document, status="in_progress" if undone else "done"
    )
    echo_line(
        _("{document}: {status} for {coder}").format(
            document=result["document"], status=status_label(result["status"]), coder=result["coder"]
        )
    )


@code.command("undo")
@PROJECT_ARG
@_coder_option()
def undo_(project: str, coder: str) -> None:
    """Undo the coder's last action (survives restarts: it is read from the event log)."""
    from qualcode.services.coding.undo import action_label, undo

    changed = undo(open_cli_project(project), coder)
    echo_line(
        _("undid {action}").format(action=action_label(changed[0]["action"]))
        if changed
        else _("nothing to undo")
    )


@code.command("redo")
@PROJECT_ARG
@_coder_option()
def redo_(project: str, coder: str) -> None:
    """Redo the coder's last undone action."""
    from qualcode.services.coding.undo import action_label, redo

    changed = redo(open_cli_project(project), coder)
    echo_line(
        _("redid {action}").format(action=action_label(changed[0]["action"]))
        if changed
        else _("nothing to redo")
    )
