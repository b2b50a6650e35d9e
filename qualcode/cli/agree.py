"""`qualcode agree PROJECT`: the intercoder agreement report."""

import re
from typing import TYPE_CHECKING, Any

import click

from qualcode.cli._common import (
    AS_OPTION,
    BOOTSTRAP_OPTION,
    FORCE_OPTION,
    MIN_CI_UNITS_OPTION,
    PROJECT_ARG,
    SEED_OPTION,
)
from qualcode.i18n import N_, _, join_list, label_of, pgettext, pgettext_noop

if TYPE_CHECKING:
    from qualcode.services.agreement.rows import AgreementReport, GoldComparison, SpanAgreementReport


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _fmt(v: object) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


@click.command()
@PROJECT_ARG
@click.option(
    "--coders", help=N_("Comma-separated coders to compare (default: all but auto:* and consensus).")
)
@click.option(
    "--codes", help=N_("Comma-separated code keys; a dimension or category key stands for its codes.")
)
@click.option(
    "--unit",
    type=click.Choice(["answer", "sentence", "char", "span"]),
    default=None,
    help=N_("What a coder's value is given for (default: the project's unit setting, normally answer)."),
)
@BOOTSTRAP_OPTION
@SEED_OPTION
@MIN_CI_UNITS_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "md", "xlsx"]), default="table", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help=N_("Write to FILE instead of the screen.")
)
@click.option("--include-pseudo", is_flag=True, help=N_("Also compare auto:* and consensus coders."))
@click.option(
    "--all-documents",
    is_flag=True,
    help=N_("Count every coder in every document they coded in, done or not (projects from other tools)."),
)
@click.option(
    "--max-disagreements",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help=N_("Disagreements listed per code (0 = all)."),
)
@click.option(
    "--gold",
    default=None,
    help=N_("Compare every other coder with this gold-standard coder (precision, recall, F1)."),
)
@FORCE_OPTION
@AS_OPTION
def agree(
    project: str,
    coders: str | None,
    codes: str | None,
    unit: str | None,
    n_boot: int | None,
    seed: int | None,
    min_ci_units: int | None,
    fmt: str,
    out: str | None,
    include_pseudo: bool,
    all_documents: bool,
    max_disagreements: int,
    gold: str | None,
    force: bool,
    viewer: str | None,
) -> None:
    """Agreement per code, per dimension, pooled, per coder pair and per document.

    It compares everyone's coding, so in blind mode only a lead (--as LEAD) may run it.
    """
    from qualcode.cli._common import open_cli_project
    from qualcode.core.errors import ValidationError

    if fmt == "xlsx" and not out:
        raise ValidationError(_("--format xlsx needs --out FILE.xlsx"))
    proj = open_cli_project(project)
    output = _Output(proj, out, force)
    if gold:
        from qualcode.services.agreement.consensus import gold_comparison

        gold_report = gold_comparison(
            proj, gold=gold, coders=_split(coders), codes=_split(codes), unit=unit, viewer=viewer
        )
        _emit_gold(gold_report, fmt, output)
        return
    from qualcode.services.agreement.project_report import agreement_report

    report = agreement_report(
        proj,
        coders=_split(coders),
        codes=_split(codes),
        unit=unit,
        n_boot=n_boot,
        seed=seed,
        min_ci_units=min_ci_units,
        include_pseudo=include_pseudo,
        max_disagreements=max_disagreements or None,
        viewer=viewer,
        all_documents=all_documents,
    )
    if fmt == "json":
        output.text(_json(report))
    elif fmt == "md":
        from qualcode.io.agreement_report import report_markdown

        output.text(report_markdown(report))
    elif fmt == "xlsx":
        from qualcode.io.agreement_report import agreement_sheets

        output.sheets(agreement_sheets(report))
    else:
        _table(report)


