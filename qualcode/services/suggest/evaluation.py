"""`suggest evaluate`: the suggester measured like a coder, by the project's own agreement engine.

Cross-validation keeps every case (or respondent) on one side of each split. Out-of-fold
predictions are then a coder like any other: Krippendorff's alpha against each person and
against consensus, the people's own alpha on the same units as the ceiling, precision, recall
and F1 against the reference, each with a bootstrap interval and its unit count, and a verdict.
"""

from dataclasses import asdict
from typing import Any

import numpy as np
from sqlmodel import col, select

from qualcode.core.agreement.alpha import bootstrap_alpha
from qualcode.core.agreement.data import value_counts
from qualcode.core.agreement.result import Coefficient, undefined
from qualcode.core.errors import QualcodeError
from qualcode.core.suggest import VerdictRule, classification_scores, grouped_folds, leaked_groups
from qualcode.i18n import _
from qualcode.i18n.messages import Message
from qualcode.services.suggest.classifier import Suggester
from qualcode.services.suggest.labels import Labelled, labelled_units
from qualcode.services.suggest.layer import review_counts
from qualcode.services.suggest.rows import CodeEvaluation, EvaluatedCoefficient, Evaluation
from qualcode.services.suggest.training import load_model, merged_params, model_coder_name
from qualcode.store.db import Project
from qualcode.store.models import SuggestModel


class LeakError(QualcodeError):
    """A group (case or respondent) would sit on both sides of a cross-validation split."""


