"""Anchor for bench/report.ts: the same reference-vs-current comparison with SciPy and
scikit-learn (what an Evidently-style report computes), on the same data.

Reads the raw files bench/report.ts writes into DIR (float64 numeric columns, int32 category
codes, int8 labels, float64 scores; see manifest.json) and prints one JSON line with the
wall time of the computation (excluding interpreter start) and a few values for cross-checks.

Run with the interpreter that has scikit-learn: /usr/bin/python3 scripts/bench-report-anchor.py DIR
"""
import json
import sys
import time

import numpy as np
from scipy import stats
from sklearn import metrics


def psi(ref_counts, cur_counts, eps=1e-4):
    r = ref_counts / ref_counts.sum()
    c = cur_counts / cur_counts.sum()
    r = np.where(ref_counts == 0, eps, r)
    c = np.where(cur_counts == 0, eps, c)
    return float(np.sum((c - r) * np.log(c / r)))


def main(d):
    manifest = json.load(open(f"{d}/manifest.json"))
    load = lambda side, name, dtype: np.fromfile(f"{d}/{side}-{name}.bin", dtype=dtype)
    t0 = time.perf_counter()
    out = {"features": {}}
    for name in manifest["numeric"]:
        a = load("reference", name, np.float64)
        b = load("current", name, np.float64)
        ks = stats.ks_2samp(a, b)
        w = stats.wasserstein_distance(a, b) / np.std(a)
        edges = np.unique(np.quantile(a, np.arange(1, 10) / 10))
        rc = np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1)
        cc = np.bincount(np.searchsorted(edges, b, side="right"), minlength=len(edges) + 1)
        out["features"][name] = {"ks": float(ks.statistic), "p": float(ks.pvalue), "w": float(w), "psi": psi(rc, cc)}
    for name in manifest["categorical"]:
        a = load("reference", name, np.int32)
        b = load("current", name, np.int32)
        k = max(a.max(), b.max()) + 1
        rc = np.bincount(a, minlength=k)
        cc = np.bincount(b, minlength=k)
        keep = (rc + cc) > 0
        chi = stats.chi2_contingency(np.vstack([rc[keep], cc[keep]]), correction=False)
        out["features"][name] = {"chi2": float(chi[0]), "p": float(chi[1]), "psi": psi(rc, cc)}
    for side in ("reference", "current"):
        y = load(side, "label", np.int8)
        s = load(side, "score", np.float64)
        pred = (s >= 0.5).astype(np.int8)
        out[side] = {
            "accuracy": metrics.accuracy_score(y, pred),
            "precision": metrics.precision_score(y, pred),
            "recall": metrics.recall_score(y, pred),
            "f1": metrics.f1_score(y, pred),
            "rocAuc": metrics.roc_auc_score(y, s),
            "averagePrecision": metrics.average_precision_score(y, s),
            "logLoss": metrics.log_loss(y, s),
            "brier": metrics.brier_score_loss(y, s),
        }
    out["seconds"] = time.perf_counter() - t0
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
