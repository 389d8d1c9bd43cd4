"""Sensitivity analysis of a Sobol or Morris experiment (SALib), with a note on run-to-run noise.

An agent-based model is noisy at fixed parameters. Each design point is averaged over its
replications before the indices are computed; the noise note compares the variance that is left
in those averages (within-point variance / replications) with the variance between points.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.compare import FINAL, Reading, values_at
from sim.analysis.figures import plt, save
from sim.analysis.reversals import paired_runs, write_reversals
from sim.engine.design import salib_problem
from sim.engine.spec import Design
from sim.results import Results


def indices(design: Design, X: np.ndarray, Y: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Indices per parameter for outputs Y (one per design point, in design order)."""
    problem = salib_problem(design)
    if design.kind == "sobol":
        from SALib.analyze import sobol

        si = sobol.analyze(problem, Y, calc_second_order=design.second_order, seed=seed)
        return pd.DataFrame(
            {
                "parameter": problem["names"],
                "S1": si["S1"],
                "S1_conf": si["S1_conf"],
                "ST": si["ST"],
                "ST_conf": si["ST_conf"],
            }
        )
    if design.kind == "morris":
        from SALib.analyze import morris

        si = morris.analyze(problem, X, Y, num_levels=design.levels, seed=seed)
        return pd.DataFrame(
            {
                "parameter": problem["names"],
                "mu_star": si["mu_star"],
                "mu_star_conf": si["mu_star_conf"],
                "sigma": si["sigma"],
            }
        )
    raise ValueError(f"sensitivity needs a sobol or morris design, not {design.kind!r}")


def noise_share(values: pd.DataFrame, metric: str) -> float:
    """Share of the variance of point means that replication noise alone would produce."""
    by_point = values.groupby("point")[metric]
    means = by_point.mean()
    noise = (by_point.var(ddof=1) / by_point.count()).mean()
    total = means.var(ddof=1)
    return float(noise / total) if total > 0 else float("inf")


def sensitivity(
    res: Results, metrics: list[str], versus: str | None = None, reading: Reading = FINAL
) -> pd.DataFrame:
    """Indices per scenario and metric (read as ``reading`` says), with the noise share of each
    metric; with ``versus``, of each other scenario's paired difference to that one."""
    design = Design.model_validate(res.manifest["spec"]["design"])
    names = list(design.parameters)
    X = res.design.sort_values("point")[names].to_numpy(dtype=float)
    ok = values_at(res, metrics, reading)
    if versus is not None:
        ok = paired_runs(ok, versus, metrics)
    rows = []
    for scenario, runs in ok.groupby("scenario", sort=False):
        for metric in metrics:
            Y = runs.groupby("point")[metric].mean().reindex(res.design.point).to_numpy()
            if np.isnan(Y).any():
                what = "complete pair" if versus is not None else "successful run"
                raise ValueError(f"{scenario}: some design points have no {what} ({metric})")
            table = indices(design, X, Y, seed=int(res.manifest["spec"]["seed"]))
            table.insert(0, "metric", metric)
            table.insert(0, "scenario", scenario)
            table["noise_share"] = noise_share(runs, metric)
            rows.append(table)
    return pd.concat(rows, ignore_index=True)


def notes(table: pd.DataFrame) -> list[str]:
    """Where replication noise is as large as the effect being measured."""
    out = []
    main = "ST" if "ST" in table else "mu_star"
    conf = f"{main}_conf"
    for (scenario, metric), g in table.groupby(["scenario", "metric"], sort=False):
        share = g.noise_share.iloc[0]
        if share > 0.2:
            out.append(
                f"{scenario} / {metric}: replication noise makes up {share:.0%} of the "
                "variance between design points; add replications before reading "
                "the indices."
            )
        tiny = 1e-12  # no effect, up to floating-point rounding
        none = g[(g[main].abs() <= tiny) & (g[conf] <= tiny)]
        if len(none):
            why = (
                "it moves both scenarios alike, or neither"
                if " − " in str(scenario)  # a paired difference (paired_runs)
                else "the scenario may not use it"
            )
            out.append(
                f"{scenario} / {metric}: {', '.join(none.parameter)} had no effect at all ({why})."
            )
        weak = g[(g[conf] >= g[main].abs()) & (g[main].abs() > tiny)]
        if len(weak):
            out.append(
                f"{scenario} / {metric}: for {', '.join(weak.parameter)} the interval "
                f"is as wide as the index itself ({main}); the effect is not resolved."
            )
    return out


def write_sensitivity(
    res: Results,
    out: Path,
    metrics: list[str],
    versus: str | None = None,
    reading: Reading = FINAL,
) -> dict[str, Path]:
    """Indices (csv, bar chart, notes); with ``versus`` of the paired differences, plus where
    each difference changes sign (:func:`write_reversals`)."""
    out.mkdir(parents=True, exist_ok=True)
    table = sensitivity(res, metrics, versus, reading)
    table.to_csv(out / "sensitivity.csv", index=False)
    main, conf = ("ST", "ST_conf") if "ST" in table else ("mu_star", "mu_star_conf")
    groups = list(table.groupby(["scenario", "metric"], sort=False))
    fig, axes = plt.subplots(len(groups), 1, figsize=(7, 1.2 + 0.35 * len(table)), squeeze=False)
    for ax, ((scenario, metric), g) in zip(axes[:, 0], groups, strict=True):
        y = np.arange(len(g))
        if "S1" in g:
            ax.barh(y + 0.2, g.S1, 0.4, xerr=g.S1_conf, label="first order S1", color="#9dc3e6")
        ax.barh(y - 0.2, g[main], 0.4, xerr=g[conf], label=main, color="#1f4e79")
        ax.set_yticks(y, g.parameter, fontsize=7)
        ax.set_title(f"{scenario}: {metric} (noise share {g.noise_share.iloc[0]:.0%})", fontsize=8)
        ax.axvline(0, color="grey", lw=0.6)
    axes[0, 0].legend(fontsize=7)
    paths = save(fig, out, "sensitivity")
    lines = [f"Values: {reading.describe(metrics)}.", *notes(table)]
    extra: dict[str, Path] = {}
    if versus is not None:
        extra, reversal_lines = write_reversals(res, out, metrics, versus, table, reading)
        lines = [lines[0], *reversal_lines, *lines[1:]]
    (out / "sensitivity_notes.txt").write_text("\n".join(lines) + ("\n" if lines else ""))
    return {
        "csv": out / "sensitivity.csv",
        "notes": out / "sensitivity_notes.txt",
        **{p.name: p for p in paths},
        **extra,
    }
