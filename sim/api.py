"""Experiments from Python: run a spec and get its results back, and compare them.

    import sim
    res = sim.run_experiment("experiments/smoke.yaml", workers=2)
    table = sim.compare(res, baseline="institutional")

The same engine and statistics as ``opgaven experiment`` and ``opgaven compare``; heavy modules
are imported on first use, so ``import sim`` stays light.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from sim.results import Results


def run_experiment(
    spec: str | Path | Mapping[str, Any],
    out: str | Path | None = None,
    executor: str = "local",
    workers: int | None = None,
    resume: bool = False,
    force: bool = False,
    extend: bool = False,
    retry_failed: bool = False,
    scheduler: str | None = None,
    allow_large: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
) -> Results:
    """Run an experiment spec (a YAML path, or the same content as a dict) and return its
    stored results, as :func:`sim.results.load` reads them.

    ``out=None`` stores the results in a new temporary folder (``res.root`` says where); give
    ``out`` to keep them. The keywords mean what the options of ``opgaven experiment`` mean;
    a folder that already holds results is refused (a :class:`sim.errors.UsageError`) unless
    ``resume``, ``retry_failed``, ``extend`` or ``force`` says how to treat it. An interrupted
    experiment raises ``KeyboardInterrupt`` after storing what finished; failed runs are kept
    in ``res.runs`` (status ``failed``) with a warning. ``progress(done, failed, total)`` is
    called after each run. In a dict, scenario config paths are read from the working
    directory.
    """
    from sim import results
    from sim.engine.runner import plan_experiment
    from sim.engine.runner import run_experiment as run_plan

    plan = plan_experiment(spec, allow_large=allow_large)
    if out is None:
        out = Path(tempfile.mkdtemp(prefix=f"opgaven-{plan.spec.name}-"))
    outcome = run_plan(
        plan,
        Path(out),
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        resume=resume,
        retry_failed=retry_failed,
        force=force,
        extend=extend,
        progress=progress,
    )
    if outcome.interrupted:
        raise KeyboardInterrupt(f"{outcome.reason}; resume=True completes {out}")
    if outcome.failed:
        warnings.warn(
            f"{len(outcome.failed)} runs failed (tracebacks in {Path(out) / 'failures.jsonl'}); "
            "retry_failed=True re-runs them",
            RuntimeWarning,
            stacklevel=2,
        )
    return results.load(out)


def compare(
    res: Results | str | Path,
    baseline: str | None = None,
    metrics: list[str] | None = None,
    *,
    at: int | None = None,
    reading: str = "final",
    sesoi: Mapping[str, float] | None = None,
    report: str | Path | None = None,
) -> pd.DataFrame:
    """The comparison table of ``opgaven compare`` for results (or their folder).

    ``reading``: ``"final"`` (each run's final value, or its value at kept step ``at``),
    ``"mean"`` (every metric as its run mean) or ``"by_kind"`` (state metrics as run means,
    cumulative ones as final values). ``sesoi`` sets the smallest effect size of interest per
    metric. With ``report``, the whole report (figures, report.md, report.html) is written to
    that folder too. Bad input raises a :class:`sim.errors.UsageError` naming it.
    """
    from sim import results
    from sim.analysis.compare import Reading
    from sim.analysis.compare import compare as compare_table
    from sim.analysis.report import write_report
    from sim.errors import UsageError

    readings = {"final": Reading(at=at), "mean": Reading(at=at, mean=True)}
    readings["by_kind"] = Reading(at=at, by_kind=True)
    if reading not in readings:
        raise UsageError(f"reading={reading!r}: expected one of {', '.join(readings)}")
    if not isinstance(res, results.Results):
        res = results.load_for_analysis(res, "compare")
    chosen = readings[reading]
    if report is not None:
        write_report(res, Path(report), baseline, metrics, chosen, sesoi=dict(sesoi or {}))
    return compare_table(res, baseline, metrics, chosen, dict(sesoi or {}))
