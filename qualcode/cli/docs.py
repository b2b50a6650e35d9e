"""`qualcode docs`: list documents and show one."""

from typing import Any

import click

from qualcode.cli._common import PROJECT_ARG, echo_json, echo_line, echo_table, open_cli_project
from qualcode.core.names import printable


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
    help="Output format.",
)
def list_(project: str, fmt: str) -> None:
    """One line per document: encoding, language, case, units by speaker role."""
    from qualcode.services.sources.documents import list_documents

    rows = list_documents(open_cli_project(project))
    if fmt == "json":
        echo_json(rows)
        return
    echo_table(
        [
            (
                r["name"],
                r["encoding"],
                r["language"],
                r["length"],
                r["case"],
                r["role"],
                ", ".join(f"{role} {n}" for role, n in r["units"].items()),
            )
            for r in rows
        ],
        ["name", "encoding", "language", "length", "case", "role", "units"],
    )
    warn_unmapped_roles(rows)


def warn_unmapped_roles(rows: list[dict[str, Any]]) -> None:
    """One warning line per role value the role vocabulary does not know, on stderr."""
    unknown: dict[str, list[str]] = {}
    for r in rows:
        if r.get("role_mapped") is False:
            unknown.setdefault(r["role_value"], []).append(r["name"])
    for value, names in sorted(unknown.items()):
        click.echo(
            f"warning: role {value!r} matches no role of the vocabulary ({len(names)} documents: "
            f"{', '.join(names[:5])}); fix it with `qualcode attributes alias` or `attributes set`",
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
    help="Output format (json: with attributes and units).",
)
def show(project: str, document: str, fmt: str) -> None:
    """The stored text of DOCUMENT (json: with attributes and units)."""
    from qualcode.services.sources.documents import show_document

    data = show_document(open_cli_project(project), document)
    if fmt == "json":
        echo_json(data)
        return
    echo_line(
        f"# {data['name']}  ({data['encoding'] or '-'}, {data['language'] or '-'}, {len(data['units'])} units)"
    )
    for key, value in data["attributes"].items():
        echo_line(f"# {key}: {value}")
    click.echo()
    # Lines and tabs are the transcript's own; any other control character is shown, not obeyed.
    click.echo(printable(data["text"], keep_lines=True), nl=not data["text"].endswith("\n"))