def out_of_fold(
    data: Labelled, folds: np.ndarray, params: dict[str, Any], threshold: float | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Probability and application per code x unit, each by a model that never saw the unit's
    group. `threshold` None applies each code at the model's own per-code threshold."""
    leaked = leaked_groups(data.groups, folds)
    if leaked:
        raise LeakError(_("groups split across folds: {leaked}").format(leaked=', '.join(leaked[:5])))
    keys = data.code_keys
    probs = np.full((len(keys), len(data.texts)), np.nan)
    applied = np.zeros((len(keys), len(data.texts)), dtype=bool)
    for f in np.unique(folds).tolist():
        test, train = folds == f, folds != f
        if set(np.asarray(data.groups, dtype=object)[test]) & set(
            np.asarray(data.groups, dtype=object)[train]
        ):
            raise LeakError(_("fold {f} shares a group with its training data").format(f=f))
        texts = [t for t, keep in zip(data.texts, train, strict=True) if keep]
        model = Suggester(params).fit(texts, {k: data.labels[k][train] for k in keys})
        predicted = model.predict([t for t, keep in zip(data.texts, test, strict=True) if keep])
        applies = (
            model.applies(predicted)
            if threshold is None
            else {k: p >= threshold for k, p in predicted.items()}
        )
        for i, k in enumerate(keys):
            probs[i, test] = predicted[k] if k in predicted else 0.0
            applied[i, test] = applies[k] if k in applies else False
    modelled_somewhere = [k for k in keys if data.labels[k].sum() >= params["min_positive"]]
    return probs, applied, modelled_somewhere


def _alpha(rows: list[np.ndarray], masks: list[np.ndarray], n_boot: int, seed: int | None) -> Coefficient:
    """Nominal alpha of binary presence rows (coders x units), each valid where its mask is True."""
    codes = np.stack([np.where(m, r.astype(np.int64), -1) for r, m in zip(rows, masks, strict=True)])
    vc = value_counts(codes, 2)
    if (vc.sum(axis=1) >= 2).sum() == 0:
        return undefined("krippendorff_alpha", Message("no_two_coder_units"))
    result = bootstrap_alpha(vc, "nominal", n_boot=n_boot, seed=seed)
    return Coefficient(
        **{**asdict(result), "extra": {**result.extra, "n_units": int((vc.sum(axis=1) >= 2).sum())}}
    )


def _coef(c: Coefficient) -> EvaluatedCoefficient:
    out: EvaluatedCoefficient = {"value": c.value, "ci_low": c.ci_low, "ci_high": c.ci_high}
    if c.reason:
        out["reason"] = c.reason
    if "n_units" in c.extra:
        out["n_units"] = c.extra["n_units"]
    return out


def evaluate(
    project: Project,
    *,
    source: str | None = None,
    unit: str | None = None,
    folds: int = 5,
    threshold: float | None = None,
    n_boot: int = 1000,
    seed: int = 1,
    rule: VerdictRule | None = None,
    params: dict[str, Any] | None = None,
    viewer: str | None = None,
) -> Evaluation:
    """Cross-validate the suggester (the stored model's settings, or the defaults) and measure it
    per code against each person, against consensus, and against the people's own ceiling."""
    rule = rule or VerdictRule()
    with project.read() as session:
        latest = session.exec(select(SuggestModel.id).order_by(col(SuggestModel.id).desc())).first()
        stored = load_model(session, latest) if latest is not None else None
        base = dict(stored.meta["params"]) if stored else {}
        source = source or (stored.meta["source"] if stored else "union")
        unit = unit or (stored.meta["unit"] if stored else "answer")
        data = labelled_units(session, source, unit, viewer=viewer)
        reviews = review_counts(session, model_coder_name(latest)) if latest is not None else {}
    chosen = merged_params({**base, **(params or {})})
    fold_of = grouped_folds(data.groups, folds, seed)
    _unused, pred, modelled = out_of_fold(data, fold_of, chosen, threshold)
    has_consensus = data.consensus is not None
    reference = "consensus" if has_consensus else source
    codes_out: list[CodeEvaluation] = []
    for i, key in enumerate(data.code_keys):
        all_units = np.ones(len(data.texts), dtype=bool)
        if has_consensus:
            assert data.consensus is not None and data.consensus_done is not None
            ref_values, ref_mask = data.consensus[i], data.consensus_done
        else:
            ref_values, ref_mask = data.labels[key], all_units
        entry: CodeEvaluation = {
            "code": key,
            "positives": int(data.labels[key].sum()),
            "modelled": key in modelled,
        }
        if key not in modelled:
            entry["verdict"] = "do not suggest"
            entry["why"] = Message("too_few_positives", minimum=chosen["min_positive"])
            codes_out.append(entry)
            continue
        vs_ref = _alpha([ref_values, pred[i]], [ref_mask, all_units], n_boot, seed)
        entry["alpha_vs_reference"] = _coef(vs_ref)
        entry["alpha_vs_coders"] = {
            name: _coef(
                _alpha([data.human_values[i, h], pred[i]], [data.human_done[h], all_units], n_boot, seed)
            )
            for h, name in enumerate(data.humans)
        }
        if len(data.humans) >= 2:
            ceiling = _alpha(list(data.human_values[i]), list(data.human_done), n_boot, seed)
            entry["alpha_coders_ceiling"] = _coef(ceiling)
        scores = classification_scores(ref_values[ref_mask], pred[i][ref_mask], n_boot=n_boot, seed=seed)
        entry["precision"] = _coef(scores.precision)
        entry["recall"] = _coef(scores.recall)
        entry["f1"] = _coef(scores.f1)
        entry["n_reference_units"] = scores.n_units
        review = reviews.get(key)
        if review:
            decided = review["accepted"] + review["rejected"]
            entry["reviews"] = {
                **review,
                "acceptance_rate": review["accepted"] / decided if decided else None,
            }
        entry["verdict"] = rule.verdict(vs_ref)
        codes_out.append(entry)
    return {
        "source": source,
        "unit": unit,
        "reference": reference,
        "folds": int(len(np.unique(fold_of))),
        "grouped_by": data.group_kind,
        "n_units": len(data.texts),
        "n_groups": len(set(data.groups)),
        "threshold": "per code: applied to as many training units as people did"
        if threshold is None
        else threshold,
        "bootstrap": n_boot,
        "seed": seed,
        "verdict_rule": rule.describe(),
        "model": model_coder_name(latest) if latest is not None else None,
        "params": chosen,
        "codes": codes_out,
    }