def _json(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


class _Output:
    """Where --out goes: the screen, or a file written by the one output service."""

    def __init__(self, project: object, out: str | None, force: bool) -> None:
        self.project, self.out, self.force = project, out, force
        if out:
            from qualcode.services.outputs import check_output_path

            check_output_path(project, out, force=force)  # type: ignore[arg-type]

    def text(self, text: str) -> None:
        if not self.out:
            click.echo(text, nl=False)
            return
        from qualcode.services.outputs import write_text_output

        write_text_output(self.project, self.out, text, force=self.force)  # type: ignore[arg-type]
        click.echo(_("wrote {out}").format(out=self.out))

    def sheets(self, tables: list[Any]) -> None:
        from qualcode.services.outputs import write_sheets_output

        assert self.out
        write_sheets_output(self.project, self.out, tables, force=self.force, number_format="0.000")  # type: ignore[arg-type]
        click.echo(_("wrote {out}").format(out=self.out))


# The table's short flags, in the interface language (the legend under the table explains them).
_FLAGS = {
    "small N": pgettext_noop("agreement flag", "small N"),
    "prevalence": pgettext_noop("agreement flag", "prevalence"),
    "undefined": pgettext_noop("agreement flag", "undefined"),
    "CI note": pgettext_noop("agreement flag", "CI note"),
}


def _flag(tag: str) -> str:
    return label_of(_FLAGS, tag, "agreement flag")


def _short_warning(text: str) -> str:
    for prefix, tag in (
        ("small sample", "small N"),
        ("prevalence paradox", "prevalence"),
        ("alpha undefined", "undefined"),
    ):
        if text.startswith(prefix):
            return _flag(tag)
    return text.split(":")[0]


def _table(report: "AgreementReport | SpanAgreementReport") -> None:
    from rich.console import Console
    from rich.table import Table

    from qualcode.i18n.messages import localise
    from qualcode.io.agreement_report import N_LABELS, cell_label, heading, no_interval_reason, summary_rows

    rows = summary_rows(report)
    col = {h: i for i, h in enumerate(rows[0])}
    table = Table(
        title=_("Agreement by {unit_type} ({coders})").format(
            unit_type=cell_label(report["unit_type"]), coders=join_list(report["coders"])
        )
    )
    table.add_column(heading("section"), no_wrap=True)
    table.add_column(heading("name"), no_wrap=True)
    shown = (
        heading("N pairable units"),
        heading("N units coded"),
        "alpha (κ)",
        "95% CI",
        pgettext("agreement table", "% agree"),
        "AC1",
        heading("verdict"),
    )
    for header in shown:
        table.add_column(header, no_wrap=True)
    table.add_column(pgettext("agreement table", "flags"))
    for r in rows[1:]:
        low, note = r[col["alpha CI low"]], r[col["CI note"]] or ""
        ci = (
            pgettext("agreement table", "withheld")
            if note.startswith("no interval")
            else ""
            if low is None
            else f"{low:.2f}..{r[col['alpha CI high']]:.2f}"
        )
        # the verdict's word without its bracketed threshold, which the legend below states
        verdict = re.split(r"\s*[(（]", cell_label(r[col["verdict"]]))[0] if r[col["verdict"]] else ""
        warnings = [w for w in (r[col["warnings"]] or "").split("; ") if w]
        flags = join_list(
            dict.fromkeys(
                [_short_warning(w) for w in warnings]
                + (
                    [_flag("CI note")]
                    if note and not ci.startswith(pgettext("agreement table", "withheld"))
                    else []
                )
            )
        )
        alpha = _fmt(r[col["Krippendorff alpha"]])
        if r[0] == "pair":  # a pair has Cohen's kappa, not alpha
            kappas = r[col["Cohen kappa (pairs)"]]
            alpha = "κ " + kappas.split(" ")[-1] if kappas else "–"
        table.add_row(
            cell_label(r[0]) if r[0] else "",
            cell_label(r[1]) if isinstance(r[1], str) else _fmt(r[1]),
            _fmt(r[col["N pairable units"]]),
            _fmt(r[col["N units coded"]]),
            alpha,
            ci,
            _fmt(r[col["percent agreement"]]),
            _fmt(r[col["Gwet AC1"]]),
            verdict,
            flags,
        )
    console = Console()
    if not console.is_terminal:  # piped or redirected: do not squeeze the table into 80 columns
        console = Console(width=160)
    console.print(table)
    b = report.get("bootstrap")
    console.print(
        _(
            "95% CI: {method}, {n} resamples, seed {seed}; withheld when fewer than {min_units} pairable "
            "units carry the code (--min-ci-units)."
        ).format(
            method=b["method"].removesuffix(", 95%"), n=b["n"], seed=b["seed"], min_units=b["min_units_coded"]
        )
        if b
        else _("95% CI: {reason}.").format(reason=no_interval_reason(report))
    )
    console.print(
        "; ".join(
            _("{label}: {meaning}").format(label=heading(label), meaning=_(meaning))
            for label, meaning in N_LABELS.items()
            if label != "N units"
        )
        + "."
    )
    console.print(
        _(
            "verdict: alpha >= .800 acceptable, .667-.800 tentative, < .667 unacceptable. "
            "flags: small N (< 50 pairable values), prevalence (high raw agreement, low alpha/kappa: see AC1), "
            "CI note (undefined resamples, or the estimate outside its interval). "
            "Full warnings, CI notes and disagreement lists: --format md, json or xlsx."
        )
    )
    console.print(_("who is compared: {rule}").format(rule=_(report["participation_rule"])))
    console.print(_("missing data: {rule}").format(rule=_(report["missing_rule"])))
    for note in report.get("notes", []):
        console.print(_("note: {note}").format(note=localise(note)))


def _emit_gold(report: "GoldComparison", fmt: str, output: _Output) -> None:
    if fmt == "json":
        output.text(_json(report))
        return
    from qualcode.io.agreement_report import gold_rows

    rows = gold_rows(report)
    if fmt == "md":
        lines = ["| " + " | ".join(map(str, rows[0])) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(_fmt(v) for v in r) + " |" for r in rows[1:]]
        output.text(f"# Comparison with gold coder {report['gold']}\n\n" + "\n".join(lines) + "\n")
    elif fmt == "xlsx":
        output.sheets([("Gold comparison", rows)])
    else:
        from qualcode.cli._common import echo_table

        echo_table(
            ([_fmt(v) for v in r] for r in rows[1:]),
            [str(h) for h in rows[0]],
            title=_("Against gold coder {gold}").format(gold=report['gold']),
        )
