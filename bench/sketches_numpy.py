#!/usr/bin/env python3
"""NumPy side of bench/sketches.ts: the exact answers the sketches approximate.

Usage: python3 bench/sketches_numpy.py DIR REPEATS
Reads DIR/values.f64 (raw float64) and DIR/ids.f64 (raw float64 ids with repeats) and DIR/ps.json
(probabilities). Times, best of REPEATS:
  - quantiles: numpy.quantile(values, ps, method='inverted_cdf') (exact, introselect);
  - distinct: numpy.unique(ids).size (exact, sort-based).
Prints JSON {quantileSeconds, distinctSeconds, quantiles, distinct}.
"""
import json
import sys
import time

import numpy as np

d, repeats = sys.argv[1], int(sys.argv[2])
values = np.fromfile(f'{d}/values.f64', dtype=np.float64)
ids = np.fromfile(f'{d}/ids.f64', dtype=np.float64)
ps = np.array(json.load(open(f'{d}/ps.json')))


def best(f):
    out, t_best = None, float('inf')
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        t_best = min(t_best, time.perf_counter() - t)
    return out, t_best


quantiles, tq = best(lambda: np.quantile(values, ps, method='inverted_cdf'))
distinct, td = best(lambda: int(np.unique(ids).size))
print(json.dumps({'quantileSeconds': tq, 'distinctSeconds': td, 'quantiles': quantiles.tolist(),
                  'distinct': distinct}))
