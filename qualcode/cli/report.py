"""`qualcode report PROJECT --docx FILE`: the paper's tables as one Word document."""

import click

from qualcode.cli._common import AS_OPTION, FORCE_OPTION, PROJECT_ARG, echo_json, echo_line, open_cli_project
from qualcode.i18n import _, current_language, join_list


@click.command()
@PROJECT_ARG
@click.option("--docx", "docx_file", required=True, metavar="FILE.docx", help="The Word document to write.")
@click.option(
    "--lang",
    "report_language",
    type=click.Choice(["zh_CN", "en"]),
    default=None,
    help="Language of the document (default: the interface language).",
)
@click.option(
    "--quotes", type=int, default=2, show_default=True, help="Statements per code in the evidence table."
)
@click.option(
    "--by",
    "level",
    type=click.Choice(["code", "category", "dimension"]),
    default="code",
    show_default=True,
    help="What the saturation curve counts.",
)
@click.option(
    "--threshold",
    type=float,
    default=0.05,
    show_default=True,
    help="Coverage at which a condition is present in the configuration table.",
)
@click.option("--outcome", default=None, metavar="TYPE|KEY", help="Outcome of the configuration table.")
@click.option(
    "--bootstrap", "n_boot", type=int, default=None, help="Resamples for the intervals (default 1,000)."
)
@click.option("--seed", type=int, default=None, help="Seed of the resampling (default 1).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@FORCE_OPTION
@AS_OPTION
def report(
    project: str,
    docx_file: str,
    report_language: str | None,
    quotes: int,
    level: str,
    threshold: float,
    outcome: str | None,
    n_boot: int | None,
    seed: int | None,
    fmt: str,
    force: bool,
    viewer: str | None,
) -> None:
    """Write the tables of a paper as three-line tables in one .docx: coding evidence,
    intercoder reliability, typology with case profiles, configurations, and saturation with
    its curve. The numbers are those of `agree`, `typology`, `configuration`, `evidence` and
    `saturation`."""
    from qualcode.services.exchange.paper_report import write_report

    summary = write_report(
        open_cli_project(project),
        docx_file,
        language_name=report_language or ("zh_CN" if current_language() == "zh_CN" else "en"),
        viewer=viewer,
        force=force,
        n_boot=n_boot,
        seed=seed,
        quotes=quotes,
        level=level,
        threshold=threshold,
        outcome=outcome,
    )
    if fmt == "json":
        echo_json(summary)
        return
    echo_line(_("Wrote {path}").format(path=summary["file"]))
    echo_line(_("Tables: {names}").format(names=join_list(summary["tables"])))
    for part, reason in summary["omitted"].items():
        echo_line(_("Left out {part}: {reason}").format(part=part, reason=reason))
