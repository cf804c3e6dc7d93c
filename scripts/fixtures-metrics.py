#!/usr/bin/python3
"""Reference values for src/metrics and the Wilson interval, from scikit-learn 1.2.1.

Run with /usr/bin/python3 (scikit-learn 1.2.1, NumPy, SciPy):

    /usr/bin/python3 scripts/fixtures-metrics.py

Writes test/fixtures/metrics-binary.json, metrics-multiclass.json and
metrics-intervals.json. NaN is written as "NaN", +/-Infinity as "Infinity"/"-Infinity"
(decoded by test/stats/load-fixture.ts).
ECE, specificity, Wilson and DeLong are not in scikit-learn: they are computed here
in NumPy/SciPy from their definitions (DeLong twice: the O(n^2) pairwise definition
and Sun & Xu's midrank algorithm, asserted equal).
"""

import json
import math
import os
import warnings

import numpy as np
import scipy.stats
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve
from fixture_json import encode

warnings.filterwarnings("ignore")
assert sklearn.__version__ == "1.2.1", sklearn.__version__

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
rng = np.random.default_rng(20261126)


def maybe(f):
    try:
        return f()
    except ValueError as e:
        return {"error": str(e)}


#### DeLong oracles ####


def delong_pairwise(y, s):
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    auc = psi.mean()
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    return auc, var, v10, v01


def delong_sun_xu(y, s):
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    tz = scipy.stats.rankdata(np.concatenate([pos, neg]))
    tx, ty = scipy.stats.rankdata(pos), scipy.stats.rankdata(neg)
    v10 = (tz[:m] - tx) / n
    v01 = 1 - (tz[m:] - ty) / m
    auc = (tz[:m].sum() - m * (m + 1) / 2) / (m * n)
    var = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    return auc, var, v10, v01


def delong_case(y, s, confidence=0.95):
    auc, var, v10, v01 = delong_pairwise(y, s) if len(y) <= 3000 else delong_sun_xu(y, s)
    auc2, var2, _, _ = delong_sun_xu(y, s)
    assert abs(auc - auc2) < 1e-12 and abs(var - var2) <= 1e-12 * max(var, 1e-300), (auc, auc2, var, var2)
    se = math.sqrt(var)
    z = scipy.stats.norm.isf((1 - confidence) / 2)
    return {"auc": auc, "variance": var, "se": se, "low": max(0.0, auc - z * se), "high": min(1.0, auc + z * se),
            "confidence": confidence}


def delong_test(y, a, b):
    _, _, a10, a01 = delong_sun_xu(y, a)
    _, _, b10, b01 = delong_sun_xu(y, b)
    m, n = len(a10), len(a01)
    s10 = np.cov(np.vstack([a10, b10]))
    s01 = np.cov(np.vstack([a01, b01]))
    cov = s10 / m + s01 / n
    auc_a, auc_b = a10.mean(), b10.mean()
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    z = (auc_a - auc_b) / math.sqrt(var)
    return {"aucA": auc_a, "aucB": auc_b, "se": math.sqrt(var), "z": z, "pValue": 2 * scipy.stats.norm.sf(abs(z))}


#### binary ####


def ece(y, p, n_bins=10):
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], p)
    total = np.bincount(ids, minlength=n_bins)
    acc = np.bincount(ids, weights=y, minlength=n_bins)
    conf = np.bincount(ids, weights=p, minlength=n_bins)
    nz = total > 0
    return float(np.sum(total[nz] / len(p) * np.abs(acc[nz] / total[nz] - conf[nz] / total[nz])))


THRESHOLDS = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]


def binary_case(name, y, s, pos_label=1, probabilities=True):
    yb = (np.asarray(y) == pos_label).astype(int)
    case = {"name": name, "yTrue": list(y), "scores": s, "positiveLabel": pos_label}
    two = len(set(yb.tolist())) == 2
    case["rocAuc"] = metrics.roc_auc_score(yb, s) if two else float("nan")
    for drop in (True, False):
        fpr, tpr, th = metrics.roc_curve(y, s, pos_label=pos_label, drop_intermediate=drop)
        case["rocCurveDrop" if drop else "rocCurveAll"] = {"fpr": fpr, "tpr": tpr, "thresholds": th}
    case["averagePrecisionSklearn"] = metrics.average_precision_score(y, s, pos_label=pos_label)
    prec, rec, th = metrics.precision_recall_curve(y, s, pos_label=pos_label)
    case["prCurve"] = {"precision": prec, "recall": rec, "thresholds": th}
    rows = []
    for t in THRESHOLDS:
        pred = (np.asarray(s) >= t).astype(int)
        cm = metrics.confusion_matrix(yb, pred, labels=[0, 1])
        tn, fp, fn, tp = cm.ravel()
        rows.append({"threshold": t, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                     "precision": metrics.precision_score(yb, pred, zero_division=0),
                     "recall": metrics.recall_score(yb, pred, zero_division=0),
                     "f1": metrics.f1_score(yb, pred, zero_division=0),
                     "fpr": fp / (fp + tn) if fp + tn > 0 else float("nan")})
    case["atThresholds"] = rows
    if probabilities:
        case["logLossAuto"] = metrics.log_loss(yb, s, labels=[0, 1])
        case["logLoss1e15"] = metrics.log_loss(yb, s, labels=[0, 1], eps=1e-15)
        case["brier"] = metrics.brier_score_loss(yb, s)
        cal = {}
        for strategy in ("uniform", "quantile"):
            for n_bins in (5, 10):
                pt, pp = calibration_curve(yb, s, n_bins=n_bins, strategy=strategy, pos_label=1)
                cal[f"{strategy}{n_bins}"] = {"probTrue": pt, "probPred": pp}
        case["calibration"] = cal
        case["ece10"] = ece(yb, np.asarray(s), 10)
        case["ece15"] = ece(yb, np.asarray(s), 15)
    if yb.sum() >= 2 and (1 - yb).sum() >= 2:
        case["delong"] = delong_case(yb, np.asarray(s, dtype=float))
        case["delong90"] = delong_case(yb, np.asarray(s, dtype=float), 0.9)
    return case


