#!/usr/bin/python3
"""scikit-learn side of bench/metrics-auc.ts: roc_auc_score and average_precision_score.

Usage: /usr/bin/python3 bench/metrics_auc_sklearn.py DIR REPEATS CASE...
Reads DIR/<case>.y.f64 (0/1 as float64) and DIR/<case>.s.f64 (scores), untimed; times each
metric (best of REPEATS) and prints JSON {case: {rocAuc: {seconds, value}, averagePrecision: {...}}}.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

d, repeats, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
out = {"sklearn": sklearn.__version__}
for case in cases:
    y = np.fromfile(f"{d}/{case}.y.f64", dtype=np.float64)
    s = np.fromfile(f"{d}/{case}.s.f64", dtype=np.float64)
    res = {}
    for name, fn in (("rocAuc", roc_auc_score), ("averagePrecision", average_precision_score)):
        best, value = float("inf"), None
        for _ in range(repeats):
            t = time.perf_counter()
            value = fn(y, s)
            best = min(best, time.perf_counter() - t)
        res[name] = {"seconds": best, "value": float(value)}
    out[case] = res
print(json.dumps(out))
