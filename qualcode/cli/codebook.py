"""`qualcode codebook ...`: validate, load, show, export/import, diff and evolve codebooks."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.cli._common import (
    AS_OPTION,
    FORCE_OPTION,
    FORMAT_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _, join_list, ngettext, pgettext

if TYPE_CHECKING:
    from qualcode.services.codebook.rows import CodebookUndone, CodeChanged, CodeMoved, CodesMerged

ACTOR = click.option(
    "--as",
    "actor",
    default=None,
    envvar="QUALCODE_CODER",
    help=N_("Who makes the change (for the event log)."),
)


@click.group()
def codebook() -> None:
    """Check codebook files, load them onto projects, and evolve the codebook safely."""


@codebook.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help=N_("Treat warnings (e.g. a definition in one language only) as problems: exit 2 if there are any."),
)
def validate(file: Path, strict: bool) -> None:
    """Check a codebook file; every problem is printed as file:line:column: explanation."""
    from qualcode.io.codebook_yaml import CodebookFileError, read_codebook_warnings

    try:
        book, warnings = read_codebook_warnings(file)
    except CodebookFileError as exc:
        for problem in exc.problems:
            echo_line(str(problem), err=True)
        echo_line(_("{file}: {count} problem(s)").format(file=file, count=len(exc.problems)), err=True)
        sys.exit(2)
    for warning in warnings:
        echo_line(warning, err=True)
    if warnings:
        echo_line(
            ngettext("{file}: {count} warning", "{file}: {count} warnings", len(warnings)).format(
                file=file, count=len(warnings)
            ),
            err=True,
        )
        if strict:
            sys.exit(2)
    dims = len(book.roots())
    codes = sum(1 for n in book.nodes if n.level == "code")
    types = len(book.typology.types) if book.typology else 0
    echo_line(
        _(
            "{file}: valid codebook {id} {version}: {dims} dimensions, {codes} codes, {count} nodes, {types} typology types; sha256 {sha256}"
        ).format(
            file=file,
            id=book.id,
            version=book.version,
            dims=dims,
            codes=codes,
            count=len(book.nodes),
            types=types,
            sha256=book.sha256(),
        )
    )


@codebook.command()
@PROJECT_ARG
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--retire-missing",
    is_flag=True,
    help=N_(
        "Keep codes that have coded segments but are not in FILE, as retired, "
        "and clear guide questions' code_key naming codes not in FILE."
    ),
)
@ACTOR
def load(project: str, file: Path, retire_missing: bool, actor: str | None) -> None:
    """Load FILE as the project's codebook (refused if it would orphan coded segments or guide links)."""
    from qualcode.services.codebook.curation import load_codebook

    result = load_codebook(open_cli_project(project), file, actor=actor, retire_missing=retire_missing)
    echo_line(
        _("loaded {id} ({codes} codes), codebook version {version}").format(
            id=result["id"], codes=result["codes"], version=result["version"]
        )
    )
    if result["retired"]:
        echo_line(_("kept as retired: {retired}").format(retired=join_list(result["retired"])))
    if result.get("guide_links_cleared"):
        echo_line(
            _("guide questions no longer linked to a code: {guide_links_cleared}").format(
                guide_links_cleared=join_list(result["guide_links_cleared"])
            )
        )


@codebook.command()
@PROJECT_ARG
@AS_OPTION
@FORMAT_OPTION
def show(project: str, viewer: str | None, fmt: str) -> None:
    """List the project's codes (flat, in tree order) with the segments you may see."""
    from qualcode.services.codebook.curation import list_codes

    rows = list_codes(open_cli_project(project), viewer)
    if fmt == "json":
        echo_json(rows)
        return
    status = {
        (True, False): "",
        (False, False): pgettext("code status", "not codable"),
        (True, True): pgettext("code status", "retired"),
        (False, True): pgettext("code status", "retired"),
    }
    echo_table(
        (
            [
                ("  " * r["depth"]) + r["key"],
                r["name_en"],
                r["name_zh"],
                status[(r["codable"], r["retired"])],
                r["segments"],
            ]
            for r in rows
        ),
        [_("key"), _("name_en"), _("name_zh"), _("status"), _("segments")],
    )


@codebook.command()
@PROJECT_ARG
@FORMAT_OPTION
def info(project: str, fmt: str) -> None:
    """Codebook id, version and content hash."""
    from qualcode.services.codebook.curation import codebook_info

    data = codebook_info(open_cli_project(project))
    if fmt == "json":
        echo_json(data)
    else:
        echo_line(
            _(
                "{id} (file version {file_version}), codebook version {version}, {codes} codes, sha256 {sha256}"
            ).format(
                id=data['id'],
                file_version=data['file_version'],
                version=data['version'],
                codes=data['codes'],
                sha256=data['sha256'],
            )
        )


