"""Chance-corrected agreement from value counts: percent agreement, Fleiss, Brennan-Prediger, AC1.

All take `vc`, the units x values count matrix (row u: how many coders gave each value to
unit u), and optional unit weights (multiplicities), and follow Gwet (2014) for unequal
numbers of ratings per unit: observed agreement over units with two or more ratings,
category prevalence over every rated unit. With a constant number of ratings this is
Fleiss (1971).

Standard errors (unweighted units only) are Gwet's (2014) linearised variances as in irrCAC,
sum over rated units of (c_i - c)^2 / (n (n - 1)), with a t interval on n - 1 degrees of
freedom truncated to [-1, 1].
"""

import math

import numpy as np

from qualcode.core.agreement.result import Coefficient, chance_corrected, undefined
from qualcode.i18n.messages import Message

NO_PAIRS = Message("no_rated_pairs")


def _weights(vc: np.ndarray, unit_weights: np.ndarray | None) -> np.ndarray:
    return np.ones(vc.shape[0]) if unit_weights is None else np.asarray(unit_weights, dtype=float)


def observed_agreement(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> float | None:
    """Mean over units with >= 2 ratings of the share of agreeing rater pairs (None if none)."""
    w = _weights(vc, unit_weights)
    r = vc.sum(axis=1)
    multi = (r >= 2) & (w > 0)
    if not multi.any():
        return None
    rm = r[multi]
    per_unit = (vc[multi] * (vc[multi] - 1)).sum(axis=1) / (rm * (rm - 1))
    return float(np.dot(w[multi], per_unit) / w[multi].sum())


def prevalence(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> np.ndarray | None:
    """pi_k: mean over rated units of the share of the unit's ratings in category k."""
    w = _weights(vc, unit_weights)
    r = vc.sum(axis=1)
    rated = (r >= 1) & (w > 0)
    if not rated.any():
        return None
    shares = vc[rated] / r[rated, None]
    return (w[rated] @ shares) / w[rated].sum()


def with_gwet_se(c: Coefficient, terms: np.ndarray | None) -> Coefficient:
    """Attach SE and t interval from per-unit linearised terms c_i (one per rated unit)."""
    if c.value is None or terms is None or len(terms) < 2:
        return c
    # The t quantile scipy.stats.t.ppf computes, without importing scipy.stats (~1.5 s, ~40 MB).
    from scipy.special import stdtrit

    n = len(terms)
    se = math.sqrt(float(((terms - c.value) ** 2).sum()) / (n * (n - 1)))
    half = float(stdtrit(n - 1, 0.975)) * se
    return Coefficient(
        c.name,
        c.value,
        c.reason,
        se=se,
        ci_low=max(-1.0, c.value - half),
        ci_high=min(1.0, c.value + half),
        ci_method="Gwet (2014) linearised variance, t interval 95%",
        extra=c.extra,
    )


def _unit_terms(vc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Per rated unit: counts, raters, p_a,i (0 for single ratings), and n/n2 (Gwet's scaling)."""
    r_all = vc.sum(axis=1)
    rated = vc[r_all >= 1]
    r = rated.sum(axis=1)
    den = np.where(r >= 2, r * (r - 1), 1.0)
    pa_i = np.where(r >= 2, (rated * (rated - 1)).sum(axis=1) / den, 0.0)
    n2 = int((r >= 2).sum())
    return rated, r, pa_i, len(r) / max(n2, 1)


def _kappa_terms(vc: np.ndarray, coeff: float, pe: float, pe_i: np.ndarray | None) -> np.ndarray:
    rated, r, pa_i, scale = _unit_terms(vc)
    terms = scale * (pa_i - pe * (r >= 2)) / (1 - pe)
    if pe_i is not None:
        terms = terms - 2 * (1 - coeff) * (pe_i - pe) / (1 - pe)
    return terms


def percent_agreement(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> Coefficient:
    pa = observed_agreement(vc, unit_weights)
    if pa is None:
        return undefined("percent_agreement", NO_PAIRS)
    c = Coefficient("percent_agreement", pa)
    if unit_weights is not None:
        return c
    _, _, pa_i, scale = _unit_terms(vc)
    return with_gwet_se(c, scale * pa_i)


def fleiss_kappa(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> Coefficient:
    pa, pi = observed_agreement(vc, unit_weights), prevalence(vc, unit_weights)
    if pa is None or pi is None:
        return undefined("fleiss_kappa", NO_PAIRS)
    pe = float(pi @ pi)
    c = chance_corrected("fleiss_kappa", pa, pe, Message("one_value_chance"))
    if c.value is None or unit_weights is not None:
        return c
    rated, r, _, _ = _unit_terms(vc)
    return with_gwet_se(c, _kappa_terms(vc, c.value, pe, (rated @ pi) / r))


def brennan_prediger(vc: np.ndarray, q: int, unit_weights: np.ndarray | None = None) -> Coefficient:
    """Free-marginal kappa: chance agreement 1/q for q categories of the codebook (not only those used)."""
    pa = observed_agreement(vc, unit_weights)
    if pa is None:
        return undefined("brennan_prediger", NO_PAIRS)
    if q < 2:
        return undefined("brennan_prediger", Message("too_few_categories"))
    c = chance_corrected("brennan_prediger", pa, 1.0 / q, "")
    if c.value is None or unit_weights is not None:
        return c
    return with_gwet_se(c, _kappa_terms(vc, c.value, 1.0 / q, None))


def gwet_ac1(vc: np.ndarray, q: int, unit_weights: np.ndarray | None = None) -> Coefficient:
    pa, pi = observed_agreement(vc, unit_weights), prevalence(vc, unit_weights)
    if pa is None or pi is None:
        return undefined("gwet_ac1", NO_PAIRS)
    if q < 2:
        return undefined("gwet_ac1", Message("too_few_categories"))
    pe = float((pi * (1 - pi)).sum() / (q - 1))
    c = chance_corrected("gwet_ac1", pa, pe, Message("chance_agreement_one"))
    if c.value is None or unit_weights is not None:
        return c
    rated, r, _, _ = _unit_terms(vc)
    return with_gwet_se(c, _kappa_terms(vc, c.value, pe, (rated @ (1 - pi)) / (r * (q - 1))))


def _inputs_from_counts(vc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r_all = vc.sum(axis=1)
    rated, r = vc[r_all >= 1], r_all[r_all >= 1]
    pi = (rated / r[:, None]).mean(axis=0) if len(r) else np.zeros(vc.shape[1])
    return r, (rated * (rated - 1)).sum(axis=1), pi, rated @ pi


def _inputs_from_codes(
    codes: np.ndarray, n_values: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The same per-unit inputs from a coders x units code matrix, in O(M^2 N) (few coders, many values)."""
    present = codes >= 0
    r_all = present.sum(axis=0)
    keep = r_all >= 1
    c, p = codes[:, keep], present[:, keep]
    r = r_all[keep].astype(float)
    agree = np.zeros(len(r))
    for i in range(len(c)):
        for j in range(len(c)):
            if i != j:
                agree += p[i] & p[j] & (c[i] == c[j])
    unit = np.broadcast_to(np.arange(len(r)), c.shape)
    pi = np.bincount(c[p], weights=(1.0 / r)[unit[p]], minlength=n_values) / max(len(r), 1)
    rated_pi = np.where(p, pi[np.where(p, c, 0)], 0.0).sum(axis=0)
    return r, agree, pi, rated_pi


def gwet_family(
    vc: np.ndarray | None, q: int, *, codes: np.ndarray | None = None, n_values: int | None = None
) -> tuple[Coefficient, Coefficient, Coefficient, Coefficient]:
    """Percent agreement, Fleiss, AC1 and Brennan-Prediger (with SEs) from one pass over the units;
    equal to calling the four functions above on unweighted units. Give `vc`, or `codes` and
    `n_values` (cheaper when values outnumber coder pairs)."""
    if codes is not None:
        r, agree, pi, rated_pi = _inputs_from_codes(codes, int(n_values or 0))
    else:
        assert vc is not None
        r, agree, pi, rated_pi = _inputs_from_counts(vc)
    two = r >= 2
    if not two.any():
        return tuple(
            undefined(n, NO_PAIRS)
            for n in ("percent_agreement", "fleiss_kappa", "gwet_ac1", "brennan_prediger")
        )  # type: ignore[return-value]
    pa_i = np.where(two, agree / np.where(two, r * (r - 1), 1.0), 0.0)
    scale = len(r) / int(two.sum())
    pa = float(pa_i[two].mean())
    pct = with_gwet_se(Coefficient("percent_agreement", pa), scale * pa_i)

    def kappa(name: str, pe: float, pe_i: np.ndarray | None, reason: str) -> Coefficient:
        c = chance_corrected(name, pa, pe, reason)
        if c.value is None:
            return c
        terms = scale * (pa_i - pe * two) / (1 - pe)
        if pe_i is not None:
            terms = terms - 2 * (1 - c.value) * (pe_i - pe) / (1 - pe)
        return with_gwet_se(c, terms)

    fleiss = kappa("fleiss_kappa", float(pi @ pi), rated_pi / r, Message("one_value_chance"))
    if q < 2:
        few = Message("too_few_categories")
        return pct, fleiss, undefined("gwet_ac1", few), undefined("brennan_prediger", few)
    ac1 = kappa(
        "gwet_ac1",
        float((pi * (1 - pi)).sum() / (q - 1)),
        (r - rated_pi) / (r * (q - 1)),
        Message("chance_agreement_one"),
    )
    bp = kappa("brennan_prediger", 1.0 / q, None, "")
    return pct, fleiss, ac1, bp
