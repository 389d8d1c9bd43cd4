"""Rough cost of a run or an experiment, and the sizes past which we refuse unless asked.

The estimate is a simple fit to measured runs (two cores, 2026): time per step grows with the
number of actors and of live challenges; memory with actors, ties and challenges. It is meant to
catch a value off by orders of magnitude before a run hangs or eats the machine, not to plan a
cluster. ``--allow-large`` lifts the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.schema import ACTOR_TYPES, Config
from sim.errors import UsageError
from sim.progress import human_seconds

MAX_RUN_SECONDS = 4 * 3600  # estimated time of one run
MAX_RUN_BYTES = 4e9  # estimated memory of one run
MAX_DESIGN_POINTS = 20_000
MAX_RUNS = 200_000  # scenarios x design points x replications
FLAG = "--allow-large"


@dataclass(frozen=True)
class Estimate:
    actors: int
    opgaven: int  # challenges over the run (initial + expected arrivals, capped)
    steps: int
    seconds: float
    bytes: float

    def describe(self) -> str:
        return f"about {human_seconds(self.seconds)} and {self.bytes / 1e6:,.0f} MB per run"


def estimate(config: Config) -> Estimate:
    """Rough time and memory of one run of ``config``."""
    actors = sum(getattr(config.actors, t).count for t in ACTOR_TYPES)
    arrivals = config.opgaven.arrival_rate * config.steps
    opgaven = int(min(config.opgaven.max_total, config.opgaven.initial + arrivals))
    live = min(opgaven, config.opgaven.initial + arrivals / 2)  # on average over the run
    ms_per_step = 3 + 0.002 * actors + 0.2 * live * (1 + actors / 2000)
    ties = actors * config.dynamics.network.mean_degree / 2
    # at its peak (talk) a step holds about four (actors x open challenges) float arrays
    memory = 200e6 + 5e3 * actors + 300 * ties + 2e3 * opgaven
    memory += 32 * actors * live
    memory += 2e3 * config.steps  # the collected metrics
    return Estimate(actors, opgaven, config.steps, ms_per_step * config.steps / 1e3, memory)


def check_run(config: Config, source: str, allow_large: bool) -> Estimate:
    """The estimate, or a UsageError when it passes a limit and ``allow_large`` is off."""
    est = estimate(config)
    if allow_large:
        return est
    if est.seconds > MAX_RUN_SECONDS or est.bytes > MAX_RUN_BYTES:
        raise UsageError(
            f"{source}: {est.actors:,} actors, up to {est.opgaven:,} challenges and "
            f"{est.steps:,} steps need {est.describe()}; the limit is "
            f"{human_seconds(MAX_RUN_SECONDS)} and {MAX_RUN_BYTES / 1e9:.0f} GB per run. "
            f"Check the counts, or pass {FLAG} if you mean it"
        )
    return est


def check_size(points: int, runs: int, source: str, allow_large: bool) -> None:
    """Refuse a design or experiment past the size limits (before anything is built)."""
    if allow_large:
        return
    if points > MAX_DESIGN_POINTS:
        raise UsageError(
            f"{source}: design: {points:,} design points, the limit is {MAX_DESIGN_POINTS:,}; "
            f"lower samples or the number of values, or pass {FLAG} if you mean it"
        )
    if runs > MAX_RUNS:
        raise UsageError(
            f"{source}: {runs:,} runs (scenarios x design points x replications), the limit "
            f"is {MAX_RUNS:,}; pass {FLAG} if you mean it"
        )
