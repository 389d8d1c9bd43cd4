"""What runs on a worker: one run description in, plain records out. Never raises."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from typing import Any, Protocol

import networkx as nx
import pandas as pd

from sim.config.loader import validate
from sim.engine.threads import one_blas_thread_here
from sim.model.model import OpgaveModel
from sim.model.network import to_networkx
from sim.model.outcomes import MODEL_REPORTERS
from sim.model.records import actor_records, membership_records, opgave_records

METRICS = tuple(MODEL_REPORTERS)
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Flag(Protocol):
    def is_set(self) -> bool: ...


_STOP: Flag = threading.Event()  # in a pool worker: the pool's shared stop event


def prepare_worker() -> None:
    """A pool worker's start: SIGTERM ends it (a forked worker would otherwise keep the
    handler of the experiment it was forked from); it ends when the process that started it
    dies (else a killed experiment's workers wait forever); it computes with one BLAS thread."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    end_with_parent()
    one_blas_thread_here()


def end_with_parent() -> None:
    """Linux: SIGTERM to this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before the request: nobody is left to wait for
        os.kill(os.getpid(), signal.SIGTERM)


def init_worker(stop: Flag) -> None:
    """The engine's pool initializer: ``prepare_worker``; Ctrl-C is the main process's to
    handle (it tells the workers through ``stop``, the pool's flag)."""
    global _STOP
    prepare_worker()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STOP = stop


def execute(run: dict[str, Any], stop: Flag | None = None) -> dict[str, Any] | None:
    """Run one model; return its run row, kept steps and challenge records (or its traceback).

    Returns None when ``stop`` is set before the run ends: an unfinished run is not a result.
    """
    start = time.perf_counter()
    row = {k: run[k] for k in ("run_id", "scenario", "point", "replication", "seed")}
    row.update({f"param:{k}": v for k, v in run["params"].items()})
    try:
        config = validate(run["config"], run["run_id"])
        model = OpgaveModel(config)
        for _ in range(config.steps):  # one step at a time, so a stop request is seen at once
            if stop is not None and stop.is_set():
                return None
            model.run_for(1)
        frame = model.datacollector.get_model_vars_dataframe()
        final = frame.iloc[-1]
        row.update({m: float(final[m]) for m in METRICS})
        row["capacity_to_need"] = model.capacity_to_need()
        row.update(status="ok", error="", seconds=time.perf_counter() - start)
        every = run["outputs"]["steps_every"]
        kept = frame[(frame.index % every == 0) | (frame.index == frame.index[-1])]
        steps = [
            {
                "run_id": run["run_id"],
                "scenario": run["scenario"],
                "point": run["point"],
                "replication": run["replication"],
                "step": int(t),
                **kept.loc[t].to_dict(),
            }
            for t in kept.index
        ]
        opgaven = (
            [
                {"run_id": run["run_id"], "scenario": run["scenario"], **r}
                for r in opgave_records(model)
            ]
            if run["outputs"]["opgaven"]
            else []
        )
        actors = (
            [
                {"run_id": run["run_id"], "scenario": run["scenario"], **r}
                for r in actor_records(model)
            ]
            if run["outputs"]["actors"]
            else []
        )
        memberships = (
            pd.DataFrame(membership_records(model))
            .assign(run_id=run["run_id"], scenario=run["scenario"])
            .to_dict("records")
            if run["outputs"].get("memberships")
            else []
        )
        network = (
            "\n".join(nx.generate_graphml(to_networkx(model))) if run["outputs"]["network"] else ""
        )
        return {
            "row": row,
            "steps": steps,
            "opgaven": opgaven,
            "actors": actors,
            "memberships": memberships,
            "network": network,
        }
    except Exception:  # a failing run is recorded, never allowed to stop the sweep
        return failure(row, traceback.format_exc(limit=20), time.perf_counter() - start)


def failure(row: dict, error: str, seconds: float) -> dict:
    """The record of a failed run: its row with every metric NaN and no tables."""
    row.update({m: float("nan") for m in METRICS})
    row.update(status="failed", error=error, seconds=seconds)
    return {"row": row, "steps": [], "opgaven": [], "actors": [], "memberships": [], "network": ""}


def execute_chunk(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several short runs per task, so per-task overhead stays small. When the pool is told
    to stop, the runs finished so far come back and the rest are left for --resume. One BLAS
    thread, as in the engine's own workers, also on a Dask cluster started elsewhere (BLAS's
    thread count can change the last bits of a city-sized run)."""
    one_blas_thread_here()
    results = []
    for run in runs:
        result = execute(run, _STOP)
        if result is None:
            break
        results.append(result)
    return results
