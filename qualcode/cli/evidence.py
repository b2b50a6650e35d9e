"""`qualcode evidence`: the coding-evidence table (categories → codes → original statements)."""

import click

from qualcode.cli._common import (
    AS_OPTION,
    FORCE_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.i18n import N_, _, current_language, ngettext
from qualcode.i18n.messages import localise
from qualcode.io.markdown_table import markdown_table


@click.group()
def evidence() -> None:
    """The coding-evidence table of a paper: main category, sub-category and code, with
    representative original statements and counts of segments, documents and cases."""


@evidence.command("show")
@PROJECT_ARG
@click.option("--quotes", type=int, default=2, show_default=True, help=N_("Statements per code."))
@click.option(
    "--min-chars",
    type=int,
    default=10,
    show_default=True,
    help=N_("A quoted sentence has at least this many characters."),
)
@click.option(
    "--case-attribute", default=None, help=N_("Attribute naming the case (default: the project's).")
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help=N_("Output format (JSON holds both languages' names and every count)."),
)
@click.option(
    "--out", "out", default=None, metavar="FILE", help=N_("Also write the table to FILE (.csv or .xlsx).")
)
@FORCE_OPTION
@AS_OPTION
def show(
    project: str,
    quotes: int,
    min_chars: int,
    case_attribute: str | None,
    fmt: str,
    out: str | None,
    force: bool,
    viewer: str | None,
) -> None:
    """Show the coding-evidence table. Quotes are the lead's pinned ones, else the shortest
    complete sentences from the consensus coding of each code, else from the coder whose coding
    of the code agrees best with the others; different cases first."""
    from qualcode.services.analysis.evidence import evidence_grid, evidence_table
    from qualcode.services.outputs import write_table_output

    opened = open_cli_project(project)
    report = evidence_table(
        opened, quotes=quotes, min_chars=min_chars, case_attribute=case_attribute, viewer=viewer
    )
    language = current_language()
    header, rows = evidence_grid(report, language)
    if out:
        write_table_output(opened, out, header, rows, force=force, title="Coding_Evidence", wrap=(header[3],))
    if fmt == "json":
        echo_json(report)
        return
    if fmt == "md":
        for line in markdown_table(header, rows):
            echo_line(line)
        echo_line("")
        echo_line(localise(report["rule"]))
        return
    # One line per statement: a terminal table cannot hold line breaks inside a cell.
    lines = []
    for row in rows:
        statements = str(row[3]).split("\n") if row[3] else [""]
        lines.append([*row[:3], statements[0], *row[4:]])
        lines.extend(["", "", "", statement, "", "", ""] for statement in statements[1:])
    echo_table(lines, header, title=_("Coding evidence"))
    echo_line(localise(report["rule"]))
    if out:
        echo_line(_("Wrote {path}").format(path=out))


@evidence.command("pin")
@PROJECT_ARG
@click.argument("code")
@click.option(
    "--segment", type=int, default=None, help=N_("Quote this coded segment (its id in `code list`).")
)
@click.option("--doc", "document", default=None, help=N_("The document the quote is in (with --quote)."))
@click.option("--quote", default=None, help=N_("The statement, copied exactly from the transcript."))
@click.option("--replace", is_flag=True, help=N_("Drop the code's earlier pinned quotes first."))
@AS_OPTION
def pin(
    project: str,
    code: str,
    segment: int | None,
    document: str | None,
    quote: str | None,
    replace: bool,
    viewer: str | None,
) -> None:
    """Pin a statement as evidence for CODE: it replaces the chosen quotes until unpinned."""
    from qualcode.services.analysis.evidence import pin_quote

    pins = pin_quote(
        open_cli_project(project),
        code,
        segment=segment,
        document=document,
        quote=quote,
        replace=replace,
        actor=viewer,
    )
    echo_line(
        ngettext(
            "{code} now has {count} pinned quote", "{code} now has {count} pinned quotes", len(pins)
        ).format(code=code, count=len(pins))
    )


@evidence.command("unpin")
@PROJECT_ARG
@click.argument("code")
@AS_OPTION
def unpin(project: str, code: str, viewer: str | None) -> None:
    """Drop the pinned quotes of CODE: its quotes are chosen again."""
    from qualcode.services.analysis.evidence import unpin_quotes

    removed = unpin_quotes(open_cli_project(project), code, actor=viewer)
    echo_line(
        ngettext(
            "{code}: {count} pinned quote removed", "{code}: {count} pinned quotes removed", removed
        ).format(code=code, count=removed)
    )
