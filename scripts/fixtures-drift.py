#!/usr/bin/env python3
"""Oracle fixtures for src/drift (PSI, Jensen-Shannon, Hellinger, Wasserstein-1).

Run with the `python3` first on PATH (NumPy 2.x, SciPy 1.17):

    python3 scripts/fixtures-drift.py

Writes test/fixtures/drift-distances.json. NaN is encoded as null, +/-Infinity as the strings
"Infinity" / "-Infinity"; the tests decode them.

Conventions reproduced here (and in src/drift):
- bins: interior edges at the reference's i/bins quantiles (numpy 'linear' = type 7), strictly
  increasing, an edge equal to the minimum dropped; but when the reference has at most `bins`
  distinct values, the edges are those values plus the double just above the largest (one bin
  per value); bin of v = searchsorted(edges, v, 'right').
- PSI: sum (c - r) ln(c / r) over bin proportions, an empty bin's proportion replaced by 1e-4.
- JS: scipy.spatial.distance.jensenshannon(p, q, base=2).
- Hellinger: sqrt(0.5 * sum (sqrt p - sqrt q)^2) on normalised p, q.
- W1: scipy.stats.wasserstein_distance; normalised by np.std(reference) (ddof 0).
- registry: scipy.stats.ks_2samp (method 'auto') and chi2_contingency(correction=False) on the
  2 x k table of category counts, as wired in src/drift/registry.ts.
"""

import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

EPS = 1e-4
OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "drift-distances.json"


def enc(x):
    if isinstance(x, (list, tuple, np.ndarray)):
        return [enc(v) for v in x]
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def edges_of(ref_sorted, bins):
    if ref_sorted.size == 0:
        return np.array([])
    distinct = np.unique(ref_sorted)
    if distinct.size <= bins:
        top = distinct[-1]
        nxt = 5e-324 if top == 0 else top + abs(top) * np.finfo(float).eps
        return np.append(distinct, nxt) if np.isfinite(top) else distinct
    edges = []
    for i in range(1, bins):
        e = np.quantile(ref_sorted, i / bins)
        if not edges or e > edges[-1]:
            edges.append(e)
    if edges and edges[0] <= ref_sorted[0]:
        edges.pop(0)
    return np.array(edges, dtype=float)


def bin_counts(values, edges):
    values = values[~np.isnan(values)]
    idx = np.searchsorted(edges, values, side="right")
    return np.bincount(idx, minlength=edges.size + 1).astype(float)


def psi(r, c):
    rp = r / r.sum()
    cp = c / c.sum()
    rp = np.where(r == 0, EPS, rp)
    cp = np.where(c == 0, EPS, cp)
    return float(np.sum((cp - rp) * np.log(cp / rp)))


def hellinger(p, q):
    p = p / p.sum()
    q = q / q.sum()
    return float(min(1.0, np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2))))


def js(p, q):
    d = float(jensenshannon(p, q, base=2))
    return 0.0 if math.isnan(d) and np.allclose(p / p.sum(), q / q.sum()) else d


def distances(r, c):
    return {"psi": psi(r, c), "jensenShannon": js(r, c), "hellinger": hellinger(r, c)}


def numeric_case(name, ref, cur, bins=10):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    ref_clean = np.sort(ref[~np.isnan(ref)])
    cur_clean = cur[~np.isnan(cur)]
    edges = edges_of(ref_clean, bins)
    r = bin_counts(ref_clean, edges)
    c = bin_counts(cur, edges)
    w1 = float(wasserstein_distance(ref_clean, cur_clean))
    std = float(np.std(ref_clean))
    w1n = w1 / std if std > 0 else (0.0 if w1 == 0 else math.inf)
    return {
        "name": name,
        "bins": bins,
        "reference": enc(ref),
        "current": enc(cur),
        "edges": enc(edges),
        "refCounts": enc(r),
        "curCounts": enc(c),
        "wasserstein": enc(w1),
        "normalizedWasserstein": enc(w1n),
        "refStd": enc(std),
        **distances(r, c),
    }


def counts_case(name, r, c):
    r = np.asarray(r, dtype=float)
    c = np.asarray(c, dtype=float)
    return {"name": name, "refCounts": enc(r), "curCounts": enc(c), **distances(r, c)}


def categorical_case(name, ref, cur):
    cats = list(ref.keys()) + [k for k in cur.keys() if k not in ref]
    r = np.array([ref.get(k, 0) for k in cats], dtype=float)
    c = np.array([cur.get(k, 0) for k in cats], dtype=float)
    return {"name": name, "reference": ref, "current": cur, **distances(r, c)}


