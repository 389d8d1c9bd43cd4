"""Running an experiment: plan -> executor -> store, resumable, with progress and a manifest."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.loader import validate
from sim.engine.design import expected_size
from sim.engine.estimate import dry_run, flush_size  # dry_run: part of this module's API
from sim.engine.executors import EXECUTORS, WorkerLost, connect
from sim.engine.files import write_parquet
from sim.engine.fingerprint import check_same, digest, identity
from sim.engine.limits import Estimate, check_run, check_size
from sim.engine.lock import FolderLock
from sim.engine.outdir import (
    clear,
    contents,
    ensure_writable,
    is_results_folder,
    read_manifest,
    refuse_unless_ours,
)
from sim.engine.plan import build_plan
from sim.engine.provenance import provenance
from sim.engine.spec import check_parameters, load_spec, scenario_configs, spec_from_mapping
from sim.engine.stop import StopSignals
from sim.engine.store import Store
from sim.errors import UsageError

__all__ = ["Outcome", "Plan", "dry_run", "plan_experiment", "run_experiment"]

# progress(done, failed, total): once the total is known, then after each finished run
Progress = Callable[[int, int, int], None]


@dataclass
class Plan:
    spec_path: Path
    spec: Any
    design: pd.DataFrame
    runs: list[dict]
    identity: dict[str, Any]  # what decides the results (see sim.engine.fingerprint)
    largest: Estimate  # the costliest run's rough time and memory


@dataclass
class Outcome:
    out: Path
    planned: int
    skipped: int
    done: int = 0
    failed: list[str] = field(default_factory=list)
    interrupted: bool = False
    reason: str = ""
    code: int = 0  # exit status for an interruption: 130 (Ctrl-C), 143 (SIGTERM), 1 otherwise
    seconds: float = 0.0


def plan_experiment(spec_path: str | Path | Mapping, allow_large: bool = False) -> Plan:
    """Load and check a spec and lay out all its runs (raises a UsageError on bad input, and
    on a design or run past the size limits unless ``allow_large``). A spec given as a mapping
    reads its scenarios' config paths from the working directory."""
    if isinstance(spec_path, Mapping):
        name = spec_path.get("name", "spec")
        spec_path, spec = (
            Path(f"<{name} given as a dict>"),
            spec_from_mapping(dict(spec_path), f"spec {name!r} (a dict)"),
        )
    else:
        spec_path = Path(spec_path)
        spec = load_spec(spec_path)
    check_parameters(spec, spec_path)
    points = expected_size(spec.design)
    check_size(
        points, points * len(spec.scenarios) * spec.replications, str(spec_path), allow_large
    )
    estimates: list[Estimate] = []
    design, runs = build_plan(
        spec,
        spec_path,
        lambda config, where: estimates.append(check_run(config, where, allow_large)),
    )
    configs = {
        name: validate(raw, str(spec_path)).model_dump(mode="json")
        for name, raw in scenario_configs(spec, spec_path).items()
    }
    largest = max(estimates, key=lambda e: (e.seconds, e.bytes))
    return Plan(spec_path, spec, design, runs, identity(spec, configs, design), largest)


def check_out(
    out: Path, plan: Plan, resume: bool, retry_failed: bool, force: bool, extend: bool
) -> None:
    """Refuse to mix a new experiment into old results, or to delete what is not ours.
    Read-only: called before the folder is touched, and again once it is locked."""
    if not contents(out):
        return
    if force:
        refuse_unless_ours(out, "experiment")
    elif not (resume or retry_failed or extend):
        raise UsageError(
            f"{out} already holds results: pass --resume to complete it, "
            "--retry-failed to redo failed runs, --force to start over, or choose another --out"
        )
    else:
        manifest = read_manifest(out)
        if manifest is None or not is_results_folder(out, "experiment"):
            raise UsageError(
                f"{out}: holds files but no experiment manifest, so it is not a results folder "
                "of opgaven; choose another --out"
            )
        check_same(manifest, plan.identity, str(out), extend)


def select(runs: list[dict], status: dict[str, str], retry_failed: bool) -> list[dict]:
    """Runs still to do: never stored, or (with --retry-failed) stored as failed."""
    return [
        r
        for r in runs
        if r["run_id"] not in status or (retry_failed and status[r["run_id"]] != "ok")
    ]


