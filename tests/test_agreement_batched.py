"""The batched fast paths (all codes at once, pooled, per document) equal the general computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.agreement import ReliabilityData, unit_agreement
from qualcode.core.agreement.alpha import SharedResample, cluster_sums, resample_weights
from qualcode.core.agreement.batched import (
    binary_many,
    binary_stats,
    cluster_sums_pooled,
    iter_cluster_sums_per_code,
    pooled,
    pooled_by_group,
)


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert (a.value is None) == (b.value is None), (a, b)
    if a.value is not None:
        assert a.value == pytest.approx(b.value, abs=1e-12)
    else:
        assert a.reason == b.reason


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(1, 30), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_binary_many_equals_unit_agreement(m: int, n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    present = rng.random((k, m, n)) < rng.random()
    rated = rng.random((m, n)) < 0.8
    coders = tuple(f"c{i}" for i in range(m))
    fast = binary_many(present, rated, coders)
    for c in range(k):
        values = np.where(rated, present[c].astype(np.int64), -1)
        slow = unit_agreement(
            ReliabilityData(values, ("absent", "present"), coders, ()), "nominal", n_categories=2
        )
        f = fast[c]
        for name in (
            "percent_agreement",
            "krippendorff_alpha",
            "fleiss_kappa",
            "gwet_ac1",
            "brennan_prediger",
        ):
            _same(getattr(f, name), getattr(slow, name))
            if name != "krippendorff_alpha" and getattr(slow, name).se is not None:
                assert getattr(f, name).se == pytest.approx(getattr(slow, name).se, abs=1e-12)
                assert getattr(f, name).ci_low == pytest.approx(getattr(slow, name).ci_low, abs=1e-12)
        assert (f.n_pairable_units, f.n_pairable_values) == (slow.n_pairable_units, slow.n_pairable_values)
        for pf, ps in zip(f.pairs, slow.pairs, strict=True):
            _same(pf.cohen_kappa, ps.cohen_kappa)
            _same(pf.percent_agreement, ps.percent_agreement)
            if pf.cohen_kappa.value is not None:
                assert pf.cohen_kappa.se == pytest.approx(ps.cohen_kappa.se, abs=1e-12)
        if m == 2:
            _same(f.scott_pi, slow.scott_pi)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 4), st.integers(2, 30), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_pooled_and_bootstrap_sums_equal_general_path(m: int, n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    present = rng.random((k, m, n)) < 0.4
    rated = rng.random((m, n)) < 0.8
    coders = tuple(f"c{i}" for i in range(m))
    stats = binary_stats(present, rated, coders)
    stacked = np.concatenate([np.where(rated, present[c].astype(np.int64), -1) for c in range(k)], axis=1)
    slow = unit_agreement(
        ReliabilityData(stacked, ("absent", "present"), coders, ()), "nominal", n_categories=2
    )
    fast = pooled(stats)
    for name in ("percent_agreement", "krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "brennan_prediger"):
        _same(getattr(fast, name), getattr(slow, name))
    pairable = rated.sum(axis=0) >= 2
    if not pairable.any():
        return
    w = resample_weights(int(pairable.sum()), 5, np.random.default_rng(1))
    rank = np.cumsum(pairable) - 1
    from qualcode.core.agreement.data import value_counts

    general = [
        cluster_sums(value_counts(np.where(rated, present[c].astype(np.int64), -1), 2)) for c in range(k)
    ]
    general.append(
        cluster_sums(value_counts(stacked, 2), np.tile(np.where(pairable, rank, 0), k), int(pairable.sum()))
    )
    quick = [*iter_cluster_sums_per_code(stats), cluster_sums_pooled(stats)]
    for a, b in zip(SharedResample(general)(w), SharedResample(quick)(w), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 4), st.integers(1, 30), st.integers(1, 3), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_pooled_by_group_equals_pooled_on_each_group(m: int, n: int, k: int, g: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    present = rng.random((k, m, n)) < 0.4
    rated = rng.random((m, n)) < 0.8
    groups = rng.integers(0, g, size=n)
    coders = tuple(f"c{i}" for i in range(m))
    fast = pooled_by_group(present, rated, coders, groups, g)
    for gi in range(g):
        sel = groups == gi
        slow = pooled(binary_stats(present[:, :, sel], rated[:, sel], coders))
        for name in (
            "percent_agreement",
            "krippendorff_alpha",
            "fleiss_kappa",
            "gwet_ac1",
            "brennan_prediger",
        ):
            _same(getattr(fast[gi], name), getattr(slow, name))
        assert (fast[gi].n_units, fast[gi].n_pairable_values) == (slow.n_units, slow.n_pairable_values)
        for pf, ps in zip(fast[gi].pairs, slow.pairs, strict=True):
            _same(pf.cohen_kappa, ps.cohen_kappa)


def _dense_reference(variables, weights):  # type: ignore[no-untyped-def]
    """The resampled alphas computed the plain way: every marginal column summed densely."""
    out = []
    for v in variables:
        marginals = v.marginals.toarray() if hasattr(v.marginals, "toarray") else v.marginals
        n_b, observed = weights @ marginals, weights @ v.observed
        n = n_b.sum(axis=1)
        expected = n * n - (n_b * n_b).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            alphas = 1.0 - (n - 1.0) * observed / expected
        alphas[expected <= 1e-12 * np.maximum(1.0, n * n)] = np.nan
        out.append(alphas)
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(2, 40), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_shared_resample_equals_dense_sums(m: int, n: int, n_values: int, seed: int) -> None:
    """Leaving each variable's densest column out and recovering it from the totals, and summing
    the rest sparsely, gives the alphas of the dense computation, for codes, dimensions with
    many values (sparse marginals) and unrelated variables with other totals."""
    from qualcode.core.agreement.alpha import ClusterSums, SharedResample, nominal_sums
    from qualcode.core.agreement.data import value_counts

    rng = np.random.default_rng(seed)
    codes = np.where(rng.random((m, n)) < 0.8, rng.integers(0, n_values, size=(m, n)), -1)
    codes[:2, 0] = 0  # at least one pairable unit
    pairable = int(((codes >= 0).sum(axis=0) >= 2).sum())
    dense = cluster_sums(value_counts(codes, n_values))
    sparse_sums = nominal_sums(codes, n_values)
    np.testing.assert_array_equal(sparse_sums.marginals.toarray(), dense.marginals)
    np.testing.assert_allclose(sparse_sums.observed, dense.observed, atol=1e-12)
    other = ClusterSums(rng.integers(0, 3, size=(pairable, 3)).astype(float), rng.random(pairable))
    variables = [dense, sparse_sums, other]
    weights = resample_weights(pairable, 7, rng)
    got = SharedResample(variables)(weights)
    for a, b in zip(got, _dense_reference(variables, weights), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)
    by_unit = SharedResample(variables).by_unit(np.ascontiguousarray(weights.T))
    for a, b in zip(by_unit, got, strict=True):
        np.testing.assert_array_equal(a, b)
