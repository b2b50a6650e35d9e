"""Chance-corrected agreement from value counts: percent agreement, Fleiss, Brennan-Prediger, AC1.

All take `vc`, the units x values count matrix (row u: how many coders gave each value to
unit u), and optional unit weights (multiplicities), and follow Gwet (2014) for unequal
numbers of ratings per unit: observed agreement over units with two or more ratings,
category prevalence over every rated unit. With a constant number of ratings this is
Fleiss (1971).
"""

import numpy as np

from qualcode.core.agreement.result import Coefficient, chance_corrected, undefined

NO_PAIRS = "no unit was rated by two or more coders"


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


def percent_agreement(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> Coefficient:
    pa = observed_agreement(vc, unit_weights)
    if pa is None:
        return undefined("percent_agreement", NO_PAIRS)
    return Coefficient("percent_agreement", pa)


def fleiss_kappa(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> Coefficient:
    pa, pi = observed_agreement(vc, unit_weights), prevalence(vc, unit_weights)
    if pa is None or pi is None:
        return undefined("fleiss_kappa", NO_PAIRS)
    return chance_corrected("fleiss_kappa", pa, float(pi @ pi), "only one value occurs, so chance agreement is 1")


def brennan_prediger(vc: np.ndarray, q: int, unit_weights: np.ndarray | None = None) -> Coefficient:
    """Free-marginal kappa: chance agreement 1/q for q categories of the codebook (not only those used)."""
    pa = observed_agreement(vc, unit_weights)
    if pa is None:
        return undefined("brennan_prediger", NO_PAIRS)
    if q < 2:
        return undefined("brennan_prediger", "needs at least two possible categories")
    return chance_corrected("brennan_prediger", pa, 1.0 / q, "")


def gwet_ac1(vc: np.ndarray, q: int, unit_weights: np.ndarray | None = None) -> Coefficient:
    pa, pi = observed_agreement(vc, unit_weights), prevalence(vc, unit_weights)
    if pa is None or pi is None:
        return undefined("gwet_ac1", NO_PAIRS)
    if q < 2:
        return undefined("gwet_ac1", "needs at least two possible categories")
    pe = float((pi * (1 - pi)).sum() / (q - 1))
    return chance_corrected("gwet_ac1", pa, pe, "chance agreement is 1")
