"""Figures for comparisons: time series, distributions, paired differences, parameter effects,
and a map of which strategy wins. Each is saved as PNG and SVG."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis.compare import FINAL, Reading, point_labels, values_at, winners
from sim.model.outcomes import label
from sim.results import Results

COLOURS = {"institutional": "#1f4e79", "opgave_centred": "#c55a11", "hybrid": "#548235"}


def colour(scenario: str, i: int) -> str:
    return COLOURS.get(scenario, plt.get_cmap("tab10")(i % 10))


def save(fig: plt.Figure, out: Path, name: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    fig.savefig(paths[0], dpi=130, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def _grid(n_rows: int, n_cols: int, width: float = 3.6, height: float = 2.6):
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(width * n_cols, height * n_rows), squeeze=False, sharex="col"
    )
    return fig, axes


def time_series(res: Results, metrics: list[str], out: Path) -> list[Path]:
    """Median over replications with a 10–90% band, per scenario; a column per design point."""
    scenarios = list(res.manifest["spec"]["scenarios"])
    labels = point_labels(res)
    points = sorted(res.steps.point.unique())
    fig, axes = _grid(len(metrics), len(points))
    for c, point in enumerate(points):
        here = res.steps[res.steps.point == point]
        for r, metric in enumerate(metrics):
            ax = axes[r, c]
            for i, scenario in enumerate(scenarios):
                q = (
                    here[here.scenario == scenario]
                    .groupby("step")[metric]
                    .quantile([0.1, 0.5, 0.9])
                    .unstack()
                )
                if q.empty:
                    continue
                ax.fill_between(q.index, q[0.1], q[0.9], color=colour(scenario, i), alpha=0.2, lw=0)
                ax.plot(q.index, q[0.5], color=colour(scenario, i), lw=1.6, label=scenario)
            if r == 0:
                ax.set_title(labels.get(int(point), ""), fontsize=9)
            if c == 0:
                ax.set_ylabel(label(metric), fontsize=8)
            if r == len(metrics) - 1:
                ax.set_xlabel("step")
    axes[0, -1].legend(fontsize=7, loc="best")
    fig.suptitle("Over time: median and 10–90% band over replications", fontsize=10)
    return save(fig, out, "timeseries")


def distributions(
    res: Results, metrics: list[str], out: Path, reading: Reading = FINAL
) -> list[Path]:
    """Final value of each metric per scenario: a box per scenario, the runs as dots."""
    scenarios = list(res.manifest["spec"]["scenarios"])
    data = values_at(res, metrics, reading)
    labels = point_labels(res)
    points = sorted(data.point.unique())
    fig, axes = _grid(len(metrics), len(points), height=2.4)
    rng = np.random.default_rng(0)
    for c, point in enumerate(points):
        for r, metric in enumerate(metrics):
            ax = axes[r, c]
            here = data[data.point == point]
            groups = [here[here.scenario == s][metric].dropna().to_numpy() for s in scenarios]
            ax.boxplot(groups, widths=0.5, showfliers=False, medianprops={"color": "black"})
            for i, g in enumerate(groups):
                ax.scatter(
                    i + 1 + rng.uniform(-0.15, 0.15, g.size),
                    g,
                    s=6,
                    color=colour(scenarios[i], i),
                    alpha=0.6,
                )
            ax.set_xticks(range(1, len(scenarios) + 1), scenarios, fontsize=7, rotation=15)
            if r == 0:
                ax.set_title(labels.get(int(point), ""), fontsize=9)
            if c == 0:
                ax.set_ylabel(label(metric), fontsize=8)
    fig.suptitle("Final values per run", fontsize=10)
    return save(fig, out, "distributions")


def differences(table: pd.DataFrame, out: Path) -> list[Path]:
    """Paired differences against the baseline with their 95% intervals (grey: within noise)."""
    diffs = table[table.diff_mean.notna()] if "diff_mean" in table else table.iloc[0:0]
    metrics = list(dict.fromkeys(diffs.metric))
    if not metrics:
        return []
    n_cols = min(3, len(metrics))
    n_rows = -(-len(metrics) // n_cols)
    per = len(diffs) / len(metrics)
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(4.2 * n_cols, (0.8 + 0.3 * per) * n_rows),
        squeeze=False,
        layout="constrained",
    )
    multi = diffs.point.nunique() > 1
    for k, metric in enumerate(metrics):
        ax = axes[k // n_cols, k % n_cols]
        rows = diffs[diffs.metric == metric].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        for yi, row in zip(y, rows.itertuples(), strict=True):
            col = "grey" if row.verdict == "within noise" else colour(row.scenario, 0)
            ax.errorbar(
                row.diff_mean,
                yi,
                xerr=[[row.diff_mean - row.diff_ci_low], [row.diff_ci_high - row.diff_mean]],
                fmt="o",
                color=col,
                ms=4,
                capsize=2,
            )
        ax.axvline(0, color="grey", lw=0.8, ls="--")
        labels = [f"{r.scenario} | {r.design}" if multi else r.scenario for r in rows.itertuples()]
        ax.set_yticks(y, labels if k % n_cols == 0 else [], fontsize=7)
        ax.set_title(label(metric), fontsize=8)
    for k in range(len(metrics), n_rows * n_cols):
        axes[k // n_cols, k % n_cols].axis("off")
    base = diffs.baseline.iloc[0]
    fig.suptitle(
        f"Paired difference from {base} (95% bootstrap interval; grey = within noise)", fontsize=9
    )
    return save(fig, out, "differences")


def against_parameter(
    res: Results, metrics: list[str], out: Path, reading: Reading = FINAL
) -> list[Path]:
    """For each varied parameter: the metric's mean (and 95% interval) per value, per scenario."""
    params = [c for c in res.design.columns if c != "point"]
    if not params:
        return []
    scenarios = list(res.manifest["spec"]["scenarios"])
    data = values_at(res, metrics, reading).merge(res.design, on="point")
    fig, axes = _grid(len(metrics), len(params))
    for c, param in enumerate(params):
        levels = list(dict.fromkeys(res.design[param]))
        x = np.arange(len(levels))
        for r, metric in enumerate(metrics):
            ax = axes[r, c]
            for i, scenario in enumerate(scenarios):
                g = data[data.scenario == scenario].groupby(param)[metric]
                mean = g.mean().reindex(levels)
                half = 1.96 * g.sem().reindex(levels)
                ax.errorbar(
                    x,
                    mean,
                    yerr=half,
                    color=colour(scenario, i),
                    marker="o",
                    ms=3,
                    capsize=2,
                    lw=1.2,
                    label=scenario,
                )
            ax.set_xticks(x, [str(v) for v in levels], fontsize=7, rotation=15)
            if c == 0:
                ax.set_ylabel(label(metric), fontsize=8)
            if r == len(metrics) - 1:
                ax.set_xlabel(param, fontsize=8)
    axes[0, -1].legend(fontsize=7)
    fig.suptitle(
        "Mean and 95% interval per parameter value (averaged over other parameters)", fontsize=9
    )
    return save(fig, out, "parameters")


