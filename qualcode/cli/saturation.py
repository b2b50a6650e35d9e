"""`qualcode saturation PROJECT`: the discovery curve and the reserved-interview check."""

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
from qualcode.services.analysis.rows import SaturationReport
from qualcode.services.analysis.saturation import source_title


def _order_note(report: SaturationReport) -> str:
    if report["order"] == "date":
        return _("Interviews in the order of their Date attribute.")
    if report["order"] == "date_then_import":
        return _(
            "Interviews by their Date attribute, then in import order where it is missing or unreadable: {names}."
        ).format(names=join_list(report["undated"]))
    return _("No interview has a readable Date attribute: interviews in import order.")


def _markdown(report: SaturationReport, level: str) -> str:
    lines = ["# " + _("Saturation"), "", _order_note(report), ""]
    for source in report["sources"]:
        data = source["levels"][level]
        curve = data["curve"]
        lines += [f"## {source_title(source)}", ""]
        lines += [f"| # | {_('Interview')} | {_('New')} | {_('Cumulative')} |", "|---|---|---|---|"]
        for step in curve["steps"]:
            new = join_list(step["new"]) or "—"
            lines.append(f"| {step['position']} | {step['document']} | {new} | {step['cumulative']} |")
        lines += [
            "",
            data["reserve_check"]["sentence"]["zh_CN"],
            "",
            data["reserve_check"]["sentence"]["en"],
            "",
        ]
    return "\n".join(lines)


@click.command()
@PROJECT_ARG
@click.option(
    "--by",
    "level",
    type=click.Choice(["code", "category", "dimension"]),
    default="code",
    show_default=True,
    help=N_("Count new codes, new categories or new dimensions."),
)
@click.option(
    "--reserve", "reserve", multiple=True, metavar="DOC", help=N_("Mark DOC as a saturation reserve first.")
)
@click.option(
    "--unreserve", "unreserve", multiple=True, metavar="DOC", help=N_("Unmark DOC as a reserve first.")
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md", "xlsx", "docx"]),
    default="table",
    show_default=True,
    help=N_(
        "Output format (JSON holds every level and both languages' sentences; xlsx and docx need --out)."
    ),
)
@click.option("--out", "out", default=None, metavar="FILE", help=N_("The .xlsx or .docx file to write."))
@FORCE_OPTION
@AS_OPTION
def saturation(
    project: str,
    level: str,
    reserve: tuple[str, ...],
    unreserve: tuple[str, ...],
    fmt: str,
    out: str | None,
    force: bool,
    viewer: str | None,
) -> None:
    """Show whether the interviews stopped bringing new codes: the cumulative discovery curve for
    every coder, their union and the consensus, and the check on the reserve interviews (anything
    that appears only in them means saturation was not reached).

    Interviews are taken in the order of their Date attribute (else import order). A lead marks
    the reserves with --reserve DOC (repeatable) and unmarks them with --unreserve DOC.
    """
    from qualcode.services.analysis.saturation import saturation_report, set_reserves

    if fmt in ("xlsx", "docx") and not out:
        raise ValidationError(_("--format {format} needs --out FILE.{format}").format(format=fmt))
    opened = open_cli_project(project)
    if reserve:
        set_reserves(opened, list(reserve), True, actor=viewer)
    if unreserve:
        set_reserves(opened, list(unreserve), False, actor=viewer)
    if fmt == "xlsx":
        from qualcode.services.exchange.saturation_files import write_saturation_xlsx

        written = write_saturation_xlsx(opened, str(out), level=level, viewer=viewer, force=force)
        echo_line(_("Wrote {path}").format(path=written))
        return
    if fmt == "docx":
        from qualcode.services.exchange.saturation_files import write_saturation_docx

        language_name = "zh_CN" if current_language() == "zh_CN" else "en"
        summary = write_saturation_docx(
            opened, str(out), level=level, language_name=language_name, viewer=viewer, force=force
        )
        echo_line(_("Wrote {path}").format(path=summary["file"]))
        return
    report = saturation_report(opened, viewer=viewer)
    if fmt == "json":
        echo_json(report)
        return
    if fmt == "md":
        for line in _markdown(report, level).split("\n"):  # stored names, shown escaped
            echo_line(line)
        return
    echo_line(_order_note(report))
    if report["reserves"]:
        echo_line(_("Reserve interviews: {names}").format(names=join_list(report["reserves"])))
    for source in report["sources"]:
        data = source["levels"][level]
        curve = data["curve"]
        rows = [
            (step["position"], step["document"], join_list(step["new"]) or "—", step["cumulative"])
            for step in curve["steps"]
        ]
        echo_table(rows, ["#", _("Interview"), _("New"), _("Cumulative")], title=source_title(source))
        if source["not_coded"]:
            echo_line(_("Not coded in this source: {names}").format(names=join_list(source["not_coded"])))
        sentences = data["reserve_check"]["sentence"]
        first = "zh_CN" if current_language() == "zh_CN" else "en"
        echo_line(sentences[first])
        echo_line(sentences["en" if first == "zh_CN" else "zh_CN"])
        click.echo("")
    if not report["sources"]:
        click.echo(_("Nothing is coded yet."))
