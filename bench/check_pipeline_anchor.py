#!/usr/bin/env python3
"""pandas / SciPy / scikit-learn / XGBoost side of bench/check-pipeline.ts (run with /usr/bin/python3).

    check_pipeline_anchor.py DIR SEEDS

Reads the raw columns bench/check-pipeline.ts wrote to DIR (float64 numerics, int32 category codes,
int8 labels, float64 ids; the same values Plumbline reads from the Parquet files) and does the same
work as `plumbline check-pipeline --key id --label label`: pair rows by key (pandas merge), per feature
the share of changed rows and a constant-ratio fit, KS / chi-square drift on 20 000-row subsamples,
single-feature ROC-AUC on 50 000-row subsamples, XGBoost SHAP (pred_contribs) on 2 000 rows per side
with 200 bootstrap resamples of the importance shares; with SEEDS > 0 it also trains the models
(one per side, then SEEDS seed retrains and SEEDS bootstrap retrains, 20 000 rows each, the same
hyper-parameters as Plumbline's retrainDefaults). With SEEDS = 0 the model is given (trained here
before the clock starts, as Plumbline is given one). nthread=1. Prints one JSON object.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from scipy import stats
from sklearn.metrics import roc_auc_score

d = sys.argv[1]
seeds = int(sys.argv[2])
m = json.load(open(os.path.join(d, 'manifest.json')))
NUM, CAT = m['numeric'], m['categorical']
PARAMS = dict(objective='binary:logistic', eta=0.15, max_depth=5, subsample=0.8, colsample_bytree=0.8,
              max_bin=64, tree_method='hist', nthread=1)


def load(side):
    cols = {'id': np.fromfile(os.path.join(d, f'{side}-id.bin'), dtype=np.float64),
            'label': np.fromfile(os.path.join(d, f'{side}-label.bin'), dtype=np.int8)}
    for c in NUM:
        cols[c] = np.fromfile(os.path.join(d, f'{side}-{c}.bin'), dtype=np.float64)
    for c in CAT:
        cols[c] = np.fromfile(os.path.join(d, f'{side}-{c}.bin'), dtype=np.int32)
    return pd.DataFrame(cols)


before, after = load('before'), load('after')
features = NUM + CAT
rng = np.random.default_rng(0)


def train(df, rows, seed):
    dm = xgb.DMatrix(df[features].to_numpy(np.float64)[rows], label=df['label'].to_numpy()[rows])
    return xgb.train({**PARAMS, 'seed': seed}, dm, num_boost_round=60)


def shares(model, df, rows):
    phi = np.abs(model.predict(xgb.DMatrix(df[features].to_numpy(np.float64)[rows]), pred_contribs=True)[:, :-1])
    return phi


given = None if seeds > 0 else train(before, rng.choice(len(before), 20000, replace=False), 0)

t0 = time.process_time()
w0 = time.perf_counter()
pairs = before.merge(after, on='id', suffixes=('_b', '_a'))
changed = {}
for c in features:
    x, y = pairs[f'{c}_b'].to_numpy(np.float64), pairs[f'{c}_a'].to_numpy(np.float64)
    diff = x != y
    changed[c] = float(diff.mean())
    if diff.any() and c in NUM:
        r = np.median(y[x != 0] / x[x != 0])
        np.mean(np.abs(r * x - y) <= 1e-6 * np.maximum(np.abs(x), np.abs(y)))
    elif diff.any():
        pairs.groupby(f'{c}_b')[f'{c}_a'].nunique()
sb = before.sample(20000, random_state=1)
sa = after.sample(20000, random_state=2)
for c in NUM:
    stats.ks_2samp(sb[c], sa[c])
for c in CAT:
    t = pd.crosstab(np.r_[np.zeros(20000), np.ones(20000)], np.r_[sb[c], sa[c]])
    stats.chi2_contingency(t)
lb = before.sample(50000, random_state=3)
la = after.sample(50000, random_state=3)
for c in features:
    roc_auc_score(lb['label'], lb[c])
    roc_auc_score(la['label'], la[c])
rows_b = rng.choice(len(before), 2000, replace=False)
rows_a = rng.choice(len(after), 2000, replace=False)
if seeds > 0:
    train_rows = rng.choice(len(before), 20000, replace=False)
    mb = train(before, train_rows, 0)
    ma = train(after, rng.choice(len(after), 20000, replace=False), 0)
else:
    mb = ma = given
pb, pa = shares(mb, before, rows_b), shares(ma, after, rows_a)
for _ in range(200):
    i = rng.integers(0, 2000, 2000)
    pb[i].sum(0) / pb[i].sum()
    pa[i].sum(0) / pa[i].sum()
for k in range(seeds):
    shares(train(before, train_rows, k + 1), before, rows_b)
    shares(train(before, rng.choice(train_rows, len(train_rows)), 0), before, rows_b)
print(json.dumps({'cpuSeconds': time.process_time() - t0, 'seconds': time.perf_counter() - w0,
                  'changed': changed, 'pairs': len(pairs)}))
