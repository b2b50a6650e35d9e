"""Reliability data: coders x units of category indices, and the value counts built from them.

Everything downstream works on integer codes (index into `domain`, -1 = missing) or on the
units x values count matrix, so that no coefficient ever needs an N x V x V temporary.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qualcode.core.errors import ValidationError
from qualcode.i18n import _

LEVELS = ("nominal", "ordinal", "interval", "ratio")
MISSING_TOKENS = frozenset({"", "na", "nan", "n/a", "null", "none", "."})


@dataclass(frozen=True)
class ReliabilityData:
    """`codes[i, u]` is coder i's value for unit u as an index into `domain`, or -1 if missing."""

    codes: np.ndarray  # int64, shape (M coders, N units)
    domain: tuple[Any, ...]  # the values, ordered (numerically for ordinal and above)
    coders: tuple[str, ...]
    units: tuple[str, ...]

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    @property
    def n_values(self) -> int:
        return len(self.domain)

    def numeric_domain(self) -> np.ndarray:
        return np.asarray([float(v) for v in self.domain], dtype=float)

    def value_counts(self) -> np.ndarray:
        return value_counts(self.codes, self.n_values)


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def encode(
    rows: Sequence[Sequence[Any]],
    *,
    level: str = "nominal",
    coders: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
    domain: Sequence[Any] | None = None,
) -> ReliabilityData:
    """Encode a coders x units table of raw values (None/NaN/'' = missing).

    At ordinal, interval and ratio level every value must be numeric unless an ordered
    `domain` is given (ordinal only); numeric strings such as "2" and "2.0" are one value.
    At nominal level values are compared as given (after stripping strings).
    """
    if level not in LEVELS:
        raise ValidationError(
            _("unknown level {level!r}: use one of {LEVELS}").format(level=level, LEVELS=', '.join(LEVELS))
        )
    m = len(rows)
    n = len(rows[0]) if m else 0
    if any(len(r) != n for r in rows):
        raise ValidationError(_("every coder needs one value (or a missing cell) per unit"))
    coder_names = tuple(coders) if coders is not None else tuple(f"coder{i + 1}" for i in range(m))
    unit_names = tuple(units) if units is not None else tuple(str(u + 1) for u in range(n))
    cleaned: list[list[Any]] = []
    for i, row in enumerate(rows):
        out: list[Any] = []
        for u, v in enumerate(row):
            if is_missing(v):
                out.append(None)
                continue
            v = v.strip() if isinstance(v, str) else v
            if level != "nominal" and domain is None:
                num = _as_number(v)
                if num is None or not math.isfinite(num):
                    hint = (
                        " (or the labels in order, e.g. stats agreement --order)"
                        if level == "ordinal"
                        else ""
                    )
                    raise ValidationError(
                        _(
                            "{level} level needs numeric values{hint}: coder {coder_names!r}, unit {unit_names!r} has {v!r}"
                        ).format(
                            level=level, hint=hint, coder_names=coder_names[i], unit_names=unit_names[u], v=v
                        )
                    )
                v = num
            out.append(v)
        cleaned.append(out)
    present = {v for row in cleaned for v in row if v is not None}
    if domain is not None:
        dom = tuple(domain)
        unknown = present - set(dom)
        if unknown:
            raise ValidationError(
                _("values outside the declared domain: {unknown}").format(
                    unknown=sorted(map(str, unknown))[:5]
                )
            )
    elif level == "nominal":
        dom = tuple(sorted(present, key=lambda x: (str(type(x)), x)))
    else:
        dom = tuple(sorted(present))
    if level == "ratio" and any(float(v) < 0 for v in dom):
        raise ValidationError(_("ratio level needs values >= 0"))
    index = {v: k for k, v in enumerate(dom)}
    codes = np.full((m, n), -1, dtype=np.int64)
    for i, row in enumerate(cleaned):
        for u, v in enumerate(row):
            if v is not None:
                codes[i, u] = index[v]
    return ReliabilityData(codes=codes, domain=dom, coders=coder_names, units=unit_names)


def value_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """Units x values counts (N x V) from a coders x units code matrix, via one bincount."""
    m, n = codes.shape
    present = codes >= 0
    unit_index = np.broadcast_to(np.arange(n, dtype=np.int64), (m, n))[present]
    flat = unit_index * n_values + codes[present]
    return np.bincount(flat, minlength=n * n_values).reshape(n, n_values).astype(np.float64)


def codes_from_numeric(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Encode a float coders x units matrix (NaN = missing) to codes and the sorted domain."""
    mask = ~np.isnan(matrix)
    present = matrix[mask]
    codes = np.full(matrix.shape, -1, dtype=np.int64)
    if present.size == 0:
        return codes, np.zeros(0)
    lo, hi = present.min(), present.max()
    if hi - lo < 1_000_000 and np.array_equal(present, np.floor(present)):
        # Small integer codes (the usual case): a lookup table instead of sorting every value.
        offset = (present - lo).astype(np.int64)
        used = np.bincount(offset) > 0
        lookup = np.cumsum(used) - 1
        codes[mask] = lookup[offset]
        return codes, np.flatnonzero(used).astype(float) + lo
    domain = np.unique(present)
    codes[mask] = np.searchsorted(domain, present)
    return codes, domain
