"""The smallest effect size of interest (SESOI) per metric: how large a paired difference must be
to matter. A difference whose interval lies inside ``±SESOI`` is *equivalent* (too small to
matter), one that is clearly nonzero and larger is *higher* or *lower*; the report uses the
SESOI to say how many replications would detect a difference of that size.

The defaults are judgements, stated here and in docs/statistics.md, by the kind of number a
metric is (its ``unit`` in :mod:`sim.model.outcomes`); a spec (``analysis: {sesoi: {metric:
value}}``), ``opgaven compare --sesoi metric=value`` or ``sim.compare(sesoi=...)`` override them.
"""

from __future__ import annotations

import math

from sim.errors import UsageError
from sim.model.outcomes import METRICS

# two percentage points of a share (of need, of effort, of a definition); a ratio on the same
# scale; one challenge; two steps; and for the open backlog 100 units of need (about 2% of its
# typical size in the default world)
SESOI_BY_UNIT: dict[str, float] = {
    "share": 0.02,
    "ratio": 0.02,
    "count": 1.0,
    "steps": 2.0,
    "need": 100.0,
}
# per-metric exceptions to the unit's default (none yet: add one with its reason)
SESOI_BY_METRIC: dict[str, float] = {}


def default_sesoi(metric: str) -> float:
    """The documented default SESOI of ``metric`` (NaN for a metric outside the registry)."""
    if metric in SESOI_BY_METRIC:
        return SESOI_BY_METRIC[metric]
    rec = METRICS.get(metric)
    return SESOI_BY_UNIT.get(rec.unit, math.nan) if rec else math.nan


def resolve_sesoi(metrics: list[str], *layers: dict[str, float] | None) -> dict[str, float]:
    """Each metric's SESOI: the default, overridden by each of ``layers`` in turn."""
    out = {m: default_sesoi(m) for m in metrics}
    for layer in layers:
        for metric, value in (layer or {}).items():
            if metric in out:
                out[metric] = float(value)
    return out


def parse_sesoi(items: list[str], option: str = "--sesoi") -> dict[str, float]:
    """``["fragmentation=0.05", ...]`` (or comma-separated) as a mapping; a bad item is a
    UsageError naming it and what is allowed."""
    out: dict[str, float] = {}
    for item in (part.strip() for text in items for part in text.split(",")):
        if not item:
            continue
        name, sep, text = item.partition("=")
        try:
            value = float(text) if sep else math.nan
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise UsageError(
                f"{option} {item}: expected METRIC=VALUE with VALUE a positive number, "
                "e.g. fragmentation=0.05"
            )
        out[name.strip()] = value
    return out
