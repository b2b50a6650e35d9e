"""Krippendorff's unitizing alpha family on a common continuum of length L.

Definitions as in research note unitizing-alpha.md (Krippendorff, Mathet, Bouvry &
Widlöcher 2016; Krippendorff 2019 section 12.6): each coder partitions [0, L) into valued
segments and gaps; observed coincidences l_ck sum, over ordered coder pairs with weight
1/(m-1), the positions where one coder has c and the other k (so l.. = mL).

The continuum is cut at every segment boundary of every coder into elementary intervals;
each interval is a "unit" with one value per coder, weighted by its length. This makes l a
single (E x V)^T (E x V) product, and every segment-level correction a cumulative sum.
Offsets are 0-based, half-open [start, end). Adjacent same-valued spans stay separate units.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from qualcode.core.agreement.result import Coefficient, undefined
from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.i18n.messages import Message

Span = tuple[int, int, Hashable]  # (start, end, category)
GAP = 0  # category index of unmarked stretches


@dataclass
class UnitizingResult:
    n_coders: int
    length: int
    u_alpha: Coefficient
    binary_u_alpha: Coefficient
    cu_alpha: Coefficient
    per_category: dict[Hashable, Coefficient]  # (k)u-alpha
    coverage: dict[Hashable, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Continuum:
    """Coders' spans as arrays, cut into elementary intervals."""

    m: int
    length: int
    bounds: np.ndarray  # E + 1 boundaries
    widths: np.ndarray  # E lengths
    values: np.ndarray  # m x E category index per interval (0 = gap)
    seg_coder: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    seg_value: np.ndarray  # 1..K


def validate_spans(
    spans_by_coder: Mapping[str, Sequence[Span]], length: int, *, partition: bool = True
) -> None:
    if len(spans_by_coder) < 2:
        raise ValidationError(
            _("agreement needs at least two coders, got {count}").format(count=len(spans_by_coder))
        )
    if length <= 0:
        raise ValidationError(_("the continuum length must be positive"))
    for coder, spans in spans_by_coder.items():
        for start, end, _category in spans:
            if start < 0 or end > length:
                raise ValidationError(
                    _("coder {coder!r}: span [{start}, {end}) lies outside [0, {length})").format(
                        coder=coder, start=start, end=end, length=length
                    )
                )
            if start >= end:
                raise ValidationError(
                    _("coder {coder!r}: span [{start}, {end}) has start >= end").format(
                        coder=coder, start=start, end=end
                    )
                )
        if partition:
            ordered = sorted(spans, key=lambda s: (s[0], s[1]))
            for (s0, e0, c0), (s1, e1, c1) in pairwise(ordered):
                if s1 < e0:
                    raise ValidationError(
                        _(
                            "coder {coder!r}: spans [{s0}, {e0}) {c0!s} and [{s1}, {e1}) {c1!s} overlap; the unitizing family needs each coder's spans to partition the text"
                        ).format(coder=coder, s0=s0, e0=e0, c0=c0, s1=s1, e1=e1, c1=c1)
                    )


def has_overlaps(spans: Sequence[Span]) -> bool:
    ordered = sorted(spans, key=lambda s: (s[0], s[1]))
    return any(b[0] < a[1] for a, b in pairwise(ordered))


def _build(
    spans_by_coder: Mapping[str, Sequence[Span]], length: int, index: Mapping[Hashable, int]
) -> _Continuum:
    m = len(spans_by_coder)
    parts = [
        np.asarray([(s, e, index[c]) for s, e, c in spans], dtype=np.int64).reshape(-1, 3)
        for spans in spans_by_coder.values()
    ]
    coder_ids = np.concatenate([np.full(len(p), i, dtype=np.int64) for i, p in enumerate(parts)])
    allp = np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)
    bounds = np.unique(np.concatenate([[0, length], allp[:, 0], allp[:, 1]]))
    left = bounds[:-1]
    values = np.zeros((m, len(left)), dtype=np.int64)
    for i, p in enumerate(parts):
        if len(p) == 0:
            continue
        p = p[np.argsort(p[:, 0], kind="stable")]
        pos = np.searchsorted(p[:, 0], left, side="right") - 1
        inside = (pos >= 0) & (left < p[np.maximum(pos, 0), 1])
        values[i] = np.where(inside, p[np.maximum(pos, 0), 2], GAP)
    return _Continuum(
        m=m,
        length=length,
        bounds=bounds,
        widths=np.diff(bounds).astype(np.float64),
        values=values,
        seg_coder=coder_ids,
        seg_start=allp[:, 0],
        seg_end=allp[:, 1],
        seg_value=allp[:, 2],
    )


def _observed(cont: _Continuum, n_values: int) -> np.ndarray:
    """l_ck from the per-interval value counts (E x V), weighted by interval length."""
    e = cont.values.shape[1]
    flat = (np.arange(e)[None, :] * n_values + cont.values).ravel()
    x = np.bincount(flat, minlength=e * n_values).reshape(e, n_values).astype(np.float64)
    wx = x * cont.widths[:, None]
    return (wx.T @ x - np.diag(wx.sum(axis=0))) / (cont.m - 1)