def run_experiment(
    plan: Plan,
    out: Path,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    force: bool = False,
    extend: bool = False,
    progress: Progress | None = None,
    flush_every: int | None = None,
) -> Outcome:
    """Run (the rest of) an experiment into ``out`` and return what happened.

    Everything that can be refused is checked before the first run: the executor, the
    scheduler, that ``out`` is writable, not in use, and holds nothing a different experiment
    made. The folder stays locked while the experiment writes to it.
    """
    out = Path(out)
    if executor not in EXECUTORS:
        raise UsageError(f"--executor {executor!r}: expected one of {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: expected a whole number of at least 1")
    if executor == "dask" and scheduler:
        connect(scheduler).close()  # an unreachable scheduler is refused before any writing
    check_out(out, plan, resume, retry_failed, force, extend)  # before anything is written
    ensure_writable(out)
    with FolderLock(out):
        check_out(out, plan, resume, retry_failed, force, extend)  # it may have changed
        if force:
            clear(out)
        return _run(plan, out, executor, workers, scheduler, retry_failed, progress, flush_every)


def _run(
    plan: Plan,
    out: Path,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    retry_failed: bool,
    progress: Progress | None,
    flush_every: int | None,
) -> Outcome:
    store = Store(out)
    store.remove_incomplete()
    store.remove_damaged()
    write_parquet(plan.design, out / "design.parquet")
    todo = select(plan.runs, store.status(), retry_failed)
    outcome = Outcome(out, planned=len(plan.runs), skipped=len(plan.runs) - len(todo))
    manifest = {
        "spec_file": str(plan.spec_path),
        "spec": plan.spec.model_dump(mode="json"),
        "configs": {
            s: next(r["config"] for r in plan.runs if r["scenario"] == s)
            for s in plan.spec.scenarios
        },
        "fingerprint": {"sha256": digest(plan.identity), "identity": plan.identity},
        "root_seed": plan.spec.seed,
        "replication_seeds": sorted({r["seed"] for r in plan.runs}),
        "executor": executor,
        "workers": workers,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs_planned": len(plan.runs),
        **provenance(),
    }
    store.write_manifest({**manifest, "state": "running"})
    flush_every = flush_every or flush_size(len(todo))
    error: BaseException | None = None
    start = time.perf_counter()
    with StopSignals() as stop:
        try:
            # The executor gives the first report once its workers are up (a local pool's
            # workers fork before a progress bar starts its thread); inside StopSignals, a
            # signal during that report only asks the sweep to stop.
            started = (lambda: progress(0, 0, len(todo))) if progress else None
            for result in EXECUTORS[executor](
                todo, workers=workers, scheduler=scheduler, stop=stop.event, started=started
            ):
                store.add(result)
                if result["row"]["status"] == "ok":
                    outcome.done += 1
                else:
                    outcome.failed.append(result["row"]["run_id"])
                if store.pending >= flush_every:
                    store.flush()
                if progress:
                    progress(outcome.done, len(outcome.failed), len(todo))
        except KeyboardInterrupt as exc:
            outcome.interrupted, outcome.reason = True, "interrupted"
            outcome.code = getattr(exc, "code", 130)
        except WorkerLost as exc:
            outcome.interrupted, outcome.reason, outcome.code = True, str(exc), 1
        except BaseException as exc:  # disk full, a lost scheduler: recorded, then raised
            error = exc
        if stop.code:
            outcome.interrupted, outcome.code = True, stop.code
            outcome.reason = "interrupted by SIGTERM" if stop.code == 143 else "interrupted"
        outcome.seconds = time.perf_counter() - start
        error = _finish(store, plan, manifest, outcome, error)
    if error is not None:
        raise error
    return outcome


def _finish(
    store: Store, plan: Plan, manifest: dict, outcome: Outcome, error: BaseException | None
) -> BaseException | None:
    """Store what finished and write the manifest's true state; return the first error."""
    try:
        store.flush()
    except OSError as exc:
        error = error or exc
    try:
        rows = store.consolidate([r["run_id"] for r in plan.runs])
        counts = rows.status.value_counts().to_dict() if len(rows) else {}
        missing = len(plan.runs) - len(rows)
        if error is not None:
            state = "failed"
        elif outcome.interrupted or missing:
            state = "interrupted"
        else:
            state = "complete"
        store.write_manifest(
            {
                **manifest,
                "state": state,
                **({"error": f"{type(error).__name__}: {error}"} if error else {}),
                "ended": datetime.now(UTC).isoformat(timespec="seconds"),
                "runs_ok": int(counts.get("ok", 0)),
                "runs_failed": int(counts.get("failed", 0)),
                "runs_missing": missing,
            }
        )
    except OSError as exc:
        error = error or exc
    return error
