"""Present/absent agreement for many codes at once, and pooled over them.

A project report asks the same question for every code: did each coder apply it to each unit?
For two values every coefficient depends only on each unit's number of raters m_u and number
of "present" values y_u, so all codes are handled with a few K x N array operations instead of
one `unit_agreement` call per code; pooling over codes is a sum of the same statistics.
Results equal `unit_agreement` (tested).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from qualcode.core.agreement.alpha import NO_PAIRABLE, ONE_VALUE, ClusterSums
from qualcode.core.agreement.categorical import NO_PAIRS, with_gwet_se
from qualcode.core.agreement.cohen import cohen_kappa_table, pair_percent_agreement, scott_pi_table
from qualcode.core.agreement.result import Coefficient, chance_corrected, undefined
from qualcode.core.agreement.unit_report import PairResult, UnitAgreement
from qualcode.i18n.messages import Message


@dataclass
class BinaryStats:
    coders: tuple[str, ...]
    n_units: int
    pairable: np.ndarray  # N bool
    m: np.ndarray  # N raters per unit
    y: np.ndarray  # K x N "present" values per unit
    pa_sum: np.ndarray  # K: sum over pairable units of the share of agreeing pairs
    pi_sum: np.ndarray  # K: sum over rated units of y/m
    n_pairable: int
    n_rated: int
    o01: np.ndarray  # K off-diagonal coincidence
    n0: np.ndarray
    n1: np.ndarray
    tables: dict[tuple[int, int], np.ndarray]  # pair -> K x 2 x 2


def binary_stats(
    present: np.ndarray, rated: np.ndarray, coders: tuple[str, ...], block: int = 8
) -> BinaryStats:
    """`present` codes x coders x units (bool); `rated` coders x units (bool; else missing).
    Codes are summed `block` at a time, so the temporaries are block x units, not codes x units."""
    k, _coders, n = present.shape
    m = rated.sum(axis=0).astype(np.float64)
    pairable, any_rated = m >= 2, m >= 1
    mp, ma = m[pairable], m[any_rated]
    y = np.empty((k, n))
    pa_sum, pi_sum, o01, n1 = np.empty(k), np.empty(k), np.empty(k), np.empty(k)
    for lo in range(0, k, block):
        hi = min(k, lo + block)
        y[lo:hi] = (present[lo:hi] & rated[None, :, :]).sum(axis=1)
        yp = y[lo:hi, pairable]
        pa_sum[lo:hi] = ((yp * (yp - 1) + (mp - yp) * (mp - yp - 1)) / (mp * (mp - 1))).sum(axis=1)
        pi_sum[lo:hi] = (y[lo:hi, any_rated] / ma).sum(axis=1)
        o01[lo:hi] = (yp * (mp - yp) / (mp - 1)).sum(axis=1)
        n1[lo:hi] = yp.sum(axis=1)
    return BinaryStats(
        coders=coders,
        n_units=n,
        pairable=pairable,
        m=m,
        y=y,
        pa_sum=pa_sum,
        pi_sum=pi_sum,
        n_pairable=int(pairable.sum()),
        n_rated=int(any_rated.sum()),
        o01=o01,
        n0=mp.sum() - n1,
        n1=n1,
        tables=pair_tables(present, rated),
    )


def pair_tables(present: np.ndarray, rated: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    """Per pair of coders (i, j), each code's 2 x 2 table over the units both rated:
    [[absent/absent, absent/present], [present/absent, present/present]] (K x 2 x 2)."""
    tables = {}
    for i, j in combinations(range(present.shape[1]), 2):
        both = rated[i] & rated[j]
        a, b = present[:, i, :] & both, present[:, j, :] & both
        n11 = (a & b).sum(axis=1)
        n10 = a.sum(axis=1) - n11
        n01 = b.sum(axis=1) - n11
        n00 = both.sum() - n11 - n10 - n01
        tables[(i, j)] = np.stack(
            [np.stack([n00, n01], axis=1), np.stack([n10, n11], axis=1)], axis=1
        ).astype(float)
    return tables


def _result(
    s: BinaryStats,
    pa_sum: float,
    pi_sum: float,
    n_pair: int,
    n_rated: int,
    o01: float,
    n0: float,
    n1: float,
    tables: dict[tuple[int, int], np.ndarray],
    n_units: int,
    n_values: int,
) -> UnitAgreement:
    if n_pair == 0:
        pa_c = undefined("percent_agreement", NO_PAIRS)
        fleiss, ac1, bp = (
            undefined(name, NO_PAIRS) for name in ("fleiss_kappa", "gwet_ac1", "brennan_prediger")
        )
    else:
        pa, p1 = pa_sum / n_pair, pi_sum / max(n_rated, 1)
        pa_c = Coefficient("percent_agreement", pa)
        fleiss = chance_corrected(
            "fleiss_kappa", pa, p1 * p1 + (1 - p1) ** 2, "only one value occurs, so chance agreement is 1"
        )
        ac1 = chance_corrected("gwet_ac1", pa, 2 * p1 * (1 - p1), Message("chance_agreement_one"))
        bp = chance_corrected("brennan_prediger", pa, 0.5, "")
    tot = n0 + n1
    if tot <= 0:
        alpha = undefined("krippendorff_alpha_nominal", NO_PAIRABLE)
    elif n0 * n1 <= 0:
        alpha = undefined("krippendorff_alpha_nominal", ONE_VALUE)
    else:
        alpha = Coefficient(
            "krippendorff_alpha_nominal", 1 - (tot - 1) * o01 / (n0 * n1), extra={"n_pairable_values": tot}
        )
    pairs = [
        PairResult(s.coders[i], s.coders[j], int(t.sum()), pair_percent_agreement(t), cohen_kappa_table(t))
        for (i, j), t in tables.items()
    ]
    r = UnitAgreement(
        level="nominal",
        n_units=n_units,
        n_coders=len(s.coders),
        n_pairable_units=n_pair,
        n_pairable_values=n_values,
        n_categories=2,
        percent_agreement=pa_c,
        krippendorff_alpha=alpha,
        fleiss_kappa=fleiss,
        gwet_ac1=ac1,
        brennan_prediger=bp,
        pairs=pairs,
    )
    if len(s.coders) == 2:
        r.scott_pi = scott_pi_table(tables[(0, 1)])
    return r


def binary_many(present: np.ndarray, rated: np.ndarray, coders: tuple[str, ...]) -> list[UnitAgreement]:
    """One nominal UnitAgreement (q = 2) per code."""
    return per_code(binary_stats(present, rated, coders))


def per_code(s: BinaryStats) -> list[UnitAgreement]:
    """One result per code, with Gwet's standard errors as `unit_agreement` gives them."""
    n_values = int(s.m[s.pairable].sum())
    results = [
        _result(
            s,
            float(s.pa_sum[c]),
            float(s.pi_sum[c]),
            s.n_pairable,
            s.n_rated,
            float(s.o01[c]),
            float(s.n0[c]),
            float(s.n1[c]),
            {p: t[c] for p, t in s.tables.items()},
            s.n_units,
            n_values,
        )
        for c in range(len(s.pa_sum))
    ]
    if s.n_pairable == 0:
        return results
    rated = s.m >= 1
    r = s.m[rated]
    pairs_of_r = np.where(r >= 2, r * (r - 1), 1.0)
    scale = s.n_rated / s.n_pairable
    two = (r >= 2).astype(float)
    for c, res in enumerate(results):  # one code at a time: units-long temporaries only
        y = s.y[c, rated]
        pa_i = np.where(r >= 2, (y * (y - 1) + (r - y) * (r - y - 1)) / pairs_of_r, 0.0)
        p1 = s.pi_sum[c] / s.n_rated
        res.percent_agreement = with_gwet_se(res.percent_agreement, scale * pa_i)
        for attr, pe, pe_i in (
            ("fleiss_kappa", p1 * p1 + (1 - p1) ** 2, ((r - y) * (1 - p1) + y * p1) / r),
            ("gwet_ac1", 2 * p1 * (1 - p1), ((r - y) * p1 + y * (1 - p1)) / r),
            ("brennan_prediger", 0.5, None),
        ):
            coef = getattr(res, attr)
            if coef.value is None:
                continue
            terms = scale * (pa_i - pe * two) / (1 - pe)
            if pe_i is not None:
                terms = terms - 2 * (1 - coef.value) * (pe_i - pe) / (1 - pe)
            setattr(res, attr, with_gwet_se(coef, terms))
    return results


