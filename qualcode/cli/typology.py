"""`qualcode typology PROJECT`: sort the project's cases into types and show how and why."""

import json
from pathlib import Path
from typing import Any

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
from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _, current_language, join_list
from qualcode.i18n.messages import localise


def coding_source_options(func: Any) -> Any:
    """--coder / --consensus / --combine: which coding counts (shared with `export`)."""
    func = click.option(
        "--combine",
        type=click.Choice(["consensus-else-union", "union", "majority"]),
        default=None,
        help=N_(
            "Combine coders: per case the consensus where it exists, else the union (the default); "
            "every character any human coder coded; or those most coders coded."
        ),
    )(func)
    func = click.option("--consensus", is_flag=True, help=N_("Use the consensus (adjudicated) coding."))(func)
    func = click.option("--coder", default=None, help=N_("Use this coder's coding."))(func)
    return func


@click.command()
@PROJECT_ARG
@coding_source_options
@click.option(
    "--case-attribute", default=None, help=N_("Document attribute that names the case (or 'document').")
)
@click.option("--role-attribute", default=None, help=N_("Document attribute that names the respondent role."))
@click.option(
    "--aggregation",
    type=click.Choice(["mean_of_role_means", "mean_of_documents", "pooled"]),
    default=None,
    help=N_("How a case's documents are combined (default: the typology's own setting)."),
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default="table", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write to this file (needed for xlsx)."),
)
@FORCE_OPTION
@AS_OPTION
def typology(
    project: str,
    coder: str | None,
    consensus: bool,
    combine: str | None,
    case_attribute: str | None,
    role_attribute: str | None,
    aggregation: str | None,
    fmt: str,
    out: Path | None,
    force: bool,
    viewer: str | None,
) -> None:
    """Profile every case of PROJECT, assign it a type by the typology rules, and check with clustering.

    In blind mode a coder may type the cases by their own coding only (--as or --coder SELF).
    """
    viewer = viewer or coder  # as in `code list`: naming a coder without --as acts as that coder
    if fmt == "xlsx":
        if out is None:
            raise QualcodeError(_("--format xlsx needs --out FILE.xlsx"))
        from qualcode.services.exchange.workbook import export_workbook
        from qualcode.services.exchange.workbook_typology import TYPOLOGY_SHEETS

        path = export_workbook(
            open_cli_project(project),
            out,
            sheets=list(TYPOLOGY_SHEETS),
            coder=coder,
            consensus=consensus,
            combine=combine,
            case_attribute=case_attribute,
            role_attribute=role_attribute,
            aggregation=aggregation,
            viewer=viewer,
            force=force,
        )
        echo_line(_("wrote {path}").format(path=path))
        return
    if fmt == "table" and out is not None:
        raise QualcodeError(_("--out writes json or xlsx; add --format json or --format xlsx"))
    from qualcode.services.analysis.typology import compute_typology
    from qualcode.services.outputs import check_output_path, write_text_output

    opened = open_cli_project(project)
    if out is not None:
        check_output_path(opened, out, force=force)
    result = compute_typology(
        opened,
        coder=coder,
        consensus=consensus,
        combine=combine,
        case_attribute=case_attribute,
        role_attribute=role_attribute,
        aggregation=aggregation,
        viewer=viewer,
    )
    data = result.to_dict()
    if fmt == "json":
        if out is not None:
            write_text_output(
                opened, out, json.dumps(data, ensure_ascii=False, indent=2, default=str), force=force
            )
            echo_line(_("wrote {out}").format(out=out))
        else:
            echo_json(data)
        return
    from qualcode.core.typology_labels import (
        aggregation_label,
        basis_label,
        case_unit_label,
        flag_label,
        source_label,
        type_label,
    )
    from qualcode.services.analysis.typology import type_namer

    type_name = type_namer(data["types"], current_language())
    types = [t.id for t in result.spec.types]
    rows = []
    for case in data["cases"]:
        scores = [f"{t} {case['scores'][t]:.3f}" for t in types if case["scores"][t] is not None]
        margin = "" if case["margin"] is None else f"{case['margin']:.3f}"
        rows.append(
            [
                case["case"],
                type_label(case["type"], type_name),
                basis_label(case["basis"]),
                source_label(case["source"]),
                scores,
                margin,
                case["cluster"] or "",
                [flag_label(flag, type_name) for flag in case["flags"]],
            ]
        )
    p = result.parameters
    title = _("{typology} {version} · {coding_source} · cases by {case_unit} · {aggregation}").format(
        typology=p["typology"],
        version=p["typology_version"],
        coding_source=source_label(p["coding_source"]),
        case_unit=case_unit_label(p["case_unit"]),
        aggregation=aggregation_label(p["aggregation"]),
    )
    echo_table(
        rows,
        [_("case"), _("type"), _("basis"), _("source"), _("scores"), _("margin"), _("cluster"), _("flags")],
        title=title,
    )
    echo_line(_("types: {types}").format(types=join_list(f"{t} {type_name(t)}" for t in types)))
    click.echo(
        _("coding source: {coding_source} ({coding_source_description})").format(
            coding_source=source_label(p["coding_source"]),
            coding_source_description=_(p["coding_source_description"]),
        )
    )
    for case in data["cases"]:
        if case["reason"]:
            click.echo(
                _("not typed: {case}: {reason}").format(case=case['case'], reason=localise(case['reason']))
            )
    for item in p.get("unmapped_roles", []):
        click.echo(
            _(
                "warning: role {value!r} matches no role of the vocabulary ({count} documents: {documents})"
            ).format(
                value=item['value'], count=len(item['documents']), documents=', '.join(item['documents'][:5])
            ),
            err=True,
        )
    clusters = data["clusters"]
    if clusters["skipped"]:
        echo_line(_("cluster check skipped: {skipped}").format(skipped=localise(clusters['skipped'])))
    else:
        echo_line(
            _(
                "cluster check: best k={best_k}, adjusted Rand index with the types {adjusted_rand_index:.3f} (clusters never change the types)"
            ).format(best_k=clusters['best_k'], adjusted_rand_index=clusters['adjusted_rand_index'])
        )
