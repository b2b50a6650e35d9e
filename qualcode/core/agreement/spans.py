"""Span-level agreement per category: character-level binary coefficients, the unitizing
family, and a segment-overlap match.

Character level treats every code point as a unit that each coder either coded with the
category or not (NVivo's coding comparison, but with chance-corrected coefficients for any
number of coders). Runs of identical coding are one weighted unit, so the cost grows with the
number of span boundaries, not with the text length.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from qualcode.core.agreement.alpha import krippendorff_alpha
from qualcode.core.agreement.categorical import fleiss_kappa, percent_agreement
from qualcode.core.agreement.cohen import cohen_kappa_table, contingency
from qualcode.core.agreement.result import Coefficient, undefined
from qualcode.core.agreement.unitizing import (
    Span,
    binary_u_alpha,
    has_overlaps,
    unitizing_alpha,
    validate_spans,
)
from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.i18n.messages import Message

PARTITION_NOTE = Message("spans_not_partitioned")


@dataclass
class CategorySpanAgreement:
    category: Hashable
    k_u_alpha: Coefficient
    binary_u_alpha: Coefficient
    char_percent_agreement: Coefficient
    char_cohen_kappa: Coefficient | None
    char_krippendorff_alpha: Coefficient
    char_fleiss_kappa: Coefficient
    coded_chars: dict[str, int] = field(default_factory=dict)


@dataclass
class SpanAgreement:
    n_coders: int
    length: int
    u_alpha: Coefficient
    binary_u_alpha: Coefficient
    cu_alpha: Coefficient
    per_category: dict[Hashable, CategorySpanAgreement]
    notes: list[str] = field(default_factory=list)


def merge_intervals(intervals: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def char_level(
    coverage_by_coder: Sequence[Sequence[tuple[int, int]]], length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Coders x runs 0/1 codes and the run lengths, for coded/uncoded characters of one category."""
    codes, bounds = char_runs(coverage_by_coder, length)
    return codes, np.diff(bounds).astype(np.float64)


