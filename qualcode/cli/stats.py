"""`qualcode stats agreement|spans`: agreement for CSV data made anywhere."""

from typing import Literal, get_args

import click

from qualcode.cli._common import echo_json, echo_table
from qualcode.i18n import N_, _, pgettext, pgettext_noop
from qualcode.i18n.messages import localise

# The per-category columns of `stats spans`, in order (keys of services/agreement/rows.CategorySpanAgreement).
CategoryColumn = Literal[
    "u_alpha",
    "binary_u_alpha",
    "char_percent_agreement",
    "char_cohen_kappa",
    "char_krippendorff_alpha",
    "char_fleiss_kappa",
]
LEVEL_CHOICE = click.Choice(["nominal", "ordinal", "interval", "ratio"])
LEVEL_NAMES = {
    "nominal": pgettext_noop("level of measurement", "nominal"),
    "ordinal": pgettext_noop("level of measurement", "ordinal"),
    "interval": pgettext_noop("level of measurement", "interval"),
    "ratio": pgettext_noop("level of measurement", "ratio"),
}


@click.group()
def stats() -> None:
    """Agreement statistics for CSV tables from anywhere (no project needed)."""


# Row and column labels of the human tables; the JSON keeps the keys. Coefficient names stay in
# their original form in Chinese, as journals print them (docs/glossary.md).
_LABELS = {
    "n_units": N_("units"),
    "n_coders": N_("coders"),
    "n_pairable_values": N_("pairable values"),
    "length": N_("text length (characters)"),
    "percent_agreement": N_("percent agreement"),
    "krippendorff_alpha": N_("Krippendorff's alpha"),
    "fleiss_kappa": N_("Fleiss' kappa"),
    "gwet_ac1": N_("Gwet's AC1"),
    "brennan_prediger": N_("Brennan-Prediger's kappa"),
    "scott_pi": N_("Scott's pi"),
    "cohen_kappa": N_("Cohen's kappa {pair}"),
    "cohen_kappa_linear": N_("Cohen's kappa, linear weights {pair}"),
    "cohen_kappa_quadratic": N_("Cohen's kappa, quadratic weights {pair}"),
    "u_alpha": N_("u-alpha"),
    "binary_u_alpha": N_("binary u-alpha"),
    "cu_alpha": N_("cu-alpha"),
    "category": N_("category"),
    "char_percent_agreement": N_("percent agreement (characters)"),
    "char_cohen_kappa": N_("Cohen's kappa (characters)"),
    "char_krippendorff_alpha": N_("Krippendorff's alpha (characters)"),
    "char_fleiss_kappa": N_("Fleiss' kappa (characters)"),
}


def _label(key: str, **fields: str) -> str:
    return _(_LABELS[key]).format(**fields) if key in _LABELS else key


def _fmt(v: object) -> str:
    if v is None:
        return pgettext("agreement table", "undefined")
    return f"{v:.4f}" if isinstance(v, float) else str(v)


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
        [_label(k), _fmt(result[k])]
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
        rows.append([_label("scott_pi"), _fmt(result["scott_pi"])])
    boot = result.get("krippendorff_alpha_bootstrap")
    if boot:
        rows.append(["alpha 95% CI", f"{boot['ci_low']:.4f} .. {boot['ci_high']:.4f}"])
        rows.append(
            [
                "P(alpha < .667) / P(alpha < .800)",
                f"{boot['p_below_0.667']:.3f} / {boot['p_below_0.800']:.3f}",
            ]
        )
    for key, kappas in (
        ("cohen_kappa", result.get("cohen_kappa", {})),
        ("cohen_kappa_linear", result.get("cohen_kappa_linear", {})),
        ("cohen_kappa_quadratic", result.get("cohen_kappa_quadratic", {})),
    ):
        for pair, v in kappas.items():
            rows.append([_label(key, pair=pair), _fmt(v)])
    echo_table(
        rows,
        [_("coefficient"), _("value")],
        title=_("Agreement ({level})").format(level=pgettext("level of measurement", LEVEL_NAMES[level])),
    )
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
    rows = [
        [_label(k), _fmt(result[k])] for k in ("n_coders", "length", "u_alpha", "binary_u_alpha", "cu_alpha")
    ]
    echo_table(rows, [_("coefficient"), _("value")], title=_("Unitizing agreement"))
    cols: tuple[CategoryColumn, ...] = get_args(CategoryColumn)
    echo_table(
        ([cat] + [_fmt(v[c]) for c in cols] for cat, v in result["per_category"].items()),
        [_label("category")] + [_label(c) for c in cols],
        title=_("Per category"),
    )
    for note in result["notes"]:
        click.echo(_("note: {note}").format(note=localise(note)))
