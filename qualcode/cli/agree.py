"""`qualcode agree PROJECT`: the intercoder agreement report."""

import click

from qualcode.cli._common import AS_OPTION, PROJECT_ARG


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
@click.option("--coders", help="Comma-separated coders to compare (default: all but auto:* and consensus).")
@click.option("--codes", help="Comma-separated code keys; a dimension or category key stands for its codes.")
@click.option(
    "--unit",
    type=click.Choice(["answer", "sentence", "char", "span"]),
    default=None,
    help="What a coder's value is given for (default: the project's unit setting, normally answer).",
)
@click.option(
    "--bootstrap", "n_boot", type=click.IntRange(min=0), default=0, help="Bootstrap resamples for alpha CIs."
)
@click.option("--seed", type=int, default=None, help="Seed for the bootstrap (same seed, same intervals).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "md", "xlsx"]), default="table", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of the screen."
)
@click.option("--include-pseudo", is_flag=True, help="Also compare auto:* and consensus coders.")
@click.option(
    "--all-documents",
    is_flag=True,
    help="Count every coder in every document they coded in, done or not (projects from other tools).",
)
@click.option(
    "--max-disagreements",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Disagreements listed per code (0 = all).",
)
@click.option(
    "--gold",
    default=None,
    help="Compare every other coder with this gold-standard coder (precision, recall, F1).",
)
@AS_OPTION
def agree(
    project: str,
    coders: str | None,
    codes: str | None,
    unit: str | None,
    n_boot: int,
    seed: int | None,
    fmt: str,
    out: str | None,
    include_pseudo: bool,
    all_documents: bool,
    max_disagreements: int,
    gold: str | None,
    viewer: str | None,
) -> None:
    """Agreement per code, per dimension, pooled, per coder pair and per document.

    It compares everyone's coding, so in blind mode only a lead (--as LEAD) may run it.
    """
    from qualcode.cli._common import open_cli_project
    from qualcode.core.errors import ValidationError

    if fmt == "xlsx" and not out:
        raise ValidationError("--format xlsx needs --out FILE.xlsx")
    proj = open_cli_project(project)
    if gold:
        from qualcode.services.agreement.consensus import gold_comparison

        report = gold_comparison(
            proj, gold=gold, coders=_split(coders), codes=_split(codes), unit=unit, viewer=viewer
        )
        _emit_gold(report, fmt, out)
        return
    from qualcode.services.agreement.project_report import agreement_report

    report = agreement_report(
        proj,
        coders=_split(coders),
        codes=_split(codes),
        unit=unit,
        n_boot=n_boot,
        seed=seed,
        include_pseudo=include_pseudo,
        max_disagreements=max_disagreements or None,
        viewer=viewer,
        all_documents=all_documents,
    )
    if fmt == "json":
        _write_text(_json(report), out)
    elif fmt == "md":
        from qualcode.io.agreement_report import report_markdown

        _write_text(report_markdown(report), out)
    elif fmt == "xlsx":
        from qualcode.io.agreement_report import save_agreement_xlsx

        save_agreement_xlsx(report, out)  # type: ignore[arg-type]
        click.echo(f"wrote {out}")
    else:
        _table(report)


def _json(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def _write_text(text: str, out: str | None) -> None:
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"wrote {out}")
    else:
        click.echo(text, nl=False)


def _short_warning(text: str) -> str:
    for prefix, tag in (
        ("small sample", "small N"),
        ("prevalence paradox", "prevalence"),
        ("alpha undefined", "undefined"),
    ):
        if text.startswith(prefix):
            return tag
    return text.split(":")[0]


def _table(report: dict) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.table import Table

    from qualcode.io.agreement_report import summary_rows

    rows = summary_rows(report)
    table = Table(title=f"Agreement by {report['unit_type']} ({', '.join(report['coders'])})")
    table.add_column("section", no_wrap=True)
    table.add_column("name", no_wrap=True)
    for header in ("values", "alpha (κ)", "95% CI", "% agree", "AC1", "verdict", "flags"):
        table.add_column(header, no_wrap=header != "flags")
    for r in rows[1:]:
        ci = "" if r[7] is None else f"{r[7]:.2f}..{r[8]:.2f}"
        verdict = (r[16] or "").split(" ")[0]
        flags = ", ".join(dict.fromkeys(_short_warning(w) for w in (r[17] or "").split("; ") if w))
        alpha = _fmt(r[6])
        if r[0] == "pair":  # a pair has Cohen's kappa, not alpha
            alpha = "κ " + r[15].split(" ")[-1] if r[15] else "–"
        table.add_row(_fmt(r[0]), _fmt(r[1]), _fmt(r[5]), alpha, ci, _fmt(r[11]), _fmt(r[13]), verdict, flags)
    console = Console()
    if not console.is_terminal:  # piped or redirected: do not squeeze the table into 80 columns
        console = Console(width=160)
    console.print(table)
    console.print(
        "verdict: alpha >= .800 acceptable, .667-.800 tentative, < .667 unacceptable. "
        "flags: small N (< 50 pairable values), prevalence (high raw agreement, low alpha/kappa: see AC1). "
        "Full warnings, CIs and disagreement lists: --format md, json or xlsx."
    )
    console.print(f"missing data: {report['missing_rule']}")
    for note in report.get("notes", []):
        console.print(f"note: {note}")


def _emit_gold(report: dict, fmt: str, out: str | None) -> None:  # type: ignore[type-arg]
    if fmt == "json":
        _write_text(_json(report), out)
        return
    from qualcode.io.agreement_report import gold_rows

    rows = gold_rows(report)
    if fmt == "md":
        lines = ["| " + " | ".join(map(str, rows[0])) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(_fmt(v) for v in r) + " |" for r in rows[1:]]
        _write_text(f"# Comparison with gold coder {report['gold']}\n\n" + "\n".join(lines) + "\n", out)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        from qualcode.io.agreement_report import write_rows_sheet

        wb = Workbook()
        wb.remove(wb.active)
        write_rows_sheet(wb, rows, "Gold comparison")
        wb.save(out)  # type: ignore[arg-type]
        click.echo(f"wrote {out}")
    else:
        from qualcode.cli._common import echo_table

        echo_table(
            ([_fmt(v) for v in r] for r in rows[1:]),
            [str(h) for h in rows[0]],
            title=f"Against gold coder {report['gold']}",
        )