@codebook.command()
@PROJECT_ARG
@click.option("--yaml", "yaml_file", type=click.Path(path_type=Path), help=N_("Write the codebook as YAML."))
@click.option(
    "--qdc", "qdc_file", type=click.Path(path_type=Path), help=N_("Write a REFI-QDA codebook (.qdc).")
)
@FORCE_OPTION
def export(project: str, yaml_file: Path | None, qdc_file: Path | None, force: bool) -> None:
    """Write the project's codebook to a YAML and/or REFI-QDA .qdc file."""
    from qualcode.services.exchange.codebook_files import export_qdc, export_yaml

    if yaml_file is None and qdc_file is None:
        raise QualcodeError(_("say where to write: --yaml FILE and/or --qdc FILE"))
    opened = open_cli_project(project)
    for path, writer in ((yaml_file, export_yaml), (qdc_file, export_qdc)):
        if path is not None:
            result = writer(opened, path, force=force)
            echo_line(
                _("wrote {path} (codebook {id} version {version}, sha256 {sha256})").format(
                    path=path, id=result['id'], version=result['version'], sha256=result['sha256'][:12]
                )
            )


@codebook.command("import-qdc")
@PROJECT_ARG
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--retire-missing",
    is_flag=True,
    help=N_(
        "Keep current codes that have coded segments as retired, "
        "and clear guide questions' code_key naming codes not in FILE."
    ),
)
@ACTOR
def import_qdc_command(project: str, file: Path, retire_missing: bool, actor: str | None) -> None:
    """Replace the codebook by a REFI-QDA .qdc file from another tool, and report what was dropped."""
    from qualcode.services.exchange.codebook_files import import_qdc

    result = import_qdc(open_cli_project(project), file, actor=actor, retire_missing=retire_missing)
    echo_line(
        _(
            "imported {codes} codes ({generated_keys} keys generated from names), codebook version {version}"
        ).format(codes=result['codes'], generated_keys=result['generated_keys'], version=result['version'])
    )
    if result.get("retired"):
        echo_line(_("kept as retired: {retired}").format(retired=', '.join(result['retired'])))
    if result.get("guide_links_cleared"):
        echo_line(
            _("guide questions no longer linked to a code: {guide_links_cleared}").format(
                guide_links_cleared=', '.join(result['guide_links_cleared'])
            )
        )
    if result["dropped"]:
        click.echo(_("not carried over:"))
        for item in result["dropped"]:
            echo_line(f"  - {item}")
    else:
        click.echo(_("nothing was dropped"))


@codebook.command()
@click.argument("old")
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("Output format."),
)
def diff(old: str, new: Path, fmt: str) -> None:
    """Show what changes between OLD (a project or a codebook file) and the codebook file NEW."""
    from qualcode.services.exchange.codebook_files import diff_files, diff_project_file

    if Path(old).is_file():
        changes = diff_files(old, new)
    else:
        changes = diff_project_file(open_cli_project(old), new)
    if fmt == "json":
        echo_json([c.to_dict() for c in changes])
        return
    for change in changes:
        click.echo(change.describe())
    echo_line(_("{count} difference(s)").format(count=len(changes)) if changes else _("no differences"))


def _done(message: str, result: "CodeChanged | CodeMoved | CodesMerged | CodebookUndone") -> None:
    echo_line(_("{message} (codebook version {version})").format(message=message, version=result['version']))


@codebook.command()
@PROJECT_ARG
@click.argument("key")
@click.option("--parent", default=None, help=N_("Key of the parent; omit for a new dimension."))
@click.option("--en", "name_en", default="", help=N_("English name."))
@click.option("--zh", "name_zh", default="", help=N_("Chinese name."))
@click.option("--short", "short_definition", default=None, help=N_("Short definition (one line)."))
@click.option("--definition", default=None, help=N_("Full definition."))
@click.option("--inclusion", default=None, help=N_("When to use."))
@click.option("--exclusion", default=None, help=N_("When not to use."))
@click.option("--color", default=None, help=N_("#RRGGBB"))
@ACTOR
def add(
    project: str,
    key: str,
    parent: str | None,
    name_en: str,
    name_zh: str,
    actor: str | None,
    **fields: str | None,
) -> None:
    """Add a code."""
    from qualcode.services.codebook.curation import add_code

    extra = {name: value for name, value in fields.items() if value}
    _done(
        f"added {key}",
        add_code(open_cli_project(project), key, parent, name_en, name_zh, actor=actor, **extra),
    )


