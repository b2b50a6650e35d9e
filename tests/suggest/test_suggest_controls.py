"""The suggester measured by the agreement engine: positive and negative controls, grouped folds."""

from pathlib import Path

import numpy as np
import pytest

from qualcode.core.errors import ValidationError
from qualcode.core.suggest import VerdictRule, classification_scores, grouped_folds, leaked_groups
from qualcode.services.suggest.classifier import DEFAULT_PARAMS
from qualcode.services.suggest.evaluation import LeakError, evaluate, out_of_fold
from qualcode.services.suggest.labels import labelled_units
from tests.suggest_corpus import build_corpus


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    project, _ = build_corpus(tmp_path_factory.mktemp("controls"), n_docs=14)
    try:
        return evaluate(project, source="consensus", n_boot=500, seed=3)
    finally:
        project.dispose()


def _code(report: dict, key: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in report["codes"] if c["code"] == key)


def test_positive_control_alpha_near_one(report: dict) -> None:  # type: ignore[type-arg]
    word = _code(report, "WORD")
    assert word["alpha_vs_reference"]["value"] > 0.95
    assert word["f1"]["value"] > 0.95 and word["verdict"] == "suggest"
    assert word["alpha_vs_reference"]["n_units"] == report["n_units"] == 140
    assert set(word["alpha_vs_coders"]) == {"chen", "lin"}
    assert word["alpha_coders_ceiling"]["value"] == 1.0


def test_negative_control_alpha_near_zero_with_interval_covering_zero(report: dict) -> None:  # type: ignore[type-arg]
    rand = _code(report, "RAND")
    alpha = rand["alpha_vs_reference"]
    assert abs(alpha["value"]) < 0.3
    assert alpha["ci_low"] < 0 < alpha["ci_high"]
    assert rand["verdict"] == "do not suggest"
    # the people agree perfectly on the random code: the ceiling is theirs, not the model's
    assert rand["alpha_coders_ceiling"]["value"] == 1.0


def test_report_states_its_method(report: dict) -> None:  # type: ignore[type-arg]
    assert report["reference"] == "consensus" and report["folds"] == 5
    assert report["grouped_by"].startswith("document") and report["n_groups"] == 14
    assert "0.800" in report["verdict_rule"] and "0.667" in report["verdict_rule"]


def test_grouped_folds_never_split_a_group() -> None:
    rng = np.random.default_rng(0)
    groups = [f"g{int(g)}" for g in rng.integers(0, 23, 500)]
    for k in (2, 5, 10, 40):
        folds = grouped_folds(groups, k, seed=k)
        assert leaked_groups(groups, folds) == []
        assert len(np.unique(folds)) == min(k, 23)
    with pytest.raises(ValidationError):
        grouped_folds(["only"] * 5, 5)


def test_leak_is_detected_when_a_respondent_is_on_both_sides(tmp_path: Path) -> None:
    """Two documents per respondent: folds by document would put one person on both sides."""
    project, _ = build_corpus(tmp_path, n_docs=8, respondent_attr=True)
    with project.read() as s:
        data = labelled_units(s, "consensus", "answer")
    assert data.group_kind == "respondent (respondent)" and len(set(data.groups)) == 4
    folds = grouped_folds(data.groups, 5)
    assert leaked_groups(data.groups, folds) == []  # evaluate's folds keep each respondent whole
    by_document = grouped_folds([str(d) for d in data.units.doc.tolist()], 8)
    assert leaked_groups(data.groups, by_document)  # the check a test relies on can fail
    with pytest.raises(LeakError):
        out_of_fold(data, by_document, dict(DEFAULT_PARAMS))
    assert evaluate(project, source="consensus", n_boot=0)["grouped_by"] == "respondent (respondent)"


def test_classification_scores_and_verdict_rule() -> None:
    truth = np.array([1, 1, 0, 0, 1, 0], dtype=bool)
    pred = np.array([1, 0, 0, 1, 1, 0], dtype=bool)
    s = classification_scores(truth, pred, n_boot=200, seed=1)
    assert s.precision.value == pytest.approx(2 / 3) and s.recall.value == pytest.approx(2 / 3)
    assert s.f1.value == pytest.approx(2 / 3) and s.n_units == 6
    assert s.f1.ci_low is not None and s.f1.ci_low <= s.f1.value <= s.f1.ci_high
    assert classification_scores(truth, np.zeros(6, dtype=bool)).precision.value is None
    from qualcode.core.agreement.result import Coefficient

    rule = VerdictRule(good=0.8, caution=0.667)
    assert rule.verdict(Coefficient("a", 0.9, ci_low=0.7, ci_high=0.95)) == "suggest"
    assert rule.verdict(Coefficient("a", 0.9, ci_low=0.5, ci_high=0.95)) == "suggest with caution"
    assert rule.verdict(Coefficient("a", 0.7)) == "suggest with caution"
    assert rule.verdict(Coefficient("a", 0.5)) == "do not suggest"
    assert rule.verdict(Coefficient("a", None, reason="x")) == "do not suggest"
    assert VerdictRule(good=0.95, caution=0.9).verdict(Coefficient("a", 0.85)) == "do not suggest"
