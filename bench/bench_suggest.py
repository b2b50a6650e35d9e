"""Benchmark: the offline suggester on 10,000 labelled answer units x 40 codes.

Targets (issue 14): train < 20 s on 2 cores; suggest for 1,000 answers < 2 s; evaluate with 5
grouped folds < 2 min. Baseline in the same run: a per-code loop with scikit-learn defaults
(features refitted for every code, LogisticRegression with its default solver, calibrated the
same way, one core), timed on `--baseline-codes` codes and scaled to 40.

Run: python bench/bench_suggest.py [--units 10000] [--codes 40] [--baseline-codes 8]
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = list("企业学校政府专业实训基地资金人才培养技术服务平台合作章程理事会教师工程师学生就业园区产业")


def corpus(n_units: int, n_codes: int, seed: int = 1) -> tuple[list[str], dict[str, np.ndarray], list[str]]:
    """Answers of ~60 characters; each code has two signature phrases; ~2 codes per answer."""
    rng = np.random.default_rng(seed)
    phrases = {f"C{c:02d}": ["".join(rng.choice(WORDS, 4)) for _ in range(2)] for c in range(n_codes)}
    keys = list(phrases)
    labels = {k: np.zeros(n_units, dtype=bool) for k in keys}
    texts, groups = [], []
    for u in range(n_units):
        chosen = rng.choice(n_codes, size=rng.integers(1, 4), replace=False)
        parts = ["".join(rng.choice(WORDS, rng.integers(5, 15))) for _ in range(3)]
        for c in chosen:
            labels[keys[c]][u] = True
            parts.insert(int(rng.integers(0, len(parts) + 1)), phrases[keys[c]][int(rng.integers(0, 2))])
        texts.append("，".join(parts) + "。")
        groups.append(f"r{u // 20}")  # 20 answers per respondent
    return texts, labels, groups


def baseline(texts: list[str], labels: dict[str, np.ndarray], n_codes: int) -> float:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    started = time.perf_counter()
    for key in list(labels)[:n_codes]:
        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)),
            CalibratedClassifierCV(LogisticRegression(max_iter=1000), method="sigmoid", cv=3),
        )
        model.fit(texts, labels[key])
    return time.perf_counter() - started


def main() -> None:  # noqa: C901
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--codes", type=int, default=40)
    parser.add_argument("--baseline-codes", type=int, default=8)
    parser.add_argument("--skip-evaluate", action="store_true")
    args = parser.parse_args()

    from qualcode.services.suggest.classifier import DEFAULT_PARAMS, Suggester

    texts, labels, groups = corpus(args.units, args.codes)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(texts)} units x {len(labels)} codes")
    Suggester(dict(DEFAULT_PARAMS)).fit(texts[:200], {k: y[:200] for k, y in labels.items()})  # imports

    started, cpu = time.perf_counter(), time.process_time()
    model = Suggester(dict(DEFAULT_PARAMS)).fit(texts, labels)
    train_s, train_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"train: {train_s:.2f} s wall, {train_cpu:.2f} s CPU ({len(model.classifiers)} codes modelled)")

    fresh = corpus(1000, args.codes, seed=2)[0]
    started = time.perf_counter()
    model.applies(model.predict(fresh))
    print(f"suggest 1,000 answers: {time.perf_counter() - started:.2f} s")

    base = baseline(texts, labels, args.baseline_codes)
    scaled = base * len(labels) / args.baseline_codes
    print(
        f"baseline per-code loop with defaults: {base:.2f} s for {args.baseline_codes} codes, "
        f"{scaled:.1f} s scaled to {len(labels)}; ratio baseline / qualcode {scaled / train_s:.1f}x"
    )

    if not args.skip_evaluate:
        from qualcode.core.suggest import grouped_folds
        from qualcode.services.suggest.evaluation import out_of_fold
        from qualcode.services.suggest.labels import Labelled

        data = Labelled(
            source="union",
            unit_kind="answer",
            units=None,  # type: ignore[arg-type]
            texts=texts,
            groups=groups,
            group_kind="respondent",
            labels=labels,
            humans=[],
            human_values=np.zeros((0, 0, 0), dtype=bool),
            human_done=np.zeros((0, 0), dtype=bool),
            consensus=None,
            consensus_done=None,
            code_keys=list(labels),
        )
        started = time.perf_counter()
        out_of_fold(data, grouped_folds(groups, 5), dict(DEFAULT_PARAMS))
        print(
            f"evaluate, 5 grouped folds (model fits and predictions): {time.perf_counter() - started:.1f} s"
        )


if __name__ == "__main__":
    main()
