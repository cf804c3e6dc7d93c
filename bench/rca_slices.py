"""The slice step shared by the RCA anchors (bench/rca_anchor.py, bench/rca_demo_anchor.py): a pandas
group-by of the error rate over every level-1 and level-2 slice of `cols`, each slice with at least 80
current rows and a baseline compared by a two-proportion z-test. Returns the number of slices tested."""
import itertools

import numpy as np
from scipy import stats


def count_slices(fb, fc, cols):
    count = 0
    for level in (1, 2):
        for combo in itertools.combinations(cols, level):
            gc = fc.groupby(list(combo))["error"].agg(["sum", "count"])
            gb = fb.groupby(list(combo))["error"].agg(["sum", "count"])
            j = gc.join(gb, rsuffix="_b", how="left").fillna(0)
            j = j[(j["count"] >= 80) & (j["count_b"] > 0)]
            p1, p2 = j["sum"] / j["count"], j["sum_b"] / j["count_b"]
            pool = (j["sum"] + j["sum_b"]) / (j["count"] + j["count_b"])
            z = (p1 - p2) / np.sqrt(pool * (1 - pool) * (1 / j["count"] + 1 / j["count_b"]))
            stats.norm.sf(z)
            count += len(j)
    return count
