#!/usr/bin/env python3
"""Oracle fixtures for Plumbline's XGBoost JSON reader, prediction and TreeSHAP.

Run with the Debian interpreter that has XGBoost 1.7.4:

    /usr/bin/python3 scripts/fixtures-xgboost.py

Writes, for each model NAME, two files under test/fixtures/:
  xgb-NAME.model.json   the model exactly as `Booster.save_model('m.json')` writes it
  xgb-NAME.cases.json   test rows (null = missing), XGBoost's margins (output_margin=True),
                        probabilities and pred_contribs (last column = bias), and the feature names

Also writes xgb-cat-b31.model.json: the categorical model hand-edited to the XGBoost 3.1+
form of `base_score` (an array string such as "[3E-1]").
"""
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
N_FEATURES = 8


def synth(rng, n):
    """Seeded synthetic binary data; feature 7 is constant in training (never split on)."""
    X = rng.normal(size=(n, N_FEATURES))
    X[:, 3] = np.round(X[:, 3] * 2) / 2  # ties on thresholds
    logit = 1.2 * X[:, 0] - 0.8 * X[:, 1] * X[:, 2] + np.sin(2 * X[:, 3]) + 0.5 * (X[:, 4] > 0.3) - 0.4 * X[:, 5]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return X, y


def with_nans(rng, X, frac):
    X = X.copy()
    X[rng.random(X.shape) < frac] = np.nan
    return X


def write(name, booster, dtest, rows, names):
    path = os.path.join(OUT, f'xgb-{name}.model.json')
    booster.save_model(path)
    margins = booster.predict(dtest, output_margin=True)
    probs = booster.predict(dtest)
    contribs = booster.predict(dtest, pred_contribs=True)
    cases = {
        'generator': f'scripts/fixtures-xgboost.py with xgboost {xgb.__version__}',
        'featureNames': names,
        'rows': [[None if (v is None or (isinstance(v, float) and np.isnan(v))) else float(v) for v in r] for r in rows],
        'margins': [float(v) for v in margins],
        'probabilities': [float(v) for v in probs],
        'contribs': [[float(v) for v in r] for r in contribs],
    }
    with open(os.path.join(OUT, f'xgb-{name}.cases.json'), 'w') as f:
        json.dump(cases, f)
    print(name, os.path.getsize(path), 'bytes')


def numeric_model(name, rng, depth, trees, named, nan_frac=0.1, base_score=None, min_child_weight=1.0):
    X, y = synth(rng, 3000)
    X = with_nans(rng, X, nan_frac)
    X[:, 7] = 1.0
    Xt, _ = synth(rng, 150)
    Xt = with_nans(rng, Xt, 0.15)
    Xt[:5, :] = np.nan  # all-missing rows
    Xt[5:10, 3] = np.array([-0.5, 0.0, 0.5, 1.0, 1.5])  # values equal to likely thresholds
    names = [f'x{i}' for i in range(N_FEATURES)] if named else None
    dtrain = xgb.DMatrix(X, label=y, feature_names=names, missing=np.nan)
    dtest = xgb.DMatrix(Xt, feature_names=names, missing=np.nan)
    params = {
        'objective': 'binary:logistic',
        'max_depth': depth,
        'eta': 0.1,
        'nthread': 1,
        'seed': 7,
        'min_child_weight': min_child_weight,
        'tree_method': 'hist',
    }
    if base_score is not None:
        params['base_score'] = base_score
    booster = xgb.train(params, dtrain, num_boost_round=trees)
    write(name, booster, dtest, Xt.tolist(), names)


