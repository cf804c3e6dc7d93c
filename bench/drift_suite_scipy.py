#!/usr/bin/env python3
"""SciPy/NumPy side of bench/drift-suite.ts: the same drift tests on the same data.

Usage: python3 bench/drift_suite_scipy.py DATA_DIR REPEATS

Reads DATA_DIR/meta.json, ref.f64, cur.f64 (column-major float64) and cats.json, then times
(excluding file reading) for every numeric column: ks_2samp, wasserstein_distance, PSI on
10 reference-quantile bins (NumPy, epsilon 1e-4), jensenshannon(base=2) on those bins; for
every categorical column: value counts (np.unique), chi2_contingency, PSI and jensenshannon on
the category counts. Prints one JSON line: best time in seconds over REPEATS runs and the values.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

EPS = 1e-4


def psi(r, c):
    rp = np.where(r == 0, EPS, r / r.sum())
    cp = np.where(c == 0, EPS, c / c.sum())
    return float(np.sum((cp - rp) * np.log(cp / rp)))


def quantile_edges(ref, bins=10):
    q = np.quantile(ref, np.arange(1, bins) / bins)
    edges = np.unique(q)
    return edges[edges > ref.min()]


def numeric(ref, cur):
    ks = ks_2samp(ref, cur)
    w1 = wasserstein_distance(ref, cur)
    edges = quantile_edges(ref)
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=edges.size + 1).astype(float)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=edges.size + 1).astype(float)
    return {
        "ks": float(ks.statistic),
        "ksP": float(ks.pvalue),
        "wasserstein": float(w1),
        "psi": psi(r, c),
        "jensenShannon": float(jensenshannon(r, c, base=2)),
    }


def categorical(ref, cur):
    rk, rc = np.unique(ref, return_counts=True)
    ck, cc = np.unique(cur, return_counts=True)
    keys = np.union1d(rk, ck)
    r = np.zeros(keys.size)
    c = np.zeros(keys.size)
    r[np.searchsorted(keys, rk)] = rc
    c[np.searchsorted(keys, ck)] = cc
    chi = chi2_contingency(np.vstack([r, c]), correction=False)
    return {
        "chiSquare": float(chi.statistic),
        "chiSquareP": float(chi.pvalue),
        "psi": psi(r, c),
        "jensenShannon": float(jensenshannon(r, c, base=2)),
    }


def main():
    data_dir = Path(sys.argv[1])
    repeats = int(sys.argv[2])
    meta = json.loads((data_dir / "meta.json").read_text())
    rows, cols = meta["rows"], meta["numericColumns"]
    ref = np.fromfile(data_dir / "ref.f64", dtype="<f8").reshape(cols, rows)
    cur = np.fromfile(data_dir / "cur.f64", dtype="<f8").reshape(cols, rows)
    cats = json.loads((data_dir / "cats.json").read_text())
    cat_ref = [np.array(c) for c in cats["reference"]]
    cat_cur = [np.array(c) for c in cats["current"]]

    best = float("inf")
    results = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out_num = [numeric(ref[j], cur[j]) for j in range(cols)]
        out_cat = [categorical(r, c) for r, c in zip(cat_ref, cat_cur)]
        best = min(best, time.perf_counter() - t0)
        results = {"numeric": out_num, "categorical": out_cat}
    print(json.dumps({"seconds": best, **results}))


if __name__ == "__main__":
    main()
