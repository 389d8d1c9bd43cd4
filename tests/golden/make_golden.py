"""Record the golden baseline: a few short runs' metrics, stored for exact comparison.

The golden test (tests/test_golden.py) proves that a refactor changes no result. When a change is
*meant* to alter results, regenerate the baseline and commit it with that change:

    .venv/bin/python tests/golden/make_golden.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from sim import OpgaveModel, load_config
from sim.model.records import opgave_records

BASELINE = Path(__file__).with_name("baseline.json")
BASE_CONFIG = Path(__file__).parents[2] / "configs" / "base.yaml"
STEPS = 80

# name -> overrides on configs/base.yaml; every preset plus knobs mixed across presets
SCENARIOS: dict[str, list[str]] = {
    "institutional": ["strategy.preset=institutional"],
    "opgave_centred": ["strategy.preset=opgave_centred"],
    "hybrid": ["strategy.preset=hybrid", "seed=3"],
    "mixed_knobs": [
        "strategy.preset=institutional",
        "strategy.table=added_value",
        "strategy.regie=shared",
        "strategy.citizens=members",
        "seed=5",
    ],
    "third_order_no_spanners": [
        "strategy.preset=opgave_centred",
        "actors.boundary_spanner.count=0",
        "opgaven.order_mix.first=0",
        "opgaven.order_mix.second=0",
        "opgaven.order_mix.third=1",
        "seed=2",
    ],
}


def _clean(value):
    """JSON-safe and exact: floats keep their repr; NaN becomes the string 'nan'."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def record(overrides: list[str]) -> dict:
    """Every step's metrics and every challenge's end record for one short run."""
    config = load_config(BASE_CONFIG, [*overrides, f"steps={STEPS}"])
    model = OpgaveModel(config)
    model.run_for(config.steps)
    steps = model.datacollector.get_model_vars_dataframe()
    return {
        "steps": {col: [_clean(v) for v in steps[col]] for col in steps.columns},
        "opgaven": [{k: _clean(v) for k, v in rec.items()} for rec in opgave_records(model)],
    }


def main() -> None:
    baseline = {name: record(overrides) for name, overrides in SCENARIOS.items()}
    BASELINE.write_text(json.dumps(baseline, indent=0, sort_keys=True) + "\n")
    print(f"wrote {BASELINE} ({len(baseline)} scenarios, {STEPS} steps each)")


if __name__ == "__main__":
    main()
