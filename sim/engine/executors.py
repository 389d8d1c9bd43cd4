"""Executors: where runs are computed. Each yields results as they finish.

``serial`` runs in this process; ``local`` uses a process pool on this machine; ``dask`` uses a
dask.distributed cluster (a scheduler address, or a LocalCluster when none is given). Runs are
sent in chunks so that per-task overhead stays small; a chunk whose worker dies is retried.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import forkserver
from multiprocessing.context import BaseContext
from typing import Any

from sim.config.loader import validate
from sim.engine.limits import estimate
from sim.engine.threads import one_blas_thread, one_blas_thread_meanwhile
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


def run_serial(
    runs: list[Run],
    stop: threading.Event | None = None,
    started: Callable[[], None] | None = None,
    **_: Any,
) -> Iterator[dict]:
    if started:
        started()
    with one_blas_thread_meanwhile():  # as in a worker, so every executor gives the same bits
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


def worker_context(preload: list[str]) -> BaseContext:
    """The context local workers start from. A process running no other Python thread forks
    them: they start in milliseconds with everything this process imported. Otherwise (a
    progress bar, Dask, a notebook) they fork from a server process, since forking beside
    running threads can deadlock: the server keeps the modules in ``preload`` (so each worker
    imports nothing) and starts with one BLAS thread. Either way, the pool's initializer
    (``worker.prepare_worker``) gives each worker one BLAS thread and the default SIGTERM,
    and ends it with the process that started it."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return mp.get_context("fork")
    return forkserver_context(preload)


@contextmanager
def forking() -> Iterator[None]:
    """Around the start of forked workers: Python 3.12 warns of any fork from a process with
    more than one OS thread. ``worker_context`` forks only when no other Python thread runs;
    the other threads then are native ones of OpenBLAS and of Arrow's allocator, which stop or
    reset themselves around a fork (``pthread_atfork``), as under Linux's default start method
    until Python 3.14 (fork). Run only while this process runs no other Python thread."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        yield


def forkserver_context(preload: list[str]) -> BaseContext:
    """The forkserver context, with its server running. One server per Python process: the
    first call fixes its preloaded modules and its environment (one BLAS thread); later calls
    reuse it. Starting it takes as long as importing ``preload`` (about 1.5 s for the model)."""
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(preload)
    with one_blas_thread():
        forkserver.ensure_running()
    return context


def run_local(
    runs: list[Run],
    workers: int | None = None,
    stop: threading.Event | None = None,
    started: Callable[[], None] | None = None,
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
        with forking():  # a forking pool starts all its workers at the first submit
            parts = chunks(runs, chunk_size(runs, workers))
            pending = {pool.submit(execute_chunk, c) for c in parts}
        if started:  # only now: a progress bar's thread must not exist when the workers fork
            started()
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


# A LocalCluster here computes whole models and serves no dashboard: nobody reads its workers'
# statistical profiles (a stack sample every 10 ms) or system monitor, and its event loops need
# not wake every 20 ms to time themselves. On two cores every such wake-up is taken from the
# models: a 40-run sweep took 18.2-21.8 s with these settings (and the memory monitor at 1 s)
# against 21.7-24.8 s without (four alternating pairs; all processes 35-42 s of CPU against
# 42-47 s). The nannies' memory monitor keeps its 0.1 s: it ends a worker before the kernel's
# out-of-memory killer would, and a city-scale worker grows fast.
BATCH_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "10s",
    "distributed.admin.tick.interval": "1s",
}


def local_cluster(workers: int, config: dict[str, Any] | None = None) -> Any:
    """A dask LocalCluster of ``workers`` single-threaded worker processes, set up for batch
    work (``BATCH_CLUSTER``; ``config``: further Dask settings while it starts)."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({**BATCH_CLUSTER, **(config or {})}):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )


def run_dask(
    runs: list[Run],
    workers: int | None = None,
    scheduler: str | None = None,
    stop: threading.Event | None = None,
    started: Callable[[], None] | None = None,
    **_: Any,
) -> Iterator[dict]:
    stop = stop or threading.Event()
    if started:  # Dask's workers never fork from this process: a progress thread is harmless
        started()
    if not scheduler:
        # A LocalCluster's workers fork from a server process that imports the model and
        # distributed (so no worker imports anything, and each has one BLAS thread). Started
        # first, it imports them while this process imports Dask and starts the scheduler.
        forkserver_context(["distributed", "sim.engine.worker"])
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        client = connect(scheduler)
    else:
        cluster = local_cluster(
            workers or os.cpu_count() or 1,
            {"distributed.worker.multiprocessing-method": "forkserver"},
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