def phase_map(
    res: Results,
    metric: str,
    out: Path,
    higher_is_better: bool = True,
    reading: Reading = FINAL,
) -> list[Path]:
    """For a design over two parameters: which scenario wins each cell (hatched: not clear)."""
    params = [c for c in res.design.columns if c != "point"]
    if len(params) != 2:
        return []
    scenarios = list(res.manifest["spec"]["scenarios"])
    win = winners(res, metric, higher_is_better, reading).merge(res.design, on="point")
    xs, ys = list(dict.fromkeys(res.design[params[0]])), list(dict.fromkeys(res.design[params[1]]))
    fig, ax = plt.subplots(figsize=(1.1 * len(xs) + 2.5, 0.8 * len(ys) + 1.5))
    for row in win.to_dict("records"):
        x, y = xs.index(row[params[0]]), ys.index(row[params[1]])
        i = scenarios.index(row["winner"])
        ax.add_patch(
            plt.Rectangle(
                (x - 0.5, y - 0.5),
                1,
                1,
                color=colour(row["winner"], i),
                alpha=0.85 if row["clear"] else 0.35,
                hatch=None if row["clear"] else "///",
                ec="white",
            )
        )
        ax.text(
            x,
            y,
            f"{row['best_mean']:.2f}",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if row["clear"] else "black",
        )
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_ylim(-0.5, len(ys) - 0.5)
    ax.set_xticks(range(len(xs)), [str(v) for v in xs], fontsize=8)
    ax.set_yticks(range(len(ys)), [str(v) for v in ys], fontsize=8)
    ax.set_xlabel(params[0], fontsize=8)
    ax.set_ylabel(params[1], fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour(s, i)) for i, s in enumerate(scenarios)]
    ax.legend(handles, scenarios, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(f"Best {label(metric)} per cell (hatched: winner not clear at 5%)", fontsize=9)
    return save(fig, out, f"phase_{metric}")
