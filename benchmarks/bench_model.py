"""Speed of the model: the default scenario, the 10,000-actor scenario, and how cost scales.

Targets (issue 2): configs/base.yaml's 200 steps in about a second on one core; configs/large.yaml
(10,000 actors, 200 challenges) in under a minute; cost about linear in actors and in challenges.

    python benchmarks/bench_model.py            # all three
    python benchmarks/bench_model.py --quick    # skip the scaling sweep
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from sim import OpgaveModel, load_config

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def seconds(config, repeats: int = 1) -> float:
    """Median wall time of building and running the model for its steps."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model = OpgaveModel(config)
        model.run_for(config.steps)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scaling(base: str, key: str, values: list[int], extra: list[str]) -> float:
    """Fit log(time) = a + b log(size): b near 1 is linear, 2 quadratic."""
    times = []
    for v in values:
        t = seconds(load_config(CONFIGS / base, [f"{key}={v}", *extra]))
        times.append(t)
        print(f"  {key}={v:>6}: {t:6.2f} s", flush=True)
    return float(np.polyfit(np.log(values), np.log(times), 1)[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    ok = True

    base = seconds(load_config(CONFIGS / "base.yaml"), repeats=3)
    print(f"base.yaml, 200 steps: {base:.2f} s (target about 1 s)")
    ok &= base < 2.0

    large = seconds(load_config(CONFIGS / "large.yaml"))
    print(f"large.yaml, 10,000 actors, 200 challenges, 200 steps: {large:.1f} s (target < 60 s)")
    ok &= large < 60.0

    if not args.quick:
        print("scaling with actors (challenges fixed):")
        b_actors = scaling(
            "large.yaml", "actors.citizen.count", [2000, 4000, 8000, 16000], ["steps=100"]
        )
        print(f"  exponent {b_actors:.2f} (1 = linear)")
        print("scaling with challenges (actors fixed):")
        b_ops = scaling(
            "large.yaml",
            "opgaven.initial",
            [50, 100, 200, 400],
            ["steps=100", "opgaven.arrival_rate=0"],
        )
        print(f"  exponent {b_ops:.2f} (1 = linear)")
        ok &= b_actors < 1.5 and b_ops < 1.5
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
