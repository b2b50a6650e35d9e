"""`qualcode configuration`: the configuration table and truth table (QCA-ready)."""

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
from qualcode.core.errors import ValidationError
from qualcode.i18n import N_, _, current_language, join_list
from qualcode.io.markdown_table import markdown_table


@click.command()
@PROJECT_ARG
@click.option(
    "--condition",
    "conditions",
    multiple=True,
    metavar="KEY",
    help=N_("A dimension or code as a condition (repeat; default: the typology's dimensions)."),
)
@click.option(
    "--fuzzy", "use_fuzzy", is_flag=True, help=N_("Fuzzy membership from coverage (default: crisp).")
)
@click.option(
    "--threshold",
    type=float,
    default=0.05,
    show_default=True,
    help=N_("Coverage at which a condition is present (crisp) or at the crossover 0.5 (fuzzy)."),
)
@click.option(
    "--full",
    type=float,
    default=None,
    help=N_("Fuzzy: coverage of full membership (default: the highest among the cases, per condition)."),
)
@click.option(
    "--outcome", default=None, metavar="TYPE|KEY", help=N_("A typology type or a code as the outcome.")
)
@click.option(
    "--case-attribute", default=None, help=N_("Attribute naming the case (default: the typology's).")
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
@click.option(
    "--qca",
    "qca_file",
    default=None,
    metavar="FILE.csv",
    help=N_("Write the cases as R's QCA package reads them."),
)
@click.option("--out", "out", default=None, metavar="FILE.xlsx", help=N_("Write both tables as a workbook."))
@FORCE_OPTION
@AS_OPTION
def configuration(
    project: str,
    conditions: tuple[str, ...],
    use_fuzzy: bool,
    threshold: float,
    full: float | None,
    outcome: str | None,
    case_attribute: str | None,
    fmt: str,
    qca_file: str | None,
    out: str | None,
    force: bool,
    viewer: str | None,
) -> None:
    """Show each case's membership in the conditions (the typology's dimensions, or the codes
    given), its type, and the configurations with their consistency and coverage for an outcome.
    The cases and coverage are those of `qualcode typology`."""
    from qualcode.services.analysis.configuration import configuration_grids, configuration_table, qca_grid
    from qualcode.services.outputs import write_sheets_output, write_table_output

    if qca_file and not qca_file.lower().endswith(".csv"):
        raise ValidationError(_("{path}: the QCA file must end in .csv").format(path=qca_file))
    opened = open_cli_project(project)
    report = configuration_table(
        opened,
        conditions=list(conditions) or None,
        kind="fuzzy" if use_fuzzy else "crisp",
        threshold=threshold,
        full=full,
        outcome=outcome,
        case_attribute=case_attribute,
        viewer=viewer,
    )
    (case_header, case_rows), (config_header, config_rows) = configuration_grids(report, current_language())
    if qca_file:
        header, rows = qca_grid(report)
        write_table_output(opened, qca_file, header, rows, force=force)
    if out:
        write_sheets_output(
            opened,
            out,
            [
                ("Configuration_Cases", [case_header, *case_rows]),
                ("Configuration_Truth_Table", [config_header, *config_rows]),
            ],
            force=force,
        )
    if fmt == "json":
        echo_json(report)
        return
    if fmt == "md":
        for line in [
            *markdown_table(case_header, case_rows),
            "",
            *markdown_table(config_header, config_rows),
        ]:
            echo_line(line)
        return
    echo_table(case_rows, case_header, title=_("Cases"))
    echo_table(config_rows, config_header, title=_("Configurations"))
    if report["cases_left_out"]:
        echo_line(
            _("Cases without coding, left out: {names}").format(names=join_list(report["cases_left_out"]))
        )
    for path in (qca_file, out):
        if path:
            echo_line(_("Wrote {path}").format(path=path))
