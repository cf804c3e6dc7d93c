#!/usr/bin/env python3
"""Oracle fixtures for src/stats/sketches (hashing) and src/stats/change (detectors).

Run with the `python3` first on PATH (NumPy 2.x, SciPy 1.17):

    python3 scripts/fixtures-sketches.py

Writes test/fixtures/sketches-hash.json and test/fixtures/change-detectors.json.
Non-finite numbers are encoded as the strings "NaN", "Infinity", "-Infinity".

What is reproduced here, independently of the TypeScript:
- MurmurHash3 x86_32 over bytes (Appleby's reference algorithm, checked against its published
  test vectors below); the TS hashes strings as their UTF-16LE bytes and numbers as the 8
  little-endian bytes of the float64 (two 32-bit words), with the type tags of hyperloglog.ts.
- EWMA: z_t by scipy.signal.lfilter (z_0 = mu0), limits by the exact variance formula.
- CUSUM: Montgomery's tabular recursion in standardised units, restart after an alarm.
- Page-Hinkley: river's drift.PageHinkley (0.15+) algorithm transcribed line by line, run on
  the stream of river's docstring (random.Random(12345)), where river reports index 1006.
- Change point: brute-force argmax over tau of the least-squares gain with NumPy, the
  statistic n ln(SSE_whole / SSE_split) (and gain / 1.5^2 for a given sd = 1.5), and the
  MAD-of-differences noise estimate with numpy.median.
"""

import json
import math
import random
import struct
from pathlib import Path

import numpy as np
from scipy.signal import lfilter

ROOT = Path(__file__).resolve().parent.parent / "test" / "fixtures"
M32 = 0xFFFFFFFF


def enc(x):
    if isinstance(x, float) and math.isnan(x):
        return "NaN"
    if isinstance(x, float) and math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & M32


def fmix(h):
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & M32
    h ^= h >> 16
    return h


def murmur3_32(data: bytes, seed: int) -> int:
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & M32
    nblocks = len(data) // 4
    for i in range(nblocks):
        k = int.from_bytes(data[4 * i : 4 * i + 4], "little")
        k = rotl((k * c1) & M32, 15)
        h ^= (k * c2) & M32
        h = (rotl(h, 13) * 5 + 0xE6546B64) & M32
    tail = data[nblocks * 4 :]
    k = 0
    if len(tail) >= 3:
        k ^= tail[2] << 16
    if len(tail) >= 2:
        k ^= tail[1] << 8
    if len(tail) >= 1:
        k ^= tail[0]
        k = rotl((k * c1) & M32, 15)
        h ^= (k * c2) & M32
    h ^= len(data)
    return fmix(h)


# Published test vectors of MurmurHash3_x86_32.
assert murmur3_32(b"", 0) == 0
assert murmur3_32(b"", 1) == 0x514E28B7
assert murmur3_32(b"", 0xFFFFFFFF) == 0x81F16F39
assert murmur3_32(b"\x00\x00\x00\x00", 0) == 0x2362F9DE
assert murmur3_32(b"Hello, world!", 1234) == 0xFAF6CDB3
assert murmur3_32(b"The quick brown fox jumps over the lazy dog", 0x9747B28C) == 0x2FA826CD

SEED_HI, SEED_LO = 0x5BD1E995, 0x1B873593
TAG_NUMBER, TAG_STRING = 0x6E756D62, 0x73747269


def hash64(value):
    if isinstance(value, str):
        data = value.encode("utf-16-le", "surrogatepass")
        return [murmur3_32(data, SEED_HI ^ TAG_STRING), murmur3_32(data, SEED_LO ^ TAG_STRING)]
    v = 0.0 if value == 0 else float(value)
    lo, hi = struct.unpack("<II", struct.pack("<d", v))
    return [
        murmur3_32(struct.pack("<II", lo ^ TAG_NUMBER, hi), SEED_HI),
        murmur3_32(struct.pack("<II", lo, hi ^ TAG_NUMBER), SEED_LO),
    ]


def hash_fixture():
    strings = ["", "a", "ab", "abc", "abcd", "plumbline", "user-123456", "Zürich", "東京", "😀 emoji", "\ud800x"]
    numbers = [0.0, -0.0, 1.0, -1.5, 3.141592653589793, 1e300, 5e-324, 123456789.0, float("inf"), float("-inf")]
    murmur = [
        {"text": s, "seed": seed, "hash": murmur3_32(s.encode("utf-16-le", "surrogatepass"), seed)}
        for s in strings
        for seed in (0, 1, 0x9747B28C)
    ]
    pairs = []
    rng = np.random.default_rng(7)
    for _ in range(20):
        lo, hi, seed = (int(v) for v in rng.integers(0, 2**32, size=3))
        pairs.append({"lo": lo, "hi": hi, "seed": seed, "hash": murmur3_32(struct.pack("<II", lo, hi), seed)})
    return {
        "murmur3String": murmur,
        "murmur3Pair": pairs,
        "hash64": [{"value": enc(v), "hash": hash64(v)} for v in strings + numbers],
    }


def ewma(x, mu, sd, lam, L):
    z = lfilter([lam], [1.0, -(1.0 - lam)], x, zi=[(1.0 - lam) * mu])[0]
    t = np.arange(1, len(x) + 1)
    width = L * sd * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    return {"statistic": z.tolist(), "upper": (mu + width).tolist(), "lower": (mu - width).tolist(),
            "alarm": ((z > mu + width) | (z < mu - width)).tolist()}


