"""Nominal coefficients for many groups of units at once (e.g. one result per document).

Every coefficient here is a ratio of sums over units, so per-group results are bincounts over
the group ids: one pass for all groups instead of one call per group. Matches
`unit_agreement` at nominal level (tested).
"""

from itertools import combinations

import numpy as np

from qualcode.core.agreement.result import Coefficient, undefined




def _chance(name: str, pa: np.ndarray, pe: np.ndarray, ok: np.ndarray, reason_pairs: str, reason_pe: str) -> list[Coefficient]:
    out = []
    for a, e, good in zip(pa.tolist(), pe.tolist(), ok.tolist()):
        if not good:
            out.append(undefined(name, reason_pairs))
        elif abs(1 - e) <= 1e-12:
            out.append(undefined(name, reason_pe))
        else:
            out.append(Coefficient(name, (a - e) / (1 - e)))
    return out


def grouped_nominal(codes: np.ndarray, n_values: int, groups: np.ndarray, n_groups: int, q: int,
                    coders: tuple[str, ...]) -> list[dict[str, object]]:
    """Per group: n_units, n_pairable_units, n_pairable_values and the coefficients of
    `unit_agreement(..., 'nominal')` (Cohen's kappa per pair without SE)."""
    m, n = codes.shape
    present = codes >= 0
    flat = (np.arange(n)[None, :] * n_values + np.where(present, codes, 0))[present]
    vc = np.bincount(flat, minlength=n * n_values).reshape(n, n_values).astype(float)
    r = vc.sum(axis=1)
    multi, rated = r >= 2, r >= 1
    g = groups

    def gsum(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.bincount(g[mask], weights=x[mask], minlength=n_groups)

    ones = np.ones(n)
    n_units = gsum(ones, rated)
    n_multi = gsum(ones, multi)
    n_vals = gsum(r, multi)
    safe_r = np.where(r >= 2, r * (r - 1), 1.0)
    pa_u = (vc * (vc - 1)).sum(axis=1) / safe_r
    pa = gsum(pa_u, multi) / np.maximum(n_multi, 1)
    shares = vc / np.maximum(r, 1)[:, None]
    pi = np.stack([gsum(shares[:, k], rated) for k in range(n_values)], axis=1) / np.maximum(n_units, 1)[:, None]
    has_pairs = n_multi > 0
    no_pairs = "no unit was rated by two or more coders"
    # Krippendorff: coincidences per group from per-unit products.
    scale = np.where(multi, 1.0 / np.maximum(r - 1, 1), 0.0)
    o = np.zeros((n_groups, n_values, n_values))
    for c in range(n_values):
        for k in range(c, n_values):
            prod = vc[:, c] * vc[:, k] - (vc[:, c] if c == k else 0.0)
            o[:, c, k] = o[:, k, c] = np.bincount(g, weights=prod * scale, minlength=n_groups)
    n_c = o.sum(axis=1)
    tot = n_c.sum(axis=1)
    d_o = o.sum(axis=(1, 2)) - np.trace(o, axis1=1, axis2=2)
    d_e = tot**2 - (n_c**2).sum(axis=1)
    alpha_num = (tot - 1) * d_o
    results: list[dict[str, object]] = []
    pe_fleiss = (pi**2).sum(axis=1)
    pe_ac1 = (pi * (1 - pi)).sum(axis=1) / max(q - 1, 1)
    pairs = {}
    for i, j in combinations(range(m), 2):
        both = present[i] & present[j]
        idx = g[both] * n_values * n_values + codes[i, both] * n_values + codes[j, both]
        t = np.bincount(idx, minlength=n_groups * n_values * n_values).reshape(n_groups, n_values, n_values).astype(float)
        pairs[f"{coders[i]}|{coders[j]}"] = t
    for gi in range(n_groups):
        alpha = (undefined("krippendorff_alpha_nominal", "no unit has values from two or more coders (nothing is pairable)")
                 if tot[gi] <= 0 else
                 undefined("krippendorff_alpha_nominal", "only one value occurs among the pairable values, so there is no variation to agree on")
                 if d_e[gi] <= 1e-12 else Coefficient("krippendorff_alpha_nominal", 1.0 - alpha_num[gi] / d_e[gi]))
        kappas = {}
        for name, t in pairs.items():
            tt = t[gi]
            nn = tt.sum()
            if nn <= 0:
                kappas[name] = undefined("cohen_kappa", "no unit was coded by both coders")
                continue
            p = tt / nn
            pe = float(p.sum(axis=1) @ p.sum(axis=0))
            kappas[name] = (undefined("cohen_kappa", "both coders used a single, identical value throughout, so chance agreement is 1")
                            if abs(1 - pe) <= 1e-12 else Coefficient("cohen_kappa", (float(np.trace(p)) - pe) / (1 - pe)))
        results.append({
            "n_units": int(n_units[gi]), "n_pairable_units": int(n_multi[gi]), "n_pairable_values": int(n_vals[gi]),
            "krippendorff_alpha": alpha,
            "percent_agreement": Coefficient("percent_agreement", float(pa[gi])) if has_pairs[gi] else undefined("percent_agreement", no_pairs),
            "fleiss_kappa": _chance("fleiss_kappa", pa[gi:gi + 1], pe_fleiss[gi:gi + 1], has_pairs[gi:gi + 1], no_pairs,
                                    "only one value occurs, so chance agreement is 1")[0],
            "gwet_ac1": _chance("gwet_ac1", pa[gi:gi + 1], pe_ac1[gi:gi + 1], has_pairs[gi:gi + 1], no_pairs, "chance agreement is 1")[0],
            "brennan_prediger": _chance("brennan_prediger", pa[gi:gi + 1], np.array([1.0 / q]), has_pairs[gi:gi + 1], no_pairs, "")[0],
            "cohen_kappa": kappas,
        })
    return results
