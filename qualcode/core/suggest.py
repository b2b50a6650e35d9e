"""Pure rules for measuring a machine coder: grouped folds, precision/recall/F1, the verdict.

The model is judged by the same agreement engine as people (`core.agreement`); this module
only adds what is specific to a classifier: folds that never split a group (a case or a
respondent) between training and test, classification scores, and the stated verdict rule.
"""

from dataclasses import dataclass

import numpy as np

from qualcode.core.agreement.alpha import resample_weights
from qualcode.core.agreement.result import Coefficient, undefined
from qualcode.core.errors import ValidationError
from qualcode.i18n import _, label_of, pgettext_noop
from qualcode.i18n.messages import Message

VERDICTS = ("suggest", "suggest with caution", "do not suggest")


def grouped_folds(groups: list[str], n_folds: int, seed: int = 0) -> np.ndarray:
    """Fold number per unit; every unit of one group lands in the same fold.

    Groups are shuffled with `seed` and dealt to folds largest first, so folds are balanced in
    units. Fewer groups than folds gives one fold per group.
    """
    if n_folds < 2:
        raise ValidationError(_("cross-validation needs at least 2 folds"))
    names, inverse, counts = np.unique(
        np.asarray(groups, dtype=object), return_inverse=True, return_counts=True
    )
    if len(names) < 2:
        raise ValidationError(
            _(
                "cross-validation needs units from at least two groups (cases or respondents); found {count}"
            ).format(count=len(names))
        )
    k = min(n_folds, len(names))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(names))
    order = order[np.argsort(-counts[order], kind="stable")]
    load = np.zeros(k, dtype=np.int64)
    fold_of_group = np.empty(len(names), dtype=np.int64)
    for g in order:
        f = int(np.argmin(load))
        fold_of_group[g] = f
        load[f] += counts[g]
    return fold_of_group[inverse]


def leaked_groups(groups: list[str], folds: np.ndarray) -> list[str]:
    """Groups whose units fall in more than one fold (would sit on both sides of a split)."""
    seen: dict[str, int] = {}
    leaked: set[str] = set()
    for g, f in zip(groups, folds.tolist(), strict=True):
        if seen.setdefault(g, f) != f:
            leaked.add(g)
    return sorted(leaked)


@dataclass(frozen=True)
class Scores:
    precision: Coefficient
    recall: Coefficient
    f1: Coefficient
    n_units: int


def _prf(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = float((truth & pred).sum())
    fp = float((~truth & pred).sum())
    fn = float((truth & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else np.nan
    r = tp / (tp + fn) if tp + fn else np.nan
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    return p, r, f


def classification_scores(
    truth: np.ndarray, pred: np.ndarray, *, n_boot: int = 0, seed: int | None = None
) -> Scores:
    """Precision, recall and F1 of `pred` against `truth` (bools per unit), with percentile
    bootstrap intervals over units. Undefined (with the reason) when nothing was predicted or true."""
    truth, pred = np.asarray(truth, dtype=bool), np.asarray(pred, dtype=bool)
    point = _prf(truth, pred)
    names = ("precision", "recall", "f1")
    reasons = (
        Message("model_applied_nowhere"),
        Message("reference_applied_nowhere"),
        Message("no_positives"),
    )
    samples = np.full((n_boot, 3), np.nan)
    if n_boot > 0 and len(truth):
        w = resample_weights(len(truth), n_boot, np.random.default_rng(seed))
        tp, fp, fn = w @ (truth & pred), w @ (~truth & pred), w @ (truth & ~pred)
        with np.errstate(divide="ignore", invalid="ignore"):
            samples = np.stack([tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)], axis=1)
    out = []
    for i, name in enumerate(names):
        if np.isnan(point[i]):
            out.append(undefined(name, reasons[i]))
            continue
        ok = samples[:, i][np.isfinite(samples[:, i])]
        if len(ok):
            lo, hi = np.percentile(ok, [2.5, 97.5])
            out.append(
                Coefficient(
                    name,
                    float(point[i]),
                    ci_low=float(lo),
                    ci_high=float(hi),
                    ci_method=f"bootstrap over units, {n_boot} resamples, percentile 95%",
                )
            )
        else:
            out.append(Coefficient(name, float(point[i])))
    return Scores(out[0], out[1], out[2], int(len(truth)))


@dataclass(frozen=True)
class VerdictRule:
    """Suggest when alpha against the reference reaches `good` and its interval's lower end
    reaches `caution`; suggest with caution when the point estimate reaches `caution`;
    otherwise (or when alpha is undefined) do not suggest."""

    good: float = 0.800
    caution: float = 0.667

    def describe(self) -> str:
        return Message("suggest_verdict_rule", good=self.good, caution=self.caution, level=0.95)

    def verdict(self, alpha: Coefficient) -> str:
        """One of VERDICTS (English: it is a JSON value; people read it through verdict_label)."""
        if alpha.value is None:
            return "do not suggest"
        low = alpha.ci_low if alpha.ci_low is not None else alpha.value
        if alpha.value >= self.good and low >= self.caution:
            return "suggest"
        if alpha.value >= self.caution:
            return "suggest with caution"
        return "do not suggest"


_VERDICT_CONTEXT = "suggester verdict"
VERDICT_LABELS = {  # one per VERDICTS entry, as written in the catalogue
    "suggest": pgettext_noop("suggester verdict", "suggest"),
    "suggest with caution": pgettext_noop("suggester verdict", "suggest with caution"),
    "do not suggest": pgettext_noop("suggester verdict", "do not suggest"),
}


def verdict_label(verdict: str) -> str:
    """A verdict as a person reads it, in the interface language."""
    return label_of(VERDICT_LABELS, verdict, _VERDICT_CONTEXT)
