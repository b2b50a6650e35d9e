"""Case profiles and the cluster check: pure maths, checked by hand and against published values."""

import numpy as np
import pytest

from qualcode.core.clusters import (
    adjusted_rand_index,
    bootstrap_jaccard,
    cluster_check,
    silhouette,
    ward_labels,
)
from qualcode.core.errors import QualcodeError
from qualcode.core.profiles import (
    CodedSpan,
    DocumentFrame,
    case_measures,
    combine_coders,
    document_measures,
    intersect_length,
    shares,
    union_intervals,
)


def test_union_and_intersection() -> None:
    assert union_intervals([(5, 8), (0, 3), (2, 4), (8, 9), (10, 10)]) == [(0, 4), (5, 9)]
    assert intersect_length([(0, 4), (5, 9)], [(3, 6)]) == 2


def span(doc: str, code: str, s: int, e: int, coder: str = "a") -> CodedSpan:
    return CodedSpan(doc, code, code.split(".")[0], s, e, coder)


def test_coverage_counts_overlap_once_and_only_respondent_text() -> None:
    frame = DocumentFrame("d", "C", "gov", ((10, 60), (70, 120)))  # 100 respondent chars
    spans = [
        span("d", "TAL.A", 10, 30),
        span("d", "TAL.B", 20, 40),
        span("d", "ADM.X", 55, 75),
        span("d", "TEC.Y", 0, 5),
    ]
    m = document_measures(frame, spans)
    assert m.respondent_chars == 100
    assert m.coverage["TAL"] == pytest.approx(0.30)  # [10,40) once, not 20+20
    assert m.coverage["TAL.A"] == pytest.approx(0.20)
    assert m.coverage["ADM"] == pytest.approx(0.10)  # 55-60 and 70-75: interviewer gap excluded
    assert "TEC" not in m.coverage  # interviewer-only span ignored
    assert m.frequency == {"TAL": 2, "TAL.A": 1, "TAL.B": 1, "ADM": 1, "ADM.X": 1}


def test_mean_of_role_means_stops_one_role_dominating() -> None:
    frames = [
        DocumentFrame("g1", "C", "gov", ((0, 100),)),
        DocumentFrame("g2", "C", "gov", ((0, 100),)),
        DocumentFrame("g3", "C", "gov", ((0, 100),)),
        DocumentFrame("e1", "C", "ent", ((0, 100),)),
    ]
    spans = [span(d, "ADM.X", 0, 50) for d in ("g1", "g2", "g3")] + [span("e1", "TEC.Y", 0, 50)]
    (roles,) = case_measures(frames, spans, "mean_of_role_means", expected_roles=["ent", "gov", "sch"])
    assert roles.coverage["ADM"] == pytest.approx(0.25) and roles.coverage["TEC"] == pytest.approx(0.25)
    assert roles.missing_roles == ["sch"]
    (docs,) = case_measures(frames, spans, "mean_of_documents")
    assert docs.coverage["ADM"] == pytest.approx(0.375) and docs.coverage["TEC"] == pytest.approx(0.125)
    (pooled,) = case_measures(frames, spans, "pooled")
    assert pooled.frequency["ADM"] == 3 and pooled.coverage["ADM"] == pytest.approx(150 / 400)
    assert roles.codes_present == frozenset({"ADM", "ADM.X", "TEC", "TEC.Y"})


def test_bad_aggregation_is_refused() -> None:
    with pytest.raises(QualcodeError, match="unknown aggregation 'median'"):
        case_measures([], [], "median")


def test_combine_coders_union_and_majority() -> None:
    spans = [
        span("d", "X.A", 0, 10, "a"),
        span("d", "X.A", 5, 15, "b"),
        span("d", "X.A", 8, 20, "c"),
        span("d", "X.A", 0, 10, "a"),
    ]
    union = combine_coders(spans, "union", ["a", "b", "c"])
    assert [(s.start, s.end) for s in union] == [(0, 20)]
    majority = combine_coders(spans, "majority", ["a", "b", "c"])
    assert [(s.start, s.end) for s in majority] == [(5, 15)]  # chars coded by at least 2 of 3
    five = combine_coders(spans, "majority", ["a", "b", "c", "d", "e"])
    assert [(s.start, s.end) for s in five] == [(8, 10)]  # the only chars all of a, b, c coded
    # per document: four coders worked on d (x found nothing), so three are needed there
    per_doc = combine_coders(spans, "majority", ["a", "b", "c", "d", "e"], {"d": ["a", "b", "c", "x"]})
    assert [(s.start, s.end) for s in per_doc] == [(8, 10)]
    per_doc3 = combine_coders(spans, "majority", ["a", "b", "c", "d", "e"], {"d": ["a", "b", "c"]})
    assert [(s.start, s.end) for s in per_doc3] == [(5, 15)]
    with pytest.raises(QualcodeError, match="unknown way to combine coders"):
        combine_coders(spans, "any", ["a"])


