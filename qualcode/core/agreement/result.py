"""The result of one agreement coefficient: a value, or the reason it is undefined."""

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Coefficient:
    """One coefficient. `value` is None when undefined, and `reason` then says why.

    Undefined results are never reported as 1.0 or 0.0: a code that nobody (or everybody)
    applied has no measurable agreement, and a report must say so instead of a number.
    """

    name: str
    value: float | None
    reason: str | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None
    # Probability (from the bootstrap) that the coefficient lies below a threshold, keyed "0.667".
    p_below: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def defined(self) -> bool:
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def undefined(name: str, reason: str, **extra: Any) -> Coefficient:
    return Coefficient(name=name, value=None, reason=reason, extra=dict(extra))


def chance_corrected(name: str, pa: float, pe: float, reason: str) -> Coefficient:
    """(pa - pe) / (1 - pe), undefined when chance agreement is already perfect."""
    if not (math.isfinite(pa) and math.isfinite(pe)) or abs(1.0 - pe) <= 1e-12:
        return undefined(name, reason)
    return Coefficient(name=name, value=float((pa - pe) / (1.0 - pe)))


def verdict(value: float | None) -> str:
    """Krippendorff's customary cut-offs (Content Analysis, 2004/2019)."""
    if value is None:
        return "undefined"
    if value >= 0.800:
        return "acceptable (>= .800)"
    if value >= 0.667:
        return "tentative (.667-.800)"
    return "unacceptable (< .667)"