def cusum(x, mu, sd, k, h):
    cp = cm = 0.0
    alarmed = False
    out = {"upper": [], "lower": [], "alarm": []}
    for v in x:
        if alarmed:
            cp = cm = 0.0
        y = (float(v) - mu) / sd
        cp = max(0.0, cp + y - k)
        cm = max(0.0, cm - y - k)
        alarmed = cp > h or cm > h
        out["upper"].append(cp)
        out["lower"].append(cm)
        out["alarm"].append(alarmed)
    return out


class RiverPageHinkley:
    """river.drift.PageHinkley, transcribed."""

    def __init__(self, min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both"):
        self.min_instances, self.delta, self.threshold, self.alpha, self.mode = (
            min_instances, delta, threshold, alpha, mode)
        self.drift_detected = False
        self._reset()

    def _reset(self):
        self.drift_detected = False
        self.n = 0
        self.mean = 0.0
        self.sum_increase = 0.0
        self.sum_decrease = 0.0
        self.min_increase = float("inf")
        self.max_decrease = -1

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self.n += 1
        self.mean += (x - self.mean) / self.n
        dev = x - self.mean
        self.sum_increase = self.alpha * self.sum_increase + dev - self.delta
        self.sum_decrease = self.alpha * self.sum_decrease + dev + self.delta
        self.min_increase = min(self.min_increase, self.sum_increase)
        self.max_decrease = max(self.max_decrease, self.sum_decrease)
        self.test_increase = self.sum_increase - self.min_increase
        self.test_decrease = self.max_decrease - self.sum_decrease
        if self.n >= self.min_instances:
            up = self.test_increase > self.threshold
            down = self.test_decrease > self.threshold
            self.drift_detected = up if self.mode == "up" else down if self.mode == "down" else (up or down)


def page_hinkley(x, **options):
    ph = RiverPageHinkley(**options)
    out = {"increase": [], "decrease": [], "alarm": []}
    for v in x:
        ph.update(v)
        out["increase"].append(ph.test_increase)
        out["decrease"].append(ph.test_decrease)
        out["alarm"].append(ph.drift_detected)
    return out


def change_point(x, min_segment):
    x = np.asarray(x, dtype=float)
    n = len(x)
    d = np.diff(x)
    sd = float(np.median(np.abs(d - np.median(d))) / (0.6744897501960817 * math.sqrt(2)))
    sse_all = float(np.sum((x - x.mean()) ** 2))
    gains = []
    for tau in range(min_segment, n - min_segment + 1):
        left, right = x[:tau], x[tau:]
        sse = float(np.sum((left - left.mean()) ** 2) + np.sum((right - right.mean()) ** 2))
        gains.append((sse_all - sse, tau, float(left.mean()), float(right.mean())))
    gain, tau, m1, m2 = max(gains, key=lambda g: g[0])
    sse = sse_all - gain
    return {"noiseSd": sd, "index": tau, "meanBefore": m1, "meanAfter": m2,
            "statistic": n * math.log(sse_all / sse), "statisticKnownSd": gain / 1.5**2,
            "sd": math.sqrt(sse / (n - 2)), "penalty": 3 * math.log(n)}


def change_fixture():
    rng = np.random.default_rng(20261126)
    shifted = np.concatenate([rng.normal(0, 1, 150), rng.normal(1, 1, 100)])
    shifted2 = np.concatenate([rng.normal(5, 2, 80), rng.normal(9, 2, 40)])
    warm = shifted[:30]
    mu_w, sd_w = float(warm.mean()), float(warm.std(ddof=1))

    river_rng = random.Random(12345)
    river_stream = river_rng.choices([0, 1], k=1000) + river_rng.choices(range(4, 8), k=1000)
    ph_river = page_hinkley(river_stream)
    first = ph_river["alarm"].index(True)
    assert first == 1006, first  # river's docstring: "Change detected at index 1006, input value: 5"

    return {
        "series": shifted.tolist(),
        "series2": shifted2.tolist(),
        "ewma": {
            "known": {"options": {"mean": 0, "sd": 1, "lambda": 0.2, "L": 3}, **ewma(shifted, 0.0, 1.0, 0.2, 3.0)},
            "warmup": {"options": {"warmup": 30, "lambda": 0.1, "L": 2.7}, "mean": mu_w, "sd": sd_w,
                       **ewma(shifted[30:], mu_w, sd_w, 0.1, 2.7)},
        },
        "cusum": {
            "known": {"options": {"mean": 0, "sd": 1, "k": 0.5, "h": 4}, **cusum(shifted, 0.0, 1.0, 0.5, 4.0)},
            "series2": {"options": {"mean": 5, "sd": 2, "k": 0.25, "h": 3},
                        **cusum(shifted2, 5.0, 2.0, 0.25, 3.0)},
        },
        "pageHinkley": {
            "river": {"stream": river_stream, "firstAlarm": first},
            "series": {"options": {"threshold": 8, "delta": 0.1, "minInstances": 20},
                       **page_hinkley(shifted.tolist(), threshold=8, delta=0.1, min_instances=20)},
            "up": {"options": {"threshold": 8, "delta": 0.1, "mode": "up", "alpha": 0.99},
                   **page_hinkley(shifted.tolist(), threshold=8, delta=0.1, mode="up", alpha=0.99)},
        },
        "changePoint": {
            "series": change_point(shifted, 5),
            "series2": change_point(shifted2, 5),
        },
    }


def main():
    ROOT.mkdir(parents=True, exist_ok=True)
    meta = {"generator": "scripts/fixtures-sketches.py", "numpy": np.__version__}
    (ROOT / "sketches-hash.json").write_text(json.dumps({"meta": meta, **hash_fixture()}) + "\n")
    (ROOT / "change-detectors.json").write_text(json.dumps({"meta": meta, **change_fixture()}) + "\n")


if __name__ == "__main__":
    main()