def _expected(obs: np.ndarray, self_terms: np.ndarray) -> np.ndarray | None:
    total = obs.sum()
    margins = obs.sum(axis=1)
    denominator = total * total - self_terms.sum()
    if denominator <= 0:
        return None
    return total * (np.outer(margins, margins) - np.diag(self_terms)) / denominator


def _one_minus_offdiag(name: str, obs: np.ndarray, exp: np.ndarray | None, reason: str) -> Coefficient:
    if exp is None:
        return undefined(name, reason)
    d_exp = exp.sum() - np.trace(exp)
    if d_exp <= 1e-12 * max(1.0, exp.sum()):
        return undefined(name, reason)
    return Coefficient(name, float(1.0 - (obs.sum() - np.trace(obs)) / d_exp))


def unitizing_alpha(spans_by_coder: Mapping[str, Sequence[Span]], length: int) -> UnitizingResult:
    """u-alpha, |u-alpha, cu-alpha and (k)u-alpha per category (nominal values)."""
    validate_spans(spans_by_coder, length, partition=True)
    categories = sorted(
        {c for spans in spans_by_coder.values() for _unused, _unused, c in spans},
        key=lambda c: (str(type(c)), c),
    )
    index = {c: k + 1 for k, c in enumerate(categories)}
    n_values = len(categories) + 1
    cont = _build(spans_by_coder, length, index)
    seg_len = (cont.seg_end - cont.seg_start).astype(np.float64)
    obs = _observed(cont, n_values)

    # Self-pairing corrections: squared lengths for valued segments, total gap length for gaps.
    s_valued = np.bincount(cont.seg_value, weights=seg_len**2, minlength=n_values)
    gap_total = cont.m * length - seg_len.sum()
    s_all = s_valued.copy()
    s_all[GAP] = gap_total
    u_alpha = _one_minus_offdiag("u_alpha", obs, _expected(obs, s_all), Message("continuum_one_value"))

    # |u-alpha: gap versus any value.
    if len(categories) == 0:
        binary = undefined("binary_u_alpha", Message("nothing_marked"))
    else:
        b_obs = np.array([[obs[0, 0], obs[0, 1:].sum()], [obs[1:, 0].sum(), obs[1:, 1:].sum()]])
        b_self = np.array([gap_total, s_valued[1:].sum()])
        binary = _one_minus_offdiag(
            "binary_u_alpha",
            b_obs,
            _expected(b_obs, b_self),
            Message("no_gaps_or_marks"),
        )

    # cu-alpha: valued x valued coincidences; p_g = share of segment g the other coders also valued.
    valued_here = (cont.values > 0).sum(axis=0).astype(np.float64)
    cum = np.concatenate([[0.0], np.cumsum(cont.widths * (valued_here - 1).clip(min=0))])
    lo = np.searchsorted(cont.bounds, cont.seg_start)
    hi = np.searchsorted(cont.bounds, cont.seg_end)
    p_g = (cum[hi] - cum[lo]) / (cont.m - 1)
    c_obs = obs[1:, 1:]
    c_self = np.bincount(cont.seg_value, weights=p_g**2, minlength=n_values)[1:]
    c_exp = _expected(c_obs, c_self) if c_obs.size and c_obs.sum() > 0 else None
    cu_alpha = _one_minus_offdiag("cu_alpha", c_obs, c_exp, Message("no_valued_overlap"))

    per_category: dict[Hashable, Coefficient] = {}
    coverage: dict[Hashable, float | None] = {}
    for k, category in enumerate(categories):
        row_obs = c_obs[k].sum() if c_obs.size else 0.0
        coverage[category] = float(row_obs / obs[k + 1].sum()) if obs[k + 1].sum() > 0 else None
        name = "k_u_alpha"
        if c_exp is None or row_obs <= 0:
            per_category[category] = undefined(name, Message("category_never_meets"))
            continue
        row_exp = c_exp[k].sum()
        denominator = row_exp - c_exp[k, k]
        if denominator <= 1e-12 * max(1.0, row_exp):
            per_category[category] = undefined(name, Message("category_no_expected"))
            continue
        value = 1.0 - (row_exp / row_obs) * (row_obs - c_obs[k, k]) / denominator
        per_category[category] = Coefficient(name, float(value))
    return UnitizingResult(
        n_coders=cont.m,
        length=length,
        u_alpha=u_alpha,
        binary_u_alpha=binary,
        cu_alpha=cu_alpha,
        per_category=per_category,
        coverage=coverage,
    )


def binary_u_alpha(spans_by_coder: Mapping[str, Sequence[tuple[int, int]]], length: int) -> Coefficient:
    """|u-alpha for one category: each coder's (start, end) spans of it against the gaps."""
    as_valued = {coder: [(s, e, 1) for s, e in spans] for coder, spans in spans_by_coder.items()}
    return unitizing_alpha(as_valued, length).binary_u_alpha
