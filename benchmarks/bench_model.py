"""Speed and memory of the model: a table of cases, each measured in a fresh process.

Targets: the default scenario (configs/base.yaml, 296 actors) in about a second (FAIL above
2 s); the 10,000-actor scenario (configs/large.yaml) at 1M actor-steps a second or more
(issue 16; version 2 is far from it); cost about linear in actors and in challenges (exponent
at most 1.0 is the goal, FAIL above 1.5); a sweep of 40 short runs at 90% parallel efficiency on
two local workers and 85% on two Dask workers; with ``--city``, 100,000 actors (configs/city.yaml)
for 200 steps in under 3 minutes and 4 GB. Peak memory is the process's maximum
resident set, interpreter and imports included (their share is the ``imports`` line).

    python benchmarks/bench_model.py            # every case (about 12 minutes)
    python benchmarks/bench_model.py --quick    # no scaling sweep, no experiment sweep
    python benchmarks/bench_model.py --quick --city     # and city.yaml (about 20 minutes)
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"


@dataclass
class Case:
    label: str
    config: str
    overrides: tuple[str, ...] = ()
    repeats: int = 1
    max_seconds: float | None = None  # FAIL above
    min_rate: float | None = None  # actor-steps per second, FAIL below
    max_mb: float | None = None  # peak memory, FAIL above


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def measure_here(config: str, overrides: list[str]) -> dict:
    """Build and run one model in this process as ``opgaven run`` does (one BLAS thread, talk
    over the cores): seconds, actors, steps, challenges, memory."""
    from sim import OpgaveModel, load_config
    from sim.engine.threads import lone_run

    imports = peak_mb()
    cfg = load_config(CONFIGS / config, overrides)
    start = time.perf_counter()
    model = OpgaveModel(cfg)
    with lone_run(model):
        model.run_for(cfg.steps)
    return {
        "seconds": time.perf_counter() - start,
        "actors": model.actors.n,
        "steps": cfg.steps,
        "challenges": len(model.opgaven),
        "peak_mb": peak_mb(),
        "imports_mb": imports,
    }


def measure(config: str, overrides: tuple[str, ...] = (), repeats: int = 1) -> dict:
    """:func:`measure_here` in fresh processes (so memory is this run's); median seconds."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, __file__, "--case", config, *overrides],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def row(label: str, m: dict, verdict: str) -> str:
    rate = m["actors"] * m["steps"] / m["seconds"]
    return (
        f"| {label} | {m['actors']:,} | {m['challenges']:,} | {m['steps']} | {m['seconds']:.2f} "
        f"| {rate:,.0f} | {m['peak_mb']:,.0f} | {verdict} |"
    )


def scaling(key: str, values: list[int], extra: list[str], size: str) -> float:
    """Fit log(time) = a + b log(size) over fresh runs of large.yaml, ``key`` set to each of
    ``values``; ``size`` is what the fit reads off each run ("actors" or "challenges": the
    actual numbers, not the setting). b near 1 is linear, 2 quadratic. Building the model and
    fixed per-step costs are inside the time, so b understates the cost at the margin a little;
    the slope between the two largest sizes is printed too."""
    times, sizes = [], []
    for v in values:
        m = measure("large.yaml", (f"{key}={v}", *extra))
        times.append(m["seconds"])
        sizes.append(m[size])
        print(f"  {size}={m[size]:>6,}: {m['seconds']:6.2f} s, {m['peak_mb']:,.0f} MB", flush=True)
    last = np.log(times[-1] / times[-2]) / np.log(sizes[-1] / sizes[-2])
    print(f"  slope between the two largest: {last:.2f}")
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


SWEEP = {
    "name": "bench_sweep",
    "scenarios": {"base": {"config": str(CONFIGS / "base.yaml")}},
    "replications": 40,
    "seed": 1,
    "steps": 100,
    "outputs": {"steps_every": 10, "opgaven": False, "actors": False, "network": False},
}


def sweep_here(executor: str) -> float:
    """Seconds for the 40-run sweep on ``executor`` (two workers for local and Dask), or, for
    ``half0``/``half1``, for every other of its runs computed here, without the engine."""
    from sim import run_experiment

    if executor.startswith("half"):
        from sim.engine.runner import plan_experiment
        from sim.engine.worker import execute

        runs = plan_experiment(SWEEP).runs[int(executor[-1]) :: 2]
        start = time.perf_counter()
        for run in runs:
            execute(run)
        return time.perf_counter() - start
    executor, _, scheduler = executor.partition("@")  # dask@ADDRESS: a cluster already up
    workers = None if executor == "serial" else 2
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        run_experiment(
            SWEEP, out=Path(tmp) / "out", executor=executor, workers=workers, scheduler=scheduler
        )
        return time.perf_counter() - start


def serve_cluster() -> None:
    """A two-worker Dask LocalCluster (one thread each) that prints its address and lives
    until its standard input closes: the cluster a sweep meets on SLURM, already up."""
    from sim.engine.executors import local_cluster

    with local_cluster(2) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()


def sweep_efficiency(repeats: int = 3) -> dict[str, float]:
    """Median seconds of the sweep serially, on two local workers, on a two-worker Dask
    LocalCluster (started afresh, as ``--executor dask`` does) and on one already up
    (``dask_up``: started before the clock, as a cluster met with ``--scheduler``), each in a
    fresh process with
    one BLAS thread, as the workers have; and ``halves``: the same runs split in two halves
    computed at once by two independent processes, with no engine, pool or cluster. Serial
    over twice ``halves`` is the best efficiency this machine allows two processes (on this
    VM two busy processes each compute slower than one alone). The four alternate,
    ``repeats`` times: this machine's speed drifts by a fifth within minutes."""
    from sim.engine.threads import one_blas_thread

    def launch(executor: str) -> subprocess.Popen:
        with one_blas_thread():  # the environment the fresh process starts with
            return subprocess.Popen(
                [sys.executable, __file__, "--sweep", executor], stdout=subprocess.PIPE, text=True
            )

    def seconds_of(process: subprocess.Popen) -> float:
        out, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a sweep process failed ({process.args})")
        return float(out.strip().splitlines()[-1])

    seconds: dict[str, list[float]] = {
        "serial": [],
        "local": [],
        "dask": [],
        "dask_up": [],
        "halves": [],
    }
    for _ in range(repeats):
        for executor in ("serial", "local", "dask"):
            seconds[executor].append(seconds_of(launch(executor)))
        # a fresh cluster started before the clock (its workers import the model on their
        # first chunk, inside the time), as when a sweep connects to one with --scheduler
        with one_blas_thread():
            cluster = subprocess.Popen(
                [sys.executable, __file__, "--serve-cluster"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        try:
            address = ""
            while not address.startswith("tcp://"):  # its address, after anything else it says
                line = cluster.stdout.readline()
                if not line:  # end of its output: it failed to start
                    raise RuntimeError(f"the cluster process ended ({cluster.wait()})")
                address = line.strip()
            seconds["dask_up"].append(seconds_of(launch(f"dask@{address}")))
        finally:
            cluster.stdin.close()  # the cluster shuts down when its input closes
            try:
                cluster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cluster.kill()
        # the machine's own ceiling: the two halves in two independent processes at once
        halves = [launch("half0"), launch("half1")]
        seconds["halves"].append(max(seconds_of(p) for p in halves))
    return {k: statistics.median(v) for k, v in seconds.items()}


CASES = [
    Case("default world, institutional (base.yaml)", "base.yaml", repeats=3, max_seconds=2.0),
    Case("default world, opgave-centred", "opgave_centred.yaml", repeats=3),
    Case("default world, hybrid", "hybrid.yaml", repeats=3),
    Case("10,000 actors, hybrid (large.yaml)", "large.yaml", min_rate=1e6),
]
# 100,000 actors, about 2,000 challenges: 17-22 minutes here, so only with --city
CITY = Case("100,000 actors, hybrid (city.yaml)", "city.yaml", max_seconds=180, max_mb=4096)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the table only")
    parser.add_argument("--city", action="store_true", help="also city.yaml (~20 minutes)")
    parser.add_argument("--case", nargs="+", help=argparse.SUPPRESS)  # CONFIG [OVERRIDES]: one run
    parser.add_argument("--sweep", help=argparse.SUPPRESS)  # EXECUTOR: one sweep
    parser.add_argument("--serve-cluster", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_cluster:
        serve_cluster()
        return 0
    if args.case:
        print(json.dumps(measure_here(args.case[0], args.case[1:])))
        return 0
    if args.sweep:
        print(sweep_here(args.sweep))
        return 0

    ok = True
    print("| case | actors | challenges | steps | seconds | actor-steps/s | peak MB | target |")
    print("|---|---|---|---|---|---|---|---|")
    imports = 0.0
    for case in CASES + ([CITY] if args.city else []):
        m = measure(case.config, case.overrides, case.repeats)
        imports = m["imports_mb"]
        verdicts = []
        if case.max_seconds is not None:
            verdicts.append((f"≤ {case.max_seconds:g} s", m["seconds"] <= case.max_seconds))
        if case.min_rate is not None:
            rate = m["actors"] * m["steps"] / m["seconds"]
            verdicts.append((f"≥ {case.min_rate:,.0f}/s", rate >= case.min_rate))
        if case.max_mb is not None:
            verdicts.append((f"≤ {case.max_mb:,.0f} MB", m["peak_mb"] <= case.max_mb))
        ok &= all(passed for _, passed in verdicts)
        verdict = ", ".join(f"{t}: {'PASS' if passed else 'FAIL'}" for t, passed in verdicts)
        print(row(case.label, m, verdict), flush=True)
    print(f"(imports: {imports:,.0f} MB of each process's peak)")
    if args.city:
        print(f"(city.yaml: {(m['peak_mb'] - imports) * 1024 / m['actors']:.0f} KB an actor)")

    if not args.quick:
        print("scaling with actors (large.yaml, challenges fixed, 100 steps):")
        b_actors = scaling(
            "actors.citizen.count", [2000, 4000, 8000, 16000], ["steps=100"], "actors"
        )
        print(f"  exponent {b_actors:.2f} (goal ≤ 1.0)")
        print("scaling with challenges (large.yaml, actors fixed, 100 steps, no arrivals):")
        b_ops = scaling(
            "opgaven.initial",
            [50, 100, 200, 400],
            ["steps=100", "opgaven.arrival_rate=0"],
            "challenges",
        )
        print(f"  exponent {b_ops:.2f} (goal ≤ 1.0)")
        ok &= b_actors < 1.5 and b_ops < 1.5
        seconds = sweep_efficiency()
        local = seconds["serial"] / (2 * seconds["local"])
        dask = seconds["serial"] / (2 * seconds["dask"])
        dask_up = seconds["serial"] / (2 * seconds["dask_up"])
        ceiling = seconds["serial"] / (2 * seconds["halves"])
        print(
            f"sweep of 40 runs of 100 steps (medians of 3): serial {seconds['serial']:.1f} s, "
            f"two local workers {seconds['local']:.1f} s ({local:.0%}, target 90%), two Dask"
            f" workers {seconds['dask']:.1f} s ({dask:.0%}, target 85%); two independent "
            f"processes, half the runs each, {seconds['halves']:.1f} s: this machine's ceiling"
            f" {ceiling:.0%} (local reaches {local / ceiling:.0%} of it, Dask {dask / ceiling:.0%})"
        )
        print(
            f"  on a two-worker Dask cluster already up (started before the clock, as one met "
            f"with --scheduler): {seconds['dask_up']:.1f} s ({dask_up:.0%}; "
            f"{dask_up / ceiling:.0%} of the ceiling)"
        )
        ok &= local >= 0.9 and dask >= 0.85
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
