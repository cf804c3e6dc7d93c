"""Oracle for src/monitor/day-baseline.ts: Student t CDF/quantiles and day prediction intervals.

Prediction interval for one new observation (Hahn & Meeker 1991):
mean +- t.ppf(1 - alpha/2, k - 1) * s * sqrt(1 + 1/k), s with ddof=1.
Run: python3 scripts/fixtures-day-baseline.py  (writes test/fixtures/day-baseline.json)
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261127)
cdf = []
for df in [1, 2, 4, 9, 30, 200]:
    for t in [-7.5, -2.0, -0.3, 0.0, 0.8, 2.262, 5.0, 40.0]:
        cdf.append({"t": t, "df": df, "cdf": float(stats.t.cdf(t, df))})
ppf = []
for df in [1, 3, 9, 19, 100]:
    for p in [0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.99975, 1 - 1e-6]:
        ppf.append({"p": p, "df": df, "q": float(stats.t.ppf(p, df))})
intervals = []
for k, alpha in [(5, 0.05), (10, 0.05), (10, 0.001), (7, 0.2), (30, 0.01)]:
    values = rng.normal(0.68, 0.05, size=k)
    m = values.mean()
    s = values.std(ddof=1)
    half = stats.t.ppf(1 - alpha / 2, k - 1) * s * np.sqrt(1 + 1 / k)
    intervals.append(
        {"values": values.tolist(), "alpha": alpha, "mean": m, "sd": s, "low": m - half, "high": m + half}
    )
with open("test/fixtures/day-baseline.json", "w") as f:
    json.dump({"cdf": cdf, "ppf": ppf, "intervals": intervals}, f, indent=1)
