#!/usr/bin/env python3
"""Oracle fixtures for Plumbline's LightGBM text-model reader.

LightGBM itself cannot be installed here (no Debian package, no PyPI access), so:
  * the model files follow LightGBM's documented text format (`Booster.save_model`, version=v4),
    as LightGBM writes it (header, `Tree=k` blocks, `end of trees`, feature importances, parameters);
    `lgb-small` is written by hand to cover every `decision_type` (missing types None, Zero and NaN,
    default left/right, categorical bitsets, a single-leaf tree); `lgb-random` is grown leaf-wise
    with LightGBM's node numbering (a split of leaf l becomes node num_leaves-1, its left child
    keeps ~l, its right child is the new leaf ~num_leaves), with multi-word categorical bitsets;
  * the expected predictions come from the small independent evaluator below, which parses the
    text on its own and follows LightGBM's `Tree::NumericalDecision` / `CategoricalDecision`
    (include/LightGBM/tree.h): NaN becomes 0 unless the missing type is NaN; Zero missing type
    sends |x| <= 1e-35 to the default side; numeric splits go left when x <= threshold;
    categorical: NaN and negative codes go right, codes in the bitset go left.

Run with `python3 scripts/fixtures-lightgbm.py` (NumPy). Writes test/fixtures/lgb-NAME.model.txt
and test/fixtures/lgb-NAME.cases.json (rows with null = missing, raw margins, probabilities).
"""
import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
K_ZERO = 1e-35

SMALL = """tree
version=v4
num_class=1
num_tree_per_iteration=1
label_index=0
max_feature_idx=3
objective=binary sigmoid:1
feature_names=age income city flag
feature_infos=[18:90] [0:250000] 0:1:2:3:5:7:33:40 [-1:1]
tree_sizes=0 0 0 0

Tree=0
num_leaves=5
num_cat=1
split_feature=0 2 1 3
split_gain=10.5 7.25 3.5 1.25
threshold=35.5 0 50000.000000000007 1.0000000180025095e-35
decision_type=10 1 0 6
left_child=1 -1 -3 -2
right_child=2 3 -4 -5
leaf_value=-0.41999999999999998 0.13 0.27000000000000002 -0.080000000000000002 0.55000000000000004
leaf_weight=10 20 30 40 50
leaf_count=100 120 80 60 40
internal_value=0 0.1 0.2 0.3
internal_weight=150 70 80 60
internal_count=400 260 140 160
cat_boundaries=0 2
cat_threshold=10 257
is_linear=0
shrinkage=1


Tree=1
num_leaves=3
num_cat=0
split_feature=3 0
split_gain=2.5 1.5
threshold=-0.5 60
decision_type=8 0
left_child=-1 -2
right_child=1 -3
leaf_value=0.021000000000000001 -0.033000000000000002 0.047
leaf_weight=1 2 3
leaf_count=150 150 100
internal_value=0 0.01
internal_weight=6 5
internal_count=400 250
is_linear=0
shrinkage=0.10000000000000001


Tree=2
num_leaves=1
num_cat=0
split_feature=
split_gain=
threshold=
decision_type=
left_child=
right_child=
leaf_value=-0.012
leaf_weight=
leaf_count=
internal_value=
internal_weight=
internal_count=
is_linear=0
shrinkage=1


Tree=3
num_leaves=3
num_cat=1
split_feature=2 1
split_gain=4 2
threshold=0 -1.0000000180025095e-35
decision_type=9 4
left_child=1 -1
right_child=-3 -2
leaf_value=0.11 -0.14999999999999999 0.06
leaf_weight=1 2 3
leaf_count=90 110 200
internal_value=0 0.02
internal_weight=6 3
internal_count=400 200
cat_boundaries=0 1
cat_threshold=6
is_linear=0
shrinkage=1


end of trees

feature_importances:
age=3
income=2
city=3
flag=2

parameters:
[boosting: gbdt]
[objective: binary]
[num_leaves: 5]
end of parameters

pandas_categorical:null
"""


#### independent evaluator ####

def parse(text):
    lines = text.split('\n')
    header, trees, cur = {}, [], None
    for line in lines:
        if line.startswith('end of trees'):
            break
        if line.startswith('Tree='):
            cur = {}
            trees.append(cur)
            continue
        if '=' in line:
            k, v = line.split('=', 1)
            (cur if cur is not None else header)[k] = v
    out = []
    for t in trees:
        def arr(key, conv=float):
            v = t.get(key, '').strip()
            return [conv(x) for x in v.split()] if v else []
        out.append({
            'num_leaves': int(t['num_leaves']),
            'split_feature': arr('split_feature', int), 'threshold': arr('threshold'),
            'decision_type': arr('decision_type', int), 'left_child': arr('left_child', int),
            'right_child': arr('right_child', int), 'leaf_value': arr('leaf_value'),
            'leaf_count': arr('leaf_count'), 'internal_count': arr('internal_count'),
            'cat_boundaries': arr('cat_boundaries', int), 'cat_threshold': arr('cat_threshold', int),
        })
    return header, out


