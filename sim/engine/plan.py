"""The plan of an experiment: scenario x design point x replication, each a plain dict.

Replication seeds come from ``SeedSequence(seed).spawn``; the same seeds serve every scenario and
design point (common random numbers), so runs can be compared pair by pair.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config.loader import apply_overrides, validate
from sim.config.schema import Config
from sim.engine.design import design_table, override_value
from sim.engine.spec import ExperimentSpec, scenario_configs


def replication_seeds(root: int, n: int) -> list[int]:
    """``n`` independent 63-bit seeds spawned from the root seed."""
    children = np.random.SeedSequence(root).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def run_id(scenario: str, point: int, replication: int) -> str:
    return f"{scenario}/p{point:04d}/r{replication:03d}"


def _default_at(key: str) -> Any:
    node: Any = Config().model_dump()
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def coerce(key: str, value: Any) -> Any:
    """Samplers give floats; an integer parameter gets the nearest integer."""
    default = _default_at(key)
    if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, float):
        return round(value)
    return value


def round_integers(table: pd.DataFrame, spec: ExperimentSpec) -> pd.DataFrame:
    """Integer parameters rounded in the table itself, so what is stored is what ran."""
    table = table.copy()
    for name in table.columns:
        if name == "point" or isinstance(spec.design.parameters[name], dict):
            continue  # named levels: the table holds the level's name
        table[name] = [coerce(name, override_value(spec.design, name, v)) for v in table[name]]
    return table


def build_plan(
    spec: ExperimentSpec, spec_path: Path, inspect: Callable[[Config, str], None] | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    """The design table and one run description per (scenario, point, replication);
    ``inspect(config, where)`` sees each validated (scenario, point) config."""
    raws = scenario_configs(spec, spec_path)
    table = round_integers(design_table(spec.design, spec.seed), spec)
    seeds = replication_seeds(spec.seed, spec.replications)
    names = [c for c in table.columns if c != "point"]
    runs = []
    for scenario, raw in raws.items():
        for row in table.itertuples(index=False):
            cells = dict(zip(table.columns, row, strict=True))
            point = int(cells["point"])
            overrides = {n: coerce(n, override_value(spec.design, n, cells[n])) for n in names}
            config = apply_overrides(raw, overrides)
            where = f"{spec_path}: scenario {scenario}, design point {point}"
            checked = validate(config, where)
            if inspect is not None:
                inspect(checked, where)
            params = {
                n: (cells[n].item() if hasattr(cells[n], "item") else cells[n]) for n in names
            }
            for rep, seed in enumerate(seeds):
                runs.append(
                    {
                        "run_id": run_id(scenario, point, rep),
                        "scenario": scenario,
                        "point": point,
                        "replication": rep,
                        "seed": seed,
                        "params": params,
                        "config": {**config, "seed": seed},
                        "outputs": spec.outputs.model_dump(),
                    }
                )
    return table, runs
