"""Comparing scenarios: per metric, design point and scenario, and paired against a baseline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.stats import bootstrap_ci, effect_size, holm, paired_test
from sim.model.outcomes import HEADLINE
from sim.results import Results

ALPHA = 0.05


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
    its mean over the kept steps after the start, steadier for state metrics."""

    at: int | None = None
    mean: bool = False

    def describe(self) -> str:
        upto = "" if self.at is None else f" up to step {self.at}"
        if self.mean:
            return f"run means over the kept steps{upto}"
        return "final values" if self.at is None else f"values at step {self.at}"


FINAL = Reading()


def values_at(res: Results, metrics: list[str], reading: Reading = FINAL) -> pd.DataFrame:
    """One row per successful run: scenario, point, replication and the metrics as ``reading``
    says (final values come from runs.parquet, the others from the kept steps)."""
    ok = res.runs[res.runs.status == "ok"]
    keys = ["run_id", "scenario", "point", "replication"]
    if reading.at is None and not reading.mean:
        return ok[keys + metrics].reset_index(drop=True)
    steps = res.steps[res.steps.run_id.isin(ok.run_id)]
    if reading.at is not None:
        steps = steps[steps.step <= reading.at]
    if reading.mean:
        steps = steps[steps.step > 0]
        return steps.groupby(keys, as_index=False, sort=False)[metrics].mean()
    last = steps.sort_values("step").groupby("run_id").tail(1)
    return last[keys + metrics].reset_index(drop=True)


def compare(
    res: Results,
    baseline: str | None = None,
    metrics: list[str] | None = None,
    reading: Reading = FINAL,
) -> pd.DataFrame:
    """The comparison table: summary per scenario and paired differences against the baseline,
    with a bootstrap interval, Cohen's d_z, a Wilcoxon signed-rank test and Holm's correction
    over every comparison in the table."""
    scenarios = list(res.manifest["spec"]["scenarios"])
    baseline = baseline or scenarios[0]
    if baseline not in scenarios:
        raise ValueError(f"baseline {baseline!r} is not a scenario; choose from {scenarios}")
    metrics = list(metrics or HEADLINE)
    unknown = [m for m in metrics if m not in res.runs.columns]
    if unknown:
        raise ValueError(f"unknown metrics {unknown}; choose from the columns of runs.parquet")
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
                    diff = (vals.loc[shared] - base.loc[shared, metric]).to_numpy()
                    d_lo, d_hi = bootstrap_ci(diff)
                    row.update(
                        baseline=baseline,
                        n_pairs=int(np.isfinite(diff).sum()),
                        diff_mean=float(np.nanmean(diff)) if diff.size else float("nan"),
                        diff_ci_low=d_lo,
                        diff_ci_high=d_hi,
                        effect_size=effect_size(diff),
                        p_value=paired_test(diff),
                    )
                rows.append(row)
    table = pd.DataFrame(rows)
    tested = table.p_value.notna() if "p_value" in table else pd.Series(False, index=table.index)
    table["p_adjusted"] = np.nan
    if tested.any():
        table.loc[tested, "p_adjusted"] = holm(table.loc[tested, "p_value"].to_numpy())
    table["verdict"] = table.apply(verdict, axis=1)
    return table


def verdict(row: pd.Series) -> str:
    """'higher' or 'lower' than the baseline when the difference is clear, else 'within noise'."""
    if pd.isna(row.get("p_adjusted")):
        return "baseline" if pd.isna(row.get("diff_mean")) else ""
    excludes_zero = row.diff_ci_low > 0 or row.diff_ci_high < 0
    if row.p_adjusted < ALPHA and excludes_zero:
        return "higher" if row.diff_mean > 0 else "lower"
    return "within noise"


def winners(
    res: Results, metric: str, higher_is_better: bool = True, reading: Reading = FINAL
) -> pd.DataFrame:
    """Per design point: the scenario with the best mean, and whether it is clearly best
    (its paired difference with the runner-up is significant at 5%)."""
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
            clear = paired_test((a.loc[shared] - b.loc[shared]).to_numpy()) < ALPHA
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