@codebook.command()
@PROJECT_ARG
@click.argument("key")
@click.option("--key", "new_key", default=None, help=N_("New key."))
@click.option("--en", "name_en", default=None, help=N_("New English name."))
@click.option("--zh", "name_zh", default=None, help=N_("New Chinese name."))
@ACTOR
def rename(
    project: str, key: str, new_key: str | None, name_en: str | None, name_zh: str | None, actor: str | None
) -> None:
    """Change a code's key and/or names (segments follow)."""
    from qualcode.services.codebook.curation import rename_code

    what = f"{key} to {new_key}" if new_key and new_key != key else key
    _done(
        f"renamed {what}",
        rename_code(
            open_cli_project(project), key, actor=actor, new_key=new_key, name_en=name_en, name_zh=name_zh
        ),
    )


@codebook.command()
@PROJECT_ARG
@click.argument("key")
@click.option("--short", "short_definition", default=None, help=N_("Short definition (one line)."))
@click.option("--short-zh", "short_definition_zh", default=None, help=N_("Short definition in Chinese."))
@click.option("--definition", default=None, help=N_("Full definition."))
@click.option("--definition-zh", default=None, help=N_("Full definition in Chinese."))
@click.option("--inclusion", default=None, help=N_("When to use."))
@click.option("--inclusion-zh", default=None, help=N_("When to use, in Chinese."))
@click.option("--exclusion", default=None, help=N_("When not to use."))
@click.option("--exclusion-zh", default=None, help=N_("When not to use, in Chinese."))
@click.option("--example-en", default=None, help=N_("Example quote in English."))
@click.option("--example-zh", default=None, help=N_("Example quote in Chinese."))
@click.option("--color", default=None, help=N_("#RRGGBB"))
@ACTOR
def edit(project: str, key: str, actor: str | None, **fields: str | None) -> None:
    """Edit a code's definitions, examples or colour."""
    from qualcode.services.codebook.curation import edit_code

    changes = {k: v for k, v in fields.items() if v is not None}
    _done(f"edited {key}", edit_code(open_cli_project(project), key, actor=actor, **changes))


@codebook.command()
@PROJECT_ARG
@click.argument("key")
@click.argument("new_parent")
@ACTOR
def move(project: str, key: str, new_parent: str, actor: str | None) -> None:
    """Move KEY under NEW_PARENT (use '-' to make it a top-level dimension)."""
    from qualcode.services.codebook.curation import move_code

    parent = None if new_parent == "-" else new_parent
    _done(
        f"moved {key} under {parent or '(top level)'}",
        move_code(open_cli_project(project), key, parent, actor=actor),
    )


@codebook.command()
@PROJECT_ARG
@click.argument("source_key")
@click.argument("target_key")
@ACTOR
def merge(project: str, source_key: str, target_key: str, actor: str | None) -> None:
    """Merge SOURCE_KEY into TARGET_KEY: segments move, exact duplicates collapse, SOURCE_KEY goes."""
    from qualcode.services.codebook.curation import merge_codes

    result = merge_codes(open_cli_project(project), source_key, target_key, actor=actor)
    _done(
        f"merged {source_key} into {target_key}: {result['segments_moved']} segment(s) moved, "
        f"{result['duplicates_collapsed']} duplicate(s) collapsed",
        result,
    )


@codebook.command()
@PROJECT_ARG
@click.argument("key")
@click.option("--undo", "restore", is_flag=True, help=N_("Bring a retired code back."))
@ACTOR
def retire(project: str, key: str, restore: bool, actor: str | None) -> None:
    """Retire a code (and everything under it): hidden from coding, kept for history and exports."""
    from qualcode.services.codebook.curation import retire_code, unretire_code

    if restore:
        _done(f"{key} is active again", unretire_code(open_cli_project(project), key, actor=actor))
    else:
        _done(f"retired {key}", retire_code(open_cli_project(project), key, actor=actor))


@codebook.command()
@PROJECT_ARG
@ACTOR
def undo(project: str, actor: str | None) -> None:
    """Undo the most recent codebook change."""
    from qualcode.services.codebook.curation import undo_last_codebook_change

    result = undo_last_codebook_change(open_cli_project(project), actor=actor)
    _done(f"undid {result['undone'].removeprefix('codebook.')}", result)
