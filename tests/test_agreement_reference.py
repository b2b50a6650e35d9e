"""Unit-level coefficients against published values (research/agreement.md section 3), to 1e-4."""

import numpy as np
import pytest

from qualcode.core.agreement import (
    brennan_prediger,
    cohen_kappa_table,
    encode,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi_table,
    unit_agreement,
    value_counts,
)
from qualcode.core.agreement.cohen import contingency
from tests.agreement_data import (
    ANXIETY,
    FLEISS_1971,
    IRRCAC_CONT3X3,
    IRRCAC_DISTRIB_6RATERS,
    K2011,
    SAS_TABLE,
    WIKI_3X15,
    WIKI_FLEISS_COUNTS,
    expand_table,
)

TOL = 1e-4


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743421), ("ordinal", 0.815388), ("interval", 0.849107), ("ratio", 0.797403)],
)
def test_krippendorff_2011_four_levels(level: str, published: float) -> None:
    result = unit_agreement(encode(K2011, level=level), level)
    assert result.krippendorff_alpha.value == pytest.approx(published, abs=TOL)
    assert round(result.krippendorff_alpha.value, 3) == round(published, 3)  # the printed .743/.815/.849/.797


def test_krippendorff_2011_gwet_family() -> None:
    r = unit_agreement(encode(K2011), "nominal")
    assert r.gwet_ac1.value == pytest.approx(0.77544, abs=TOL)
    assert r.fleiss_kappa.value == pytest.approx(0.76117, abs=TOL)
    assert r.brennan_prediger.value == pytest.approx(0.77273, abs=TOL)
    assert r.percent_agreement.value == pytest.approx(0.8181818, abs=TOL)
    assert r.n_pairable_values == 40 and r.n_pairable_units == 11


def test_gwet_standard_error_k2011() -> None:
    """irrCAC's analytic SE and 95% CI for AC1 on the K2011 data (research/agreement.md: SE 0.143, CI (0.461, 1))."""
    ac1 = unit_agreement(encode(K2011), "nominal").gwet_ac1
    assert ac1.se == pytest.approx(0.143, abs=5e-4)
    assert (ac1.ci_low, ac1.ci_high) == pytest.approx((0.461, 1.0), abs=5e-4)


def test_gwet_standard_errors_scale_with_duplicated_units() -> None:
    """Duplicating every unit k times leaves the Gwet-family coefficients and multiplies their variance
    by (n-1)/(kn-1). (Alpha changes: its small-sample correction depends on n.)"""
    rows = [row * 3 for row in K2011]
    once, thrice = unit_agreement(encode(K2011), "nominal"), unit_agreement(encode(rows), "nominal")
    n = 12
    gwet = ("percent_agreement", "fleiss_kappa", "gwet_ac1", "brennan_prediger")
    for a, b in zip((getattr(once, g) for g in gwet), (getattr(thrice, g) for g in gwet), strict=True):
        assert a.value == pytest.approx(b.value, abs=1e-12)
        if a.se is not None:
            assert (b.se / a.se) ** 2 == pytest.approx((n - 1) / (3 * n - 1), abs=1e-12)
    assert sum(c.se is not None for c in once.coefficients()) == 4  # pa, Fleiss, AC1, BP


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.691358), ("interval", 0.810845)])
def test_krippendorff_3x15(level: str, published: float) -> None:
    assert unit_agreement(encode(WIKI_3X15, level=level), level).krippendorff_alpha.value == pytest.approx(
        published, abs=1e-6
    )


def test_fleiss_1971_psychiatric_diagnoses() -> None:
    rows = np.asarray(FLEISS_1971).T.tolist()  # raters x patients
    r = unit_agreement(encode(rows), "nominal")
    assert r.fleiss_kappa.value == pytest.approx(0.4302445, abs=TOL)


def test_fleiss_wikipedia_counts() -> None:
    assert fleiss_kappa(WIKI_FLEISS_COUNTS).value == pytest.approx(0.209931, abs=TOL)


def test_irrcac_distrib_6raters() -> None:
    vc = IRRCAC_DISTRIB_6RATERS
    assert gwet_ac1(vc, 5).value == pytest.approx(0.4448007, abs=TOL)
    assert fleiss_kappa(vc).value == pytest.approx(0.4139265, abs=TOL)
    assert krippendorff_alpha(vc, "nominal").value == pytest.approx(0.4204384, abs=TOL)
    assert brennan_prediger(vc, 5).value == pytest.approx(0.4388889, abs=TOL)
    assert percent_agreement(vc).value == pytest.approx(0.5511111, abs=TOL)


def test_irrcac_cont3x3_abstractors() -> None:
    data = encode(expand_table(IRRCAC_CONT3X3))
    r = unit_agreement(data, "nominal", n_categories=3)
    assert r.pairs[0].cohen_kappa.value == pytest.approx(0.7964094, abs=TOL)
    assert r.scott_pi is not None and r.scott_pi.value == pytest.approx(0.7962397, abs=TOL)
    assert r.gwet_ac1.value == pytest.approx(0.8493305, abs=TOL)
    assert r.brennan_prediger.value == pytest.approx(0.835, abs=TOL)
    assert r.krippendorff_alpha.value == pytest.approx(0.7972585, abs=TOL)
    assert r.percent_agreement.value == pytest.approx(0.89, abs=TOL)
    assert scott_pi_table(IRRCAC_CONT3X3).value == pytest.approx(0.7962397, abs=TOL)


def test_sas_cohen_kappa_with_ase_and_ci() -> None:
    k = cohen_kappa_table(SAS_TABLE)
    assert (k.value, k.se, k.ci_low, k.ci_high) == pytest.approx((0.4842, 0.1380, 0.2137, 0.7547), abs=1e-4)
    w = cohen_kappa_table(SAS_TABLE, "linear")
    assert (w.value, w.se, w.ci_low, w.ci_high) == pytest.approx((0.4701, 0.1457, 0.1845, 0.7558), abs=1e-4)


def test_irr_anxiety_raters_2_3() -> None:
    rows = ANXIETY[:, 1:].T.tolist()
    data = encode(rows, level="ordinal")
    table = contingency(data.codes[0], data.codes[1], data.n_values)
    assert cohen_kappa_table(table).value == pytest.approx(-0.006289308, abs=1e-6)
    assert cohen_kappa_table(table, "linear").value == pytest.approx(0.1459075, abs=1e-6)
    assert cohen_kappa_table(table, "quadratic").value == pytest.approx(0.2520325, abs=1e-6)
    pair = unit_agreement(data, "ordinal").pairs[0]
    assert pair.cohen_kappa_quadratic is not None and pair.cohen_kappa_quadratic.value == pytest.approx(
        0.2520325, abs=1e-6
    )


def test_value_counts_match_rows() -> None:
    data = encode(K2011)
    vc = value_counts(data.codes, data.n_values)
    assert vc.shape == (12, 5)
    assert vc.sum() == 40 + 1  # 41 values, one in an unpairable unit
    assert vc[11].tolist() == [0, 0, 1, 0, 0]
