"""Executors: where runs are computed. Each yields results as they finish.

``serial`` runs in this process; ``local`` uses a process pool on this machine; ``dask`` uses a
dask.distributed cluster (a scheduler address, or a LocalCluster when none is given). Runs are
sent in chunks so that per-task overhead stays small; a chunk whose worker dies is retried.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import forkserver
from multiprocessing.context import BaseContext
from typing import Any

from sim.config.loader import validate
from sim.engine.limits import estimate
from sim.engine.worker import execute, execute_chunk, init_worker
from sim.errors import UsageError

Run = dict[str, Any]
GRACE = 3.0  # seconds runs in flight get to hand back what finished, once asked to stop
POLL = 0.1  # seconds between looks at the stop flag while waiting for results
SCHEDULER_TIMEOUT = 10.0  # seconds to reach a Dask scheduler before giving up


class WorkerLost(RuntimeError):
    """A local worker died; finished runs are kept and --resume does the rest."""


def chunks(runs: list[Run], size: int) -> list[list[Run]]:
    return [runs[i : i + size] for i in range(0, len(runs), size)]


CHUNK_SECONDS = 1.0  # work per chunk: per-task overhead is milliseconds, the idle tail half this


def chunk_size(runs: list[Run], workers: int) -> int:
    """Runs per task: about ``CHUNK_SECONDS`` of work (by the rough estimate of the longest
    scenario's first run), several chunks per worker (for balance and progress), at most 20.
    Runs of half a second or more go one at a time: a chunk of five left one worker idle for
    half a chunk at the end."""
    if not runs:
        return 1
    firsts = {run.get("scenario"): run for run in reversed(runs)}.values()
    try:
        seconds = max(estimate(validate(r["config"], r["run_id"])).seconds for r in firsts)
    except (KeyError, TypeError, ValueError):  # an invalid config fails in its worker, with
        seconds = CHUNK_SECONDS  # its message
    by_time = int(CHUNK_SECONDS / max(seconds, 1e-3))
    return max(1, min(20, by_time, len(runs) // max(1, workers * 4)))


def run_serial(runs: list[Run], stop: threading.Event | None = None, **_: Any) -> Iterator[dict]:
    for run in runs:
        result = execute(run, stop)
        if result is None:  # asked to stop mid-run
            return
        yield result
        if stop is not None and stop.is_set():
            return


def _chunk_results(future: Future) -> list[dict]:
    try:
        return future.result()
    except CancelledError:
        return []
    except BrokenProcessPool as exc:  # a worker was killed: stop, keep what is done
        raise WorkerLost("a worker process died; the runs in flight are lost") from exc


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Processes started inside get one BLAS thread each, as Dask's workers do: the workers are
    the parallelism, and BLAS threads of their own would only compete for the same cores. When
    the user has set any of these variables, all are left as they are."""
    if any(name in os.environ for name in BLAS_THREADS):
        yield
        return
    try:
        os.environ.update(dict.fromkeys(BLAS_THREADS, "1"))
        yield
    finally:
        for name in BLAS_THREADS:
            os.environ.pop(name, None)


def worker_context(preload: list[str]) -> BaseContext:
    """The forkserver context local workers start from, with its server running. Workers are
    forked from one server process per Python process: it keeps the modules it preloaded (so
    each worker imports nothing) and the environment it started with (one BLAS thread). The
    first call in a process fixes both; later calls reuse the running server. (forkserver, not
    fork: forking a process that already runs threads, Dask or a progress bar, can deadlock.)"""
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(preload)
    with one_blas_thread():
        forkserver.ensure_running()
    return context


def run_local(
    runs: list[Run],
    workers: int | None = None,
    stop: threading.Event | None = None,
    **_: Any,
) -> Iterator[dict]:
    workers = workers or os.cpu_count() or 1
    stop = stop or threading.Event()
    context = worker_context(["sim.engine.worker"])
    halt = context.Event()  # tells the workers to hand back what they finished
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=init_worker, initargs=(halt,)
    )
    try:
        # only unfinished futures are kept: a finished chunk's results are freed once yielded
        pending = {pool.submit(execute_chunk, c) for c in chunks(runs, chunk_size(runs, workers))}
        while pending and not stop.is_set():
            done, pending = wait(pending, timeout=POLL, return_when=FIRST_COMPLETED)
            for future in done:
                yield from _chunk_results(future)
        if pending:  # asked to stop: cancel what has not started, collect what finished
            halt.set()
            for future in pending:
                future.cancel()
            done, late = wait(pending, timeout=GRACE)
            for future in done:
                yield from _chunk_results(future)
            if late:  # a single step longer than the grace period: end those workers
                _terminate(pool)
    finally:  # on an exception too: workers stop at their next step, queued chunks are dropped
        halt.set()
        pool.shutdown(wait=False, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    # concurrent.futures has no public way to end busy workers; their runs are not finished
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def connect(scheduler: str) -> Any:
    """A Dask client on ``scheduler``, or a UsageError naming it when nothing answers."""
    from dask.distributed import Client

    try:
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(
            f"--scheduler {scheduler}: no Dask scheduler answered within "
            f"{SCHEDULER_TIMEOUT:g} s ({type(exc).__name__}: {exc}); expected an address such "
            "as tcp://host:8786 of a running scheduler"
        ) from None


def run_dask(
    runs: list[Run],
    workers: int | None = None,
    scheduler: str | None = None,
    stop: threading.Event | None = None,
    **_: Any,
) -> Iterator[dict]:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    stop = stop or threading.Event()
    cluster = None
    if scheduler:
        client = connect(scheduler)
    else:
        import dask

        # Workers fork from the server the local pool uses, which has imported the model
        # (and distributed): no worker imports anything, and each has one BLAS thread.
        with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
            worker_context(["distributed", "sim.engine.worker"])
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        parts = chunks(runs, chunk_size(runs, n_workers))
        # retries: a chunk whose worker dies is computed again elsewhere
        futures = client.map(execute_chunk, parts, retries=2, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        finished = dask_completed(futures, with_results=True, raise_errors=False)
        del futures
        while not finished.is_empty() and not stop.is_set():
            batch = finished.next_batch(block=False)
            if not batch:
                time.sleep(POLL)
                continue
            for future, result in batch:
                part = parts[index.pop(future.key)]
                if future.status == "error":  # it kept failing: its runs are recorded as failed
                    for run in part:
                        yield failed(run, repr(result))
                else:
                    yield from result
                future.release()
    finally:  # closing the client cancels every chunk not yet finished
        client.close()
        if cluster is not None:
            cluster.close()


def failed(run: Run, error: str) -> dict:
    """The record of a run that never returned (its worker died for good)."""
    from sim.engine.worker import failure

    row = {k: run[k] for k in ("run_id", "scenario", "point", "replication", "seed")}
    row.update({f"param:{k}": v for k, v in run["params"].items()})
    return failure(row, error, 0.0)


EXECUTORS = {"serial": run_serial, "local": run_local, "dask": run_dask}
