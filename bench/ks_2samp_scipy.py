#!/usr/bin/env python3
"""SciPy side of bench/ks-2samp.ts: scipy.stats.ks_2samp on the same float64 columns.

Usage: python3 bench/ks_2samp_scipy.py DIR COLUMNS ROWS REPEATS
Reads DIR/ref.f64 and DIR/cur.f64 (column-major raw float64, COLUMNS × ROWS each), times the
loop over columns (best of REPEATS) and prints JSON {seconds, statistics, pvalues}.
"""
import json
import sys
import time

import numpy as np
from scipy import stats

d, cols, rows, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ref = np.fromfile(f'{d}/ref.f64', dtype=np.float64).reshape(cols, rows)
cur = np.fromfile(f'{d}/cur.f64', dtype=np.float64).reshape(cols, rows)
best = float('inf')
for _ in range(repeats):
    t = time.perf_counter()
    res = [stats.ks_2samp(ref[j], cur[j]) for j in range(cols)]
    best = min(best, time.perf_counter() - t)
print(json.dumps({'seconds': best, 'statistics': [float(r.statistic) for r in res],
                  'pvalues': [float(r.pvalue) for r in res]}))
