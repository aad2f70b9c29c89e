"""Timing an engine over the query set: percentiles per run, medians over runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from speedlib.queries import KINDS, Query


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile, linear between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def time_engine(page: Callable[[Query], int], queries: Sequence[Query], warmup: Sequence[Query]) -> dict:
    """First page (includes opening), warm-up pages untimed, then each query's ms and total."""
    started = time.perf_counter()
    page(warmup[0] if warmup else queries[0])
    first_ms = (time.perf_counter() - started) * 1000
    for query in warmup[1:]:
        page(query)
    latencies, totals = [], []
    for query in queries:
        started = time.perf_counter()
        totals.append(page(query))
        latencies.append((time.perf_counter() - started) * 1000)
    return {**latency_summary(latencies, queries), "first_ms": first_ms, "totals": totals}


def latency_summary(latencies: Sequence[float], queries: Sequence[Query]) -> dict:
    """p50/p95/p99/mean of one run, and the p50 of each kind of query."""
    by_kind = {}
    for kind, _ in KINDS:
        kind_ms = [ms for ms, q in zip(latencies, queries) if q.kind == kind]
        if kind_ms:
            by_kind[kind] = percentile(kind_ms, 50)
    return {
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies),
        "by_kind": by_kind,
    }


def median_of(runs: Sequence[dict], *keys: str) -> float:
    """The median over runs of run[keys[0]][keys[1]]..."""
    values = []
    for run in runs:
        value = run
        for key in keys:
            value = value[key]
        values.append(value)
    return statistics.median(values)


def rounded(value):
    """Floats to 3 decimals, inside dicts too: the JSON a script prints."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value
