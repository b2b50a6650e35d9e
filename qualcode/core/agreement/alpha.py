"""Krippendorff's alpha from value counts, at nominal, ordinal, interval and ratio level.

The coincidence matrix is one matrix product over pairable units,
o = (vc / (m_u - 1))^T vc - diag(sum_u vc_u / (m_u - 1)), so time and memory are N x V,
never N x V x V. alpha = 1 - (n - 1) * sum(o * d) / sum(n_c n_k d).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qualcode.core.agreement.intervals import percentile_interval
from qualcode.core.agreement.result import Coefficient, undefined
from qualcode.i18n import _
from qualcode.i18n.messages import Message

NO_PAIRABLE = Message("no_pairable_values")
ONE_VALUE = Message("one_value")


def _pairable(vc: np.ndarray, unit_weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = vc.sum(axis=1)
    keep = m >= 2
    if unit_weights is not None:
        keep &= np.asarray(unit_weights) > 0
    w = np.ones(int(keep.sum())) if unit_weights is None else np.asarray(unit_weights, dtype=float)[keep]
    return vc[keep], m[keep], w


def coincidences(vc: np.ndarray, unit_weights: np.ndarray | None = None) -> np.ndarray:
    """The V x V coincidence matrix o_ck (units with fewer than two values contribute nothing)."""
    pv, m, w = _pairable(vc, unit_weights)
    scaled = pv * (w / (m - 1))[:, None]
    return scaled.T @ pv - np.diag(scaled.sum(axis=0))


def coincidences_from_codes(
    codes: np.ndarray, n_values: int, unit_weights: np.ndarray | None = None
) -> np.ndarray:
    """The same coincidence matrix from a coders x units code matrix, one bincount per ordered
    coder pair: O(M^2 N) instead of O(N V^2), for few coders and many values."""
    m_coders, n = codes.shape
    present = codes >= 0
    m_u = present.sum(axis=0)
    scale = np.where(m_u >= 2, 1.0 / np.maximum(m_u - 1, 1), 0.0)
    if unit_weights is not None:
        scale = scale * np.asarray(unit_weights, dtype=float)
    o = np.zeros(n_values * n_values)
    for i in range(m_coders):
        for j in range(m_coders):
            if i != j:
                both = present[i] & present[j]
                o += np.bincount(
                    codes[i, both] * n_values + codes[j, both],
                    weights=scale[both],
                    minlength=n_values * n_values,
                )
    return o.reshape(n_values, n_values)


def distance_matrix(level: str, values: np.ndarray | None, n_c: np.ndarray) -> np.ndarray:
    """Squared metric differences delta^2_ck for the level; ordinal uses the marginals n_c."""
    v = len(n_c)
    if level == "nominal":
        return 1.0 - np.eye(v)
    if level == "ordinal":
        cum = np.concatenate([[0.0], np.cumsum(n_c)])
        lo = np.minimum.outer(np.arange(v), np.arange(v))
        hi = np.maximum.outer(np.arange(v), np.arange(v))
        between = cum[hi + 1] - cum[lo]
        return (between - (n_c[:, None] + n_c[None, :]) / 2) ** 2
    if values is None:
        raise ValueError(_("{level} level needs numeric values").format(level=level))
    x = np.asarray(values, dtype=float)
    if level == "interval":
        return (x[:, None] - x[None, :]) ** 2
    if level == "ratio":
        total = x[:, None] + x[None, :]
        diff = x[:, None] - x[None, :]
        return np.divide(diff, total, out=np.zeros_like(diff), where=total != 0) ** 2
    raise ValueError(_("unknown level {level!r}").format(level=level))


def alpha_from_coincidences(o: np.ndarray, level: str, values: np.ndarray | None = None) -> Coefficient:
    name = f"krippendorff_alpha_{level}"
    n_c = o.sum(axis=0)
    n = float(n_c.sum())
    if n <= 0:
        return undefined(name, NO_PAIRABLE)
    d = distance_matrix(level, values, n_c)
    expected = float(n_c @ d @ n_c)
    observed = float((o * d).sum())
    if expected <= 1e-12 * max(1.0, n * n):
        return undefined(name, ONE_VALUE)
    return Coefficient(name, 1.0 - (n - 1.0) * observed / expected, extra={"n_pairable_values": n})


def krippendorff_alpha(
    vc: np.ndarray,
    level: str = "nominal",
    values: Sequence[float] | np.ndarray | None = None,
    unit_weights: np.ndarray | None = None,
) -> Coefficient:
    """Alpha from a units x values count matrix; `values` are the numeric values of the columns."""
    vals = None if values is None else np.asarray(values, dtype=float)
    return alpha_from_coincidences(coincidences(vc, unit_weights), level, vals)


def resample_weights(n_units: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """n_boot x n_units multiplicities of a with-replacement resample of the units."""
    return resample_weights_by_unit(n_units, n_boot, rng).T


def resample_weights_by_unit(n_units: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """The same multiplicities laid out units x n_boot (what `SharedResample.by_unit` multiplies
    without a transposed copy), counted resample by resample: no n_boot x n_units temporary
    besides the draws."""
    draws = rng.integers(0, n_units, size=(n_boot, n_units), dtype=np.int32 if n_units < 2**31 else np.int64)
    weights = np.empty((n_units, n_boot))
    for column, drawn in enumerate(draws):
        weights[:, column] = np.bincount(drawn, minlength=n_units)
    return weights


def _cluster_sums(
    pv: np.ndarray,
    m: np.ndarray,
    clusters: np.ndarray,
    n_clusters: int,
    level: str,
    values: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Per-cluster marginals, and either per-cluster observed disagreement (fixed metric) or
    per-cluster coincidence matrices (ordinal, whose metric depends on each sample's marginals).
    Built with one bincount per value (pair), never an N x V x V temporary."""
    v = pv.shape[1]
    scale = 1.0 / (m - 1)
    marg = np.stack([np.bincount(clusters, weights=pv[:, c], minlength=n_clusters) for c in range(v)], axis=1)
    if level == "ordinal":
        o = np.zeros((n_clusters, v, v))
        for c in range(v):
            for k in range(c, v):
                prod = pv[:, c] * pv[:, k] - (pv[:, c] if c == k else 0.0)
                o[:, c, k] = o[:, k, c] = np.bincount(clusters, weights=prod * scale, minlength=n_clusters)
        return marg, None, o
    d = distance_matrix(level, values, pv.sum(axis=0))
    per_unit = ((pv @ d) * pv).sum(axis=1) * scale  # d has a zero diagonal, so no self-pair term
    return marg, np.bincount(clusters, weights=per_unit, minlength=n_clusters), None


