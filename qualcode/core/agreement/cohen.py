"""Two-coder coefficients from a contingency table: Cohen's kappa (with weights and ASE) and Scott's pi.

Only units coded by both coders count (listwise). Weighted kappa uses agreement weights on
the ordered categories either coder used (linear 1 - |i-j|/(q-1), quadratic 1 - (i-j)^2/(q-1)^2),
the convention of SAS PROC FREQ, R irr::kappa2 and scikit-learn.
"""

import math

import numpy as np

from qualcode.core.agreement.result import Coefficient, undefined
from qualcode.i18n import _
from qualcode.i18n.messages import Message

Z95 = 1.959963984540054
NO_JOINT = Message("no_joint_units")
ONE_VALUE = Message("both_one_value")


def contingency(
    a: np.ndarray, b: np.ndarray, n_values: int, unit_weights: np.ndarray | None = None
) -> np.ndarray:
    """V x V table of (coder a value, coder b value) over units where both have a value."""
    both = (a >= 0) & (b >= 0)
    w = None if unit_weights is None else np.asarray(unit_weights, dtype=float)[both]
    flat = a[both] * n_values + b[both]
    return (
        np.bincount(flat, weights=w, minlength=n_values * n_values).reshape(n_values, n_values).astype(float)
    )


def _used(table: np.ndarray) -> np.ndarray:
    used = (table.sum(axis=0) + table.sum(axis=1)) > 0
    return table[np.ix_(used, used)]


def agreement_weights(q: int, kind: str | None) -> np.ndarray:
    if kind is None:
        return np.eye(q)
    i = np.arange(q)
    diff = np.abs(i[:, None] - i[None, :]) / max(q - 1, 1)
    if kind == "linear":
        return 1.0 - diff
    if kind == "quadratic":
        return 1.0 - diff**2
    raise ValueError(_("unknown weights {kind!r}").format(kind=kind))


def cohen_kappa_table(
    table: np.ndarray, weights: str | None = None, *, name: str | None = None
) -> Coefficient:
    """Cohen's kappa with the Fleiss-Cohen-Everitt (1969) large-sample SE and a 95% Wald CI."""
    label = name or ("cohen_kappa" if weights is None else f"cohen_kappa_{weights}")
    table = _used(np.asarray(table, dtype=float))
    n = table.sum()
    if n <= 0:
        return undefined(label, NO_JOINT)
    p = table / n
    q = p.shape[0]
    w = agreement_weights(q, weights)
    row, col = p.sum(axis=1), p.sum(axis=0)
    po = float((w * p).sum())
    pe = float((w * np.outer(row, col)).sum())
    if abs(1 - pe) <= 1e-12:
        return undefined(label, ONE_VALUE)
    kappa = (po - pe) / (1 - pe)
    w_row = w @ col  # mean weight of row category i against coder b's marginals
    w_col = row @ w
    dev = w - (w_row[:, None] + w_col[None, :]) * (1 - kappa)
    var = ((p * dev**2).sum() - (kappa - pe * (1 - kappa)) ** 2) / ((1 - pe) ** 2 * n)
    se = math.sqrt(max(var, 0.0))
    # Wald interval, truncated to kappa's range [-1, 1] (as irrCAC does).
    return Coefficient(
        label,
        float(kappa),
        se=se,
        ci_low=max(-1.0, kappa - Z95 * se),
        ci_high=min(1.0, kappa + Z95 * se),
        ci_method="asymptotic (Fleiss, Cohen & Everitt 1969), Wald 95%",
        extra={"n_units": float(n)},
    )


def scott_pi_table(table: np.ndarray) -> Coefficient:
    table = np.asarray(table, dtype=float)
    n = table.sum()
    if n <= 0:
        return undefined("scott_pi", NO_JOINT)
    p = table / n
    pooled = (p.sum(axis=0) + p.sum(axis=1)) / 2
    pe = float(pooled @ pooled)
    if abs(1 - pe) <= 1e-12:
        return undefined("scott_pi", ONE_VALUE)
    return Coefficient("scott_pi", float((np.trace(p) - pe) / (1 - pe)), extra={"n_units": float(n)})


def pair_percent_agreement(table: np.ndarray) -> Coefficient:
    n = table.sum()
    if n <= 0:
        return undefined("percent_agreement", NO_JOINT)
    return Coefficient("percent_agreement", float(np.trace(table) / n), extra={"n_units": float(n)})