def beta_scores(y, a=2.0, b=5.0):
    y = np.asarray(y)
    return np.where(y == 1, rng.beta(b, a, len(y)), rng.beta(a, b, len(y)))


binary = []
y = rng.integers(0, 2, 20)
binary.append(binary_case("small ties (1 decimal)", y.tolist(), np.round(rng.random(20), 1).tolist()))
y = (rng.random(3000) < 0.3).astype(int)
binary.append(binary_case("3000 continuous", y.tolist(), beta_scores(y).tolist()))
y = (rng.random(3000) < 0.2).astype(int)
binary.append(binary_case("3000 rounded to 2 decimals", y.tolist(), np.round(beta_scores(y, 2, 3), 2).tolist()))
y = (rng.random(2000) < 0.05).astype(int)
binary.append(binary_case("2000 rare positives", y.tolist(), beta_scores(y, 2, 4).tolist()))
y = rng.integers(0, 2, 50)
binary.append(binary_case("all-equal scores", y.tolist(), [0.4] * 50))
y = np.array([0] * 10 + [1] * 10)
binary.append(binary_case("perfect", y.tolist(), np.linspace(0.05, 0.95, 20).tolist()))
binary.append(binary_case("inverted", y.tolist(), np.linspace(0.95, 0.05, 20).tolist()))
binary.append(binary_case("probabilities at 0 and 1", [0, 1, 1, 0, 1, 0, 0, 1], [0, 1, 0, 1, 0.5, 0.0, 1.0, 1.0]))
binary.append(binary_case("single class (all negative)", [0] * 12, np.round(rng.random(12), 2).tolist()))
lab = ["spam" if v else "ham" for v in (rng.random(200) < 0.4)]
binary.append(binary_case("string labels", lab, beta_scores([v == "spam" for v in lab]).tolist(), pos_label="spam"))
y = rng.integers(0, 2, 300)
binary.append(binary_case("decision scores (not probabilities)", y.tolist(), (rng.normal(size=300) * 3 + y).tolist(),
                          probabilities=False))

y = (rng.random(1500) < 0.35).astype(int)
a = beta_scores(y, 2, 3)
b = np.clip(a + rng.normal(0, 0.15, 1500), 0, 1)
delong_tests = [{"yTrue": y, "scoresA": a, "scoresB": b, **delong_test(y, a, b)}]
y = (rng.random(400) < 0.5).astype(int)
a = np.round(beta_scores(y, 2, 2.5), 1)
b = np.round(rng.random(400), 1)
delong_tests.append({"yTrue": y, "scoresA": a, "scoresB": b, **delong_test(y, a, b)})

#### multiclass ####


def specificity(yt, yp, labels, average, zd=0.0):
    mcm = metrics.multilabel_confusion_matrix(yt, yp, labels=labels)
    tn, fp = mcm[:, 0, 0].astype(float), mcm[:, 0, 1].astype(float)
    support = mcm[:, 1, 1] + mcm[:, 1, 0]
    if average == "micro":
        d = (tn + fp).sum()
        return tn.sum() / d if d > 0 else zd
    per = np.array([t / (t + f) if t + f > 0 else zd for t, f in zip(tn, fp)])
    if average == "macro":
        return per.mean()
    if average == "weighted":
        return np.average(per, weights=support) if support.sum() > 0 else zd
    return per


def class_case(name, yt, yp, labels=None, averages=("macro", "micro", "weighted", None), pos_label=1):
    case = {"name": name, "yTrue": yt, "yPred": yp, "labels": labels, "positiveLabel": pos_label,
            "accuracy": metrics.accuracy_score(yt, yp),
            "confusion": metrics.confusion_matrix(yt, yp, labels=labels)}
    out = {}
    for avg in averages:
        for zd in (0, 1):
            key = f"{avg or 'none'}/{zd}"
            kw = dict(labels=labels, average=avg, zero_division=zd)
            if avg == "binary":
                kw["pos_label"] = pos_label
            out[key] = {
                "precision": maybe(lambda: metrics.precision_score(yt, yp, **kw)),
                "recall": maybe(lambda: metrics.recall_score(yt, yp, **kw)),
                "f1": maybe(lambda: metrics.f1_score(yt, yp, **kw)),
            }
            if avg != "binary":
                lab = labels if labels is not None else sorted(set(yt) | set(yp))
                out[key]["specificity"] = specificity(yt, yp, lab, avg, zd)
            else:
                out[key]["specificity"] = specificity(yt, yp, [pos_label], "macro", zd)
    case["metrics"] = out
    return case