def _alpha_per_sample(
    marg: np.ndarray,
    observed_c: np.ndarray | None,
    o_c: np.ndarray | None,
    weights: np.ndarray,
    level: str,
    values: np.ndarray | None,
) -> np.ndarray:
    n_b = weights @ marg  # B x V pairable marginals per resample
    if o_c is not None:
        o_b = np.einsum("bc,cvk->bvk", weights, o_c, optimize=True)
        return np.array([_alpha_value(o, level, values) for o in o_b])
    assert observed_c is not None
    d = distance_matrix(level, values, marg.sum(axis=0))
    observed = weights @ observed_c
    expected = ((n_b @ d) * n_b).sum(axis=1)
    n = n_b.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alphas = 1.0 - (n - 1.0) * observed / expected
    alphas[expected <= 1e-12 * np.maximum(1.0, n * n)] = np.nan
    return alphas


def _alpha_value(o: np.ndarray, level: str, values: np.ndarray | None) -> float:
    c = alpha_from_coincidences(o, level, values)
    return np.nan if c.value is None else c.value


def bootstrap_alpha(
    vc: np.ndarray,
    level: str = "nominal",
    values: Sequence[float] | np.ndarray | None = None,
    n_boot: int = 1000,
    seed: int | None = None,
    *,
    level_ci: float = 0.95,
    weights: np.ndarray | None = None,
    clusters: np.ndarray | None = None,
    max_cells: int = 5_000_000,
) -> Coefficient:
    """Alpha with a percentile bootstrap CI over units and P(alpha < .667), P(alpha < .800).

    Whole units are resampled (each keeps all its coders' values), so the dependence of values
    within a unit is kept; this is a unit (cluster) bootstrap, not Krippendorff's resampling of
    single pairs of values. The same `seed` gives the same interval. Resamples in which only
    one value occurs leave alpha undefined; they are left out of the interval and counted in
    `extra['n_boot_undefined']`.
    `clusters` (one id per unit) resamples groups of units instead, e.g. every code's presence in
    one interview answer together. `weights` (n_boot x clusters, or x pairable units) may be
    passed to share one resample across variables.
    """
    point = krippendorff_alpha(vc, level, values)
    if not point.defined or n_boot <= 0:
        return point
    vals = None if values is None else np.asarray(values, dtype=float)
    keep = vc.sum(axis=1) >= 2
    pv, m = vc[keep], vc[keep].sum(axis=1)
    if clusters is None:
        cl, n_clusters = np.arange(len(m)), len(m)
    else:
        cl = np.asarray(clusters)[keep]
        n_clusters = int(cl.max()) + 1 if len(cl) else 0
    if weights is not None and weights.shape[1] != n_clusters:
        raise ValueError(
            _("bootstrap weights cover {shape} units, the data {n_clusters}").format(
                shape=weights.shape[1], n_clusters=n_clusters
            )
        )
    marg, observed_c, o_c = _cluster_sums(pv, m, cl, n_clusters, level, vals)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, max_cells // max(1, n_clusters)))
    samples: list[np.ndarray] = []
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        w = weights[start : start + size] if weights is not None else resample_weights(n_clusters, size, rng)
        samples.append(_alpha_per_sample(marg, observed_c, o_c, w, level, vals))
    return with_bootstrap(point, np.concatenate(samples), n_boot, seed, level_ci)


