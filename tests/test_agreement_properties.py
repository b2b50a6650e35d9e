"""Cross-checks against the krippendorff package and invariance properties (hypothesis)."""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.agreement import bootstrap_alpha, encode, krippendorff_alpha, unit_agreement
from qualcode.core.agreement.data import codes_from_numeric, value_counts

LEVELS = ["nominal", "ordinal", "interval", "ratio"]


def _random_matrix(rng: np.random.Generator, m: int, n: int, v: int, missing: float) -> np.ndarray:
    x = rng.integers(1, v + 1, size=(m, n)).astype(float)
    agree = rng.random(n) < 0.6
    x[:, agree] = x[0, agree]
    x[rng.random((m, n)) < missing] = np.nan
    return x


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_equals_krippendorff_package_with_missing(level: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = _random_matrix(rng, m=int(rng.integers(2, 6)), n=300, v=int(rng.integers(2, 8)), missing=0.25)
    codes, domain = codes_from_numeric(x)
    ours = krippendorff_alpha(value_counts(codes, len(domain)), level, domain).value
    theirs = krippendorff.alpha(reliability_data=x, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_undefined_when_one_value_or_nothing_pairable() -> None:
    one_value = unit_agreement(encode([["a", "a", None], ["a", "a", "a"]]), "nominal")
    assert one_value.krippendorff_alpha.value is None
    assert "only one value" in (one_value.krippendorff_alpha.reason or "")
    assert one_value.fleiss_kappa.value is None and one_value.pairs[0].cohen_kappa.value is None
    assert one_value.percent_agreement.value == 1.0
    nothing = unit_agreement(encode([["a", None], [None, "b"]]), "nominal")
    assert nothing.krippendorff_alpha.value is None and "pairable" in (
        nothing.krippendorff_alpha.reason or ""
    )
    assert nothing.percent_agreement.value is None and nothing.pairs[0].cohen_kappa.value is None
    assert bootstrap_alpha(np.zeros((3, 2)), n_boot=50, seed=1).value is None


def test_bootstrap_is_seeded_and_brackets_alpha() -> None:
    rng = np.random.default_rng(7)
    x = _random_matrix(rng, 3, 200, 4, 0.1)
    codes, domain = codes_from_numeric(x)
    vc = value_counts(codes, len(domain))
    a = bootstrap_alpha(vc, "nominal", n_boot=400, seed=11)
    b = bootstrap_alpha(vc, "nominal", n_boot=400, seed=11)
    c = bootstrap_alpha(vc, "nominal", n_boot=400, seed=12)
    assert (a.ci_low, a.ci_high, a.p_below) == (b.ci_low, b.ci_high, b.p_below)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)
    assert a.ci_low < a.value < a.ci_high
    assert 0 <= a.p_below["0.667"] <= a.p_below["0.800"] <= 1
    for level in ("ordinal", "interval", "ratio"):
        r = bootstrap_alpha(vc, level, domain, n_boot=200, seed=3)
        assert r.ci_low < r.value < r.ci_high


def test_bootstrap_ordinal_matches_direct_recomputation() -> None:
    """The vectorised resample equals alpha recomputed on the explicitly resampled units."""
    from qualcode.core.agreement.alpha import _alpha_per_sample, _cluster_sums, resample_weights

    rng = np.random.default_rng(5)
    x = _random_matrix(rng, 3, 60, 5, 0.0)
    codes, domain = codes_from_numeric(x)
    vc = value_counts(codes, len(domain))
    w = resample_weights(60, 5, np.random.default_rng(1))
    for level in LEVELS:
        sums = _cluster_sums(vc, vc.sum(axis=1), np.arange(60), 60, level, domain)
        fast = _alpha_per_sample(*sums, w, level, domain)
        slow = [krippendorff_alpha(vc, level, domain, unit_weights=row).value for row in w]
        assert fast == pytest.approx(slow, abs=1e-9)


tables = st.integers(2, 5).flatmap(
    lambda m: st.integers(2, 25).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=n, max_size=n), min_size=m, max_size=m
        )
    )
)


def _values(r) -> list[float | None]:  # type: ignore[no-untyped-def]
    return [c.value for c in r.coefficients()] + [p.cohen_kappa.value for p in r.pairs]