def pooled(s: BinaryStats) -> UnitAgreement:
    """Every (code, unit) pair as one unit: the sums of the per-code statistics."""
    k = len(s.pa_sum)
    return _result(
        s,
        float(s.pa_sum.sum()),
        float(s.pi_sum.sum()),
        k * s.n_pairable,
        k * s.n_rated,
        float(s.o01.sum()),
        float(s.n0.sum()),
        float(s.n1.sum()),
        {p: t.sum(axis=0) for p, t in s.tables.items()},
        k * s.n_units,
        k * int(s.m[s.pairable].sum()),
    )


def iter_cluster_sums_per_code(s: BinaryStats) -> Iterator[ClusterSums]:
    """Bootstrap sums with every pairable unit its own cluster, for each code, one code at a time,
    so that a consumer keeping only a compact form of each (`SharedResample`) never holds all
    codes' dense sums at once."""
    mp = s.m[s.pairable]
    for y in s.y:
        yp = y[s.pairable]
        yield ClusterSums(np.stack([mp - yp, yp], axis=1), 2 * yp * (mp - yp) / (mp - 1))


def cluster_sums_pooled(s: BinaryStats) -> ClusterSums:
    """Bootstrap sums for the pooled variable: all codes of one unit resampled together."""
    mp = s.m[s.pairable]
    k = len(s.y)
    present, observed = np.zeros(len(mp)), np.zeros(len(mp))
    for y in s.y:  # code by code: units-long temporaries only
        yp = y[s.pairable]
        present += yp
        observed += 2 * yp * (mp - yp) / (mp - 1)
    return ClusterSums(np.stack([k * mp - present, present], axis=1), observed)