def char_runs(
    coverage_by_coder: Sequence[Sequence[tuple[int, int]]], length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Coders x runs 0/1 codes and the run boundaries (runs + 1 offsets) over [0, length)."""
    merged = [merge_intervals(spans) for spans in coverage_by_coder]
    cuts = [0, length] + [x for spans in merged for s, e in spans for x in (s, e)]
    bounds = np.unique(np.asarray(cuts, dtype=np.int64))
    left = bounds[:-1]
    codes = np.zeros((len(merged), len(left)), dtype=np.int64)
    for i, spans in enumerate(merged):
        if not spans:
            continue
        arr = np.asarray(spans, dtype=np.int64)
        pos = np.searchsorted(arr[:, 0], left, side="right") - 1
        codes[i] = ((pos >= 0) & (left < arr[np.maximum(pos, 0), 1])).astype(np.int64)
    return codes, bounds


def char_coefficients(
    coverage_by_coder: Sequence[Sequence[tuple[int, int]]], length: int
) -> dict[str, Coefficient | None]:
    codes, widths = char_level(coverage_by_coder, length)
    m, e = codes.shape
    vc = np.zeros((e, 2))
    vc[:, 1] = codes.sum(axis=0)
    vc[:, 0] = m - vc[:, 1]
    out: dict[str, Coefficient | None] = {
        "char_percent_agreement": percent_agreement(vc, widths),
        "char_krippendorff_alpha": krippendorff_alpha(vc, "nominal", unit_weights=widths),
        "char_fleiss_kappa": fleiss_kappa(vc, widths),
        "char_cohen_kappa": None,
    }
    if m == 2:
        out["char_cohen_kappa"] = cohen_kappa_table(contingency(codes[0], codes[1], 2, widths))
    return out


def span_agreement(spans_by_coder: Mapping[str, Sequence[Span]], length: int) -> SpanAgreement:
    """Everything `qualcode stats spans` reports. Raises ValidationError on bad spans, and when
    one coder's spans of the same category overlap (no binary continuum exists then)."""
    validate_spans(spans_by_coder, length, partition=False)
    coders = list(spans_by_coder)
    categories = sorted(
        {c for spans in spans_by_coder.values() for _unused, _unused, c in spans},
        key=lambda c: (str(type(c)), c),
    )
    by_cat: dict[Hashable, dict[str, list[tuple[int, int]]]] = {
        c: {k: [] for k in coders} for c in categories
    }
    for coder, spans in spans_by_coder.items():
        for s, e, c in spans:
            by_cat[c][coder].append((s, e))
    for c, per_coder in by_cat.items():
        for coder, coder_spans in per_coder.items():
            if has_overlaps([(s, e, c) for s, e in coder_spans]):
                raise ValidationError(
                    _(
                        "coder {coder!r} has overlapping spans of category {c!s}; merge or split them first"
                    ).format(coder=coder, c=c)
                )
    notes: list[str] = []
    partitioned = not any(has_overlaps(spans) for spans in spans_by_coder.values())
    if partitioned:
        family = unitizing_alpha(spans_by_coder, length)
        u, b, cu, k_u = family.u_alpha, family.binary_u_alpha, family.cu_alpha, family.per_category
    else:
        notes.append(PARTITION_NOTE)
        reason = Message("spans_overlap_see_notes")
        u, b, cu = (undefined(n, reason) for n in ("u_alpha", "binary_u_alpha", "cu_alpha"))
        k_u = {c: undefined("k_u_alpha", reason) for c in categories}
    per_category: dict[Hashable, CategorySpanAgreement] = {}
    for c in categories:
        cover = [by_cat[c][k] for k in coders]
        chars = char_coefficients(cover, length)
        per_category[c] = CategorySpanAgreement(
            category=c,
            k_u_alpha=k_u[c],
            binary_u_alpha=binary_u_alpha(by_cat[c], length),
            char_percent_agreement=chars["char_percent_agreement"],  # type: ignore[arg-type]
            char_cohen_kappa=chars["char_cohen_kappa"],
            char_krippendorff_alpha=chars["char_krippendorff_alpha"],  # type: ignore[arg-type]
            char_fleiss_kappa=chars["char_fleiss_kappa"],  # type: ignore[arg-type]
            coded_chars={k: int(sum(e - s for s, e in merge_intervals(by_cat[c][k]))) for k in coders},
        )
    return SpanAgreement(
        n_coders=len(coders),
        length=length,
        u_alpha=u,
        binary_u_alpha=b,
        cu_alpha=cu,
        per_category=per_category,
        notes=notes,
    )


@dataclass(frozen=True)
class SegmentMatch:
    coder: str
    other: str
    category: Hashable
    start: int
    end: int
    matched_start: int | None
    matched_end: int | None
    overlap: float  # best overlap ratio found with the other coder's spans of the same category


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """|a ∩ b| / |a ∪ b| as stretches of text (the hull when they do not touch gives 0)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def segment_matches(
    spans_by_coder: Mapping[str, Sequence[Span]], threshold: float = 0.9
) -> tuple[list[SegmentMatch], list[SegmentMatch]]:
    """For every coder pair (both directions), each segment is matched when the other coder has a
    segment of the same category overlapping it by at least `threshold` (intersection over union).

    Returns (matched, unmatched). The share of matched segments is a MAXQDA-style segment agreement.
    """
    if not 0 < threshold <= 1:
        raise ValidationError(_("the overlap threshold must be in (0, 1]"))
    matched: list[SegmentMatch] = []
    unmatched: list[SegmentMatch] = []
    coders = list(spans_by_coder)
    for coder in coders:
        for other in coders:
            if other == coder:
                continue
            theirs: dict[Hashable, list[tuple[int, int]]] = {}
            for s, e, c in spans_by_coder[other]:
                theirs.setdefault(c, []).append((s, e))
            arrays = {c: np.asarray(sorted(v), dtype=np.int64) for c, v in theirs.items()}
            for s, e, c in spans_by_coder[coder]:
                arr = arrays.get(c)
                best, best_span = 0.0, None
                if arr is not None and len(arr):
                    cand = arr[(arr[:, 0] < e) & (arr[:, 1] > s)]
                    for cs, ce in cand:
                        r = overlap_ratio((s, e), (int(cs), int(ce)))
                        if r > best:
                            best, best_span = r, (int(cs), int(ce))
                hit = best_span is not None and best >= threshold - 1e-12
                match_start, match_end = best_span if hit and best_span is not None else (None, None)
                record = SegmentMatch(coder, other, c, s, e, match_start, match_end, best)
                (matched if hit else unmatched).append(record)
    return matched, unmatched
