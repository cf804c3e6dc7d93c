#!/usr/bin/env python3
"""Reference values for src/stats (engineer A's part), computed with SciPy.

Run with the python3 that has NumPy 2.x and SciPy 1.17:
    python3 scripts/fixtures-stats.py
Writes test/fixtures/stats-*.json. Non-finite numbers are encoded as the strings
"NaN", "Infinity", "-Infinity" (JSON cannot hold them); tests decode them.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats
from fixture_json import encode

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
rng = np.random.default_rng(20261126)


def write(name, payload):
    payload = {'generator': 'scripts/fixtures-stats.py', 'scipy': scipy.__version__, 'numpy': np.__version__, **payload}
    path = os.path.join(OUT, f'stats-{name}.json')
    with open(path, 'w') as f:
        json.dump(encode(payload), f, separators=(',', ':'))
    print(path, os.path.getsize(path), 'bytes')


def r(a, nd=6):
    """Round data to nd significant digits so fixtures stay small (values are then exact inputs)."""
    return [float(f'{v:.{nd}g}') for v in np.asarray(a, dtype=float)]


#### distributions ####

def distributions():
    global rng
    rng = np.random.default_rng(20261126 + 2)  # one stream per fixture file
    xs = [-40, -38.5, -30, -10, -5, -2, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 2, 5, 8.3, 10, 30, 38.5]
    normal = [{'x': x, 'cdf': special.ndtr(x), 'sf': stats.norm.sf(x)} for x in xs]
    ps = [1e-300, 1e-100, 1e-30, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.98,
          0.999, 1 - 1e-10, 0.3 + 1e-12, 0.5 + 1e-12, 0.5 - 1e-15, 0.4999, 0.6, 0.25, 0.75, 0.0243, 0.9757,
          1 - 2**-53]
    quantiles = [{'p': p, 'x': special.ndtri(p)} for p in ps]
    chi2 = []
    for dof in [1, 2, 3, 5, 10, 30, 100, 1000]:
        for x in [0, 1e-8, 0.1, 0.5, 1, 2, 3.84, 10, 50, 200, 1500, 3000]:
            chi2.append({'x': x, 'dof': dof, 'sf': stats.chi2.sf(x, dof)})
    kolmogorov = [{'x': x, 'sf': special.kolmogorov(x)} for x in
                  [0, 0.01, 0.04, 0.05, 0.1, 0.3, 0.5, 0.8, 0.82, 0.83, 1, 1.36, 2, 3, 5, 10, 20, 27.3]]
    smirnov = []
    for n in [1, 2, 3, 5, 10, 50, 100, 1000, 5000, 50000]:
        for x in [0.0, 1e-4, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0]:
            smirnov.append({'n': n, 'x': x, 'sf': special.smirnov(n, x)})
    kstwo = []
    for n in [1, 2, 3, 5, 10, 20, 50, 100, 140, 141, 200, 500, 1000, 5000, 10000, 50000, 100000, 100001, 1000000]:
        ds = [0.0, 0.3 / n, 0.5 / n, 0.75 / n, 1 / n, 1.5 / n, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.8,
              1 - 1.5 / n, 1 - 0.5 / n, 1.0]
        # points around each regime switch (n·d² = 0.754693, 2.2, 4, 18, 370; n·d^1.5 = 1.4)
        for c in [0.5, 0.754693, 1.2, 2.2, 3, 4, 8, 18, 50, 370]:
            ds.append(math.sqrt(c / n))
        ds.append((1.4 / n) ** (2 / 3))
        for d in sorted(set(ds)):
            if 0 <= d <= 1:
                kstwo.append({'n': n, 'd': d, 'sf': stats.kstwo.sf(d, n)})
    binom_ln = [{'n': n, 'k': k, 'value': special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)}
                for n, k in [(0, 0), (5, 2), (10, 10), (50, 25), (1000, 3), (10**6, 5 * 10**5), (10**9, 17)]]
    hyper = []
    for k, M, n, N in [(0, 10, 3, 4), (2, 10, 3, 4), (3, 10, 3, 4), (5, 100, 30, 20), (600, 2000, 1000, 1200),
                       (0, 50, 0, 10), (4, 10, 3, 4)]:
        hyper.append({'k': k, 'total': M, 'successes': n, 'draws': N, 'pmf': stats.hypergeom.pmf(k, M, n, N)})
    write('distributions', {'normal': normal, 'normalQuantile': quantiles, 'chiSquare': chi2,
                            'kolmogorov': kolmogorov, 'smirnov': smirnov, 'kstwo': kstwo,
                            'binomialCoefficientLn': binom_ln, 'hypergeometric': hyper})


#### KS two-sample ####

def ks_case(name, a, b, alternative='two-sided', method='auto', keep_data=True):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        res = stats.ks_2samp(a, b, alternative=alternative, method=method)
    fell_back = any('Switching' in str(x.message) for x in w)
    n1, n2 = len(a), len(b)
    if method == 'auto':
        used = 'exact' if max(n1, n2) <= 10000 else 'asymp'
    else:
        used = method
    if fell_back:
        used = 'asymp'
    case = {'name': name, 'alternative': alternative, 'method': method, 'n1': n1, 'n2': n2,
            'statistic': res.statistic, 'pValue': res.pvalue, 'usedMethod': used,
            'statisticLocation': res.statistic_location, 'statisticSign': int(res.statistic_sign)}
    if keep_data:
        case['a'] = list(a)
        case['b'] = list(b)
    return case


def ks():
    global rng
    rng = np.random.default_rng(20261126 + 3)  # one stream per fixture file
    cases = []
    alts = ['two-sided', 'less', 'greater']
    datasets = [
        ('normal small shift', r(rng.normal(0, 1, 40)), r(rng.normal(0.5, 1, 35))),
        ('equal sizes', r(rng.normal(0, 1, 60)), r(rng.normal(0.3, 1.2, 60))),
        ('one value each', [0.5], [1.5]),
        ('one vs many', [0.0], r(rng.normal(0, 1, 30))),
        ('identical', [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
        ('constant vs constant', [2.0] * 10, [3.0] * 7),
        ('ties', [float(v) for v in rng.integers(0, 5, 50)], [float(v) for v in rng.integers(1, 6, 45)]),
        ('cauchy heavy tails', r(rng.standard_cauchy(80)), r(rng.standard_cauchy(90) * 2)),
        ('large values 1e6', r(rng.normal(1e6, 10, 50), 9), r(rng.normal(1e6 + 5, 10, 70), 9)),
        ('disjoint tiny p', r(rng.normal(0, 1, 300)), r(rng.normal(20, 1, 300))),
        ('unequal 500 vs 37', r(rng.normal(0, 1, 500)), r(rng.normal(0.2, 1, 37))),
        ('unequal coprime 101 vs 97', r(rng.exponential(1, 101)), r(rng.exponential(1.3, 97))),
        ('infinities', [-np.inf, 0.0, 1.0, np.inf], [0.5, 2.0, np.inf]),
    ]
    for name, a, b in datasets:
        for alt in alts:
            for method in ['auto', 'exact', 'asymp']:
                cases.append(ks_case(name, a, b, alt, method))
    # sizes around the auto switch (max(n1, n2) = 10000 exact, 10001 asymp); data not stored,
    # only the statistic and sizes, to test the p-value path via ksPValue
    pvalue_cases = []
    for n1, n2, shift in [(10000, 10000, 0.02), (10001, 10000, 0.02), (10000, 9999, 0.03), (10000, 3000, 0.05),
                          (2000, 1500, 0.05), (1200, 1100, 0.0), (600, 450, 0.1), (100000, 100000, 0.01),
                          (100000, 100000, 0.0), (100000, 80000, 0.5), (5000, 5000, 0.15)]:
        a = rng.normal(0, 1, n1)
        b = rng.normal(shift, 1, n2)
        for alt in alts:
            c = ks_case(f'{n1}x{n2} shift {shift}', a, b, alt, 'auto', keep_data=False)
            pvalue_cases.append(c)
    # method='exact' where lcm(n1, n2) exceeds int32: SciPy switches to asymp
    a = rng.normal(0, 1, 50000)
    b = rng.normal(0.01, 1, 49999)
    for alt in alts:
        pvalue_cases.append(ks_case('50000x49999 exact requested', a, b, alt, 'exact', keep_data=False))
    write('ks', {'cases': cases, 'pValueCases': pvalue_cases})


#### basics: ranks, quantiles, histogram edges and counts ####

def basics():
    global rng
    rng = np.random.default_rng(20261126 + 1)  # one stream per fixture file
    samples = {
        'empty': [],
        'one': [3.5],
        'constant': [2.0] * 7,
        'ties': [3.0, 1.0, 2.0, 3.0, 3.0, 1.0, 5.0, 2.0],
        'normal': r(rng.normal(0, 1, 101)),
        'cauchy': r(rng.standard_cauchy(64)),
        'large 1e6': r(rng.normal(1e6, 1, 50), 12),
        'negative zero': [-0.0, 0.0, -1.0, 1.0],
        'infinities': [-np.inf, 1.0, np.inf, 0.0],
    }
    ps = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]
    out = []
    for name, v in samples.items():
        a = np.asarray(v, dtype=float)
        case = {'name': name, 'values': v}
        case['ranks'] = stats.rankdata(a) if len(a) else []
        case['quantiles'] = [np.quantile(a, p) if len(a) else float('nan') for p in ps] if name != 'infinities' else None
        s_ = np.sort(a)
        if len(a):
            ties = np.unique(s_, return_counts=True)[1]
            case['tieGroupSizes'] = ties
        else:
            case['tieGroupSizes'] = []
        out.append(case)
    # binning: edges at reference quantiles (np.quantile type 7, de-duplicated, minimum dropped), counts by
    # np.searchsorted(edges, v, side='right') and np.bincount
    binning = []
    for name, ref, cur, bins in [
        ('normal 10 bins', r(rng.normal(0, 1, 500)), r(rng.normal(0.3, 1, 300)), 10),
        ('ties collapse edges', [float(v) for v in rng.integers(0, 3, 200)], [float(v) for v in rng.integers(0, 4, 100)], 10),
        ('cauchy 20 bins', r(rng.standard_cauchy(400)), r(rng.standard_cauchy(400)), 20),
        ('one bin', r(rng.normal(0, 1, 50)), r(rng.normal(0, 1, 20)), 1),
    ]:
        sref = np.sort(np.asarray(ref))
        edges = []
        for i in range(1, bins):
            e = float(np.quantile(sref, i / bins))
            if not edges or e > edges[-1]:
                edges.append(e)
        if edges and edges[0] <= sref[0]:
            edges = edges[1:]
        counts = np.bincount(np.searchsorted(edges, np.asarray(cur), side='right'), minlength=len(edges) + 1)
        binning.append({'name': name, 'reference': ref, 'current': cur, 'bins': bins, 'edges': edges, 'counts': counts})
    write('basics', {'quantileProbabilities': ps, 'samples': out, 'binning': binning})


#### chi-square, Mann-Whitney, two proportions, Fisher, multiple testing ####

def drop_zero_margins(t):
    t = np.asarray(t, dtype=float)
    t = t[t.sum(axis=1) > 0]
    return t[:, t.sum(axis=0) > 0] if t.size else t


def tests():
    global rng
    rng = np.random.default_rng(20261126 + 4)  # one stream per fixture file
    tables = [
        ('2x2', [[10, 20], [30, 25]]),
        ('2x3', [[12, 5, 9], [7, 14, 3]]),
        ('3x4', [[5, 9, 12, 3], [8, 2, 7, 11], [10, 10, 4, 6]]),
        ('zero cell', [[0, 5, 9], [7, 0, 3]]),
        ('zero column dropped', [[4, 0, 6], [8, 0, 2]]),
        ('zero row dropped', [[4, 6], [0, 0], [9, 1]]),
        ('one column', [[4], [9], [2]]),
        ('one row', [[4, 9, 2]]),
        ('tiny p', [[5000, 100], [100, 5000]]),
        ('large counts', [[1e6, 2e6, 3e6], [1.001e6, 1.998e6, 3.01e6]]),
        ('independent exactly', [[10, 20], [20, 40]]),
        ('p about 1e-10', [[300, 200], [200, 300]]),
        ('p about 1e-280', [[900, 100], [100, 900]]),
    ]
    chi = []
    for name, t in tables:
        red = drop_zero_margins(t)
        if min(red.shape) <= 1:
            stat, p, dof = 0.0, 1.0, 0
        else:
            res = stats.chi2_contingency(red, correction=False)
            stat, p, dof = res.statistic, res.pvalue, res.dof
        arr = np.asarray(t, dtype=float)
        expected = np.outer(arr.sum(axis=1), arr.sum(axis=0)) / arr.sum()
        chi.append({'name': name, 'table': t, 'statistic': stat, 'pValue': p, 'dof': dof, 'expected': expected})

    mwu = []
    mw_data = [
        ('small exact', r(rng.normal(0, 1, 6)), r(rng.normal(1, 1, 7))),
        ('exact 8 vs 40', r(rng.normal(0, 1, 8)), r(rng.normal(0.5, 1, 40))),
        ('exact 3 vs 200', r(rng.normal(0, 1, 3)), r(rng.normal(0, 1, 200))),
        ('asymptotic', r(rng.normal(0, 1, 50)), r(rng.normal(0.4, 1, 60))),
        ('ties', [float(v) for v in rng.integers(0, 4, 30)], [float(v) for v in rng.integers(1, 5, 25)]),
        ('small with ties', [1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 4.0]),
        ('one each', [1.0], [2.0]),
        ('all tied', [3.0] * 5, [3.0] * 4),
        ('separated tiny p', r(rng.normal(0, 1, 200)), r(rng.normal(10, 1, 150))),
        ('cauchy', r(rng.standard_cauchy(40)), r(rng.standard_cauchy(45))),
    ]
    for name, a, b in mw_data:
        for alt in ['two-sided', 'less', 'greater']:
            for method in ['auto', 'asymptotic', 'exact']:
                for cont in [True, False]:
                    if method == 'exact' and len(a) * len(b) > 20000:
                        continue
                    with warnings.catch_warnings():
                        warnings.simplefilter('ignore')
                        res = stats.mannwhitneyu(a, b, alternative=alt, method=method, use_continuity=cont)
                    mwu.append({'name': name, 'a': a, 'b': b, 'alternative': alt, 'method': method,
                                'useContinuity': cont, 'statistic': res.statistic, 'pValue': res.pvalue})

    def ztest(x1, n1, x2, n2, alt):
        p = (x1 + x2) / (n1 + n2)
        diff = x1 / n1 - x2 / n2
        z = diff / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
        pv = {'two-sided': 2 * stats.norm.sf(abs(z)), 'greater': stats.norm.sf(z), 'less': stats.norm.cdf(z)}[alt]
        return z, pv, diff
    twoprop = []
    for x1, n1, x2, n2 in [(45, 100, 30, 100), (5, 20, 9, 25), (1600, 10000, 2300, 10000), (0, 10, 3, 12),
                           (1, 1, 0, 1), (49999, 100000, 50001, 100000)]:
        for alt in ['two-sided', 'less', 'greater']:
            z, pv, diff = ztest(x1, n1, x2, n2, alt)
            twoprop.append({'x1': x1, 'n1': n1, 'x2': x2, 'n2': n2, 'alternative': alt, 'statistic': z,
                            'pValue': pv, 'difference': diff})

    fisher = []
    for t in [[[8, 2], [1, 5]], [[3, 1], [1, 3]], [[0, 5], [5, 0]], [[10, 10], [10, 10]], [[1, 9], [11, 3]],
              [[0, 0], [3, 4]], [[5, 0], [2, 3]], [[100, 150], [130, 90]], [[2000, 1000], [1800, 1200]],
              [[7, 12], [0, 3]], [[20, 1], [1, 20]]]:
        for alt in ['two-sided', 'less', 'greater']:
            res = stats.fisher_exact(t, alternative=alt)
            fisher.append({'table': t, 'alternative': alt, 'oddsRatio': res.statistic, 'pValue': res.pvalue})

    mt = []
    for ps in [[0.01, 0.04, 0.03, 0.005, 0.5], [0.2], [], list(rng.uniform(0, 0.1, 20)), [0.05, 0.05, 0.05],
               [1.0, 0.0, 0.5, 1e-30], list(np.concatenate([rng.uniform(0, 1e-4, 5), rng.uniform(0, 1, 45)]))]:
        ps = [float(p) for p in ps]
        bh = stats.false_discovery_control(ps, method='bh') if len(ps) else []
        mt.append({'pValues': ps, 'bh': bh, 'bonferroni': np.minimum(np.asarray(ps) * len(ps), 1.0)})
    write('tests', {'chiSquare': chi, 'mannWhitney': mwu, 'twoProportion': twoprop, 'fisher': fisher,
                    'multipleTesting': mt})


if __name__ == '__main__':
    tests()
    basics()
    distributions()
    ks()