def pooled_by_group(
    present: np.ndarray, rated: np.ndarray, coders: tuple[str, ...], groups: np.ndarray, n_groups: int
) -> list[UnitAgreement]:
    """The pooled (code, unit) result separately for each group of units (e.g. each document):
    per-unit sums over the codes, then one bincount per statistic over the groups."""
    k, m_coders, n = present.shape
    m = rated.sum(axis=0).astype(np.float64)
    pairable, any_rated = m >= 2, m >= 1
    safe = np.where(pairable, m * (m - 1), 1.0)
    agree, share, o01, n1 = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    for c in range(k):  # summed code by code into units-long vectors, never codes x units
        y = (present[c] & rated).sum(axis=0).astype(np.float64)
        agree += np.where(pairable, (y * (y - 1) + (m - y) * (m - y - 1)) / safe, 0.0)
        share += np.where(any_rated, y / np.maximum(m, 1), 0.0)
        o01 += np.where(pairable, y * (m - y) / np.maximum(m - 1, 1), 0.0)
        n1 += np.where(pairable, y, 0.0)
    n0 = np.where(pairable, k * m, 0.0) - n1

    def by_group(x: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=x, minlength=n_groups)

    g_agree, g_share, g_o01, g_n0, g_n1 = (by_group(x) for x in (agree, share, o01, n0, n1))
    g_pair, g_rated, g_units = (
        by_group(pairable.astype(float)),
        by_group(any_rated.astype(float)),
        by_group(np.ones(n)),
    )
    g_values = by_group(np.where(pairable, m, 0.0))
    pair_tables = {}
    for i, j in combinations(range(m_coders), 2):
        both = rated[i] & rated[j]
        a, b = present[:, i, :] & both, present[:, j, :] & both
        n11 = (a & b).sum(axis=0).astype(float)
        n10 = a.sum(axis=0) - n11
        n01 = b.sum(axis=0) - n11
        n00 = k * both - n11 - n10 - n01
        pair_tables[(i, j)] = np.stack([by_group(x) for x in (n00, n01, n10, n11)], axis=1).reshape(
            n_groups, 2, 2
        )
    stats = BinaryStats(
        coders=coders,
        n_units=n,
        pairable=pairable,
        m=m,
        y=np.zeros((0, n)),  # not needed per group: the sums above stand for it
        pa_sum=g_agree,
        pi_sum=g_share,
        n_pairable=0,
        n_rated=0,
        o01=g_o01,
        n0=g_n0,
        n1=g_n1,
        tables=pair_tables,
    )
    return [
        _result(
            stats,
            float(g_agree[g]),
            float(g_share[g]),
            k * int(g_pair[g]),
            k * int(g_rated[g]),
            float(g_o01[g]),
            float(g_n0[g]),
            float(g_n1[g]),
            {p: t[g] for p, t in pair_tables.items()},
            k * int(g_units[g]),
            k * int(g_values[g]),
        )
        for g in range(n_groups)
    ]