def test_shares() -> None:
    assert shares({"A": 1.0, "B": 3.0, "Z": 9.0}, ["A", "B"]) == {"A": 0.25, "B": 0.75}
    assert shares({}, ["A", "B"]) is None


def test_adjusted_rand_index_published_values() -> None:
    # scikit-learn user guide examples (adjusted_rand_score)
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.242424, abs=1e-6)
    assert adjusted_rand_index([0, 0, 1, 2], [0, 0, 1, 1]) == pytest.approx(0.571428, abs=1e-6)
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0


def test_silhouette_by_hand() -> None:
    x = np.array([[0.0], [1.0], [5.0], [6.0]])
    expected = ((1 - 1 / 5.5) + (1 - 1 / 4.5)) / 2
    assert silhouette(x, np.array([1, 1, 2, 2])) == pytest.approx(expected)
    assert silhouette(x, np.array([1, 2, 2, 2])) < expected


def three_groups(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    return np.vstack([c + rng.normal(0, 0.02, size=(4, 3)) for c in centres])


def test_ward_finds_separated_groups_and_they_are_stable() -> None:
    x = three_groups()
    labels = ward_labels(x, 3)
    assert labels.tolist() == [1] * 4 + [2] * 4 + [3] * 4
    means, sds = bootstrap_jaccard(x, labels, 3, replicates=50, seed=7)
    assert min(means) > 0.95
    assert bootstrap_jaccard(x, labels, 3, 50, 7) == (means, sds)  # seeded


def test_cluster_check_picks_k_and_compares_with_types() -> None:
    x = three_groups()
    cases = [f"c{i}" for i in range(12)]
    types = ["A"] * 4 + ["B"] * 4 + ["C"] * 2 + ["B"] * 2
    res = cluster_check(cases, ["f1", "f2", "f3"], x, types, replicates=30, seed=3)
    assert res.best_k == 3 and set(res.silhouette) == {2, 3, 4, 5}
    assert res.crosstab == {"A": {"1": 4}, "B": {"2": 4, "3": 2}, "C": {"3": 2}}
    assert res.ari == pytest.approx(adjusted_rand_index(types, [1] * 4 + [2] * 4 + [3] * 4))
    d = res.to_dict()
    assert d["assignments"]["c0"] == 1 and d["clusters"][0]["size"] == 4


def test_cluster_check_skips_small_or_flat_data_with_a_reason() -> None:
    res = cluster_check(["a", "b"], ["f"], np.array([[0.0], [1.0]]), ["X", "Y"])
    assert res.skipped == "only 2 cases with a profile; the cluster check needs at least 8"
    flat = cluster_check([str(i) for i in range(9)], ["f"], np.zeros((9, 1)), ["X"] * 9)
    assert flat.skipped is not None and "distinct" in flat.skipped
    assert flat.to_dict() == {"skipped": flat.skipped, "features": ["f"]}


def test_intersection_length_counts_each_shared_character_once() -> None:
    """The bisecting count equals counting the characters both interval lists cover."""
    rng = np.random.default_rng(5)
    for _ in range(200):
        respondent = union_intervals(
            (int(s), int(s) + int(w))
            for s, w in zip(rng.integers(0, 200, 8), rng.integers(1, 30, 8), strict=True)
        )
        coded = union_intervals(
            (int(s), int(s) + int(w))
            for s, w in zip(rng.integers(0, 220, 5), rng.integers(1, 40, 5), strict=True)
        )
        covered = {c for s, e in respondent for c in range(s, e)}
        assert intersect_length(respondent, coded) == sum(c in covered for s, e in coded for c in range(s, e))
