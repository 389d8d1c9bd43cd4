"""``opgaven check``: validate a config or a spec, run nothing, and estimate the cost."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from sim.config import load_config
from sim.engine.limits import check_run
from sim.errors import UsageError
from sim.progress import human_seconds

console = Console(stderr=True, soft_wrap=True)  # long paths stay on one line in logs


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a config file, or an experiment spec (with its scenarios and design, naming
    where each scenario's config was found), and show a rough estimate of time and memory."""
    from sim.config.loader import read_yaml

    if "scenarios" in read_yaml(Path(args.file)):
        from sim.engine.runner import plan_experiment
        from sim.engine.spec import find_config

        if args.set:
            raise UsageError(
                f"--set {args.set[0]}: check applies --set to a config file; {args.file} is an "
                "experiment spec, whose overrides belong in a scenario's set: mapping"
            )
        plan = plan_experiment(args.file, allow_large=args.allow_large)
        est = plan.largest
        workers = os.cpu_count() or 1
        total = est.seconds * len(plan.runs) / workers
        console.print(
            f"[green]ok[/green] {args.file}: experiment {plan.spec.name}, {len(plan.runs):,} runs; "
            f"the largest run needs {est.describe()}; all runs about {human_seconds(total)} "
            f"on {workers} workers (rough estimate)"
        )
        for name, scenario in plan.spec.scenarios.items():  # where each config was found
            console.print(
                f"  {name}: {os.path.normpath(find_config(scenario.config, Path(args.file)))}"
            )
        return 0
    config = load_config(args.file, list(args.set or []))
    est = check_run(config, args.file, args.allow_large)
    console.print(
        f"[green]ok[/green] {args.file}: {config.name}, {est.actors:,} actors, "
        f"{config.steps} steps, preset {config.strategy.preset}; {est.describe()} "
        "(rough estimate)"
    )
    return 0
