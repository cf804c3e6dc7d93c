#!/usr/bin/python3
"""Oracle for src/metrics/cbpe.ts: sklearn.isotonic.IsotonicRegression(out_of_bounds='clip')
fitted on seeded scores/labels (with ties), predicted on query points.
Run with /usr/bin/python3 (scikit-learn 1.2.1): writes test/fixtures/metrics-cbpe.json."""
import json

import numpy as np
from sklearn.isotonic import IsotonicRegression

cases = []
rng = np.random.default_rng(20011)
for n, decimals in [(50, 1), (400, 2), (3000, 3), (2000, None)]:
    s = rng.beta(2, 3, n)
    if decimals is not None:
        s = np.round(s, decimals)
    p = np.clip(s**1.5 + 0.05, 0, 1)
    y = (rng.random(n) < p).astype(int)
    q = np.concatenate([[-0.5, 0.0, 1.0, 1.5], rng.random(60), s[:20]])
    iso = IsotonicRegression(out_of_bounds="clip").fit(s, y)
    cases.append(
        {
            "scores": s.tolist(),
            "labels": y.tolist(),
            "query": q.tolist(),
            "predicted": iso.predict(q).tolist(),
            "knots": len(iso.X_thresholds_),
        }
    )
with open("test/fixtures/metrics-cbpe.json", "w") as f:
    json.dump({"generator": "scripts/fixtures-cbpe.py", "sklearn": __import__("sklearn").__version__, "cases": cases}, f)