classification = []
yt = rng.integers(0, 4, 500)
yp = np.where(rng.random(500) < 0.6, yt, rng.integers(0, 4, 500))
classification.append(class_case("4 classes", yt.tolist(), yp.tolist()))
classification.append(class_case("labels with a class absent from the data", yt.tolist(), yp.tolist(), labels=[3, 1, 0, 4]))
yt = rng.integers(0, 3, 60)
yp = np.where(rng.random(60) < 0.5, yt, 0)  # class 2 often never predicted
yp[yp == 2] = 1
classification.append(class_case("a class never predicted", yt.tolist(), yp.tolist()))
names = np.array(["cat", "dog", "emu"])
yt = names[rng.integers(0, 3, 100)]
yp = np.where(rng.random(100) < 0.7, yt, names[rng.integers(0, 3, 100)])
classification.append(class_case("string labels", yt.tolist(), yp.tolist()))
yt = rng.integers(0, 2, 300)
yp = np.where(rng.random(300) < 0.8, yt, 1 - yt)
classification.append(class_case("binary", yt.tolist(), yp.tolist(), averages=("binary", "macro", "micro", "weighted", None)))
classification.append(class_case("binary, positive 0", yt.tolist(), yp.tolist(), averages=("binary",), pos_label=0))
classification.append(class_case("binary, nothing predicted positive", [0, 1, 0, 1, 0], [0, 0, 0, 0, 0],
                                 averages=("binary", "macro", "weighted", None)))
classification.append(class_case("only one class anywhere", [0, 0, 0], [0, 0, 0], averages=("binary", "macro", None)))


def ovr_case(name, yt, probs, labels=None):
    case = {"name": name, "yTrue": yt, "probabilities": probs, "labels": labels}
    for avg in ("macro", "weighted"):
        case[avg] = metrics.roc_auc_score(yt, probs, multi_class="ovr", average=avg, labels=labels)
    y = np.asarray(yt)
    lab = labels if labels is not None else sorted(set(yt))
    case["none"] = [metrics.roc_auc_score((y == c).astype(int), np.asarray(probs)[:, k]) for k, c in enumerate(lab)]
    case["logLossAuto"] = metrics.log_loss(yt, probs, labels=labels)
    case["logLoss1e15"] = metrics.log_loss(yt, probs, labels=labels, eps=1e-15)
    return case


multiclass_auc = []
yt = rng.integers(0, 4, 400)
raw = rng.dirichlet([1, 1, 1, 1], 400) + np.eye(4)[yt] * 0.5
probs = raw / raw.sum(axis=1, keepdims=True)
multiclass_auc.append(ovr_case("4 classes dirichlet", yt.tolist(), probs.tolist()))
probs2 = np.round(probs, 1)
probs2 = probs2 / probs2.sum(axis=1, keepdims=True)
multiclass_auc.append(ovr_case("4 classes with ties", yt.tolist(), probs2.tolist()))
yt = names[rng.integers(0, 3, 150)]
raw = rng.dirichlet([2, 2, 2], 150) + (yt[:, None] == names[None, :]) * 0.4
multiclass_auc.append(ovr_case("string labels, explicit labels", yt.tolist(), (raw / raw.sum(1, keepdims=True)).tolist(),
                               labels=["cat", "dog", "emu"]))
yt = rng.integers(0, 3, 50)
p3 = rng.dirichlet([1, 1, 1], 50)
p3[0] = [1.0, 0.0, 0.0]
p3[1] = [0.0, 0.0, 1.0]
multiclass_auc.append(ovr_case("probabilities at 0 and 1", yt.tolist(), p3.tolist()))

#### Wilson ####

wilson = []
for k, n, conf in [(0, 1, 0.95), (1, 1, 0.95), (0, 10, 0.95), (10, 10, 0.95), (3, 10, 0.95), (50, 100, 0.95),
                   (1, 1000, 0.95), (999, 1000, 0.95), (12345, 54321, 0.95), (7, 20, 0.9), (7, 20, 0.99),
                   (7, 20, 0.5), (500000, 1000000, 0.95), (2, 3, 0.999)]:
    z = scipy.stats.norm.isf((1 - conf) / 2)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    wilson.append({"successes": k, "n": n, "confidence": conf, "low": centre - half, "high": centre + half})


def dump(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(encode({"generator": "scripts/fixtures-metrics.py", "sklearn": sklearn.__version__, **obj}), f)
    print(path, os.path.getsize(path), "bytes")


dump("metrics-binary.json", {"cases": binary, "delongTests": delong_tests})
dump("metrics-multiclass.json", {"classification": classification, "ovr": multiclass_auc})
dump("metrics-intervals.json", {"wilson": wilson})