def registry_numeric_case(name, ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    ks = ks_2samp(ref, cur)
    return {"name": name, "reference": enc(ref), "current": enc(cur),
            "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)}}


def registry_categorical_case(name, ref, cur):
    cats = sorted(set(ref) | set(cur))
    table = np.array([[ref.count(c) for c in cats], [cur.count(c) for c in cats]], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    chi = chi2_contingency(table, correction=False)
    return {"name": name, "reference": ref, "current": cur,
            "chiSquare": {"statistic": float(chi.statistic), "pValue": float(chi.pvalue)}}


def main():
    rng = np.random.default_rng(20261126)
    with_nan = rng.normal(0.2, 1, 400)
    with_nan[rng.choice(400, 37, replace=False)] = np.nan
    ref_nan = rng.normal(0, 1, 500)
    ref_nan[[3, 99, 250]] = np.nan
    numeric = [
        numeric_case("normal vs shifted normal", rng.normal(0, 1, 2000), rng.normal(0.3, 1.2, 1500)),
        numeric_case("same distribution", rng.normal(5, 2, 1000), rng.normal(5, 2, 1000)),
        numeric_case("identical samples", np.arange(50.0), np.arange(50.0)),
        numeric_case("constant reference", np.full(200, 3.0), rng.normal(3, 1, 100)),
        numeric_case("constant both", np.full(100, 7.0), np.full(40, 7.0)),
        numeric_case("integer ties", rng.integers(0, 5, 800), rng.integers(0, 7, 600)),
        numeric_case("heavy ties at zero", np.concatenate([np.zeros(700), rng.exponential(1, 300)]),
                     np.concatenate([np.zeros(400), rng.exponential(2, 600)])),
        numeric_case("NaN in current", rng.normal(0, 1, 500), with_nan),
        numeric_case("NaN in reference", ref_nan, rng.normal(0, 1, 300)),
        numeric_case("heavy tails (Cauchy)", rng.standard_cauchy(1500), rng.standard_cauchy(1200) * 1.5),
        numeric_case("large values around 1e6", 1e6 + rng.normal(0, 1, 1000), 1e6 + rng.normal(0.1, 1, 800)),
        numeric_case("values of 1e12 scale", rng.lognormal(20, 3, 700), rng.lognormal(21, 3, 700)),
        numeric_case("disjoint supports", rng.uniform(0, 1, 300), rng.uniform(5, 6, 200)),
        numeric_case("one value each", [1.5], [4.0]),
        numeric_case("one reference value", [2.0], rng.normal(2, 1, 50)),
        numeric_case("twenty bins", rng.gamma(2, 2, 3000), rng.gamma(2.3, 2, 2500), bins=20),
        numeric_case("three bins", rng.normal(0, 1, 300), rng.normal(0, 1, 300), bins=3),
        numeric_case("binary flag, 95 % zeros", (rng.uniform(size=2000) < 0.05).astype(float),
                     (rng.uniform(size=1000) < 0.2).astype(float)),
        numeric_case("constant reference, moved current", np.full(300, 3.0), np.full(200, 5.0)),
        numeric_case("negative small integers", rng.integers(-4, 0, 500), rng.integers(-5, 1, 400)),
    ]
    counts = [
        counts_case("no empty bins", [10, 20, 30, 40], [12, 18, 35, 35]),
        counts_case("empty current bin", [10, 20, 30, 40], [0, 25, 30, 45]),
        counts_case("empty reference bin", [0, 20, 30, 50], [5, 20, 30, 45]),
        counts_case("both empty in one bin", [10, 0, 30], [12, 0, 28]),
        counts_case("disjoint", [10, 10, 0, 0], [0, 0, 5, 5]),
        counts_case("identical proportions", [1, 2, 3], [100, 200, 300]),
        counts_case("single bin", [42], [7]),
        counts_case("fractional weights", [0.1, 0.25, 0.65], [0.3, 0.3, 0.4]),
        counts_case("huge counts", [1e12, 2e12, 3e12], [3e12, 2e12, 1e12]),
    ]
    categorical = [
        categorical_case("same categories", {"a": 50, "b": 30, "c": 20}, {"a": 40, "b": 35, "c": 25}),
        categorical_case("unseen category", {"a": 50, "b": 50}, {"a": 30, "b": 50, "z": 20}),
        categorical_case("missing category", {"a": 10, "b": 10, "c": 80}, {"a": 10, "b": 90}),
        categorical_case("binary", {"yes": 900, "no": 100}, {"no": 300, "yes": 700}),
    ]
    letters = np.array(list("abcde"))
    registry = {
        "numeric": [
            registry_numeric_case("small exact KS", rng.normal(0, 1, 300), rng.normal(0.3, 1, 200)),
            registry_numeric_case("large asymptotic KS", rng.normal(0, 1, 10500), rng.normal(0.03, 1, 3000)),
            registry_numeric_case("ties", rng.integers(0, 6, 800), rng.integers(0, 7, 500)),
        ],
        "categorical": [
            registry_categorical_case("five categories", list(rng.choice(letters, 600, p=[.4, .3, .15, .1, .05])),
                                      list(rng.choice(letters, 400, p=[.3, .3, .2, .1, .1]))),
            registry_categorical_case("binary (no Yates correction)", ["y"] * 90 + ["n"] * 10, ["y"] * 70 + ["n"] * 30),
            registry_categorical_case("unseen category", ["a"] * 50 + ["b"] * 50, ["a"] * 40 + ["b"] * 40 + ["z"] * 20),
        ],
    }
    data = {
        "generator": "scripts/fixtures-drift.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "epsilon": EPS,
        "numeric": numeric,
        "counts": counts,
        "categorical": categorical,
        "registry": registry,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