def with_bootstrap(
    point: Coefficient, alphas: np.ndarray, n_boot: int, seed: int | None, level_ci: float = 0.95
) -> Coefficient:
    """The point estimate with a percentile interval and P(alpha < threshold) from resampled alphas
    (the rules live in core/agreement/intervals.py)."""
    return percentile_interval(point, alphas, n_boot, seed, level_ci)


@dataclass(frozen=True)
class ClusterSums:
    """What a nominal bootstrap needs per cluster of pairable units: value marginals (C x V,
    dense or a scipy sparse matrix) and observed disagreement sum(o_ck * d_ck) (C)."""

    marginals: Any
    observed: np.ndarray


def nominal_sums(codes: np.ndarray, n_values: int) -> ClusterSums:
    """Nominal sums with every pairable unit its own cluster, from a coders x units matrix of
    value indices (-1: missing). A unit holds at most one value per coder, so its marginals are
    kept sparse whatever the number of values (a dimension's code combinations can be many):
    the same numbers as `cluster_sums(value_counts(codes, n_values))` without a units x values
    array."""
    from scipy import sparse

    rated = codes >= 0
    m = rated.sum(axis=0)
    keep = m >= 2
    kept, kept_rated = codes[:, keep], rated[:, keep]
    units = np.broadcast_to(np.arange(kept.shape[1]), kept.shape)[kept_rated]
    marginals = sparse.csr_matrix(
        (np.ones(len(units)), (units, kept[kept_rated])), shape=(kept.shape[1], n_values)
    )
    marginals.sum_duplicates()
    mk = m[keep].astype(float)
    squares = np.asarray(marginals.multiply(marginals).sum(axis=1)).ravel()
    return ClusterSums(marginals, (mk * mk - squares) / (mk - 1))  # nominal: sum over c != k of n_c n_k


def cluster_sums(
    vc: np.ndarray, clusters: np.ndarray | None = None, n_clusters: int | None = None
) -> ClusterSums:
    """Nominal per-cluster sums of a units x values count matrix (each unit its own cluster by default)."""
    keep = vc.sum(axis=1) >= 2
    pv, m = vc[keep], vc[keep].sum(axis=1)
    cl = np.arange(len(m)) if clusters is None else np.asarray(clusters)[keep]
    count = n_clusters if n_clusters is not None else (int(cl.max()) + 1 if len(cl) else 0)
    marg, observed, _unused = _cluster_sums(pv, m, cl, count, "nominal", None)
    return ClusterSums(marg, observed)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Compact:
    """One variable's sums as `SharedResample` keeps them: the marginal column that most clusters
    fill is left out (it is the cluster totals minus the other columns), so what remains is sparse."""

    total: int  # index of this variable's totals among the shared distinct totals
    start: int  # its first column in the sparse block: the kept marginals, then observed
    n_kept: int  # marginal columns kept (all but the densest)


