"""The offline suggester: one calibrated linear classifier per code over shared text features.

Character n-grams work for Chinese and English without a tokenizer download; jieba words (whose
dictionary ships inside the package) can be added. The features are fitted once and shared by
every code, and the codes are fitted in parallel: that, not a different learner, is what makes
training on 10,000 answers x 40 codes fast (bench/bench_suggest.py).
"""

import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.services.suggest.assist import require

DEFAULT_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_min": 1,
    "ngram_max": 3,
    "max_features": 200_000,
    "jieba": False,
    "alpha": 1e-5,  # L2 penalty of the logistic (log-loss) linear model
    "epochs": 10,
    "calibration": "sigmoid",
    "calibration_folds": 3,
    "min_positive": 8,
    "n_jobs": 2,
}


def library_versions() -> dict[str, str]:
    import sys

    import scipy

    sklearn = require("sklearn")
    out = {"python": sys.version.split()[0], "scikit-learn": sklearn.__version__, "numpy": np.__version__}
    out["scipy"] = scipy.__version__
    try:
        import jieba

        out["jieba"] = jieba.__version__
    except ImportError:
        pass
    return out


def _jieba_words(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text) if w.strip()]


def _features(params: dict[str, Any]) -> Any:
    require("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    chars = TfidfVectorizer(
        analyzer=params["analyzer"],
        ngram_range=(params["ngram_min"], params["ngram_max"]),
        max_features=params["max_features"],
        sublinear_tf=True,
        lowercase=True,
        dtype=np.float32,
    )
    if not params.get("jieba"):
        return chars
    require("jieba")
    words = TfidfVectorizer(
        tokenizer=_jieba_words, token_pattern=None, lowercase=True, sublinear_tf=True, dtype=np.float32
    )
    return FeatureUnion([("chars", chars), ("words", words)])


def _fit_one(x: Any, y: np.ndarray, params: dict[str, Any]) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import SGDClassifier

    # Logistic regression fitted by stochastic gradient descent: on 10,000 answers, calibrated,
    # it took 0.55 s of CPU per code against 3.8 s for liblinear's (bench/bench_suggest.py data),
    # which is what lets 40 codes be trained within the time budget.
    base = SGDClassifier(
        loss="log_loss", alpha=params["alpha"], max_iter=params["epochs"], tol=None, random_state=0
    )
    folds = min(params["calibration_folds"], int(y.sum()), int((~y).sum()))
    if folds < 2:
        return base.fit(x, y)
    return CalibratedClassifierCV(base, method=params["calibration"], cv=folds).fit(x, y)


@dataclass
class Suggester:
    """Fitted features and one classifier per modelled code; `skipped` says why a code is not."""

    params: dict[str, Any]
    features: Any = None
    classifiers: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    # Per code, the probability above which the model applies the code as a coder would: the one
    # that makes it apply the code to as many training units as people did. A fixed 0.5 would make
    # a rare code never applied, which alpha rightly scores as systematic disagreement.
    thresholds: dict[str, float] = field(default_factory=dict)

    def fit(self, texts: list[str], labels: dict[str, np.ndarray]) -> "Suggester":
        from joblib import Parallel, delayed

        self.features = _features(self.params)
        x = self.features.fit_transform(texts)
        todo = []
        for key, y in labels.items():
            pos, neg = int(y.sum()), int((~y).sum())
            if pos < self.params["min_positive"]:
                self.skipped[key] = f"{pos} positive units, fewer than {self.params['min_positive']}"
            elif neg < 2:
                self.skipped[key] = "applied to (almost) every unit: nothing to tell apart"
            else:
                todo.append(key)
        fitted = Parallel(n_jobs=self.params["n_jobs"], prefer="threads")(
            delayed(_fit_one)(x, labels[k], self.params) for k in todo
        )
        self.classifiers = dict(zip(todo, fitted, strict=True))
        for key, clf in self.classifiers.items():
            p = np.sort(clf.predict_proba(x)[:, 1])
            n_pos = int(labels[key].sum())
            self.thresholds[key] = float((p[-n_pos] + p[-n_pos - 1]) / 2) if n_pos < len(p) else 0.0
        return self

    def applies(self, probabilities: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Where the model, as a coder, applies each code."""
        return {k: p >= self.thresholds.get(k, 0.5) for k, p in probabilities.items()}

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probability per modelled code and text."""
        if not texts:
            return {k: np.zeros(0) for k in self.classifiers}
        x = self.features.transform(texts)
        return {k: clf.predict_proba(x)[:, 1] for k, clf in self.classifiers.items()}

    def dumps(self) -> bytes:
        return pickle.dumps(
            {
                "params": self.params,
                "features": self.features,
                "classifiers": self.classifiers,
                "thresholds": self.thresholds,
            },
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    @classmethod
    def loads(cls, blob: bytes) -> "Suggester":
        require("sklearn")
        # The blob was written by this project's own `suggest train` and lives in its database.
        data = pickle.loads(blob)  # noqa: S301
        return cls(
            params=data["params"],
            features=data["features"],
            classifiers=data["classifiers"],
            thresholds=data["thresholds"],
        )
