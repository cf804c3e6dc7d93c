#!/usr/bin/env python3
"""XGBoost 1.7.4 side of bench/shap.ts and bench/predict.ts (run with /usr/bin/python3).

    xgb_anchor.py prepare DIR   train the benchmark models on seeded synthetic data (cached in DIR):
                                DIR/d6.json (500 trees, depth 6), DIR/d8.json (500 trees, depth 8),
                                DIR/p6.json (300 trees, depth 6); DIR/X.f64 (raw float64, row-major,
                                20 000 x 12, NaN = missing) is the data both sides score
    xgb_anchor.py shap DIR MODEL ROWS REPEATS      best-of CPU time of pred_contribs (fresh DMatrix each run)
    xgb_anchor.py predict DIR MODEL ROWS REPEATS   best-of CPU time of inplace_predict and of DMatrix+predict
Prints one JSON object; every run uses nthread=1. Times are process CPU seconds, not wall time, so
that a loaded machine (other jobs on the same cores) does not distort the ratio.
"""
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb

NF = 12
N = 20000


def synth(rng, n):
    X = rng.normal(size=(n, NF))
    X[rng.random(X.shape) < 0.05] = np.nan
    z = np.nan_to_num(X)
    logit = z[:, 0] - 0.7 * z[:, 1] * z[:, 2] + np.sin(2 * z[:, 3]) + 0.5 * (z[:, 4] > 0.3) + 0.3 * z[:, 5] ** 2 - 0.2 * z[:, 6]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return X, y


def prepare(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(42)
    X, y = synth(rng, 40000)
    dtrain = xgb.DMatrix(X, label=y, missing=np.nan)
    for name, depth, trees in [('d6', 6, 500), ('d8', 8, 500), ('p6', 6, 300)]:
        path = os.path.join(out, f'{name}.json')
        if os.path.exists(path):
            continue
        params = {'objective': 'binary:logistic', 'max_depth': depth, 'eta': 0.05, 'nthread': 1, 'seed': 1,
                  'tree_method': 'hist', 'min_child_weight': 0.5}
        xgb.train(params, dtrain, num_boost_round=trees).save_model(path)
    Xt, _ = synth(rng, N)
    np.ascontiguousarray(Xt, dtype=np.float64).tofile(os.path.join(out, 'X.f64'))
    print(json.dumps({'ok': True}))


def load(out, model, rows):
    booster = xgb.Booster(model_file=os.path.join(out, f'{model}.json'))
    booster.set_param({'nthread': 1})
    X = np.fromfile(os.path.join(out, 'X.f64'), dtype=np.float64).reshape(-1, NF)[:rows]
    return booster, X


def best(fn, repeats):
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return min(times), result


def main():
    mode, out = sys.argv[1], sys.argv[2]
    if mode == 'prepare':
        return prepare(out)
    model, rows, repeats = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    booster, X = load(out, model, rows)
    if mode == 'shap':
        t, contribs = best(lambda: booster.predict(xgb.DMatrix(X, missing=np.nan, nthread=1), pred_contribs=True), repeats)
        print(json.dumps({'seconds': t, 'checksum': float(np.sum(contribs[:, :-1]))}))
    elif mode == 'predict':
        t_inplace, m = best(lambda: booster.inplace_predict(X, predict_type='margin', missing=np.nan), repeats)
        t_dmatrix, _ = best(lambda: booster.predict(xgb.DMatrix(X, missing=np.nan, nthread=1), output_margin=True), repeats)
        print(json.dumps({'inplaceSeconds': t_inplace, 'dmatrixSeconds': t_dmatrix, 'checksum': float(np.sum(m))}))


if __name__ == '__main__':
    main()
