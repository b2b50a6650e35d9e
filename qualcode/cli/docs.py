"""`qualcode docs`: list documents and show one."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from qualcode.cli._common import PROJECT_ARG, echo_json, echo_line, echo_table, open_cli_project
from qualcode.core.names import printable
from qualcode.i18n import N_, _, current_language, join_list, ngettext

if TYPE_CHECKING:  # the services load when a command runs, not when the CLI starts
    from qualcode.services.sources.rows import DocumentListing


@click.group("docs")
def docs() -> None:
    """List and show documents."""


@docs.command("list")
@PROJECT_ARG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
def list_(project: str, fmt: str) -> None:
    """One line per document: encoding, language, case, units by speaker role."""
    from qualcode.services.sources.documents import list_documents

    rows = list_documents(open_cli_project(project))
    if fmt == "json":
        echo_json(rows)
        return
    from qualcode.core.attributes import role_in
    from qualcode.core.transcript import speaker_label

    echo_table(
        [
            (
                r["name"],
                r["encoding"],
                r["language"],
                r["length"],
                r["case"],
                role_in(r["role"], current_language()),
                join_list(f"{speaker_label(role)} {n}" for role, n in r["units"].items()),
            )
            for r in rows
        ],
        [_("name"), _("encoding"), _("language"), _("length"), _("case"), _("role"), _("units")],
    )
    warn_unmapped_roles(rows)


def warn_unmapped_roles(rows: "Sequence[DocumentListing]") -> None:
    """One warning line per role value the role vocabulary does not know, on stderr."""
    unknown: dict[str, list[str]] = {}
    for r in rows:
        if r["role_mapped"] is False and r["role_value"] is not None:
            unknown.setdefault(r["role_value"], []).append(r["name"])
    for value, names in sorted(unknown.items()):
        click.echo(
            _(
                "warning: role {value!r} matches no role of the vocabulary ({count} documents: {names}); fix it with `qualcode attributes alias` or `attributes set`"
            ).format(value=value, count=len(names), names=', '.join(names[:5])),
            err=True,
        )


@docs.command("show")
@PROJECT_ARG
@click.argument("document")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("Output format (json: with attributes and units)."),
)
def show(project: str, document: str, fmt: str) -> None:
    """The stored text of DOCUMENT (json: with attributes and units)."""
    from qualcode.services.sources.documents import show_document

    data = show_document(open_cli_project(project), document)
    if fmt == "json":
        echo_json(data)
        return
    echo_line(
        _("# {name}  ({value}, {value2}, {count} units)").format(
            name=data['name'],
            value=data['encoding'] or '-',
            value2=data['language'] or '-',
            count=len(data['units']),
        )
    )
    for key, value in data["attributes"].items():
        echo_line(f"# {key}: {value}")
    click.echo()
    # Lines and tabs are the transcript's own; any other control character is shown, not obeyed.
    click.echo(printable(data["text"], keep_lines=True), nl=not data["text"].endswith("\n"))


FOLD_VARIANTS_OPTION = click.option(
    "--fold-variants",
    "fold",
    is_flag=True,
    help=N_("Treat simplified and traditional Chinese characters as the same (off by default)."),
)


@docs.command("search")
@PROJECT_ARG
@click.argument("pattern")
@click.option("--regex", is_flag=True, help=N_("PATTERN is a regular expression, not plain text."))
@FOLD_VARIANTS_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
def search(project: str, pattern: str, regex: bool, fold: bool, fmt: str) -> None:
    """Every place PATTERN occurs in the documents, with its offsets and context."""
    from qualcode.services.analysis.retrieval import search_text

    hits = search_text(open_cli_project(project), pattern, regex=regex, fold=fold)
    if fmt == "json":
        echo_json({"pattern": pattern, "variants_folded": fold, "hits": hits})
        return
    echo_table(
        [
            (
                h["document"],
                h["start"],
                h["end"],
                h["before"][-12:] + "[" + h["match"] + "]" + h["after"][:12],
            )
            for h in hits
        ],
        [_("document"), _("start"), _("end"), _("match")],
    )
    count = ngettext("{count} match", "{count} matches", len(hits)).format(count=len(hits))
    echo_line(count)
    if fold:
        echo_line(_("Simplified and traditional characters were matched as the same."))
