"""Oracle for evaluateBinary's normal (CLT) intervals of log loss and Brier score.

Reads the cases of test/fixtures/metrics-binary.json (yTrue, scores) and writes
test/fixtures/evaluate-intervals.json: per case and confidence level, the mean of the
per-row losses (log loss clipped at float64 eps as scikit-learn, squared error) and
mean ± z·s/√n with s = std(ddof=1) and z = scipy.stats.norm.ppf(1 − α/2).

    python3 scripts/fixtures-evaluate-intervals.py   (NumPy 2, SciPy)
"""

import json
from pathlib import Path

import numpy as np
from scipy import stats

root = Path(__file__).resolve().parent.parent
cases = json.loads((root / "test/fixtures/metrics-binary.json").read_text())["cases"]
names = ["3000 continuous", "3000 rounded to 2 decimals", "2000 rare positives", "small ties (1 decimal)"]
eps = np.finfo(np.float64).eps


def interval(values, confidence):
    n = len(values)
    mean = float(np.mean(values))
    half = stats.norm.ppf(1 - (1 - confidence) / 2) * np.std(values, ddof=1) / np.sqrt(n)
    return {"value": mean, "low": float(mean - half), "high": float(mean + half)}


out = []
for c in cases:
    if c["name"] not in names:
        continue
    y = np.asarray(c["yTrue"], dtype=np.float64)
    p = np.clip(np.asarray(c["scores"], dtype=np.float64), eps, 1 - eps)
    losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    squared = (np.asarray(c["scores"], dtype=np.float64) - y) ** 2
    for confidence in (0.95, 0.9):
        out.append(
            {
                "name": c["name"],
                "confidence": confidence,
                "logLoss": interval(losses, confidence),
                "brier": interval(squared, confidence),
            }
        )

(root / "test/fixtures/evaluate-intervals.json").write_text(json.dumps({"cases": out}, indent=1) + "\n")
print(f"{len(out)} cases")
