"""JSON encoding shared by the fixture generators (imported from scripts/ by each of them).

JSON cannot hold NaN or infinities: they are written as the strings "NaN", "Infinity" and
"-Infinity", which test/stats/load-fixture.ts decodes. NumPy scalars and arrays become Python values.
"""
import math

import numpy as np


def encode(x):
    """Encode for JSON: numpy scalars/arrays to Python, non-finite floats to strings."""
    if isinstance(x, dict):
        return {k: encode(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [encode(v) for v in x]
    if isinstance(x, np.ndarray):
        return [encode(v) for v in x.tolist()]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return 'NaN'
        if math.isinf(x):
            return 'Infinity' if x > 0 else '-Infinity'
        return x
    if isinstance(x, np.str_):
        return str(x)
    return x
