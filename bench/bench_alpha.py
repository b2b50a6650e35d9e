"""Benchmark: Krippendorff's alpha and the u-alpha family.

1. Nominal alpha, 3 coders x 1,000,000 units, 10 values, 70% unanimous units: qualcode
   (codes -> value counts -> one matrix product) against `krippendorff.alpha(reliability_data=...)`
   on the same matrix, same run. Target: >= 10x faster, equal to 1e-9.
2. u-alpha, |u-alpha, cu-alpha and (k)u-alpha on 100,000 segments (3 coders). Target: < 2 s.
3. Character-level per-category coefficients on the same spans (reported, no target).

Run: python bench/bench_alpha.py [--units N] [--segments S]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing


def best_of(fn, repeat: int):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def reliability_matrix(n_units: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 10, size=(3, n_units)).astype(float)
    agree = rng.random(n_units) < 0.7
    x[:, agree] = x[0, agree]
    return x


def ours(x: np.ndarray) -> float:
    from qualcode.core.agreement import krippendorff_alpha
    from qualcode.core.agreement.data import codes_from_numeric, value_counts

    codes, domain = codes_from_numeric(x)
    return float(krippendorff_alpha(value_counts(codes, len(domain)), "nominal").value)  # type: ignore[arg-type]


def segments(
    n_segments: int, n_coders: int = 3, seed: int = 2
) -> tuple[dict[str, list[tuple[int, int, str]]], int]:
    """Each coder partitions a common text: spans of 5-60 code points with gaps between."""
    rng = np.random.default_rng(seed)
    per = n_segments // n_coders
    length = per * 60
    out: dict[str, list[tuple[int, int, str]]] = {}
    for c in range(n_coders):
        lengths = rng.integers(5, 40, size=per)
        gaps = rng.integers(0, 20, size=per)
        starts = np.cumsum(gaps + np.r_[0, lengths[:-1]])
        ends = starts + lengths
        keep = ends <= length
        cats = rng.integers(0, 10, size=per)
        out[f"coder{c}"] = [
            (int(s), int(e), f"k{k}") for s, e, k in zip(starts[keep], ends[keep], cats[keep], strict=True)
        ]
    return out, length


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import krippendorff

    x = reliability_matrix(args.units)
    t_ours, a_ours = best_of(lambda: ours(x), args.repeat)
    t_ref, a_ref = best_of(lambda: krippendorff.alpha(reliability_data=x, level_of_measurement="nominal"), 1)
    print(f"nominal alpha, 3 coders x {args.units:,} units, 10 values")
    from importlib.metadata import version

    print(f"  krippendorff {version('krippendorff')}: {t_ref:.3f} s  alpha={a_ref:.12f}")
    print(f"  qualcode (best of {args.repeat}): {t_ours:.3f} s  alpha={a_ours:.12f}")
    print(f"  speed-up: {t_ref / t_ours:.1f}x   |difference|: {abs(a_ref - a_ours):.2e}")

    from qualcode.core.agreement.spans import span_agreement
    from qualcode.core.agreement.unitizing import unitizing_alpha

    spans, length = segments(args.segments)
    n = sum(len(v) for v in spans.values())
    t_u, fam = best_of(lambda: unitizing_alpha(spans, length), args.repeat)
    print(f"u-alpha family, {n:,} segments, 3 coders, L={length:,}: {t_u:.3f} s (best of {args.repeat})")
    print(
        f"  u_alpha={fam.u_alpha.value:.4f} binary={fam.binary_u_alpha.value:.4f} cu={fam.cu_alpha.value:.4f}"
    )
    t_s, _ = best_of(lambda: span_agreement(spans, length), 1)
    print(
        f"full span report (family + per-category binary u-alpha and character-level coefficients): {t_s:.3f} s"
    )


if __name__ == "__main__":
    main()
