"""The pieces every agreement report section shares: coefficient and block dicts, excerpts.

Used by the unit report (project_report.py) and the character/span report (spans.py), which
the unit report calls; kept apart so neither imports the other's module for them.
"""

from typing import get_args

from sqlmodel import select

from qualcode.core.agreement.result import Coefficient, verdict
from qualcode.core.agreement.unit_report import UnitAgreement, warnings_for
from qualcode.services.agreement.rows import (
    AgreementBlock,
    BootstrapKey,
    CoefficientRow,
    Coefficients,
    PBelowKey,
)
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Document

EXCERPT = 80
# The threshold a bootstrap probability is keyed by (core/agreement/intervals.py) -> its JSON key.
P_BELOW: dict[str, PBelowKey] = {key.removeprefix("p_below_"): key for key in get_args(PBelowKey)}
BOOTSTRAP_KEYS: tuple[BootstrapKey, ...] = get_args(BootstrapKey)


def coefficient_dict(c: Coefficient | None) -> CoefficientRow | None:
    """A coefficient as the report's JSON: value, and the reason, standard error and interval only
    when they exist; None stays None."""
    if c is None:
        return None
    out: CoefficientRow = {"value": c.value}
    if c.value is None:
        out["reason"] = c.reason
    if c.se is not None:
        out["se"] = c.se
    if c.ci_low is not None:
        out["ci_low"], out["ci_high"], out["ci_method"] = c.ci_low, c.ci_high, c.ci_method
    for threshold, p in c.p_below.items():
        out[P_BELOW[threshold]] = p
    # Bootstrap bookkeeping: resamples drawn and undefined, and why an interval is absent or odd.
    for key in BOOTSTRAP_KEYS:
        if key in c.extra:
            out[key] = c.extra[key]
    return out


def block(r: UnitAgreement, n_units_coded: int | None = None) -> AgreementBlock:
    """The numbers every report section shares. `n_units_coded`: pairable units in which any
    coder used the code (or a code of the dimension), the count the interval rule looks at."""
    coefficients: Coefficients = {
        "krippendorff_alpha": coefficient_dict(r.krippendorff_alpha),
        "percent_agreement": coefficient_dict(r.percent_agreement),
        "fleiss_kappa": coefficient_dict(r.fleiss_kappa),
        "gwet_ac1": coefficient_dict(r.gwet_ac1),
        "brennan_prediger": coefficient_dict(r.brennan_prediger),
        "cohen_kappa": {f"{p.coder_a}|{p.coder_b}": coefficient_dict(p.cohen_kappa) for p in r.pairs},
    }
    if n_units_coded is None:
        return {
            "n_units": r.n_units,
            "n_pairable_units": r.n_pairable_units,
            "n_pairable_values": r.n_pairable_values,
            "coefficients": coefficients,
            "verdict": verdict(r.krippendorff_alpha.value),
            "warnings": warnings_for(r),
        }
    return {
        "n_units": r.n_units,
        "n_pairable_units": r.n_pairable_units,
        "n_pairable_values": r.n_pairable_values,
        "n_units_coded": n_units_coded,
        "coefficients": coefficients,
        "verdict": verdict(r.krippendorff_alpha.value),
        "warnings": warnings_for(r),
    }


class DocumentTexts:
    """Document texts for excerpts, all read in one query the first time one is needed."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.cache: dict[int, str] = {}

    def prefetch(self, docs: set[int]) -> None:
        if docs - set(self.cache):
            with self.project.read() as s:
                self.cache.update(
                    {saved_id(d): t for d, t in s.exec(select(Document.id, Document.text)).all()}
                )

    def excerpt(self, doc: int, start: int, end: int) -> str:
        if doc not in self.cache:
            self.prefetch({doc})
        text = self.cache[doc][start:end].replace("\n", " ")
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
