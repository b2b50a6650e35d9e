"""The data-driven check on a typology: Ward clustering of case profiles.

Only a check. Clusters are reported next to the rule-based types and never
relabel a case. Stability follows Hennig (2007) as in `fpc::clusterboot`: for
each bootstrap resample the data are clustered again and every original
cluster's best Jaccard match among the new clusters is recorded; the mean over
resamples is its stability.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform
from scipy.special import comb

from qualcode.i18n import _
from qualcode.i18n.messages import Message


@dataclass
class ClusterResult:
    """Everything the check found, or why it was skipped."""

    skipped: str | None = None  # reason, when no clustering was done
    features: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    silhouette: dict[int, float] = field(default_factory=dict)  # k -> mean silhouette
    best_k: int | None = None
    labels: dict[int, list[int]] = field(default_factory=dict)  # k -> cluster per case (1-based)
    centroids: list[list[float]] = field(default_factory=list)  # best k: cluster x feature
    sizes: list[int] = field(default_factory=list)
    jaccard_mean: list[float] = field(default_factory=list)  # best k, per cluster
    jaccard_sd: list[float] = field(default_factory=list)
    replicates: int = 0
    seed: int = 0
    crosstab: dict[str, dict[str, int]] = field(default_factory=dict)  # type -> cluster -> n
    ari: float | None = None

    def to_dict(self) -> dict[str, object]:
        if self.skipped:
            return {"skipped": self.skipped, "features": self.features}
        assert self.best_k is not None
        return {
            "skipped": None,
            "features": self.features,
            "method": "ward",
            "distance": "euclidean",
            "silhouette": {str(k): v for k, v in self.silhouette.items()},
            "best_k": self.best_k,
            "assignments": dict(zip(self.cases, self.labels[self.best_k], strict=True)),
            "clusters": [
                {
                    "cluster": i + 1,
                    "size": self.sizes[i],
                    "centroid": dict(zip(self.features, self.centroids[i], strict=True)),
                    "jaccard_mean": self.jaccard_mean[i],
                    "jaccard_sd": self.jaccard_sd[i],
                }
                for i in range(self.best_k)
            ],
            "bootstrap": {"replicates": self.replicates, "seed": self.seed},
            "crosstab": self.crosstab,
            "adjusted_rand_index": self.ari,
        }


def ward_labels(x: np.ndarray, k: int) -> np.ndarray:
    """Ward clusters 1..k, numbered by first appearance so labels do not depend on scipy's order."""
    tree = linkage(x, method="ward", metric="euclidean")
    raw = fcluster(tree, t=k, criterion="maxclust")
    order: dict[int, int] = {}
    for value in raw:
        order.setdefault(int(value), len(order) + 1)
    return np.array([order[int(v)] for v in raw])


def silhouette(x: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette width (Rousseeuw 1987); a singleton cluster scores 0 for its member."""
    d = squareform(pdist(x, metric="euclidean"))
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return 0.0
    widths = np.zeros(len(x))
    for i in range(len(x)):
        own = labels == labels[i]
        if own.sum() == 1:
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == c].mean() for c in clusters if c != labels[i])
        widths[i] = (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return float(widths.mean())


def adjusted_rand_index(a: Sequence[object], b: Sequence[object]) -> float:
    """Hubert & Arabie (1985) adjusted Rand index of two labelings of the same items."""
    if len(a) != len(b):
        raise ValueError(_("labelings differ in length"))
    _unused, ai = np.unique(np.asarray(a, dtype=str), return_inverse=True)
    _unused, bi = np.unique(np.asarray(b, dtype=str), return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.int64)
    np.add.at(table, (ai, bi), 1)
    n = len(a)
    sum_cells = comb(table, 2).sum()
    sum_rows = comb(table.sum(axis=1), 2).sum()
    sum_cols = comb(table.sum(axis=0), 2).sum()
    expected = sum_rows * sum_cols / comb(n, 2) if n > 1 else 0.0
    maximum = (sum_rows + sum_cols) / 2
    if maximum == expected:
        return 1.0
    return float((sum_cells - expected) / (maximum - expected))


def bootstrap_jaccard(
    x: np.ndarray, labels: np.ndarray, k: int, replicates: int, seed: int
) -> tuple[list[float], list[float]]:
    """Clusterwise mean and SD of the best Jaccard match over bootstrap resamples."""
    rng = np.random.default_rng(seed)
    n = len(x)
    original = [set(np.flatnonzero(labels == c + 1)) for c in range(k)]
    records: list[list[float]] = [[] for _unused in range(k)]
    for _unused in range(replicates):
        sample = rng.integers(0, n, size=n)
        if len(np.unique(x[sample], axis=0)) < k:
            continue  # too few distinct points to form k clusters
        new = ward_labels(x[sample], k)
        drawn = set(sample.tolist())
        found = [set(sample[new == c + 1].tolist()) for c in range(k)]
        for c, members in enumerate(original):
            kept = members & drawn
            if not kept:
                continue
            best = max(len(kept & f) / len(kept | f) for f in found)
            records[c].append(best)
    means = [float(np.mean(r)) if r else float("nan") for r in records]
    sds = [float(np.std(r, ddof=1)) if len(r) > 1 else float("nan") for r in records]
    return means, sds


def cluster_check(
    cases: Sequence[str],
    features: Sequence[str],
    matrix: np.ndarray,
    types: Sequence[str],
    k_candidates: Sequence[int] = (2, 3, 4, 5),
    min_cases: int = 8,
    replicates: int = 200,
    seed: int = 20250101,
) -> ClusterResult:
    """Ward clustering for each k, silhouette, bootstrap stability for the best k, and agreement with types."""
    result = ClusterResult(features=list(features), cases=list(cases), replicates=replicates, seed=seed)
    n = len(cases)
    if n < min_cases:
        result.skipped = Message("too_few_cases_to_cluster", n=n, minimum=min_cases)
        return result
    x = np.asarray(matrix, dtype=float)
    distinct = len(np.unique(x, axis=0))
    ks = sorted({k for k in k_candidates if 2 <= k <= min(n - 1, distinct)})
    if not ks:
        result.skipped = Message("too_few_distinct_profiles", distinct=distinct, n=n)
        return result
    for k in ks:
        labels = ward_labels(x, k)
        result.labels[k] = labels.tolist()
        result.silhouette[k] = silhouette(x, labels)
    best = max(ks, key=lambda k: (round(result.silhouette[k], 12), -k))
    result.best_k = best
    labels = np.array(result.labels[best])
    result.sizes = [int((labels == c + 1).sum()) for c in range(best)]
    result.centroids = [x[labels == c + 1].mean(axis=0).tolist() for c in range(best)]
    result.jaccard_mean, result.jaccard_sd = bootstrap_jaccard(x, labels, best, replicates, seed)
    for t, c in zip(types, labels, strict=True):
        row = result.crosstab.setdefault(t, {})
        row[str(c)] = row.get(str(c), 0) + 1
    result.crosstab = {t: dict(sorted(row.items())) for t, row in sorted(result.crosstab.items())}
    result.ari = adjusted_rand_index(list(types), labels.tolist())
    return result
