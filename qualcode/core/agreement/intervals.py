"""How bootstrap intervals for alpha are made, and when one is withheld: one home for the rules
and defaults that the CLI, the TUI and the workbook all use.

Method: the percentile bootstrap over units (Efron's percentile interval; Hayes & Krippendorff
2007 read their interval the same way from the bootstrap distribution). Whole units are
resampled with replacement, each keeping every coder's value in it.

Honesty rules:
- A code or dimension that fewer than `min_units` pairable units carry (units in which any coder
  used it) gets no interval: resampling a handful of units gives an interval that looks narrow but
  says nothing. The point estimate is still reported, with the reason the interval is withheld.
- Resamples in which alpha is undefined (only one value occurs) are counted and reported, never
  dropped silently; the interval and P(alpha < t) are over the defined resamples.
- The percentile interval need not contain the estimate when the resampled alphas are skewed;
  that case is flagged with an explanation instead of moving the interval.
"""

from dataclasses import replace

import numpy as np

from qualcode.core.agreement.result import Coefficient
from qualcode.i18n.messages import Message, joined

# Krippendorff's conventional cut-offs: P(alpha < t) is reported for each.
THRESHOLDS = (0.667, 0.800)

DEFAULT_BOOTSTRAP = 1000  # resamples, on every surface unless the person asks for another number
DEFAULT_SEED = 1  # the same seed everywhere, so the same data give the same interval
DEFAULT_MIN_UNITS = 10  # pairable units carrying a code or dimension below which no interval is given
LEVEL = 0.95
METHOD = Message("ci_method", level=LEVEL)


def percentile_interval(
    point: Coefficient, alphas: np.ndarray, n_boot: int, seed: int | None, level: float = LEVEL
) -> Coefficient:
    """The point estimate with a percentile interval and P(alpha < threshold) from resampled
    alphas (NaN where a resample left alpha undefined: counted in `n_boot_undefined`)."""
    ok = alphas[np.isfinite(alphas)]
    undefined = int(len(alphas) - len(ok))
    extra = dict(point.extra, n_boot=n_boot, n_boot_undefined=undefined, seed=seed)
    if len(ok) == 0:
        extra["ci_withheld"] = Message("ci_all_resamples_undefined")
        return replace(point, extra=extra)
    tail = (1 - level) / 2 * 100
    lo, hi = (float(v) for v in np.percentile(ok, [tail, 100 - tail]))
    notes: list[str] = []
    if undefined:
        notes.append(Message("ci_resamples_undefined", undefined=undefined, n_boot=n_boot))
    if point.value is not None and not lo - 1e-12 <= point.value <= hi + 1e-12:
        notes.append(Message("ci_excludes_estimate", estimate=point.value))
    if notes:
        extra["ci_note"] = joined(notes)
    return replace(
        point,
        ci_low=lo,
        ci_high=hi,
        ci_method=f"{METHOD.removesuffix(', 95%')}, {n_boot} resamples, seed {seed}, {level:.0%}",
        p_below={f"{t:.3f}": float((ok < t).mean()) for t in THRESHOLDS},
        extra=extra,
    )


def withheld(point: Coefficient, n_units_coded: int, min_units: int) -> Coefficient:
    """The point estimate without an interval, saying why."""
    extra = dict(
        point.extra,
        ci_withheld=Message("ci_too_few_units", n=n_units_coded, minimum=min_units),
    )
    return replace(point, ci_low=None, ci_high=None, ci_method=None, p_below={}, extra=extra)


def interval(
    point: Coefficient,
    alphas: np.ndarray,
    *,
    n_boot: int,
    seed: int | None,
    n_units_coded: int,
    min_units: int = DEFAULT_MIN_UNITS,
) -> Coefficient:
    """The interval rule: withheld below `min_units` coded units, else the percentile interval."""
    if not point.defined:
        return point
    if n_units_coded < min_units:
        return withheld(point, n_units_coded, min_units)
    return percentile_interval(point, alphas, n_boot, seed)
