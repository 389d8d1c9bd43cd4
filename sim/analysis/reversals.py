"""Where a paired difference between scenarios changes sign, over an experiment's design.

At every design point each scenario meets the same worlds (common random numbers), so the paired
difference to a reference scenario is what its way of working does there. This module reads
those differences per design point: per value or band of each parameter, per band of the two
most influential parameters together, and through a least-squares plane that tells where, with
the others at mid-range, a difference crosses zero (``opgaven sensitivity --versus``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.compare import FINAL, Reading, values_at
from sim.analysis.figures import plt, save
from sim.engine.spec import Design
from sim.results import Results


def paired_runs(runs: pd.DataFrame, versus: str, metrics: list[str]) -> pd.DataFrame:
    """The runs of every scenario but ``versus``, each metric replaced by its paired difference
    to ``versus`` on the same design point and replication (the same world); the scenario is
    named ``"<scenario> − <versus>"``. A pair with a failed side is left out; a metric one side
    could not measure (NaN) is left out of that pair only."""
    key = ["point", "replication"]
    base = runs[runs.scenario == versus].set_index(key)[metrics]
    out = []
    for scenario, g in runs[runs.scenario != versus].groupby("scenario", sort=False):
        diff = (g.set_index(key)[metrics] - base).dropna(how="all").reset_index()
        diff.insert(0, "scenario", f"{scenario} − {versus}")
        out.append(diff)
    if not out:
        raise ValueError(f"no successful runs of another scenario to pair with {versus!r}")
    return pd.concat(out, ignore_index=True)


def point_differences(
    res: Results, metrics: list[str], versus: str, reading: Reading = FINAL
) -> pd.DataFrame:
    """Per other scenario and design point: the mean paired difference of each metric over the
    point's replications, with the point's parameter values."""
    names = list(Design.model_validate(res.manifest["spec"]["design"]).parameters)
    diffs = paired_runs(values_at(res, metrics, reading), versus, metrics)
    points = diffs.groupby(["scenario", "point"], sort=False)[metrics].mean().reset_index()
    return points.merge(res.design[["point", *names]], on="point")


BANDS = 4  # equal-width bands per parameter range, for designs without discrete levels


def band_of(values: pd.Series, low: float, high: float, n: int = BANDS) -> pd.Series:
    """Index (0..n-1) of the equal-width band of [low, high] each value falls in."""
    at = np.floor((values.to_numpy(dtype=float) - low) / (high - low) * n)
    return pd.Series(np.clip(at, 0, n - 1).astype(int), index=values.index)


def edges(low: float, high: float, n: int = BANDS) -> np.ndarray:
    """The n + 1 edges of the equal-width bands of [low, high] (rounded: 0.5, not 0.4999...)."""
    return np.round(np.linspace(low, high, n + 1), 12)


def level_means(
    points: pd.DataFrame,
    metrics: list[str],
    ranges: dict[str, tuple[float, float]],
    discrete: bool,
) -> pd.DataFrame:
    """Mean paired difference per scenario, metric, parameter and parameter value, averaged over
    every design point there (``points`` from :func:`point_differences`). A Morris design has
    discrete levels (``discrete``); a Sobol or sampled design has a value per point, so its
    points are grouped in :data:`BANDS` equal-width bands of the range, reported at the band's
    middle with its edges."""
    rows = []
    for name, (lo, hi) in ranges.items():
        cut = edges(lo, hi)
        band = band_of(points[name], lo, hi)
        key = points[name].astype(float) if discrete else band
        for (scenario, at), g in points.groupby(["scenario", key], sort=False):
            value = at if discrete else (cut[at] + cut[at + 1]) / 2
            for metric in metrics:
                rows.append(
                    {
                        "scenario": scenario,
                        "metric": metric,
                        "parameter": name,
                        "value": float(value),
                        "from": float(value if discrete else cut[at]),
                        "to": float(value if discrete else cut[at + 1]),
                        "mean_difference": float(g[metric].mean()),
                        "points": len(g),
                    }
                )
    return pd.DataFrame(rows).sort_values(["scenario", "metric", "parameter", "value"])


def band_table(
    points: pd.DataFrame,
    metrics: list[str],
    ranges: dict[str, tuple[float, float]],
    pairs: dict[tuple[str, str], tuple[str, str]],
) -> pd.DataFrame:
    """Mean paired difference per band of two parameters at once (:data:`BANDS` equal-width
    bands of each range): for each scenario and metric, the pair ``pairs[(scenario, metric)]``
    (the two most influential parameters). Where a difference turns depends on both."""
    rows = []
    for (scenario, metric), (a, b) in pairs.items():
        g = points[points.scenario == scenario]
        ba, bb = band_of(g[a], *ranges[a]), band_of(g[b], *ranges[b])
        for (i, j), cell in g.groupby([ba, bb]):
            ea, eb = edges(*ranges[a]), edges(*ranges[b])
            rows.append(
                {
                    "scenario": scenario,
                    "metric": metric,
                    "row_parameter": a,
                    "row_from": ea[i],
                    "row_to": ea[i + 1],
                    "column_parameter": b,
                    "column_from": eb[j],
                    "column_to": eb[j + 1],
                    "mean_difference": float(cell[metric].mean()),
                    "points": len(cell),
                }
            )
    return pd.DataFrame(rows)


def linear_reading(
    points: pd.DataFrame, metric: str, ranges: dict[str, tuple[float, float]]
) -> pd.DataFrame:
    """A least-squares plane through the design points' mean differences, read per parameter
    with every other parameter at the middle of its range: the fitted difference at the
    parameter's low and high end and, where the sign changes, the value where it crosses 0.
    Joint, so parameters the design happens to move together are told apart (marginal means of
    a small Morris design are not); ``r2`` says how much of the spread a plane explains."""
    names = list(ranges)
    mid = np.array([(lo + hi) / 2 for lo, hi in ranges.values()])
    X = points[names].to_numpy(dtype=float) - mid
    y = points[metric].to_numpy(dtype=float)
    A = np.column_stack([np.ones(len(y)), X])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    spread = ((y - y.mean()) ** 2).sum()
    r2 = 1.0 - (resid**2).sum() / spread if spread > 0 else 1.0
    rows = []
    for i, (name, (lo, hi)) in enumerate(ranges.items()):
        at_low = coef[0] + coef[i + 1] * (lo - mid[i])
        at_high = coef[0] + coef[i + 1] * (hi - mid[i])
        flips = np.sign(at_low) != np.sign(at_high)
        crossing = mid[i] - coef[0] / coef[i + 1] if flips else np.nan
        rows.append(
            {
                "parameter": name,
                "at_low": at_low,
                "at_high": at_high,
                "crosses_zero_at": crossing,
                "r2": r2,
            }
        )
    return pd.DataFrame(rows)


def reversal_notes(
    points: pd.DataFrame, metrics: list[str], ranges: dict[str, tuple[float, float]]
) -> list[str]:
    """One line per scenario and metric: at how many design points the difference is positive,
    and along which parameters the fitted difference (:func:`linear_reading`) changes sign."""
    lines = []
    for scenario, g in points.groupby("scenario", sort=False):
        for metric in metrics:
            above = int((g[metric] > 0).sum())
            fit = linear_reading(g, metric, ranges)
            flips = [
                f"{r.parameter} (from {r.at_low:+.3f} to {r.at_high:+.3f}, 0 near "
                f"{r.crosses_zero_at:.3g})"
                for r in fit.itertuples()
                if np.isfinite(r.crosses_zero_at)
            ]
            where = (
                "; with the others at mid-range the linear fit changes sign along "
                + ", ".join(flips)
                if flips
                else "; the linear fit keeps its sign along every parameter"
            )
            lines.append(
                f"{scenario} / {metric}: positive at {above} of {len(g)} design points{where} "
                f"(plane R² {fit.r2.iloc[0]:.2f})."
            )
    return lines


def write_reversals(
    res: Results,
    out: Path,
    metrics: list[str],
    versus: str,
    table: pd.DataFrame,
    reading: Reading = FINAL,
) -> tuple[dict[str, Path], list[str]]:
    """Per other scenario a grid (rows: metrics, columns: parameters, most influential first):
    each design point's mean paired difference against the parameter's value, the mean per
    value, the fitted plane's line (:func:`linear_reading`) and the zero line;
    ``reversals.csv`` has the means per value (or band, :func:`level_means`) and
    ``reversal_bands.csv`` per band of the two most influential parameters (:func:`band_table`)."""
    design = Design.model_validate(res.manifest["spec"]["design"])
    names = list(design.parameters)
    ranges = {n: (float(r.low), float(r.high)) for n, r in design.parameters.items()}
    points = point_differences(res, metrics, versus, reading)
    levels = level_means(points, metrics, ranges, discrete=design.kind == "morris")
    levels.to_csv(out / "reversals.csv", index=False)
    main = "ST" if "ST" in table else "mu_star"
    paths: dict[str, Path] = {"reversals_csv": out / "reversals.csv"}
    if len(names) >= 2:
        top = table.sort_values(main, ascending=False, kind="stable").groupby(
            ["scenario", "metric"], sort=False
        )
        pairs = {key: tuple(g.parameter.iloc[:2]) for key, g in top}
        band_table(points, metrics, ranges, pairs).to_csv(out / "reversal_bands.csv", index=False)
        paths["reversal_bands_csv"] = out / "reversal_bands.csv"
    for scenario, g in points.groupby("scenario", sort=False):
        rank = table[table.scenario == scenario].groupby("parameter")[main].max()
        order = sorted(names, key=lambda n: -rank.get(n, 0.0))
        fig, axes = plt.subplots(
            len(metrics),
            len(order),
            figsize=(1.9 * len(order) + 0.8, 1.7 * len(metrics) + 0.8),
            squeeze=False,
            sharey="row",
            layout="constrained",
        )
        for r, metric in enumerate(metrics):
            lv = levels[(levels.scenario == scenario) & (levels.metric == metric)]
            fit = linear_reading(g, metric, ranges).set_index("parameter")
            for c, name in enumerate(order):
                ax = axes[r, c]
                ax.axhline(0, color="grey", lw=0.7)
                ax.scatter(g[name], g[metric], s=6, color="#9dc3e6", label="design point")
                m = lv[lv.parameter == name]
                ax.plot(
                    m.value,
                    m.mean_difference,
                    "o",
                    color="#1f4e79",
                    ms=3,
                    label="mean per value" if design.kind == "morris" else "mean per band",
                )
                ax.plot(
                    ranges[name],
                    fit.loc[name, ["at_low", "at_high"]].to_numpy(dtype=float),
                    "--",
                    color="#c55a11",
                    lw=1,
                    label="plane, others mid-range",
                )
                ax.tick_params(labelsize=6)
                if r == len(metrics) - 1:
                    ax.set_xlabel(name.split(".", 1)[-1], fontsize=6.5)
                if c == 0:
                    ax.set_ylabel(metric.replace("_", " "), fontsize=7)
        axes[0, 0].legend(fontsize=6, loc="best")
        fig.suptitle(f"{scenario}, paired difference per design point", fontsize=9)
        slug = scenario.split(" ")[0]
        for path in save(fig, out, f"reversals_{slug}"):
            paths[path.name] = path
    return paths, reversal_notes(points, metrics, ranges)
