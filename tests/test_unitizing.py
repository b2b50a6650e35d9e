"""The u-alpha family against Krippendorff (2019) Figure 12.11, and span-level properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.agreement.spans import segment_matches, span_agreement
from qualcode.core.agreement.unitizing import unitizing_alpha
from qualcode.core.errors import ValidationError
from tests.agreement_data import fig_12_11_half_open


def test_figure_12_11_published_values() -> None:
    r = unitizing_alpha(fig_12_11_half_open(), 60)
    assert r.u_alpha.value == pytest.approx(0.509982, abs=1e-6)
    assert r.u_alpha.value == pytest.approx(0.510, abs=1e-3)  # printed
    assert r.binary_u_alpha.value == pytest.approx(0.413599, abs=1e-6)
    assert r.binary_u_alpha.value == pytest.approx(0.413, abs=1e-3)  # printed (book rounding)
    assert r.cu_alpha.value == pytest.approx(0.724169, abs=1e-6)
    assert r.cu_alpha.value == pytest.approx(0.724, abs=1e-3)  # printed
    per = {k: v.value for k, v in r.per_category.items()}
    assert [per[k] for k in "123456"] == pytest.approx([1, 0, 0, 0, 1, 1], abs=1e-12)
    assert per["7"] is None  # value 7 never meets another coder's valued span: undefined, not 1.0
    assert r.per_category["7"].reason


def test_identical_unitizations_give_one_and_coder_order_does_not_matter() -> None:
    spans = [(0, 10, "a"), (10, 20, "b"), (25, 30, "a")]
    r = unitizing_alpha({"x": spans, "y": list(spans), "z": list(spans)}, 40)
    assert (r.u_alpha.value, r.binary_u_alpha.value, r.cu_alpha.value) == pytest.approx((1.0, 1.0, 1.0))
    data = fig_12_11_half_open()
    reordered = {k: list(reversed(data[k])) for k in ("suzan", "alex", "paul")}
    assert unitizing_alpha(reordered, 60).u_alpha.value == pytest.approx(
        unitizing_alpha(data, 60).u_alpha.value, abs=1e-12
    )


def _exact_u_alpha(data: dict[str, list[tuple[int, int, str]]], length: int) -> float | None:
    """u-alpha recomputed position by position with exact fractions (the definition, literally)."""
    from fractions import Fraction

    m = len(data)
    vals = {c: ["_"] * length for c in data}
    for c, spans in data.items():
        for s, e, v in spans:
            vals[c][s:e] = [v] * (e - s)
    cats = sorted({v for spans in data.values() for _, _, v in spans}) + ["_"]
    ell = {(a, b): Fraction(0) for a in cats for b in cats}
    for i in data:
        for j in data:
            if i != j:
                for p in range(length):
                    ell[(vals[i][p], vals[j][p])] += Fraction(1, m - 1)
    s_self = {c: Fraction(0) for c in cats}
    for spans in data.values():
        for s, e, v in spans:
            s_self[v] += (e - s) ** 2
        s_self["_"] += length - sum(e - s for s, e, _ in spans)
    total = sum(ell.values())
    marg = {c: sum(ell[(c, k)] for k in cats) for c in cats}
    denom = total * total - sum(s_self.values())
    d_o = sum(v for (a, b), v in ell.items() if a != b)
    d_e = sum(total * marg[a] * marg[b] / denom for a in cats for b in cats if a != b) if denom else 0
    return None if d_e == 0 else float(1 - d_o / d_e)


partitions = st.integers(2, 4).flatmap(
    lambda m: st.lists(
        st.lists(
            st.tuples(st.integers(1, 6), st.sampled_from(["a", "b", "c", None])), min_size=1, max_size=8
        ),
        min_size=m,
        max_size=m,
    )
)


def _to_spans(
    pieces: list[list[tuple[int, str | None]]],
) -> tuple[dict[str, list[tuple[int, int, str]]], int]:
    data, length = {}, max(sum(w for w, _ in p) for p in pieces)
    for i, p in enumerate(pieces):
        pos, spans = 0, []
        for width, value in p:
            if value is not None:
                spans.append((pos, pos + width, value))
            pos += width
        data[f"c{i}"] = spans
    return data, length


@settings(max_examples=60, deadline=None)
@given(partitions, st.permutations(["x", "y", "z"]))
def test_u_alpha_equals_exact_definition_and_ignores_labels(pieces, labels) -> None:  # type: ignore[no-untyped-def]
    data, length = _to_spans(pieces)
    fast = unitizing_alpha(data, length)
    exact = _exact_u_alpha(data, length)
    if exact is None:
        assert fast.u_alpha.value is None
    else:
        assert fast.u_alpha.value == pytest.approx(exact, abs=1e-9)
    rename = dict(zip("abc", labels, strict=True))
    relabelled = {c: [(s, e, rename[v]) for s, e, v in spans] for c, spans in data.items()}
    other = unitizing_alpha(relabelled, length)
    for a, b in (
        (fast.u_alpha, other.u_alpha),
        (fast.binary_u_alpha, other.binary_u_alpha),
        (fast.cu_alpha, other.cu_alpha),
    ):
        assert (a.value is None and b.value is None) or a.value == pytest.approx(b.value, abs=1e-12)


def test_degenerate_and_bad_spans() -> None:
    nothing = unitizing_alpha({"a": [], "b": []}, 10)
    assert nothing.u_alpha.value is None and nothing.binary_u_alpha.value is None
    full = unitizing_alpha({"a": [(0, 10, "x")], "b": [(0, 10, "x")]}, 10)
    assert full.binary_u_alpha.value is None  # no gaps anywhere
    with pytest.raises(ValidationError, match="at least two coders"):
        unitizing_alpha({"a": [(0, 3, "x")]}, 10)
    with pytest.raises(ValidationError, match="outside"):
        unitizing_alpha({"a": [(0, 11, "x")], "b": []}, 10)
    with pytest.raises(ValidationError, match="start >= end"):
        unitizing_alpha({"a": [(5, 5, "x")], "b": []}, 10)
    with pytest.raises(ValidationError, match="overlap"):
        unitizing_alpha({"a": [(0, 5, "x"), (4, 8, "y")], "b": []}, 10)


def test_nvivo_character_level_example() -> None:
    # 1000 characters: 50 coded by both, 100 only by A, 50 only by B, 800 by neither.
    spans = {"A": [(0, 150, "x")], "B": [(0, 50, "x"), (150, 200, "x")]}
    r = span_agreement(spans, 1000).per_category["x"]
    assert r.char_percent_agreement.value == pytest.approx(0.85, abs=1e-12)
    assert r.char_cohen_kappa is not None and r.char_cohen_kappa.value == pytest.approx(0.318182, abs=1e-6)
    assert r.coded_chars == {"A": 150, "B": 100}


def test_overlapping_categories_fall_back_to_binary_per_category() -> None:
    spans = {"A": [(0, 10, "x"), (5, 15, "y")], "B": [(0, 10, "x"), (5, 15, "y")], "C": [(0, 9, "x")]}
    r = span_agreement(spans, 30)
    assert r.u_alpha.value is None and r.notes and "binary" in r.notes[0]
    assert r.per_category["x"].binary_u_alpha.value is not None
    assert r.per_category["x"].char_cohen_kappa is None  # three coders
    with pytest.raises(ValidationError, match="overlapping spans of category x"):
        span_agreement({"A": [(0, 10, "x"), (5, 15, "x")], "B": []}, 30)


def test_segment_overlap_matching() -> None:
    spans = {"A": [(0, 10, "x"), (20, 30, "y")], "B": [(1, 10, "x"), (20, 24, "y")]}
    matched, unmatched = segment_matches(spans, threshold=0.8)
    assert {(m.coder, m.start) for m in matched} == {("A", 0), ("B", 1)}
    assert {(u.coder, u.start, round(u.overlap, 2)) for u in unmatched} == {("A", 20, 0.4), ("B", 20, 0.4)}
    with pytest.raises(ValidationError):
        segment_matches(spans, threshold=0)