class SharedResample:
    """Resampled nominal alphas of several variables from the same resample weights.

    A resample's marginals are weights @ marginals. Done densely that is n_boot x clusters x (all
    values of all variables) multiply-adds, and most of those are zeros: a code is absent from most
    units. The densest column of each variable is recovered from its cluster totals (shared by the
    variables with the same pairable values, e.g. every code of an answer), the others go into one
    sparse matrix, so the cost follows the number of non-zero sums. Marginals are counts, so the
    recovered column equals the directly summed one exactly.
    """

    def __init__(self, variables: Iterable[ClusterSums]) -> None:
        """`variables` may be a generator: each one's dense sums are dropped once it is added."""
        from scipy import sparse

        self.n_clusters: int | None = None
        totals: dict[bytes, int] = {}
        columns: list[np.ndarray] = []
        blocks = []
        self._variables: list[_Compact] = []
        start = 0
        for v in variables:
            if self.n_clusters is None:
                self.n_clusters = v.marginals.shape[0]
            if v.marginals.shape[0] != self.n_clusters:
                raise ValueError(
                    _("a variable has {shape} clusters, the weights {n_clusters}").format(
                        shape=v.marginals.shape[0], n_clusters=self.n_clusters
                    )
                )
            marginals = sparse.csc_matrix(v.marginals, dtype=float)
            total = np.asarray(marginals.sum(axis=1), dtype=float).ravel()
            key = total.tobytes()
            if key not in totals:
                totals[key] = len(columns)
                columns.append(total)
            width = marginals.shape[1]
            derived = int(np.argmax(marginals.getnnz(axis=0))) if width else 0
            others = [c for c in range(width) if c != derived]
            observed = sparse.csc_matrix(np.asarray(v.observed, dtype=float)[:, None])
            blocks.append(sparse.hstack([marginals[:, others], observed], format="csc"))
            self._variables.append(_Compact(totals[key], start, len(others)))
            start += len(others) + 1
        self._totals = np.stack(columns, axis=1) if columns else None
        # Columns x clusters stored by cluster (CSC): the product walks the resample weights once,
        # cluster by cluster, adding into a small columns x resamples result that stays in cache.
        self._sums_t = sparse.hstack(blocks, format="csc").tocsr().T if blocks else None

    def __len__(self) -> int:
        return len(self._variables)

    def __call__(self, weights: np.ndarray) -> list[np.ndarray]:
        """Each variable's resampled alphas for `weights` (n_boot x clusters)."""
        return self.by_unit(np.ascontiguousarray(weights.T))

    def by_unit(self, weights: np.ndarray) -> list[np.ndarray]:
        """The same for weights laid out clusters x n_boot (`resample_weights_by_unit`)."""
        if self._sums_t is None or self._totals is None:
            return []
        if weights.shape[0] != self.n_clusters:
            raise ValueError(
                _("a variable has {shape} clusters, the weights {n_clusters}").format(
                    shape=self.n_clusters, n_clusters=weights.shape[0]
                )
            )
        resampled = np.asarray(self._sums_t @ weights).T  # n_boot x columns
        totals = weights.T @ self._totals  # n_boot x distinct totals
        out = []
        for v in self._variables:
            n = totals[:, v.total]
            others = resampled[:, v.start : v.start + v.n_kept]
            observed = resampled[:, v.start + v.n_kept]
            derived = n - others.sum(axis=1)
            expected = n * n - derived * derived - (others * others).sum(axis=1)  # sum of n_c n_k, c != k
            with np.errstate(divide="ignore", invalid="ignore"):
                alphas = 1.0 - (n - 1.0) * observed / expected
            alphas[expected <= 1e-12 * np.maximum(1.0, n * n)] = np.nan
            out.append(alphas)
        return out
