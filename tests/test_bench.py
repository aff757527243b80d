"""``tastebud bench`` formatting (the benchmarks themselves are never run in tests)."""

from __future__ import annotations

from tastebud.evals.bench import format_results


def _lat(p50, p95):
    return {"p50_ms": p50, "p95_ms": p95, "mean_ms": p50, "n": 50}


def test_format_results_shows_figures_and_ratios():
    res = {"store": {"items": 9742, "first_use_ingest_s": 3.0, "ingest_items_per_s": 90.0,
                     "raw_encode_items_per_s": 100.0, "ingest_to_encode_ratio": 0.9,
                     "search": _lat(10, 20), "search_filtered": _lat(12, 30), "query_encode": _lat(8, 10)},
           "recommend": {"matrix": [2810, 2810], "raw_matvec": _lat(1, 2), "recommend": _lat(3, 5), "p95_ratio": 2.5},
           "agent": {**_lat(150, 240), "goal_p95_ms": 300.0}, "seconds": 100.0}
    text = format_results(res)
    assert "ratio 0.90 (goal >= 0.8)" in text
    assert "= 2.00x" in text and "= 3.00x" in text and "= 2.50x" in text
    assert "offline turn" in text and "= 0.80x" in text and "total 100.0 s" in text
