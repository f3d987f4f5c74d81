"""The paired comparison of `npm run bench -- paired` as a researcher would write it in
numpy at its best: bootstrap counts times the data as one matrix product per chunk
(BLAS), sign flips the same way, every statistic vectorized. NaN-free input only (the
bench's data has none), so no NaN-row rule.

usage: python3 paired_numpy.py DATA.f64 N LAYERS MODULES RESAMPLES A B
DATA.f64 holds run A's values then run B's, each [N, MODULES, LAYERS] float64, pairs in
the same order. Prints one JSON line: wall and CPU seconds (after reading the data) and a checksum.
"""
import json
import sys
import time

import numpy as np


def mad(curves, start, end):
    """MAD of curves[..., start:end] along the last axis."""
    return np.abs(np.diff(curves[..., start:end], axis=-1)).mean(axis=-1)


def statistics(sa, sb, n, layers, splits):
    """Per resample (rows) and module: layer differences, MAD differences of 4 parts, relative difference."""
    a = sa / n
    b = sb / n
    lo, hi = splits
    parts = [(0, layers), (0, lo), (lo, hi), (hi, layers)]
    mads = np.stack([mad(b, s, e) - mad(a, s, e) for s, e in parts], axis=-1)
    ref = np.where(a == 0, 1e-10, a)
    rd = (np.abs(ref - b) / np.abs(ref)).mean(axis=-1, keepdims=True)
    return np.concatenate([b - a, mads, rd], axis=-1)


def main():
    path, n, layers, modules, resamples, split_a, split_b = sys.argv[1:8]
    n, layers, modules, resamples = int(n), int(layers), int(modules), int(resamples)
    splits = (int(split_a), int(split_b))
    data = np.fromfile(path, dtype=np.float64).reshape(2, n, modules * layers)
    start = time.perf_counter()
    cpu_start = time.process_time()
    xa, xb = data[0], data[1]
    delta = xb - xa
    rng = np.random.default_rng(1)
    shape = lambda s: s.reshape(-1, modules, layers)
    observed = statistics(shape(xa.sum(0)), shape(xb.sum(0)), n, layers, splits)[0]
    boot = []
    extreme = np.zeros_like(observed)
    chunk = 500
    for first in range(0, resamples, chunk):
        size = min(chunk, resamples - first)
        draws = rng.integers(0, n, size=(size, n))
        counts = np.zeros((size, n))
        np.add.at(counts, (np.repeat(np.arange(size), n), draws.ravel()), 1)
        boot.append(statistics(shape(counts @ xa), shape(counts @ xb), n, layers, splits))
        flips = (rng.random((size, n)) < 0.5).astype(np.float64)
        f = flips @ delta
        perm = statistics(shape(xa.sum(0) + f), shape(xb.sum(0) - f), n, layers, splits)
        extreme += (np.abs(perm) >= np.abs(observed)).sum(axis=0)
    boot = np.concatenate(boot)
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
    p = (1 + extreme) / (1 + resamples)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({"seconds": seconds, "cpu": cpu, "checksum": float(np.nansum(lo) + np.nansum(hi) + p.sum())}))


main()