def in_bitset(words, pos):
    i = pos // 32
    return i < len(words) and (words[i] >> (pos % 32)) & 1 == 1


def decision(t, node, fval):
    dt = t['decision_type'][node]
    missing = (dt >> 2) & 3
    if dt & 1:  # CategoricalDecision
        if math.isnan(fval):
            return t['right_child'][node]
        code = int(fval)  # static_cast<int>: truncation toward zero
        if code < 0:
            return t['right_child'][node]
        idx = int(t['threshold'][node])
        b = t['cat_boundaries']
        if in_bitset(t['cat_threshold'][b[idx]:b[idx + 1]], code):
            return t['left_child'][node]
        return t['right_child'][node]
    # NumericalDecision
    if math.isnan(fval) and missing != 2:
        fval = 0.0
    if (missing == 1 and -K_ZERO <= fval <= K_ZERO) or (missing == 2 and math.isnan(fval)):
        return t['left_child'][node] if dt & 2 else t['right_child'][node]
    return t['left_child'][node] if fval <= t['threshold'][node] else t['right_child'][node]


def predict(trees, row):
    total = 0.0
    for t in trees:
        if t['num_leaves'] == 1:
            total += t['leaf_value'][0]
            continue
        node = 0
        while node >= 0:
            node = decision(t, node, row[t['split_feature'][node]])
        total += t['leaf_value'][~node]
    return total


def conditional(t, node, row, subset):
    """E[tree(x) | x_S] with LightGBM's data counts as weights (the TreeSHAP value function)."""
    if node < 0:
        return t['leaf_value'][~node]
    f = t['split_feature'][node]
    if f in subset:
        return conditional(t, decision(t, node, row[f]), row, subset)
    count = lambda c: t['leaf_count'][~c] if c < 0 else t['internal_count'][c]
    left, right = t['left_child'][node], t['right_child'][node]
    return (count(left) * conditional(t, left, row, subset) + count(right) * conditional(t, right, row, subset)) / count(node)


def shapley(trees, row, nf):
    """Exact Shapley values by enumerating subsets; last entry = the expected value (bias)."""
    def v(subset):
        return sum(t['leaf_value'][0] if t['num_leaves'] == 1 else conditional(t, 0, row, subset) for t in trees)
    phi = [0.0] * (nf + 1)
    for mask in range(1 << nf):
        subset = {j for j in range(nf) if mask >> j & 1}
        base = v(subset)
        for i in range(nf):
            if i in subset:
                continue
            w = math.factorial(len(subset)) * math.factorial(nf - len(subset) - 1) / math.factorial(nf)
            phi[i] += w * (v(subset | {i}) - base)
    phi[nf] = v(set())
    return phi


#### random leaf-wise models in LightGBM's numbering ####

def g17(x):
    return repr(float(x))


