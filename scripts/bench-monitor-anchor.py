#!/usr/bin/python3
"""Anchor of bench/monitor.ts: the minimal per-day monitoring script a data scientist would write
with pandas / SciPy / scikit-learn, on the same rows (a CSV written by the bench).

Per day window: KS two-sample test (scipy.stats.ks_2samp) of every numeric feature and
chi-square of every categorical one (scipy.stats.chi2_contingency) against the reference
(2001-01-01 to 2001-01-15), and accuracy and ROC-AUC (scikit-learn) of the labelled rows.
Prints {"seconds": wall, "cpu": CPU seconds (reading the CSV excluded), "days": n} as JSON.
Run with /usr/bin/python3 (pandas, SciPy, scikit-learn 1.2.1)."""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, ks_2samp
from sklearn.metrics import accuracy_score, roc_auc_score

NUMERIC = ["dep_hour", "weekday", "distance", "origin_lat", "origin_lon", "dest_lat", "dest_lon"]
CATEGORICAL = ["origin", "destination", "origin_state", "dest_state", "route"]
DAY = 86_400_000

df = pd.read_csv(sys.argv[1])
t0 = time.perf_counter()
c0 = time.process_time()
ref_end = pd.Timestamp("2001-01-15", tz="UTC").value // 1_000_000
ref = df[df.time_ms < ref_end]
ref_counts = {c: ref[c].value_counts() for c in CATEGORICAL}
df["day"] = df.time_ms // DAY
days = 0
for _, cur in df.groupby("day"):
    days += 1
    for c in NUMERIC:
        ks_2samp(ref[c].dropna().to_numpy(), cur[c].dropna().to_numpy())
    for c in CATEGORICAL:
        counts = pd.concat([ref_counts[c], cur[c].value_counts()], axis=1).fillna(0).to_numpy().T
        counts = counts[:, counts.sum(axis=0) > 0]
        chi2_contingency(counts)
    labelled = cur[cur.label >= 0]
    if len(labelled) > 0 and labelled.label.nunique() == 2:
        accuracy_score(labelled.label, (labelled.score >= 0.5).astype(int))
        roc_auc_score(labelled.label, labelled.score)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "days": days}))