def categorical_model(rng):
    n = 3000
    X, y = synth(rng, n)
    cat = rng.integers(0, 12, size=n)
    y = np.where(np.isin(cat, [2, 5, 7, 11]), (rng.random(n) < 0.8), y).astype(float)
    small = rng.integers(0, 3, size=n)  # one-hot style splits (<= max_cat_to_onehot)
    y = np.where(small == 1, 1.0 - y * 0.0, y) * (rng.random(n) < 0.9)
    df = pd.DataFrame(X[:, :4], columns=['a', 'b', 'c', 'd'])
    df['city'] = pd.Categorical(cat, categories=list(range(12)))
    df['kind'] = pd.Categorical(small, categories=[0, 1, 2])
    df.loc[rng.random(n) < 0.05, 'city'] = np.nan
    dtrain = xgb.DMatrix(df, label=y, enable_categorical=True)
    params = {
        'objective': 'binary:logistic',
        'max_depth': 4,
        'eta': 0.2,
        'nthread': 1,
        'seed': 3,
        'tree_method': 'hist',
        'max_cat_to_onehot': 4,
        'base_score': 0.3,
    }
    booster = xgb.train(params, dtrain, num_boost_round=60)
    Xt, _ = synth(rng, 120)
    dft = pd.DataFrame(Xt[:, :4], columns=['a', 'b', 'c', 'd'])
    dft['city'] = pd.Categorical(rng.integers(0, 12, size=120), categories=list(range(12)))
    dft['kind'] = pd.Categorical(rng.integers(0, 3, size=120), categories=[0, 1, 2])
    dft.loc[rng.random(120) < 0.1, 'city'] = np.nan
    dft.loc[rng.random(120) < 0.1, 'a'] = np.nan
    dtest = xgb.DMatrix(dft, enable_categorical=True)
    rows = []
    for r in dft.itertuples(index=False):
        rows.append([float('nan') if pd.isna(v) else float(v) for v in r])
    write('cat', booster, dtest, rows, list(dft.columns))
    # The XGBoost 3.1+ form of base_score: an array string.
    with open(os.path.join(OUT, 'xgb-cat.model.json')) as f:
        model = json.load(f)
    param = model['learner']['learner_model_param']
    param['base_score'] = '[' + param['base_score'] + ']'
    with open(os.path.join(OUT, 'xgb-cat-b31.model.json'), 'w') as f:
        json.dump(model, f, separators=(',', ':'))


def multiclass_model():
    """multi:softprob with 3 classes: margins and probabilities per class, pred_contribs per class."""
    rng = np.random.default_rng(303)
    X, _ = synth(rng, 3000)
    X = with_nans(rng, X, 0.08)
    z = np.nan_to_num(X)
    y = np.argmax(np.stack([z[:, 0], z[:, 1] + 0.3 * z[:, 2], -z[:, 0] + z[:, 3]], axis=1) + rng.gumbel(size=(3000, 3)), axis=1)
    names = [f'x{i}' for i in range(N_FEATURES)]
    dtrain = xgb.DMatrix(X, label=y, feature_names=names, missing=np.nan)
    params = {'objective': 'multi:softprob', 'num_class': 3, 'max_depth': 4, 'eta': 0.2, 'nthread': 1, 'seed': 5,
              'tree_method': 'hist'}
    booster = xgb.train(params, dtrain, num_boost_round=30)
    Xt, _ = synth(rng, 80)
    Xt = with_nans(rng, Xt, 0.15)
    dtest = xgb.DMatrix(Xt, feature_names=names, missing=np.nan)
    path = os.path.join(OUT, 'xgb-multi.model.json')
    booster.save_model(path)
    cases = {
        'generator': f'scripts/fixtures-xgboost.py with xgboost {xgb.__version__}',
        'featureNames': names,
        'rows': [[None if np.isnan(v) else float(v) for v in r] for r in Xt.tolist()],
        'classMargins': booster.predict(dtest, output_margin=True).tolist(),
        'classProbabilities': booster.predict(dtest).tolist(),
        'classContribs': booster.predict(dtest, pred_contribs=True).tolist(),
    }
    with open(os.path.join(OUT, 'xgb-multi.cases.json'), 'w') as f:
        json.dump(cases, f)
    print('multi', os.path.getsize(path), 'bytes')


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261126)
    numeric_model('d3-500', rng, depth=3, trees=500, named=True)
    numeric_model('d8-50', rng, depth=8, trees=50, named=True, min_child_weight=5.0)
    numeric_model('d5-100-unnamed', rng, depth=5, trees=100, named=False, base_score=0.35)
    categorical_model(rng)
    multiclass_model()


if __name__ == '__main__':
    main()
