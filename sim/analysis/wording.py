"""The report's words: the summary, every difference in a sentence, and the warnings where
too few replications were run to detect the smallest effect of interest."""

from __future__ import annotations

import pandas as pd

from sim.analysis.compare import ALPHA, POWER, VERDICTS
from sim.analysis.stats import pairs_needed
from sim.model.outcomes import higher_is_better, label


def _ci(lo: float, hi: float, level: int = 95) -> str:
    return f"{level}% CI {lo:+.3f} to {hi:+.3f}"


def _clause(row) -> str:
    """One difference in words: verdict, size, interval."""
    base = row.baseline
    if row.verdict == "equivalent":
        return (
            f"{row.scenario} is equivalent to {base} ({row.diff_mean:+.3f}, "
            f"{_ci(row.diff_ci90_low, row.diff_ci90_high, 90)}, within ±{row.sesoi:g})"
        )
    if row.verdict in ("higher", "lower"):
        good = (row.verdict == "higher") == higher_is_better(row.metric)
        beyond = "; beyond the SESOI" if row.magnitude == "beyond SESOI" else ""
        return (
            f"{row.scenario} is {row.verdict} than {base} ({'better' if good else 'worse'}: "
            f"{row.diff_mean:+.3f}, {_ci(row.diff_ci_low, row.diff_ci_high)}, "
            f"d_z = {row.effect_size:.1f}{beyond})"
        )
    return (
        f"{row.scenario} is inconclusive against {base} ({row.diff_mean:+.3f}, "
        f"{_ci(row.diff_ci_low, row.diff_ci_high)})"
    )


def plain_reading(table: pd.DataFrame) -> list[str]:
    """Plain sentences per design point and metric: every difference from the baseline."""
    lines = []
    diffs = table[table.verdict.isin(VERDICTS)]
    for (design, metric), group in diffs.groupby(["design", "metric"], sort=False):
        where = f"[{design}] " if design and design != "all" else ""
        parts = [_clause(row) for row in group.itertuples()]
        lines.append(f"{where}**{metric}**: " + "; ".join(parts) + ".")
    return lines


def _across_points(rows: pd.DataFrame) -> str:
    """One scenario's differences over several design points, in a clause."""
    first = rows.iloc[0]
    counts = rows.verdict.value_counts()
    better = {"higher": higher_is_better(first.metric), "lower": not higher_is_better(first.metric)}
    said = ", ".join(
        f"{v}{' (better)' if better.get(v) else ' (worse)' if v in better else ''} at {counts[v]}"
        for v in VERDICTS
        if v in counts
    )
    low, high = rows.loc[rows.diff_mean.idxmin()], rows.loc[rows.diff_mean.idxmax()]
    big = rows.loc[rows.diff_mean.abs().idxmax()]
    return (
        f"{first.scenario} against {first.baseline}: {said} of {len(rows)} design points; "
        f"differences from {low.diff_mean:+.3f} ({low.design}) to {high.diff_mean:+.3f} "
        f"({high.design}); the largest {big.diff_mean:+.3f}, "
        f"{_ci(big.diff_ci_low, big.diff_ci_high)}"
    )


def summary(table: pd.DataFrame) -> list[str]:
    """The key findings: one sentence per metric with sizes and intervals, then warnings where
    the replications are too few to detect the smallest effect of interest."""
    diffs = table[table.verdict.isin(VERDICTS)]
    lines = []
    for metric, group in diffs.groupby("metric", sort=False):
        first = group.iloc[0]
        sesoi = f"; SESOI ±{first.sesoi:g}" if pd.notna(first.sesoi) else ""
        head = f"**{label(metric).capitalize()}** ({first.read_as}{sesoi}): "
        multi = group.point.nunique() > 1
        parts = [
            _across_points(rows) if multi else _clause(rows.iloc[0])
            for _, rows in group.groupby("scenario", sort=False)
        ]
        lines.append(head + "; ".join(parts) + ".")
    return lines


def warnings_on_n(table: pd.DataFrame) -> list[str]:
    """Where inconclusive verdicts come from too few replications: how many would do, for a
    difference of the SESOI and for the differences seen."""
    diffs = table[table.verdict.isin(VERDICTS)]
    lines = []
    for metric, group in diffs.groupby("metric", sort=False):
        needed = group.pairs_needed.astype(float)
        short = group[(group.verdict == "inconclusive") & (needed > group.n_pairs)]
        if short.empty:
            continue
        family = int(group.family_size.iloc[0])
        alpha = ALPHA / family
        seen = [
            pairs_needed(r.diff_sd, abs(r.diff_mean), alpha, POWER)
            for r in short.itertuples()
            if abs(r.diff_mean) > r.sesoi
        ]
        also = (
            f"; the differences seen that exceed the SESOI would need {_count(max(seen))}"
            if seen
            else ""
        )
        lines.append(
            f"**Too few replications for {metric}**: {len(short)} of {len(group)} comparisons "
            f"are inconclusive with {int(short.n_pairs.min())} pairs. To detect a difference "
            f"as small as the SESOI ({short.sesoi.iloc[0]:g}) with {POWER:.0%} power in a "
            f"family of {family} comparisons, {_count(int(short.pairs_needed.max()))} "
            f"replications would be needed, given the spread of the differences seen (sd up to "
            f"{short.diff_sd.max():.3g}){also}."
        )
    return lines


def _count(n: int) -> str:
    return f"more than {n:,}" if n >= 100_000 else f"about {n}"
