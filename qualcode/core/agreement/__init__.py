"""Inter-rater agreement maths (pure numpy): unit-level coefficients and span-level unitizing."""

from qualcode.core.agreement.alpha import bootstrap_alpha, coincidences, krippendorff_alpha
from qualcode.core.agreement.categorical import brennan_prediger, fleiss_kappa, gwet_ac1, percent_agreement
from qualcode.core.agreement.cohen import cohen_kappa_table, contingency, scott_pi_table
from qualcode.core.agreement.data import LEVELS, ReliabilityData, encode, value_counts
from qualcode.core.agreement.result import Coefficient, verdict
from qualcode.core.agreement.unit_report import PairResult, UnitAgreement, unit_agreement

__all__ = [
    "LEVELS",
    "Coefficient",
    "PairResult",
    "ReliabilityData",
    "UnitAgreement",
    "bootstrap_alpha",
    "brennan_prediger",
    "cohen_kappa_table",
    "coincidences",
    "contingency",
    "encode",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi_table",
    "unit_agreement",
    "value_counts",
    "verdict",
]
