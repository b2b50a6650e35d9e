"""`qualcode stats agreement|spans`: agreement for CSV data made anywhere."""

import click

from qualcode.cli._common import echo_json, echo_table
from qualcode.i18n import N_, _
from qualcode.i18n.messages import localise

LEVEL_CHOICE = click.Choice(["nominal", "ordinal", "interval", "ratio"])


@click.group()
def stats() -> None:
    """Agreement statistics for CSV tables from anywhere (no project needed)."""


def _fmt(v: object) -> str:
    return "undefined" if v is None else (f"{v:.4f}" if isinstance(v, float) else str(v))


@stats.command("agreement")
@click.argument("table", type=click.Path(dir_okay=False))
@click.option(
    "--level", type=LEVEL_CHOICE, default="nominal", show_default=True, help=N_("Level of measurement.")
)
@click.option(
    "--bootstrap",
    "n_boot",
    type=click.IntRange(min=0),
    default=0,
    help=N_("Bootstrap resamples for alpha's CI."),
)
@click.option("--seed", type=int, default=None, help=N_("Seed for the bootstrap (same seed, same interval)."))
@click.option(
    "--categories",
    "n_categories",
    type=click.IntRange(min=2),
    default=None,
    help=N_("Number of categories of the codebook (Brennan-Prediger, AC1); default: values seen."),
)
@click.option(
    "--order", default=None, help=N_("Comma-separated labels from lowest to highest (ordinal labels).")
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
def agreement(
    table: str,
    level: str,
    n_boot: int,
    seed: int | None,
    n_categories: int | None,
    order: str | None,
    as_json: bool,
) -> None:
    """Agreement for TABLE.csv: header row, first column the unit id, one column per coder; empty or NA = missing."""
    from qualcode.services.agreement.files import table_agreement

    labels = [v.strip() for v in order.split(",")] if order else None
    result = table_agreement(table, level, n_boot=n_boot, seed=seed, n_categories=n_categories, order=labels)
    if as_json:
        echo_json(result)
        return
    rows = [
        [k, _fmt(result[k])]
        for k in (
            "n_units",
            "n_coders",
            "n_pairable_values",
            "percent_agreement",
            "krippendorff_alpha",
            "fleiss_kappa",
            "gwet_ac1",
            "brennan_prediger",
        )
    ]
    if "scott_pi" in result:
        rows.append(["scott_pi", _fmt(result["scott_pi"])])
    boot = result.get("krippendorff_alpha_bootstrap")
    if boot:
        rows.append(["alpha 95% CI", f"{boot['ci_low']:.4f} .. {boot['ci_high']:.4f}"])
        rows.append(
            [
                "P(alpha < .667) / P(alpha < .800)",
                f"{boot['p_below_0.667']:.3f} / {boot['p_below_0.800']:.3f}",
            ]
        )
    for key in ("cohen_kappa", "cohen_kappa_linear", "cohen_kappa_quadratic"):
        for pair, v in result.get(key, {}).items():
            rows.append([f"{key} {pair}", _fmt(v)])
    echo_table(rows, [_("coefficient"), _("value")], title=_("Agreement ({level})").format(level=level))
    for note in result["notes"]:
        click.echo(_("note: {note}").format(note=localise(note)))


@stats.command("spans")
@click.argument("spans_csv", metavar="SPANS.csv", type=click.Path(dir_okay=False))
@click.option(
    "--length", type=int, required=True, help=N_("Length L of the text (code points); spans lie in [0, L).")
)
@click.option(
    "--match-threshold",
    type=float,
    default=None,
    help=N_("Also match segments overlapping by at least this share (intersection over union, 0-1]."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
def spans(spans_csv: str, length: int, match_threshold: float | None, as_json: bool) -> None:
    """Span agreement for SPANS.csv with columns coder,start,end,category (0-based, half-open)."""
    from qualcode.core.errors import ValidationError
    from qualcode.services.agreement.files import spans_file_agreement

    if length <= 0:
        raise ValidationError(_("--length must be positive, got {length}").format(length=length))
    result = spans_file_agreement(spans_csv, length, match_threshold=match_threshold)
    if as_json:
        echo_json(result)
        return
    rows = [[k, _fmt(result[k])] for k in ("n_coders", "length", "u_alpha", "binary_u_alpha", "cu_alpha")]
    echo_table(rows, [_("coefficient"), _("value")], title=_("Unitizing agreement"))
    cols = [
        "u_alpha",
        "binary_u_alpha",
        "char_percent_agreement",
        "char_cohen_kappa",
        "char_krippendorff_alpha",
        "char_fleiss_kappa",
    ]
    echo_table(
        ([cat] + [_fmt(v[c]) for c in cols] for cat, v in result["per_category"].items()),
        ["category"] + cols,
        title=_("Per category"),
    )
    for note in result["notes"]:
        click.echo(_("note: {note}").format(note=localise(note)))
