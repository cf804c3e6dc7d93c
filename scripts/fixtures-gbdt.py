"""Reference fixtures for the gradient-boosting trainer (src/models/gbdt), from XGBoost 1.7.4.

Run with the system Python that has XGBoost and scikit-learn:

  /usr/bin/python3 scripts/fixtures-gbdt.py                 # tiny-data trees -> test/fixtures/gbdt-tiny-xgboost.json
  node --import tsx scripts/export-flights-features.ts /tmp/plb-flights dates
  /usr/bin/python3 scripts/fixtures-gbdt.py /tmp/plb-flights  # also the flights AUC -> test/fixtures/gbdt-flights-xgboost.json

Tiny data: small integer features (so that, with max_bin large, XGBoost's cuts are the distinct
values and both trainers see the same bins), some missing values, labels from a noisy logistic
model; one tree of depth 2 and three trees of depth 3, tree_method='hist', nthread=1,
base_score = label mean, lambda=1, eta=0.3, min_child_weight=1. Trees are written as nested dicts
{feature, threshold (x < t goes left), categories, defaultLeft, cover, left, right} / {leaf, cover}.

Flights: train 2001-01-01..21, test 2001-01-22..31, 12 features; categorical features passed as
integer codes with feature_types 'c' and enable_categorical=True (XGBoost's partition-based
categorical splits, max_cat_to_onehot=4); 100 trees, depth 6, eta 0.3, max_bin 256, hist, nthread=1.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures")


def tree_to_dict(node):
    if "leaf" in node:
        return {"leaf": node["leaf"], "cover": node["cover"]}
    kids = {c["nodeid"]: c for c in node["children"]}
    yes, no = tree_to_dict(kids[node["yes"]]), tree_to_dict(kids[node["no"]])
    cond = node["split_condition"]
    categorical = isinstance(cond, list)
    # XGBoost JSON dump: numeric "yes" is x < cond (left); categorical "yes" holds the listed codes.
    out = {
        "feature": int(node["split"][1:]),
        "defaultLeft": node["missing"] == (node["no"] if categorical else node["yes"]),
        "cover": node["cover"],
    }
    if categorical:
        out.update({"threshold": None, "categories": sorted(int(c) for c in cond), "left": no, "right": yes})
    else:
        out.update({"threshold": cond, "categories": None, "left": yes, "right": no})
    return out


def train_tiny(x, y, types, trees, depth):
    params = {
        "objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "max_depth": depth,
        "eta": 0.3, "lambda": 1.0, "min_child_weight": 1.0, "max_bin": 1024, "base_score": float(y.mean()),
        "seed": 0,
    }
    d = xgb.DMatrix(x, label=y, missing=np.nan, feature_types=types, enable_categorical="c" in types)
    booster = xgb.train(params, d, trees)
    dumps = [json.loads(t) for t in booster.get_dump(dump_format="json", with_stats=True)]
    margins = booster.predict(d, output_margin=True)
    return {
        "params": {"nTrees": trees, "maxDepth": depth, "eta": 0.3, "lambda": 1.0, "minChildWeight": 1.0,
                   "maxBin": 1024, "baseScore": float(y.mean())},
        "trees": [tree_to_dict(t) for t in dumps],
        "margins": [float(m) for m in margins],
    }


def encode(x):
    return [[None if np.isnan(v) else float(v) for v in col] for col in x.T]


def tiny_fixture():
    rng = np.random.default_rng(20261126)
    n = 80
    x = rng.integers(0, 10, size=(n, 3)).astype(float)
    x[rng.random(n) < 0.15, 1] = np.nan
    z = 0.6 * (x[:, 0] - 4.5) - 0.4 * np.nan_to_num(x[:, 1], nan=12.0) + 2.0 + rng.normal(0, 1, n)
    y = (z > 0).astype(float)
    cases = []
    for trees, depth in [(1, 2), (3, 3)]:
        c = train_tiny(x, y, ["q", "q", "q"], trees, depth)
        c.update({"name": f"numeric {trees} tree(s) depth {depth}", "types": ["numeric"] * 3,
                  "columns": encode(x), "label": y.tolist()})
        cases.append(c)
    # A categorical feature with 8 codes (partition split) next to a numeric one.
    xc = np.column_stack([rng.integers(0, 8, size=n), rng.integers(0, 6, size=n)]).astype(float)
    yc = (np.isin(xc[:, 0], [1, 4, 6]).astype(float) * 2 - 1 + 0.3 * xc[:, 1] - 0.75 + rng.normal(0, 0.7, n) > 0)
    yc = yc.astype(float)
    c = train_tiny(xc, yc, ["c", "q"], 1, 2)
    c.update({"name": "categorical 1 tree depth 2", "types": ["categorical", "numeric"], "nCategories": [8, 0],
              "columns": encode(xc), "label": yc.tolist()})
    cases.append(c)
    with open(os.path.join(OUT, "gbdt-tiny-xgboost.json"), "w") as f:
        json.dump({"generator": "scripts/fixtures-gbdt.py", "xgboost": xgb.__version__, "cases": cases}, f)


def flights_fixture(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    p = len(meta["features"])
    def x(name, n):
        return np.fromfile(os.path.join(d, name), dtype="<f8").reshape(p, n).T.copy()
    xtr, xte = x("train-x.f64", meta["nTrain"]), x("test-x.f64", meta["nTest"])
    ytr = np.fromfile(os.path.join(d, "train-y.f64"), dtype="<f8")
    yte = np.fromfile(os.path.join(d, "test-y.f64"), dtype="<f8")
    types = ["c" if f["type"] == "categorical" else "q" for f in meta["features"]]
    params = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "max_depth": 6,
              "eta": 0.3, "max_bin": 256, "base_score": float(ytr.mean()), "seed": 0}
    dtr = xgb.DMatrix(xtr, label=ytr, feature_types=types, enable_categorical=True)
    dte = xgb.DMatrix(xte, feature_types=types, enable_categorical=True)
    booster = xgb.train(params, dtr, 100)
    auc = float(roc_auc_score(yte, booster.predict(dte)))
    out = {"generator": "scripts/fixtures-gbdt.py", "xgboost": xgb.__version__, "split": meta["split"],
           "nTrain": meta["nTrain"], "nTest": meta["nTest"], "features": [f["name"] for f in meta["features"]],
           "params": {"nTrees": 100, "maxDepth": 6, "eta": 0.3, "maxBin": 256}, "testAuc": auc,
           "trainPositiveRate": float(ytr.mean())}
    with open(os.path.join(OUT, "gbdt-flights-xgboost.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    tiny_fixture()
    if len(sys.argv) > 1:
        flights_fixture(sys.argv[1])
