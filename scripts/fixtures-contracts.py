#!/usr/bin/env python3
"""Oracle for src/contracts/contract.ts: NumPy's type-7 quantiles (np.quantile, method='linear'),
mean and population std (ddof 0), null rate and category shares of seeded samples with missing values.
Writes test/fixtures/contracts.json (NaN written as null).

    python3 scripts/fixtures-contracts.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20011)
cases = []
for name, x in [
    ('lognormal', np.round(np.exp(6.3 + 0.6 * rng.standard_normal(997)))),
    ('normal-small', 3.5 + 1e-3 * rng.standard_normal(41)),
    ('heavy', rng.standard_cauchy(500) * 1e6),
]:
    x = x.astype(float)
    x[rng.random(x.size) < 0.07] = np.nan
    present = x[~np.isnan(x)]
    ps = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
    cases.append({
        'name': name,
        'values': [None if np.isnan(v) else float(v) for v in x],
        'nullRate': float(np.isnan(x).mean()),
        'mean': float(present.mean()),
        'std': float(present.std(ddof=0)),
        'min': float(present.min()),
        'max': float(present.max()),
        'quantiles': {f'p{int(round(p * 100)):02d}': float(np.quantile(present, p, method='linear')) for p in ps},
    })
labels = rng.choice(['a', 'b', 'c', 'd'], size=800, p=[0.5, 0.3, 0.15, 0.05]).astype(object)
labels[rng.random(800) < 0.05] = None
present = [v for v in labels if v is not None]
cat = {
    'values': list(labels),
    'nullRate': float(sum(v is None for v in labels) / len(labels)),
    'shares': {k: present.count(k) / len(present) for k in sorted(set(present))},
}
out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'contracts.json')
with open(out, 'w') as f:
    json.dump({'numeric': cases, 'categorical': cat}, f)
print(f'wrote {out}')
