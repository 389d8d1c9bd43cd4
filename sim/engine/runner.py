"""Running an experiment: plan -> executor -> store, resumable, with progress and a manifest."""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.loader import ConfigError
from sim.engine.estimate import dry_run, flush_size  # dry_run: part of this module's API
from sim.engine.executors import EXECUTORS, WorkerLost
from sim.engine.files import write_parquet
from sim.engine.plan import build_plan
from sim.engine.provenance import provenance
from sim.engine.spec import check_parameters, load_spec
from sim.engine.store import Store

__all__ = ["Outcome", "Plan", "dry_run", "plan_experiment", "run_experiment"]

# progress(done, failed, total): once the total is known, then after each finished run
Progress = Callable[[int, int, int], None]


@dataclass
class Plan:
    spec_path: Path
    spec: Any
    design: pd.DataFrame
    runs: list[dict]


@dataclass
class Outcome:
    out: Path
    planned: int
    skipped: int
    done: int = 0
    failed: list[str] = field(default_factory=list)
    interrupted: bool = False
    reason: str = ""
    seconds: float = 0.0


def plan_experiment(spec_path: str | Path) -> Plan:
    """Load and check a spec and lay out all its runs (raises ConfigError on bad input)."""
    spec_path = Path(spec_path)
    spec = load_spec(spec_path)
    check_parameters(spec, spec_path)
    design, runs = build_plan(spec, spec_path)
    return Plan(spec_path, spec, design, runs)


def prepare_out(out: Path, resume: bool, retry_failed: bool, force: bool) -> None:
    """Refuse to mix a new experiment into old results unless told how."""
    if out.exists() and any(out.iterdir()):
        if force:
            shutil.rmtree(out)
        elif not (resume or retry_failed):
            raise ConfigError(
                f"{out} already holds results: pass --resume to complete it, "
                "--retry-failed to redo failed runs, or --force to start over"
            )
    out.mkdir(parents=True, exist_ok=True)


def select(runs: list[dict], status: dict[str, str], retry_failed: bool) -> list[dict]:
    """Runs still to do: never stored, or (with --retry-failed) stored as failed."""
    return [
        r
        for r in runs
        if r["run_id"] not in status or (retry_failed and status[r["run_id"]] != "ok")
    ]


def _raise_interrupt(signum, frame):  # SIGTERM behaves like Ctrl-C: flush, then stop
    raise KeyboardInterrupt


def run_experiment(
    plan: Plan,
    out: Path,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    flush_every: int | None = None,
) -> Outcome:
    """Run (the rest of) an experiment into ``out`` and return what happened."""
    out = Path(out)
    prepare_out(out, resume, retry_failed, force)
    store = Store(out)
    store.remove_incomplete()
    write_parquet(plan.design, out / "design.parquet")
    todo = select(plan.runs, store.status(), retry_failed)
    outcome = Outcome(out, planned=len(plan.runs), skipped=len(plan.runs) - len(todo))
    started = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = {
        "spec_file": str(plan.spec_path),
        "spec": plan.spec.model_dump(mode="json"),
        "configs": {
            s: next(r["config"] for r in plan.runs if r["scenario"] == s)
            for s in plan.spec.scenarios
        },
        "root_seed": plan.spec.seed,
        "replication_seeds": sorted({r["seed"] for r in plan.runs}),
        "executor": executor,
        "workers": workers,
        "started": started,
        "runs_planned": len(plan.runs),
        **provenance(),
    }
    store.write_manifest({**manifest, "state": "running"})
    flush_every = flush_every or flush_size(len(todo))
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    start = time.perf_counter()
    if progress:  # the total is known from here on
        progress(0, 0, len(todo))
    try:
        for result in EXECUTORS[executor](todo, workers=workers, scheduler=scheduler):
            store.add(result)
            if result["row"]["status"] == "ok":
                outcome.done += 1
            else:
                outcome.failed.append(result["row"]["run_id"])
            if store.pending >= flush_every:
                store.flush()
            if progress:
                progress(outcome.done, len(outcome.failed), len(todo))
    except (KeyboardInterrupt, WorkerLost) as exc:
        outcome.interrupted = True
        outcome.reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.flush()
        outcome.seconds = time.perf_counter() - start
        rows = store.consolidate([r["run_id"] for r in plan.runs])
        counts = rows.status.value_counts().to_dict() if len(rows) else {}
        store.write_manifest(
            {
                **manifest,
                "state": "interrupted" if outcome.interrupted else "complete",
                "ended": datetime.now(UTC).isoformat(timespec="seconds"),
                "runs_ok": int(counts.get("ok", 0)),
                "runs_failed": int(counts.get("failed", 0)),
                "runs_missing": len(plan.runs) - len(rows),
            }
        )
    return outcome
