"""Anchor of bench/rca-demo.ts: the comparable core of an RCA in the Python stack on the same demo rows.

Reads the current and baseline windows written by bench/rca-demo.ts (model features, numeric then
categorical codes, then label, score, pipeline code), trains XGBoost on the baseline rows with the
demo model's shape (60 trees, depth 6; not timed; the demo's own model is a Plumbline GBDT, which
XGBoost cannot load), then times: pred_contribs on 2 000 rows per window, SciPy KS (numeric) and
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

d, n_cur, n_base, threshold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
names = sys.argv[5].split(",")
categorical = set(sys.argv[6].split(","))
nf = len(names)
cur = np.fromfile(f"{d}/current.f64").reshape(n_cur, nf + 3)
base = np.fromfile(f"{d}/baseline.f64").reshape(n_base, nf + 3)
clf = xgb.XGBClassifier(n_estimators=60, max_depth=6, learning_rate=0.2, tree_method="hist", n_jobs=1)
clf.fit(base[:, :nf], base[:, nf])
booster = clf.get_booster()

t0 = time.perf_counter()
c0 = time.process_time()
rng = np.random.default_rng(1)
ts = time.perf_counter()
for w in (base, cur):
    rows = rng.choice(len(w), min(2000, len(w)), replace=False)
    booster.predict(xgb.DMatrix(w[rows, :nf]), pred_contribs=True)
shap_s = time.perf_counter() - ts
for j, name in enumerate(names):
    b, c = base[:, j], cur[:, j]
    b, c = b[~np.isnan(b)], c[~np.isnan(c)]
    if name in categorical:
        k = int(max(b.max(), c.max())) + 1
        table = np.array([np.bincount(b.astype(int), minlength=k), np.bincount(c.astype(int), minlength=k)])
        table = table[:, table.sum(axis=0) > 0]
        stats.chi2_contingency(table)
    else:
        stats.ks_2samp(b, c)


def frame(w):
    f = pd.DataFrame(w[:, :nf], columns=names)
    f["pipeline"] = w[:, nf + 2]
    f["error"] = ((w[:, nf + 1] >= threshold).astype(float) != w[:, nf]).astype(float)
    return f


fb, fc = frame(base), frame(cur)
for name in names:
    if name not in categorical:
        edges = np.nanquantile(fb[name], [0.25, 0.5, 0.75])
        fb[name] = np.searchsorted(edges, fb[name], side="right")
        fc[name] = np.searchsorted(edges, fc[name], side="right")
cols = names + ["pipeline"]
count = count_slices(fb, fc, cols)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0, "shapSeconds": shap_s, "slices": count}))