@settings(max_examples=60, deadline=None)
@given(tables, st.randoms(use_true_random=False))
def test_coder_and_unit_order_do_not_matter(rows, rnd) -> None:  # type: ignore[no-untyped-def]
    base = unit_agreement(encode(rows), "nominal")
    units = list(range(len(rows[0])))
    rnd.shuffle(units)
    shuffled = [[row[u] for u in units] for row in rows]
    rnd.shuffle(shuffled)
    other = unit_agreement(encode(shuffled), "nominal")
    for a, b in zip(
        [c.value for c in base.coefficients()], [c.value for c in other.coefficients()], strict=True
    ):
        assert (a is None and b is None) or a == pytest.approx(b, abs=1e-12)
    assert sorted(p.cohen_kappa.value or -9 for p in base.pairs) == pytest.approx(
        sorted(p.cohen_kappa.value or -9 for p in other.pairs), abs=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(tables, st.permutations(["w", "x", "y", "z"]))
def test_relabelling_categories_does_not_matter_at_nominal(rows, labels) -> None:  # type: ignore[no-untyped-def]
    relabelled = [[None if v is None else labels[v - 1] for v in row] for row in rows]
    a, b = unit_agreement(encode(rows), "nominal"), unit_agreement(encode(relabelled), "nominal")
    for x, y in zip(_values(a), _values(b), strict=True):
        assert (x is None and y is None) or x == pytest.approx(y, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.lists(st.integers(1, 4), min_size=2, max_size=30), st.sampled_from(LEVELS))
def test_perfect_agreement_gives_one(m, values, level) -> None:  # type: ignore[no-untyped-def]
    rows = [list(values) for _ in range(m)]
    r = unit_agreement(encode(rows, level=level), level)
    if len(set(values)) < 2:
        assert r.krippendorff_alpha.value is None  # undefined, never 1.0
    else:
        for c in (r.krippendorff_alpha, r.fleiss_kappa, r.gwet_ac1, r.brennan_prediger, r.percent_agreement):
            assert c.value == pytest.approx(1.0, abs=1e-12)
        assert all(p.cohen_kappa.value == pytest.approx(1.0) for p in r.pairs)


@pytest.mark.parametrize("level", ["interval", "ratio"])
def test_non_integer_values_match_krippendorff_package(level: str) -> None:
    rng = np.random.default_rng(9)
    x = _random_matrix(rng, 3, 200, 6, 0.2) * 0.37 + 0.05
    codes, domain = codes_from_numeric(x)
    ours = krippendorff_alpha(value_counts(codes, len(domain)), level, domain).value
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=x, level_of_measurement=level), abs=1e-9)


def test_cluster_bootstrap_equals_recomputation_on_resampled_clusters() -> None:
    from qualcode.core.agreement.alpha import _alpha_per_sample, _cluster_sums, resample_weights

    rng = np.random.default_rng(8)
    x = _random_matrix(rng, 3, 90, 3, 0.1)
    codes, domain = codes_from_numeric(x)
    vc = value_counts(codes, len(domain))
    keep = vc.sum(axis=1) >= 2
    vc = vc[keep]
    clusters = np.arange(len(vc)) // 3  # three units per cluster, like three codes in one answer
    w = resample_weights(int(clusters.max()) + 1, 4, np.random.default_rng(2))
    for level in LEVELS:
        sums = _cluster_sums(vc, vc.sum(axis=1), clusters, int(clusters.max()) + 1, level, domain)
        fast = _alpha_per_sample(*sums, w, level, domain)
        slow = [krippendorff_alpha(vc, level, domain, unit_weights=row[clusters]).value for row in w]
        assert fast == pytest.approx(slow, abs=1e-9)
    a = bootstrap_alpha(vc, "nominal", n_boot=200, seed=4, clusters=clusters)
    assert a.ci_low is not None and a.ci_low < a.value < a.ci_high


def test_coincidences_from_codes_equal_matrix_form() -> None:
    from qualcode.core.agreement.alpha import coincidences, coincidences_from_codes

    rng = np.random.default_rng(4)
    x = _random_matrix(rng, 3, 120, 9, 0.3)
    codes, domain = codes_from_numeric(x)
    w = rng.integers(1, 5, size=120).astype(float)
    vc = value_counts(codes, len(domain))
    np.testing.assert_allclose(coincidences_from_codes(codes, len(domain)), coincidences(vc), atol=1e-12)
    np.testing.assert_allclose(
        coincidences_from_codes(codes, len(domain), w), coincidences(vc, w), atol=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(tables, st.integers(2, 6))
def test_gwet_family_equals_the_four_functions(rows, extra_q) -> None:  # type: ignore[no-untyped-def]
    from qualcode.core.agreement.categorical import (
        brennan_prediger,
        fleiss_kappa,
        gwet_ac1,
        gwet_family,
        percent_agreement,
    )

    data = encode(rows)
    vc = data.value_counts()
    q = max(data.n_values, extra_q)
    together = gwet_family(vc, q)
    from_codes = gwet_family(None, q, codes=data.codes, n_values=data.n_values)
    apart = (percent_agreement(vc), fleiss_kappa(vc), gwet_ac1(vc, q), brennan_prediger(vc, q))
    for a, b in list(zip(together, apart, strict=True)) + list(zip(from_codes, apart, strict=True)):
        assert (
            (a.value, a.reason) == pytest.approx((b.value, b.reason))
            if a.value is not None
            else (a.reason == b.reason)
        )
        assert a.se == pytest.approx(b.se) and a.ci_low == pytest.approx(b.ci_low)
