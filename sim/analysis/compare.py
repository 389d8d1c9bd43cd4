"""Comparing scenarios: per metric, design point and scenario, and paired against a baseline.

A verdict says what the paired differences support (docs/statistics.md):

- **higher** / **lower**: the 95% bootstrap interval of the mean paired difference excludes 0
  and the paired t test rejects 0 after Holm's correction within the metric's family;
- **equivalent**: the 90% bootstrap interval lies within ``±SESOI`` and the two one-sided t
  tests (TOST) reject a difference of ``SESOI`` or more, after Holm's correction within the
  family; a difference that is real but smaller than the SESOI is equivalent;
- **inconclusive**: neither (too few replications for the spread seen, or a difference of
  about the SESOI).

The multiple-testing *family* is one metric: every scenario against the baseline at every design
point. Metrics answer different questions, so they are not corrected against each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.sesoi import resolve_sesoi
from sim.analysis.stats import bootstrap_ci, effect_size, holm, paired_t, pairs_needed, tost
from sim.errors import UsageError
from sim.model.outcomes import CUMULATIVE, HEADLINE
from sim.results import Results

ALPHA = 0.05
POWER = 0.8  # the power the replication advice aims at
VERDICTS = ("higher", "lower", "equivalent", "inconclusive")


def point_labels(res: Results) -> dict[int, str]:
    """A readable label per design point: ``key=value, ...`` (or 'all' without a design)."""
    design = res.design
    params = [c for c in design.columns if c != "point"]
    if design.empty or not params:
        return {0: "all"}
    labels = {}
    for row in design.itertuples(index=False):
        cells = dict(zip(design.columns, row, strict=True))
        labels[int(cells["point"])] = ", ".join(f"{p.split('.')[-1]}={cells[p]}" for p in params)
    return labels


@dataclass(frozen=True)
class Reading:
    """Which value of a run to compare: its final value, its value at step ``at``, or (``mean``)
    its mean over the kept steps after the start, steadier for state metrics. With
    ``by_kind``, state metrics are read as run means and cumulative ones as final values."""

    at: int | None = None
    mean: bool = False
    by_kind: bool = False

    def mean_for(self, metric: str) -> bool:
        """Whether ``metric`` is read as a run mean."""
        return self.mean or (self.by_kind and metric not in CUMULATIVE)

    def of(self, metric: str) -> str:
        """How ``metric`` is read, in a few words."""
        upto = "" if self.at is None else f" up to step {self.at}"
        if self.mean_for(metric):
            return f"run mean{upto}"
        return "final value" if self.at is None else f"value at step {self.at}"

    def describe(self, metrics: list[str] | None = None) -> str:
        upto = "" if self.at is None else f" up to step {self.at}"
        if self.by_kind and not self.mean:
            metrics = list(metrics or HEADLINE)
            means = [m for m in metrics if self.mean_for(m)]
            finals = [m for m in metrics if not self.mean_for(m)]
            last = "final values" if self.at is None else f"values at step {self.at}"
            parts = []
            if finals:
                parts.append(f"cumulative metrics ({', '.join(finals)}) as {last}")
            if means:
                parts.append(
                    f"state metrics ({', '.join(means)}) as run means over the kept steps{upto}"
                )
            return "; ".join(parts)
        if self.mean:
            return f"run means over the kept steps{upto}"
        return "final values" if self.at is None else f"values at step {self.at}"


FINAL = Reading()


def kept_steps(res: Results) -> list[int]:
    """The steps every successful run kept (the spec's every k-th step and the last)."""
    ok = set(res.runs.run_id[res.runs.status == "ok"])
    steps = res.steps[res.steps.run_id.isin(ok)] if len(res.steps) else res.steps
    if not len(steps):
        return []
    per_run = steps.groupby("run_id").step.apply(set)
    return sorted(set.intersection(*per_run))


def check_reading(res: Results, reading: Reading, option: str = "--at") -> None:
    """Refuse a step that was not kept (a UsageError naming the nearest kept steps)."""
    if reading.at is None:
        return
    kept = kept_steps(res)
    if not kept:
        raise UsageError(f"{option} {reading.at}: these results kept no per-step values")
    if reading.at in kept:
        return
    every = res.manifest.get("spec", {}).get("outputs", {}).get("steps_every")
    how = f"kept every {every} steps and the last" if every and every > 1 else "kept"
    shown = ", ".join(map(str, kept)) if len(kept) <= 12 else f"{kept[0]} to {kept[-1]}"
    if reading.at > kept[-1]:
        hint = f"the runs end at step {kept[-1]}, the last kept step"
    elif reading.at < kept[0]:
        hint = f"the first kept step is {kept[0]}"
    else:
        below = max(s for s in kept if s < reading.at)
        above = min(s for s in kept if s > reading.at)
        hint = f"the nearest kept steps are {below} and {above}"
    raise UsageError(
        f"{option} {reading.at}: step {reading.at} was not kept ({how}: {shown}); {hint}"
    )


def values_at(res: Results, metrics: list[str], reading: Reading = FINAL) -> pd.DataFrame:
    """One row per successful run: scenario, point, replication and the metrics as ``reading``
    says (final values come from runs.parquet, the others from the kept steps)."""
    check_reading(res, reading)
    ok = res.runs[res.runs.status == "ok"]
    keys = ["run_id", "scenario", "point", "replication"]
    means = [m for m in metrics if reading.mean_for(m)]
    points = [m for m in metrics if m not in means]
    if reading.at is None and not means:
        return ok[keys + metrics].reset_index(drop=True)
    out = ok[keys].reset_index(drop=True)
    steps = res.steps[res.steps.run_id.isin(ok.run_id)]
    if reading.at is not None:
        steps = steps[steps.step <= reading.at]
    if points:
        if reading.at is None:
            last = ok[["run_id", *points]]
        else:
            last = steps.sort_values("step").groupby("run_id").tail(1)[["run_id", *points]]
        out = out.merge(last, on="run_id", how="left")
    if means:
        avg = steps[steps.step > 0].groupby("run_id", sort=False)[means].mean().reset_index()
        out = out.merge(avg, on="run_id", how="left")
    return out[keys + metrics]


def _difference(diff: np.ndarray, sesoi: float) -> dict[str, float]:
    """The statistics of one set of paired differences."""
    finite = diff[np.isfinite(diff)]
    lo, hi = bootstrap_ci(finite)
    e_lo, e_hi = bootstrap_ci(finite, level=0.90)
    sd = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
    return {
        "n_pairs": int(finite.size),
        "diff_mean": float(finite.mean()) if finite.size else float("nan"),
        "diff_sd": sd,
        "diff_ci_low": lo,
        "diff_ci_high": hi,
        "diff_ci90_low": e_lo,
        "diff_ci90_high": e_hi,
        "effect_size": effect_size(finite),
        "p_value": paired_t(finite),
        "sesoi": sesoi,
        "p_tost": tost(finite, sesoi),
    }


def compare(
    res: Results,
    baseline: str | None = None,
    metrics: list[str] | None = None,
    reading: Reading = FINAL,
    sesoi: dict[str, float] | None = None,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """The comparison table: summary per scenario and paired differences against the baseline,
    with bootstrap intervals, Cohen's d_z, paired t tests and TOST against the SESOI, Holm's
    correction within each metric's family, a verdict, and the replications that would detect
    the SESOI (``sesoi`` overrides the spec's and the documented defaults)."""
    scenarios = list(res.manifest["spec"]["scenarios"])
    baseline = baseline or scenarios[0]
    if baseline not in scenarios:
        raise UsageError(f"baseline {baseline!r} is not a scenario; choose from {scenarios}")
    metrics = list(metrics or HEADLINE)
    unknown = [m for m in metrics if m not in res.runs.columns]
    if unknown:
        raise UsageError(f"unknown metrics {unknown}; choose from the columns of runs.parquet")
    from_spec = (res.manifest["spec"].get("analysis") or {}).get("sesoi")
    bounds = resolve_sesoi(metrics, from_spec, sesoi)
    data = values_at(res, metrics, reading)
    labels = point_labels(res)
    rows = []
    for point in sorted(data.point.unique()):
        here = data[data.point == point]
        base = here[here.scenario == baseline].set_index("replication")
        for metric in metrics:
            for scenario in scenarios:
                vals = here[here.scenario == scenario].set_index("replication")[metric]
                lo, hi = bootstrap_ci(vals.to_numpy())
                row = {
                    "metric": metric,
                    "read_as": reading.of(metric),
                    "point": int(point),
                    "design": labels.get(int(point), ""),
                    "scenario": scenario,
                    "n": int(vals.notna().sum()),
                    "mean": float(vals.mean()),
                    "median": float(vals.median()),
                    "ci_low": lo,
                    "ci_high": hi,
                }
                if scenario != baseline:
                    shared = vals.index.intersection(base.index)
                    diff = (vals.loc[shared] - base.loc[shared, metric]).to_numpy(dtype=float)
                    row.update(baseline=baseline, **_difference(diff, bounds[metric]))
                rows.append(row)
    return judge(pd.DataFrame(rows), alpha)


def judge(table: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Holm within each metric's family, verdicts, sizes and replication advice."""
    table = table.copy()
    for col in ("family_size", "p_adjusted", "p_tost_adjusted", "pairs_needed"):
        table[col] = np.nan
    if "p_value" in table:
        for _, rows in table[table.p_value.notna()].groupby("metric", sort=False):
            table.loc[rows.index, "family_size"] = len(rows)
            table.loc[rows.index, "p_adjusted"] = holm(rows.p_value.to_numpy())
            tested = rows[rows.p_tost.notna()]
            if len(tested):
                table.loc[tested.index, "p_tost_adjusted"] = holm(tested.p_tost.to_numpy())
            table.loc[rows.index, "pairs_needed"] = [
                pairs_needed(r.diff_sd, r.sesoi, alpha / len(rows), POWER)
                if np.isfinite(r.diff_sd) and np.isfinite(r.sesoi)
                else np.nan
                for r in rows.itertuples()
            ]
    for col in ("family_size", "pairs_needed"):
        table[col] = table[col].astype("Int64")
    table["verdict"] = table.apply(verdict, axis=1, alpha=alpha)
    table["magnitude"] = table.apply(magnitude, axis=1)
    return table


def verdict(row: pd.Series, alpha: float = ALPHA) -> str:
    """'higher', 'lower', 'equivalent' or 'inconclusive' against the baseline (see the module
    docstring); 'baseline' for the baseline's own rows."""
    if pd.isna(row.get("diff_mean")):
        return "baseline"
    if pd.isna(row.get("p_adjusted")):
        return "inconclusive"
    sesoi = row.get("sesoi", np.nan)
    equivalent = (
        pd.notna(row.get("p_tost_adjusted"))
        and row.p_tost_adjusted < alpha
        and -sesoi < row.get("diff_ci90_low", np.nan)
        and row.get("diff_ci90_high", np.nan) < sesoi
    )
    if equivalent:
        return "equivalent"
    excludes_zero = row.diff_ci_low > 0 or row.diff_ci_high < 0
    if row.p_adjusted < alpha and excludes_zero:
        return "higher" if row.diff_mean > 0 else "lower"
    return "inconclusive"


def magnitude(row: pd.Series) -> str:
    """The difference against the SESOI: 'beyond' (its whole 95% interval is), 'within' (its
    whole 90% interval is), else 'unclear'; '' without a difference or a SESOI."""
    sesoi = row.get("sesoi", np.nan)
    if pd.isna(row.get("diff_mean")) or pd.isna(sesoi):
        return ""
    if row.diff_ci_low > sesoi or row.diff_ci_high < -sesoi:
        return "beyond SESOI"
    if -sesoi < row.diff_ci90_low and row.diff_ci90_high < sesoi:
        return "within SESOI"
    return "unclear"


def winners(
    res: Results, metric: str, higher_is_better: bool = True, reading: Reading = FINAL
) -> pd.DataFrame:
    """Per design point: the scenario with the best mean, and whether it is clearly best
    (the paired t test of its difference with the runner-up rejects 0 at 5%, in this cell)."""
    data = values_at(res, [metric], reading)
    rows = []
    for point, here in data.groupby("point"):
        means = here.groupby("scenario")[metric].mean().sort_values(ascending=not higher_is_better)
        best, second = means.index[0], means.index[1] if len(means) > 1 else None
        clear = True
        if second is not None:
            a = here[here.scenario == best].set_index("replication")[metric]
            b = here[here.scenario == second].set_index("replication")[metric]
            shared = a.index.intersection(b.index)
            p = paired_t((a.loc[shared] - b.loc[shared]).to_numpy(dtype=float))
            clear = bool(p < ALPHA)
        rows.append(
            {
                "point": int(point),
                "winner": best,
                "runner_up": second,
                "clear": clear,
                "best_mean": float(means.iloc[0]),
            }
        )
    return pd.DataFrame(rows)