def random_model(rng, n_trees, n_features, cat_features, max_leaves):
    blocks = []
    for ti in range(n_trees):
        n_leaves_target = int(rng.integers(1, max_leaves + 1))
        split_feature, threshold, decision_type, left, right = [], [], [], [], []
        leaf_parent = [-1]
        leaf_count = [int(rng.integers(200, 2000))]
        internal_count = []
        cat_boundaries, cat_threshold = [0], []
        num_leaves = 1
        while num_leaves < n_leaves_target:
            leaf = int(rng.integers(0, num_leaves))
            if leaf_count[leaf] < 2:
                break
            node = num_leaves - 1
            parent = leaf_parent[leaf]
            if parent >= 0:
                if left[parent] == ~leaf:
                    left[parent] = node
                else:
                    right[parent] = node
            f = int(rng.integers(0, n_features))
            split_feature.append(f)
            if f in cat_features:
                words = int(rng.integers(1, 3))
                bits = [int(rng.integers(0, 2 ** 32)) for _ in range(words)]
                threshold.append(len(cat_boundaries) - 1)
                cat_threshold.extend(bits)
                cat_boundaries.append(len(cat_threshold))
                decision_type.append(1 | (int(rng.choice([0, 2])) << 2))
            else:
                threshold.append(round(float(rng.normal()), int(rng.integers(1, 4))) if rng.random() < 0.8 else K_ZERO)
                decision_type.append((int(rng.integers(0, 2)) << 1) | (int(rng.integers(0, 3)) << 2))
            left.append(~leaf)
            right.append(~num_leaves)
            total = leaf_count[leaf]
            lc = int(rng.integers(1, total))
            internal_count.append(total)
            leaf_count[leaf] = lc
            leaf_count.append(total - lc)
            leaf_parent[leaf] = node
            leaf_parent.append(node)
            num_leaves += 1
        leaf_value = [float(rng.normal() * 0.2) for _ in range(num_leaves)]
        n_cat = len(cat_boundaries) - 1
        lines = [f'Tree={ti}', f'num_leaves={num_leaves}', f'num_cat={n_cat}',
                 'split_feature=' + ' '.join(map(str, split_feature)),
                 'split_gain=' + ' '.join('1' for _ in split_feature),
                 'threshold=' + ' '.join(g17(x) for x in threshold),
                 'decision_type=' + ' '.join(map(str, decision_type)),
                 'left_child=' + ' '.join(map(str, left)),
                 'right_child=' + ' '.join(map(str, right)),
                 'leaf_value=' + ' '.join(g17(x) for x in leaf_value),
                 'leaf_weight=' + ' '.join('1' for _ in leaf_value),
                 'leaf_count=' + ' '.join(map(str, leaf_count)),
                 'internal_value=' + ' '.join('0' for _ in split_feature),
                 'internal_weight=' + ' '.join('0' for _ in split_feature),
                 'internal_count=' + ' '.join(map(str, internal_count))]
        if n_cat > 0:
            lines += ['cat_boundaries=' + ' '.join(map(str, cat_boundaries)),
                      'cat_threshold=' + ' '.join(map(str, cat_threshold))]
        lines += ['is_linear=0', 'shrinkage=0.1', '', '']
        blocks.append('\n'.join(lines))
    names = [f'v{j}' for j in range(n_features)]
    infos = ['0:1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:17:18:19:20:21:22:23:24:25:26:27:28:29:30:31:32:33:34:35:36:37:38:39:40'
             if j in cat_features else '[-3:3]' for j in range(n_features)]
    header = '\n'.join(['tree', 'version=v4', 'num_class=1', 'num_tree_per_iteration=1', 'label_index=0',
                        f'max_feature_idx={n_features - 1}', 'objective=binary sigmoid:1',
                        'feature_names=' + ' '.join(names), 'feature_infos=' + ' '.join(infos),
                        'tree_sizes=' + ' '.join('0' for _ in blocks), '', ''])
    return header + ''.join(blocks) + 'end of trees\n\nparameters:\n[boosting: gbdt]\nend of parameters\n\npandas_categorical:null\n'


def rows_for(rng, text, n, cat_features):
    header, trees = parse(text)
    nf = int(header['max_feature_idx']) + 1
    thresholds = [th for t in trees for th, dt in zip(t['threshold'], t['decision_type']) if not dt & 1]
    rows = []
    for _ in range(n):
        row = []
        for j in range(nf):
            u = rng.random()
            if u < 0.1:
                row.append(float('nan'))
            elif j in cat_features:
                row.append(float(rng.integers(-2, 70)) + (0.5 if u < 0.15 else 0.0))
            elif u < 0.2:
                row.append(0.0)
            elif u < 0.25:
                row.append(float(rng.choice([-1e-36, 1e-36, 2e-35])))
            elif u < 0.45 and thresholds:
                row.append(float(rng.choice(thresholds)))
            else:
                row.append(float(rng.normal() * 1.5))
        rows.append(row)
    return trees, rows


def write(name, text, trees, rows, sigmoid=1.0, shap_rows=30):
    with open(os.path.join(OUT, f'lgb-{name}.model.txt'), 'w') as f:
        f.write(text)
    margins = [predict(trees, r) for r in rows]
    cases = {
        'generator': 'scripts/fixtures-lightgbm.py (independent evaluator of LightGBM Tree::Decision)',
        'featureNames': None,
        'rows': [[None if math.isnan(v) else v for v in r] for r in rows],
        'margins': margins,
        'probabilities': [1 / (1 + math.exp(-sigmoid * m)) for m in margins],
        # Brute-force path-dependent Shapley values of the first rows (per feature, then the bias).
        'contribs': [shapley(trees, r, len(r)) for r in rows[:shap_rows]],
    }
    with open(os.path.join(OUT, f'lgb-{name}.cases.json'), 'w') as f:
        json.dump(cases, f)
    print(name, len(rows), 'rows')


def main():
    rng = np.random.default_rng(11)
    trees, rows = rows_for(rng, SMALL, 200, {2})
    # Hand-picked rows on the edges: exact thresholds, zeros, tiny values, NaN, negative and big codes.
    rows += [[35.5, 50000.000000000007, 0, 0], [float('nan')] * 4, [35.5000001, 0, 8, 1e-36],
             [20, 1e5, -1, -0.5], [80, 0, 3.9, float('nan')], [60, 60000, 40, -1e-35], [60.0, 1, 33, 2e-35]]
    write('small', SMALL, trees, rows)
    text = random_model(rng, 60, 6, {4, 5}, 24)
    trees, rows = rows_for(rng, text, 300, {4, 5})
    write('random', text, trees, rows)


if __name__ == '__main__':
    main()
