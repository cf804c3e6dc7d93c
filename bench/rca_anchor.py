"""Anchor of bench/rca.ts: the comparable core of an RCA in the Python stack on the same rows.

Reads the training rows and both windows written by bench/rca.ts, trains XGBoost with the same
parameters (not timed), then times: pred_contribs on 2 000 rows per window, SciPy KS (numeric) and
chi-square (categorical) per feature, and a pandas group-by of the error rate over every level-1 and
level-2 slice (quartile bins, categories, the pipeline tag) with a two-proportion z-test each.
Prints JSON {seconds, cpuSeconds, shapSeconds, slices}.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from scipy import stats

from rca_slices import count_slices

d, n, n_train = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = ["distance", "dep_hour", "taxi_out", "origin", "carrier"]
nf = len(names)
train = np.fromfile(f"{d}/train.f64").reshape(n_train, nf + 1)
win = np.fromfile(f"{d}/windows.f64").reshape(2 * n, nf + 4)
clf = xgb.XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.1, tree_method="hist", n_jobs=1)
clf.fit(train[:, :nf], train[:, nf])
booster = clf.get_booster()

t0 = time.perf_counter()
c0 = time.process_time()
rng = np.random.default_rng(1)
base, cur = win[:n], win[n:]
ts = time.perf_counter()
for w in (base, cur):
    rows = rng.choice(n, 2000, replace=False)
    booster.predict(xgb.DMatrix(w[rows, :nf]), pred_contribs=True)
shap_s = time.perf_counter() - ts
for j, name in enumerate(names):
    if name in ("origin", "carrier"):
        k = int(max(base[:, j].max(), cur[:, j].max())) + 1
        table = np.array([np.bincount(base[:, j].astype(int), minlength=k), np.bincount(cur[:, j].astype(int), minlength=k)])
        table = table[:, table.sum(axis=0) > 0]
        stats.chi2_contingency(table)
    else:
        stats.ks_2samp(base[:, j], cur[:, j])


def frame(w):
    f = pd.DataFrame(w[:, :nf], columns=names)
    f["pipeline"] = w[:, nf + 2]
    f["error"] = ((w[:, nf + 1] >= 0.5).astype(float) != w[:, nf]).astype(float)
    return f


fb, fc = frame(base), frame(cur)
for name in ("distance", "dep_hour", "taxi_out"):
    edges = np.quantile(fb[name], [0.25, 0.5, 0.75])
    fb[name] = np.searchsorted(edges, fb[name], side="right")
    fc[name] = np.searchsorted(edges, fc[name], side="right")
cols = names + ["pipeline"]
count = count_slices(fb, fc, cols)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0, "shapSeconds": shap_s, "slices": count}))
