"""Small timing helpers shared by the benchmarks (never used in tests)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

__all__ = ["percentiles", "time_calls"]


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50 / p95 / mean of a list of milliseconds."""
    arr = np.asarray(samples_ms, dtype=float)
    return {"p50_ms": float(np.percentile(arr, 50)), "p95_ms": float(np.percentile(arr, 95)),
            "mean_ms": float(arr.mean()), "n": int(arr.size)}


def time_calls(fn: Callable[[int], object], n: int, warmup: int = 5) -> dict[str, float]:
    """Call ``fn(i)`` ``n`` times after ``warmup`` calls; return latency percentiles."""
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)
