"""Every unit-level coefficient for one reliability table, as one result object."""

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from qualcode.core.agreement.alpha import (
    alpha_from_coincidences,
    bootstrap_alpha,
    coincidences_from_codes,
    krippendorff_alpha,
)
from qualcode.core.agreement.categorical import (
    brennan_prediger,
    fleiss_kappa,
    gwet_ac1,
    gwet_family,
    percent_agreement,
)
from qualcode.core.agreement.cohen import (
    cohen_kappa_table,
    contingency,
    pair_percent_agreement,
    scott_pi_table,
)
from qualcode.core.agreement.data import ReliabilityData
from qualcode.core.agreement.result import Coefficient
from qualcode.i18n import _
from qualcode.i18n.messages import Message


@dataclass
class PairResult:
    coder_a: str
    coder_b: str
    n_units: int
    percent_agreement: Coefficient
    cohen_kappa: Coefficient
    cohen_kappa_linear: Coefficient | None = None
    cohen_kappa_quadratic: Coefficient | None = None


@dataclass
class UnitAgreement:
    level: str
    n_units: int
    n_coders: int
    n_pairable_units: int
    n_pairable_values: int
    n_categories: int
    percent_agreement: Coefficient
    krippendorff_alpha: Coefficient
    fleiss_kappa: Coefficient
    gwet_ac1: Coefficient
    brennan_prediger: Coefficient
    pairs: list[PairResult]
    scott_pi: Coefficient | None = None
    notes: list[str] = field(default_factory=list)

    def coefficients(self) -> list[Coefficient]:
        main = [
            self.percent_agreement,
            self.krippendorff_alpha,
            self.fleiss_kappa,
            self.gwet_ac1,
            self.brennan_prediger,
        ]
        return main + ([self.scott_pi] if self.scott_pi is not None else [])


def unit_agreement(
    data: ReliabilityData,
    level: str = "nominal",
    *,
    n_categories: int | None = None,
    n_boot: int = 0,
    seed: int | None = None,
    boot_weights: np.ndarray | None = None,
    boot_clusters: np.ndarray | None = None,
    unit_weights: np.ndarray | None = None,
) -> UnitAgreement:
    """All coefficients for one table. `n_categories` is the size of the category set of the
    codebook (Brennan-Prediger and AC1 depend on it); by default the number of values seen.
    `boot_weights` (n_boot x pairable units) lets several variables share one resample;
    `boot_clusters` resamples groups of units together. `unit_weights` are multiplicities (e.g.
    the length of a run of identically coded characters); they exclude the bootstrap."""
    if unit_weights is not None and n_boot > 0:
        raise ValueError(_("the bootstrap is not available with weighted units"))
    uw = None if unit_weights is None else np.asarray(unit_weights, dtype=float)
    q = n_categories if n_categories is not None else data.n_values
    values = data.numeric_domain() if level in ("interval", "ratio") else None
    m_u = (data.codes >= 0).sum(axis=0)
    pairable = m_u >= 2
    # Few coders and many values: work from coder pairs, O(M^2 N), instead of N x V value counts.
    sparse = data.n_coders * (data.n_coders - 1) < data.n_values and n_boot == 0
    vc = None if sparse else data.value_counts()
    if vc is not None and uw is None and n_boot > 0:
        alpha = bootstrap_alpha(
            vc, level, values, n_boot=n_boot, seed=seed, weights=boot_weights, clusters=boot_clusters
        )
    elif vc is None:
        alpha = alpha_from_coincidences(coincidences_from_codes(data.codes, data.n_values, uw), level, values)
    else:
        alpha = krippendorff_alpha(vc, level, values, unit_weights=uw)
    pairs: list[PairResult] = []
    for i, j in combinations(range(data.n_coders), 2):
        table = contingency(data.codes[i], data.codes[j], data.n_values, uw)
        pair = PairResult(
            coder_a=data.coders[i],
            coder_b=data.coders[j],
            n_units=int(round(table.sum())),
            percent_agreement=pair_percent_agreement(table),
            cohen_kappa=cohen_kappa_table(table),
        )
        if level != "nominal":
            pair.cohen_kappa_linear = cohen_kappa_table(table, "linear")
            pair.cohen_kappa_quadratic = cohen_kappa_table(table, "quadratic")
        pairs.append(pair)
    if uw is None:
        pct, fleiss, ac1, bp = gwet_family(
            vc, q, codes=data.codes if vc is None else None, n_values=data.n_values
        )
    else:
        vc = data.value_counts() if vc is None else vc
        pct, fleiss, ac1, bp = (
            percent_agreement(vc, uw),
            fleiss_kappa(vc, uw),
            gwet_ac1(vc, q, uw),
            brennan_prediger(vc, q, uw),
        )
    result = UnitAgreement(
        level=level,
        n_units=data.n_units,
        n_coders=data.n_coders,
        n_pairable_units=int(pairable.sum() if uw is None else round(uw[pairable].sum())),
        n_pairable_values=int(m_u[pairable].sum() if uw is None else round((m_u * uw)[pairable].sum())),
        n_categories=q,
        percent_agreement=pct,
        krippendorff_alpha=alpha,
        fleiss_kappa=fleiss,
        gwet_ac1=ac1,
        brennan_prediger=bp,
        pairs=pairs,
    )
    if data.n_coders == 2:
        result.scott_pi = scott_pi_table(contingency(data.codes[0], data.codes[1], data.n_values, uw))
    return result


SMALL_N = 50  # pairable values below which any coefficient's interval is very wide
PARADOX_AGREEMENT = 0.85  # raw agreement above which a low alpha or kappa is the prevalence paradox


def warnings_for(result: UnitAgreement) -> list[str]:
    """Plain-language cautions a reader of the report needs next to the numbers, as messages
    (English text in JSON; `qualcode.i18n.messages.localise` where a person reads them)."""
    out: list[str] = []
    if result.n_pairable_values < SMALL_N:
        out.append(Message("small_sample", n=result.n_pairable_values))
    pa, alpha, ac1 = result.percent_agreement.value, result.krippendorff_alpha.value, result.gwet_ac1.value
    if pa is not None and pa >= PARADOX_AGREEMENT and alpha is not None and alpha < 0.667:
        if ac1 is not None:
            out.append(Message("prevalence_paradox", agreement=pa, alpha=alpha, ac1=ac1))
        else:
            out.append(Message("prevalence_paradox_no_ac1", agreement=pa, alpha=alpha))
    # Per pair, from that pair's own agreement, so the warning names the coders it is about.
    for p in result.pairs:
        pair_pa, kappa = p.percent_agreement.value, p.cohen_kappa.value
        if pair_pa is not None and kappa is not None and pair_pa >= PARADOX_AGREEMENT and kappa < 0.667:
            out.append(
                Message(
                    "prevalence_paradox_pair",
                    coder_a=p.coder_a,
                    coder_b=p.coder_b,
                    agreement=pair_pa,
                    kappa=kappa,
                )
            )
    if not result.krippendorff_alpha.defined:
        out.append(Message("alpha_undefined", reason=result.krippendorff_alpha.reason or ""))
    return out
