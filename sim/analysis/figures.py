"""Figures for comparisons: time series, distributions, paired differences, parameter effects,
and a map of which strategy wins. Each is saved as PNG and SVG.

Every grid has one row per metric and shares the y-axis along the row, so panels of one metric
read on one scale; every colour has a legend; intervals come from the same bootstrap as the
comparison table; layouts are constrained, so titles sit tight on their panels."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis.compare import FINAL, Reading, point_labels, values_at, winners
from sim.analysis.stats import bootstrap_ci
from sim.model.outcomes import label
from sim.results import Results

COLOURS = {"institutional": "#1f4e79", "opgave_centred": "#c55a11", "hybrid": "#548235"}
MARKERS = {"higher": "o", "lower": "o", "equivalent": "D", "inconclusive": "o"}


def colour(scenario: str, i: int) -> str:
    return COLOURS.get(scenario, plt.get_cmap("tab10")(i % 10))


def save(fig: plt.Figure, out: Path, name: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    fig.savefig(paths[0], dpi=130, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def _grid(n_rows: int, n_cols: int, width: float = 3.4, height: float = 2.3):
    """Rows are metrics (one y scale per row), columns design points or parameters."""
    return plt.subplots(
        n_rows,
        n_cols,
        figsize=(width * n_cols + 0.6, height * n_rows + 0.6),
        squeeze=False,
        sharex="col",
        sharey="row",
        layout="constrained",
    )


def scenario_legend(fig: plt.Figure, scenarios: list[str], extra: list | None = None) -> None:
    """One legend for the figure: a line per scenario colour (and any extra handles)."""
    handles = [Line2D([], [], color=colour(s, i), lw=2, label=s) for i, s in enumerate(scenarios)]
    fig.legend(
        handles=handles + (extra or []),
        loc="outside lower center",
        ncol=min(len(handles) + len(extra or []), 5),
        fontsize=8,
        frameon=False,
    )


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
                ax.plot(q.index, q[0.5], color=colour(scenario, i), lw=1.6)
            if r == 0:
                ax.set_title(labels.get(int(point), ""), fontsize=8)
            if c == 0:
                ax.set_ylabel(label(metric), fontsize=8)
            if r == len(metrics) - 1:
                ax.set_xlabel("step", fontsize=8)
            ax.tick_params(labelsize=7)
    band = Patch(color="grey", alpha=0.3, label="10–90% of replications")
    scenario_legend(fig, scenarios, [band])
    fig.suptitle("Over time: median over replications (line) and 10–90% band", fontsize=10)
    return save(fig, out, "timeseries")


def distributions(
    res: Results, metrics: list[str], out: Path, reading: Reading = FINAL
) -> list[Path]:
    """Each metric as ``reading`` says, per scenario: a box per scenario, the runs as dots."""
    scenarios = list(res.manifest["spec"]["scenarios"])
    data = values_at(res, metrics, reading)
    labels = point_labels(res)
    points = sorted(data.point.unique())
    fig, axes = _grid(len(metrics), len(points))
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
                ax.set_title(labels.get(int(point), ""), fontsize=8)
            if c == 0:
                ax.set_ylabel(f"{label(metric)}\n({reading.of(metric)})", fontsize=8)
            ax.tick_params(axis="y", labelsize=7)
    scenario_legend(fig, scenarios)
    fig.suptitle("Per run: box of the replications, each run a dot", fontsize=10)
    return save(fig, out, "distributions")


def differences(table: pd.DataFrame, out: Path) -> list[Path]:
    """Paired differences against the baseline with the table's 95% intervals; colour is the
    scenario, the marker the verdict; the grey band is ±SESOI."""
    diffs = table[table.diff_mean.notna()] if "diff_mean" in table else table.iloc[0:0]
    metrics = list(dict.fromkeys(diffs.metric))
    if not metrics:
        return []
    scenarios = list(dict.fromkeys(diffs.scenario))
    n_cols = min(3, len(metrics))
    n_rows = -(-len(metrics) // n_cols)
    per = len(diffs) / len(metrics)
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(4.2 * n_cols, (0.9 + 0.28 * per) * n_rows + 0.7),
        squeeze=False,
        layout="constrained",
    )
    multi = diffs.point.nunique() > 1
    for k, metric in enumerate(metrics):
        ax = axes[k // n_cols, k % n_cols]
        rows = diffs[diffs.metric == metric].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        sesoi = rows.sesoi.iloc[0] if "sesoi" in rows else np.nan
        if np.isfinite(sesoi):
            ax.axvspan(-sesoi, sesoi, color="grey", alpha=0.15, lw=0)
        for yi, row in zip(y, rows.itertuples(), strict=True):
            col = colour(row.scenario, scenarios.index(row.scenario))
            filled = row.verdict in ("higher", "lower", "equivalent")
            ax.errorbar(
                row.diff_mean,
                yi,
                xerr=[[row.diff_mean - row.diff_ci_low], [row.diff_ci_high - row.diff_mean]],
                fmt=MARKERS.get(row.verdict, "o"),
                color=col,
                mfc=col if filled else "white",
                ms=5,
                capsize=2,
            )
        ax.axvline(0, color="grey", lw=0.8, ls="--")
        labels = [f"{r.design} | {r.scenario}" if multi else r.scenario for r in rows.itertuples()]
        ax.set_yticks(y, labels if k % n_cols == 0 else [], fontsize=7)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(f"{label(metric)} ({rows.read_as.iloc[0]})", fontsize=8)
    for k in range(len(metrics), n_rows * n_cols):
        axes[k // n_cols, k % n_cols].axis("off")
    verdicts = [
        Line2D([], [], color="black", marker="o", ls="", label="higher / lower"),
        Line2D([], [], color="black", marker="D", ls="", label="equivalent"),
        Line2D([], [], color="black", marker="o", mfc="white", ls="", label="inconclusive"),
        Patch(color="grey", alpha=0.3, label="±SESOI"),
    ]
    scenario_legend(fig, scenarios, verdicts)
    fig.suptitle(
        f"Paired difference from {diffs.baseline.iloc[0]}: mean and 95% bootstrap interval",
        fontsize=10,
    )
    return save(fig, out, "differences")


def _numeric(levels: list) -> bool:
    return all(isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in levels)


def level_intervals(data: pd.DataFrame, param: str, metric: str) -> pd.DataFrame:
    """Per scenario and level of ``param``: the mean over replications (each replication first
    averaged over the other parameters) and its 95% bootstrap interval, as in the table."""
    per_rep = data.groupby(["scenario", param, "replication"], sort=False)[metric].mean()
    rows = []
    for (scenario, level), vals in per_rep.groupby(level=[0, 1], sort=False):
        lo, hi = bootstrap_ci(vals.to_numpy())
        rows.append({"scenario": scenario, "level": level, "mean": vals.mean(), "lo": lo, "hi": hi})
    return pd.DataFrame(rows)


def against_parameter(
    res: Results, metrics: list[str], out: Path, reading: Reading = FINAL
) -> list[Path]:
    """For each varied parameter: the metric's mean and 95% bootstrap interval per value, per
    scenario; numeric values joined by lines, named (categorical) levels as points."""
    params = [c for c in res.design.columns if c != "point"]
    if not params:
        return []
    scenarios = list(res.manifest["spec"]["scenarios"])
    data = values_at(res, metrics, reading).merge(res.design, on="point")
    fig, axes = _grid(len(metrics), len(params))
    dodge = 0.08 * (np.arange(len(scenarios)) - (len(scenarios) - 1) / 2)
    for c, param in enumerate(params):
        levels = list(dict.fromkeys(res.design[param]))
        numeric = _numeric(levels)
        for r, metric in enumerate(metrics):
            ax = axes[r, c]
            stats = level_intervals(data, param, metric)
            for i, scenario in enumerate(scenarios):
                s = stats[stats.scenario == scenario].set_index("level").reindex(levels)
                x = np.arange(len(levels)) + dodge[i]
                ax.errorbar(
                    x,
                    s["mean"],
                    yerr=[s["mean"] - s["lo"], s["hi"] - s["mean"]],
                    color=colour(scenario, i),
                    marker="o",
                    ms=3.5,
                    capsize=2,
                    lw=1.2 if numeric else 0,
                    elinewidth=1.2,
                )
            ax.set_xticks(np.arange(len(levels)), [str(v) for v in levels], fontsize=7)
            ax.tick_params(axis="y", labelsize=7)
            if c == 0:
                ax.set_ylabel(f"{label(metric)}\n({reading.of(metric)})", fontsize=8)
            if r == len(metrics) - 1:
                ax.set_xlabel(param, fontsize=8)
    scenario_legend(fig, scenarios)
    fig.suptitle(
        "Mean and 95% bootstrap interval per parameter value (other parameters averaged)",
        fontsize=10,
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
    fig, ax = plt.subplots(figsize=(1.1 * len(xs) + 2.8, 0.8 * len(ys) + 1.2), layout="constrained")
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
    handles = [Patch(color=colour(s, i), label=s) for i, s in enumerate(scenarios)]
    handles.append(Patch(facecolor="white", edgecolor="grey", hatch="///", label="not clear"))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(
        f"Best {label(metric)} per cell ({reading.of(metric)}; hatched: the paired t test "
        "against the runner-up does not reject at 5%)",
        fontsize=8,
    )
    return save(fig, out, f"phase_{metric}")
