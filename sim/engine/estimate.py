"""Dry-run estimates: time from a pilot the size of the real runs, output size from what is kept.

The pilot runs a few of the plan's own runs (spread over its scenarios and design points) at
their full length, on the same number of workers, so the per-run time includes the contention
between workers and the growth of a run's cost over its steps. The output size is what the store
would write for those runs (the kept steps and the outputs the spec asks for), scaled to the
plan: Parquet's fixed cost per file is counted per file, not per run.
"""

from __future__ import annotations

import io
import math
import time
from typing import Any

import pandas as pd

from sim.engine.executors import EXECUTORS


def flush_size(n_runs: int) -> int:
    """Runs per stored batch (what ``run_experiment`` flushes at once)."""
    return max(1, min(50, n_runs // 20 or 1))


def pilot_runs(runs: list[dict], k: int) -> list[dict]:
    """``k`` runs spread evenly over the plan (scenario-major, so every scenario is sampled
    when k is at least the number of scenarios)."""
    n = len(runs)
    return [runs[i * n // k] for i in range(min(k, n))]


def _parquet_bytes(frame: pd.DataFrame) -> int:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.tell()


def _table_cost(rows: list[dict]) -> tuple[float, float]:
    """(bytes per row, fixed bytes per file) of these rows stored as Parquet."""
    frame = pd.DataFrame(rows)
    whole = _parquet_bytes(frame)
    if len(frame) < 2:
        return float(whole), 0.0
    one = _parquet_bytes(frame.iloc[:1])
    per_row = max(0.0, (whole - one) / (len(frame) - 1))
    return per_row, max(0.0, one - per_row)


def output_bytes(results: list[dict[str, Any]], n_runs: int, n_scenarios: int) -> float:
    """Estimated size of the store for ``n_runs`` runs like ``results``."""
    k = len(results)
    batches = math.ceil(n_runs / flush_size(n_runs))
    total = 0.0
    for table in ("steps", "opgaven", "actors", "memberships"):
        rows = [r for res in results for r in res.get(table, ())]
        if not rows:
            continue
        per_row, fixed = _table_cost(rows)
        # one file per batch and scenario; a batch mostly holds one scenario's runs
        total += per_row * len(rows) / k * n_runs + fixed * (batches + n_scenarios)
    per_row, fixed = _table_cost([res["row"] for res in results])
    total += per_row * 2 * n_runs + fixed * (batches + 1)  # the batch parts and runs.parquet
    total += sum(len(res["network"].encode()) for res in results) / k * n_runs
    return total


def pilot(plan_runs: list[dict], workers: int, executor: str, k: int) -> tuple[list[dict], float]:
    """Run ``k`` of the plan's runs as the real run would; return their results and the wall
    time. Dask is piloted on a local pool of the same size."""
    picks = pilot_runs(plan_runs, k)
    name = "serial" if executor == "serial" else "local"
    start = time.perf_counter()
    results = list(EXECUTORS[name](picks, workers=workers))
    return results, time.perf_counter() - start


def dry_run(
    plan: Any, workers: int, executor: str = "local", pilot_size: int | None = None
) -> dict[str, Any]:
    """Estimate time and output size of ``plan`` from a pilot; nothing is stored.

    ``pilot_size`` runs (default: two per worker) run at full length on ``workers`` workers;
    the estimate is their mean time per run x runs / workers, plus the pool's start-up.
    """
    runs = plan.runs
    workers = 1 if executor == "serial" else max(1, workers)
    k = min(len(runs), pilot_size or 2 * workers)
    results, wall = pilot(runs, workers, executor, k)
    seconds = [res["row"]["seconds"] for res in results]
    per_run = sum(seconds) / len(seconds)
    parallel = min(workers, k)
    startup = max(0.0, wall - sum(seconds) / parallel)
    size = output_bytes(results, len(runs), len(plan.spec.scenarios))  # measured in memory
    return {
        "runs": len(runs),
        "scenarios": len(plan.spec.scenarios),
        "design_points": len(plan.design),
        "replications": plan.spec.replications,
        "pilot_runs": k,
        "workers": workers,
        "seconds_per_run": per_run,
        "estimated_seconds": per_run * len(runs) / workers + startup,
        "estimated_bytes": size,
        "pilot_failed": sum(res["row"]["status"] != "ok" for res in results),
    }


__all__ = ["dry_run", "flush_size", "output_bytes", "pilot_runs"]
