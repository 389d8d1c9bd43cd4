"""Executors: where runs are computed. Each yields results as they finish.

``serial`` runs in this process; ``local`` uses a process pool on this machine; ``dask`` uses a
dask.distributed cluster (a scheduler address, or a LocalCluster when none is given). Runs are
sent in chunks so that per-task overhead stays small; a chunk whose worker dies is retried.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sim.engine.worker import execute, execute_chunk

Run = dict[str, Any]


class WorkerLost(RuntimeError):
    """A local worker died; finished runs are kept and --resume does the rest."""


def chunks(runs: list[Run], size: int) -> list[list[Run]]:
    return [runs[i : i + size] for i in range(0, len(runs), size)]


def chunk_size(n_runs: int, workers: int) -> int:
    """Several chunks per worker (for balance and progress), at most 20 runs each."""
    return max(1, min(20, n_runs // max(1, workers * 4)))


def run_serial(runs: list[Run], **_: Any) -> Iterator[dict]:
    for run in runs:
        yield execute(run)


def run_local(runs: list[Run], workers: int | None = None, **_: Any) -> Iterator[dict]:
    workers = workers or os.cpu_count() or 1
    # forkserver: forking a process that already runs threads (Dask, a progress bar) can deadlock
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver"))
    try:
        # no list of futures is kept: a finished chunk's results are freed once yielded
        submitted = (
            pool.submit(execute_chunk, c) for c in chunks(runs, chunk_size(len(runs), workers))
        )
        for future in as_completed(list(submitted)):
            try:
                chunk = future.result()
            except BrokenProcessPool as exc:  # a worker was killed: stop, keep what is done
                raise WorkerLost("a worker process died; the runs in flight are lost") from exc
            yield from chunk
    finally:  # on interrupt: drop queued chunks, do not wait for the ones in flight
        pool.shutdown(wait=False, cancel_futures=True)


def run_dask(
    runs: list[Run], workers: int | None = None, scheduler: str | None = None, **_: Any
) -> Iterator[dict]:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        parts = chunks(runs, chunk_size(len(runs), n_workers))
        # retries: a chunk whose worker dies is computed again elsewhere
        futures = client.map(execute_chunk, parts, retries=2, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        finished = dask_completed(futures, with_results=True, raise_errors=False)
        del futures
        for future, result in finished:
            part = parts[index.pop(future.key)]
            if future.status == "error":  # it kept failing: its runs are recorded as failed
                for run in part:
                    yield failed(run, repr(result))
            else:
                yield from result
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def failed(run: Run, error: str) -> dict:
    """The record of a run that never returned (its worker died for good)."""
    from sim.engine.worker import METRICS

    row = {k: run[k] for k in ("run_id", "scenario", "point", "replication", "seed")}
    row.update({f"param:{k}": v for k, v in run["params"].items()})
    row.update({m: float("nan") for m in METRICS})
    row.update(status="failed", error=error, seconds=0.0)
    return {"row": row, "steps": [], "opgaven": [], "actors": [], "network": ""}


EXECUTORS = {"serial": run_serial, "local": run_local, "dask": run_dask}
