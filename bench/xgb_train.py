"""XGBoost anchor for bench/train.ts: trains on the raw files written by
scripts/export-flights-features.ts and prints one JSON line
{"seconds", "cpuSeconds", "auc", "trees", "xgboost"}. Timed: DMatrix construction + xgb.train
(hist sketching happens inside train), excluding file reading.

usage: /usr/bin/python3 bench/xgb_train.py DIR TREES DEPTH ETA
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score


def read_split(d):
    meta = json.load(open(f"{d}/meta.json"))
    p = len(meta["features"])
    def x(name, n):
        return np.fromfile(f"{d}/{name}", dtype="<f8").reshape(p, n).T.copy()
    return (meta, x("train-x.f64", meta["nTrain"]), np.fromfile(f"{d}/train-y.f64", dtype="<f8"),
            x("test-x.f64", meta["nTest"]), np.fromfile(f"{d}/test-y.f64", dtype="<f8"))


def params_for(ytr, depth, eta):
    return {
        "objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "max_depth": depth,
        "eta": eta, "max_bin": 256, "base_score": float(ytr.mean()), "seed": 0,
    }


def main():
    d, trees, depth, eta = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    meta, xtr, ytr, xte, yte = read_split(d)
    types = ["c" if f["type"] == "categorical" else "q" for f in meta["features"]]
    t0, c0 = time.perf_counter(), time.process_time()
    dtr = xgb.DMatrix(xtr, label=ytr, feature_types=types, enable_categorical=True, nthread=1)
    booster = xgb.train(params_for(ytr, depth, eta), dtr, trees)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    dte = xgb.DMatrix(xte, feature_types=types, enable_categorical=True, nthread=1)
    auc = roc_auc_score(yte, booster.predict(dte))
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "auc": auc, "trees": trees, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()
