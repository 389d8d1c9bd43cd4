"""Pattern-oriented validation: does the model reproduce, at once, the patterns the essay claims?

The catalogue is :mod:`sim.analysis.patterns` (table 2 of the essay, item by item, and patterns at
other levels); what is read from each run is :mod:`sim.analysis.measures`. This module runs every
cell the patterns need once per replication (common random numbers: the same seeds, so the same
world, under every cell), then tests each pattern's paired effects: a one-sided Wilcoxon
signed-rank test at ``alpha`` together with a 95% bootstrap interval that must exclude zero.
A pattern whose quantity the model cannot provide is ``open`` with the reason. A pattern that
fails is information about the model, not something to tune away (docs/validation.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from sim.analysis.measures import Missing, Value, measure_run
from sim.analysis.patterns import PATTERNS, Cell, Pattern
from sim.analysis.stats import bootstrap_ci
from sim.config.loader import apply_overrides
from sim.engine.executors import chunks, forking, local_cluster, worker_context
from sim.engine.plan import replication_seeds
from sim.engine.worker import prepare_worker

MIN_PAIRS = 5  # fewer runs with a finite effect than this: the pattern cannot be judged
Task = tuple[int, int, dict]  # (cell index, replication, raw config)


class Unavailable(Exception):
    """A quantity some run of a cell could not provide; its message says why."""


def _measure(task: Task) -> tuple[int, int, dict[str, Value]]:
    c, rep, config = task
    return c, rep, measure_run(config)


def _measure_chunk(tasks: list[Task]) -> list[tuple[int, int, dict[str, Value]]]:
    return [_measure(t) for t in tasks]


def _execute(
    tasks: list[Task], executor: str, workers: int | None, started: Callable[[], None]
) -> Iterator[tuple]:
    """Yield each task's result as it finishes: in this process, a local pool or Dask.
    ``started()`` once the work has begun (a local pool's workers exist: a progress bar's
    thread must not run when they fork)."""
    if executor != "local":
        started()
    if executor == "serial":
        yield from map(_measure, tasks)
        return
    workers = workers or os.cpu_count() or 1
    parts = chunks(tasks, 1)  # a run takes seconds: per-task overhead does not matter
    if executor == "dask":
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed

        with local_cluster(workers) as cluster, Client(cluster) as client:
            for future in dask_completed(client.map(_measure_chunk, parts, pure=False)):
                yield from future.result()
        return
    context = worker_context(["sim.analysis.measures"])  # as the engine's workers
    with ProcessPoolExecutor(workers, mp_context=context, initializer=prepare_worker) as pool:
        with forking():
            futures = [pool.submit(_measure_chunk, part) for part in parts]
        started()
        try:
            for future in as_completed(futures):
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()


def summaries(
    cells: list[Cell],
    replications: int,
    steps: int,
    seed: int,
    executor: str,
    workers: int | None,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict[tuple[Cell, int], dict[str, Value]]:
    """Run every cell once per replication, on the same seeds; return each run's quantities.
    ``progress(done, failed, total)`` is called as runs finish."""
    seeds = replication_seeds(seed, replications)
    tasks = [
        (c, rep, {**apply_overrides({"steps": steps}, cell.overrides()), "seed": s})
        for c, cell in enumerate(cells)
        for rep, s in enumerate(seeds)
    ]
    out: dict[tuple[Cell, int], dict[str, Value]] = {}

    def started() -> None:
        if progress:
            progress(0, 0, len(tasks))

    for c, rep, values in _execute(tasks, executor, workers, started):
        out[(cells[c], rep)] = values
        if progress:
            progress(len(out), 0, len(tasks))
    return out


def verdict(
    effect: np.ndarray, at_least: bool = False, alpha: float = 0.01, open_because: str = ""
) -> dict:
    """Test paired effects (expected > 0, or >= 0 for an "at least as" pattern).

    ``> 0`` passes when the one-sided Wilcoxon p < alpha and the bootstrap interval's low end
    is above 0; ``>= 0`` passes unless the effect is clearly negative (p < alpha the other way
    and the interval's high end below 0). Non-finite effects are left out; with fewer than
    ``MIN_PAIRS`` finite ones the pattern is open. A failing pattern with a declared
    ``open_because`` is open.
    """
    effect = np.asarray(effect, dtype=float)
    effect = effect[np.isfinite(effect)]
    n = int(effect.size)
    if n < MIN_PAIRS:
        return _open(f"only {n} runs have a finite effect (at least {MIN_PAIRS} needed)", n)
    lo, hi = bootstrap_ci(effect)
    side = "less" if at_least else "greater"
    p = float(wilcoxon(effect, alternative=side).pvalue) if np.any(effect) else 1.0
    passed = not (p < alpha and hi < 0) if at_least else (p < alpha and lo > 0)
    return {
        "effect": float(effect.mean()),
        "ci_low": lo,
        "ci_high": hi,
        "p_value": p,
        "n": n,
        "passed": bool(passed),
        "verdict": "pass" if passed else ("open" if open_because else "fail"),
        "open_because": "" if passed else open_because,
    }


def _open(reason: str, n: int = 0) -> dict:
    nan = float("nan")
    return {
        "effect": nan,
        "ci_low": nan,
        "ci_high": nan,
        "p_value": nan,
        "n": n,
        "passed": False,
        "verdict": "open",
        "open_because": reason,
    }


def judge(
    pattern: Pattern,
    data: dict[tuple[Cell, int], dict[str, Value]],
    replications: int,
    alpha: float = 0.01,
) -> dict:
    """One row of the table: the pattern, its per-pair effects and its verdict."""

    def get(cell: Cell, quantity: str) -> np.ndarray:
        values = []
        for rep in range(replications):
            run = data[(cell, rep)]
            value = run.get(quantity)
            if value is None:
                failed = [v.reason for k, v in run.items() if k.startswith("reader:")]
                raise Unavailable("; ".join(failed) or f"no quantity {quantity!r} in the runs")
            values.append(np.nan if isinstance(value, Missing) else value)
        if all(isinstance(data[(cell, r)][quantity], Missing) for r in range(replications)):
            raise Unavailable(data[(cell, 0)][quantity].reason)
        return np.array(values, dtype=float)

    row = {
        "pattern": pattern.number,
        "level": pattern.level,
        "name": pattern.name,
        "source": pattern.source,
        "expected": pattern.expected,
        "cells": pattern.compared,
    }
    try:
        effect = pattern.effect(get)
    except Unavailable as exc:
        return {**row, **_open(str(exc)), "per_pair": ""}
    result = verdict(effect, pattern.at_least, alpha, pattern.open_because)
    return {**row, **result, "per_pair": " ".join(f"{e:.3g}" for e in effect)}


def validate_patterns(
    quick: bool = True,
    seed: int = 2029,
    executor: str = "local",
    workers: int | None = None,
    alpha: float = 0.01,
    progress: Callable[[int, int, int], None] | None = None,
    patterns: tuple[Pattern, ...] = PATTERNS,
) -> pd.DataFrame:
    """Run every pattern; one row each with the measured effect, its 95% CI and the verdict.
    Quick mode: 10 pairs of 120 steps; full mode: 30 pairs of 200 steps."""
    replications, steps = (10, 120) if quick else (30, 200)
    cells = list(dict.fromkeys(c for p in patterns for c in p.cells))
    data = summaries(cells, replications, steps, seed, executor, workers, progress)
    rows = [judge(p, data, replications, alpha) for p in patterns]
    table = pd.DataFrame(rows).sort_values("pattern").reset_index(drop=True)
    cpu = [v.get("cpu_seconds", 0.0) for v in data.values()]
    table.attrs.update(runs=len(data), cpu_seconds=float(np.sum(cpu)))
    return table
