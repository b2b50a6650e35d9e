"""`qualcode attributes list|set|rename|alias`: fix document attributes without re-importing."""

import click

from qualcode.cli._common import (
    FORMAT_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.i18n import N_, _

BY_OPTION = click.option(
    "--by", "by", required=True, help=N_("The lead who makes the change (undo as this lead).")
)


@click.group()
def attributes() -> None:
    """List and fix document attributes (changes are events a lead can undo)."""


@attributes.command("list")
@PROJECT_ARG
@FORMAT_OPTION
def list_(project: str, fmt: str) -> None:
    """Every attribute with its values, how each value reads after aliases, and role warnings."""
    from qualcode.services.attributes import list_attributes

    data = list_attributes(open_cli_project(project))
    if fmt == "json":
        echo_json(data)
        return
    echo_table(
        [
            (a["key"], v["value"], v["reads_as"] if v["reads_as"] != v["value"] else "", v["documents"])
            for a in data["attributes"]
            for v in a["values"]
        ],
        [_("attribute"), _("value"), _("reads as"), _("documents")],
        title=_("Document attributes"),
    )
    click.echo(
        _("role vocabulary: {role_vocabulary}").format(role_vocabulary=', '.join(data['role_vocabulary']))
    )
    for item in data["unmapped_roles"]:
        click.echo(
            _(
                "warning: role {value!r} matches no role of the vocabulary ({count} documents: {documents})"
            ).format(
                value=item['value'], count=len(item['documents']), documents=', '.join(item['documents'][:5])
            ),
            err=True,
        )


@attributes.command("set")
@PROJECT_ARG
@click.argument("document")
@click.argument("key")
@click.argument("value")
@BY_OPTION
def set_(project: str, document: str, key: str, value: str, by: str) -> None:
    """Set attribute KEY of DOCUMENT to VALUE (an empty VALUE removes it)."""
    from qualcode.services.attributes import set_attribute

    result = set_attribute(open_cli_project(project), document, key, value, by)
    if not result["changed"]:
        line = _("{document}: {key} unchanged")
    elif result["value"]:
        line = _("{document}: {key} = {value}")
    else:
        line = _("{document}: {key} removed")
    echo_line(line.format(document=result["document"], key=result["key"], value=result["value"]))


@attributes.command("rename")
@PROJECT_ARG
@click.argument("key")
@click.argument("old")
@click.argument("new")
@click.option(
    "--key", "rename_key", is_flag=True, help=N_("Rename the attribute OLD to NEW (KEY is ignored).")
)
@BY_OPTION
def rename(project: str, key: str, old: str, new: str, rename_key: bool, by: str) -> None:
    """Rename the value OLD of attribute KEY to NEW in every document."""
    from qualcode.services.attributes import rename_attribute

    result = rename_attribute(open_cli_project(project), key, old, new, by, rename_key=rename_key)
    click.echo(
        _("renamed {renamed} {old!r} to {new!r} in {count} documents").format(
            renamed=result['renamed'], old=old, new=new, count=len(result['documents'])
        )
    )


@attributes.command("alias")
@PROJECT_ARG
@click.argument("key")
@click.argument("values", nargs=-1, required=True)
@click.option("--to", "to", required=True, help=N_("The value they all read as."))
@BY_OPTION
def alias(project: str, key: str, values: tuple[str, ...], to: str, by: str) -> None:
    """Make VALUES of attribute KEY read as --to everywhere (stored values are kept)."""
    from qualcode.services.attributes import alias_values

    result = alias_values(open_cli_project(project), key, list(values), to, by)
    click.echo(
        _("{key}: {values} now read as {to!r}").format(
            key=key, values=', '.join(map(repr, result['values'])), to=to
        )
    )
