"""Every metric of src/ml/metrics.ts, computed by scikit-learn, for the cases read from stdin.

Input: a JSON list of cases {"y": [...], "p": [...], "P": [[...], ...] or null, "k": classes}.
Output: a JSON list of {metric id: value or null}; null where the model has no probabilities
(P is null) or where scikit-learn leaves the score undefined (it raises, or returns nan).
Run with Debian's python3-sklearn: /usr/bin/python3 test/support/sklearn_metrics.py
"""
import json
import math
import sys
import warnings

import numpy as np
from sklearn import metrics as m

warnings.simplefilter("ignore")


def defined(compute):
    try:
        value = float(compute())
    except ValueError:
        return None
    return None if math.isnan(value) else value


def score(case):
    y, p, k = case["y"], case["p"], case["k"]
    labels = list(range(k))
    out = {
        "accuracy": m.accuracy_score(y, p),
        "balancedAccuracy": m.balanced_accuracy_score(y, p),
        "macroPrecision": m.precision_score(y, p, average="macro", zero_division=0),
        "macroRecall": m.recall_score(y, p, average="macro", zero_division=0),
        "macroF1": m.f1_score(y, p, average="macro", zero_division=0),
        "weightedPrecision": m.precision_score(y, p, average="weighted", zero_division=0),
        "weightedRecall": m.recall_score(y, p, average="weighted", zero_division=0),
        "weightedF1": m.f1_score(y, p, average="weighted", zero_division=0),
        "kappa": defined(lambda: m.cohen_kappa_score(y, p)),
        "mcc": m.matthews_corrcoef(y, p),
        "rocAuc": None,
        "rocAucWeighted": None,
        "logLoss": None,
    }
    if case["P"] is not None:
        P = np.array(case["P"], dtype=np.float64)
        if k == 2:
            auc = defined(lambda: m.roc_auc_score(y, P[:, 1]))
            out["rocAuc"] = out["rocAucWeighted"] = auc
        else:
            for key, average in (("rocAuc", "macro"), ("rocAucWeighted", "weighted")):
                out[key] = defined(
                    lambda: m.roc_auc_score(y, P, multi_class="ovr", average=average, labels=labels)
                )
        out["logLoss"] = defined(lambda: m.log_loss(y, P, eps=1e-15, labels=labels))
    return {key: (None if value is None else float(value)) for key, value in out.items()}


json.dump([score(case) for case in json.load(sys.stdin)], sys.stdout)
