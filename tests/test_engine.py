"""The experiment engine: designs, seeds, executors, the store, resume and failures."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import results
from sim.config import ConfigError
from sim.engine import worker
from sim.engine.design import design_table, expected_size
from sim.engine.plan import replication_seeds
from sim.engine.runner import plan_experiment, run_experiment
from sim.engine.spec import Design, ExperimentSpec, load_spec
from sim.engine.store import Store
from sim.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "experiments" / "smoke.yaml"
METRICS = list(worker.METRICS)


@pytest.mark.parametrize(
    ("design", "size"),
    [
        ({"kind": "grid", "parameters": {"a.b": [1, 2, 3], "c.d": {"x": 1, "y": 2}}}, 6),
        ({"kind": "lhs", "samples": 13, "parameters": {"a": {"low": 0, "high": 1}}}, 13),
        (
            {
                "kind": "sobol",
                "samples": 8,
                "parameters": {"a": {"low": 0, "high": 1}, "b": {"low": 2, "high": 3}},
            },
            8 * (2 * 2 + 2),
        ),
        (
            {
                "kind": "sobol",
                "samples": 8,
                "second_order": False,
                "parameters": {"a": {"low": 0, "high": 1}, "b": {"low": 2, "high": 3}},
            },
            8 * (2 + 2),
        ),
        (
            {
                "kind": "morris",
                "samples": 5,
                "parameters": {
                    "a": {"low": 0, "high": 1},
                    "b": {"low": 0, "high": 1},
                    "c": {"low": 0, "high": 1},
                },
            },
            5 * (3 + 1),
        ),
        ({"kind": "grid"}, 1),
    ],
)
def test_design_tables_have_the_promised_size(design, size):
    d = Design.model_validate(design)
    table = design_table(d, seed=1)
    assert len(table) == size == expected_size(d)
    assert table.point.tolist() == list(range(size))
    for name, spec in d.parameters.items():
        if isinstance(spec, dict):
            assert set(table[name]) == set(spec)
        elif not isinstance(spec, list):
            assert table[name].between(spec.low, spec.high).all()


def test_lhs_is_a_latin_hypercube():
    d = Design.model_validate(
        {"kind": "lhs", "samples": 10, "parameters": {"a": {"low": 0, "high": 10}}}
    )
    cells = np.floor(design_table(d, seed=3)["a"].to_numpy()).astype(int)
    assert sorted(cells) == list(range(10))  # one sample per stratum


def test_sobol_needs_a_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        Design.model_validate(
            {"kind": "sobol", "samples": 10, "parameters": {"a": {"low": 0, "high": 1}}}
        )


def test_replication_seeds_are_spawned_and_stable():
    seeds = replication_seeds(2026, 5)
    assert seeds == replication_seeds(2026, 5)
    assert len(set(seeds)) == 5
    assert replication_seeds(2026, 7)[:5] == seeds  # adding replications keeps the old ones


def test_common_random_numbers_across_scenarios_and_points():
    plan = plan_experiment(SMOKE)
    by_cell = {}
    for run in plan.runs:
        by_cell.setdefault((run["scenario"], run["point"]), []).append(run["seed"])
    assert len({tuple(v) for v in by_cell.values()}) == 1
    assert len(plan.runs) == 2 * 2 * 3


def test_bad_spec_names_the_field(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("name: x\nscenarios: {a: {config: configs/base.yaml}}\nreplicatons: 3\n")
    with pytest.raises(
        ConfigError,
        match=r"bad\.yaml: replicatons: unknown key; did you mean "
        r"'replications'",
    ):
        load_spec(spec)
    spec.write_text(
        "name: x\nscenarios: {a: {config: configs/base.yaml}}\n"
        "design: {parameters: {opgaven.drift_rat: [0.1]}}\n"
    )
    with pytest.raises(ConfigError, match="drift_rat"):
        plan_experiment(spec)
    spec.write_text("name: x\nscenarios: {a: {config: configs/nothere.yaml}}\n")
    with pytest.raises(ConfigError, match="not found"):
        plan_experiment(spec)


def metrics_table(path: Path) -> pd.DataFrame:
    runs = pd.read_parquet(path / "runs.parquet")
    return runs.sort_values("run_id").reset_index(drop=True)[["run_id", *METRICS]]


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    outcome = run_experiment(plan_experiment(SMOKE), out, executor="serial")
    assert outcome.done == 12 and not outcome.failed
    return out


def test_store_layout_and_loader(serial_run):
    for name in ("runs.parquet", "design.parquet", "manifest.json"):
        assert (serial_run / name).is_file()
    res = results.load(serial_run)
    assert len(res.runs) == 12 and set(res.runs.status) == {"ok"}
    assert set(res.steps.scenario) == {"institutional", "opgave_centred"}
    assert res.steps.groupby("run_id").step.max().eq(25).all()
    assert res.steps.step.mod(5).eq(0).all()
    assert len(res.opgaven) > 0 and "param:opgaven.drift_rate" in res.runs
    assert res.manifest["state"] == "complete" and res.manifest["runs_ok"] == 12
    assert res.manifest["root_seed"] == 7 and "commit" in res.manifest["git"]
    assert {p.name for p in (serial_run / "steps").iterdir()} == {
        "scenario=institutional",
        "scenario=opgave_centred",
    }


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_every_executor_gives_identical_metrics(serial_run, tmp_path, executor):
    run_experiment(plan_experiment(SMOKE), tmp_path, executor=executor, workers=2)
    pd.testing.assert_frame_equal(metrics_table(tmp_path), metrics_table(serial_run))


def test_a_local_dask_cluster_is_set_up_for_batch_work():
    # its workers run models and nobody reads a dashboard: no 10 ms stack sampling, no 20 ms
    # event-loop ticks taking CPU from the models (BATCH_CLUSTER says what it saves)
    import dask
    from dask.distributed import Client

    from sim.engine.executors import BATCH_CLUSTER, local_cluster

    with local_cluster(1) as cluster, Client(cluster) as client:
        seen = client.run(lambda: {k: dask.config.get(k) for k in BATCH_CLUSTER})
    assert list(seen.values()) == [BATCH_CLUSTER]
    assert BATCH_CLUSTER["distributed.worker.profile.enabled"] is False


def test_the_first_progress_report_comes_once_the_local_workers_exist(tmp_path):
    # A progress bar starts a thread at its first report; workers started after it could not
    # be forked (they would come from the slower forkserver), so the report waits for them.
    import multiprocessing
    import threading

    seen = []
    before = set(multiprocessing.active_children())  # earlier pools' workers may still exit

    def bar(done, failed, total):
        if not seen:
            seen.append(len(set(multiprocessing.active_children()) - before))
            threading.Thread(target=threading.Event().wait, args=(0.5,), daemon=True).start()

    run_experiment(plan_experiment(SMOKE), tmp_path, executor="local", workers=2, progress=bar)
    assert seen and seen[0] >= 1


def test_refuses_to_mix_into_existing_results(serial_run):
    with pytest.raises(UsageError, match="--resume"):
        run_experiment(plan_experiment(SMOKE), serial_run, executor="serial")


def test_resume_after_interruption_equals_one_sweep(serial_run, tmp_path):
    calls = []

    def interrupt_after_five(done, failed, total):
        calls.append(done)
        if done == 5:
            raise KeyboardInterrupt

    plan = plan_experiment(SMOKE)
    first = run_experiment(
        plan, tmp_path, executor="serial", progress=interrupt_after_five, flush_every=2
    )
    assert first.interrupted
    assert 0 < len(pd.read_parquet(tmp_path / "runs.parquet")) < 12
    second = run_experiment(plan, tmp_path, executor="serial", resume=True)
    assert second.skipped == 12 - second.done
    pd.testing.assert_frame_equal(metrics_table(tmp_path), metrics_table(serial_run))
    res = results.load(tmp_path)
    assert not res.runs.run_id.duplicated().any()
    assert not res.steps.duplicated(["run_id", "step"]).any()
    assert len(res.steps) == len(results.load(serial_run).steps)


def test_an_incomplete_batch_is_removed_on_resume(tmp_path):
    store = Store(tmp_path)
    part = tmp_path / "steps" / "scenario=a" / "part-000-x.parquet"
    part.parent.mkdir(parents=True)
    pd.DataFrame({"run_id": ["a"], "step": [0]}).to_parquet(part)
    assert store.remove_incomplete() == 1 and not part.exists()


def test_a_failing_run_is_recorded_and_retried(tmp_path, monkeypatch):
    plan = plan_experiment(SMOKE)
    victim = plan.runs[4]["run_id"]
    real = worker.OpgaveModel

    class Exploding(real):
        def step(self):
            if self.config.seed == plan.runs[4]["seed"] and self.steps == 3:
                raise RuntimeError("injected failure")
            super().step()

    monkeypatch.setattr(worker, "OpgaveModel", Exploding)
    outcome = run_experiment(plan, tmp_path, executor="serial")
    # the seed is shared by the same replication in every cell: all of those fail
    failed = {r["run_id"] for r in plan.runs if r["seed"] == plan.runs[4]["seed"]}
    assert set(outcome.failed) == failed and victim in failed
    assert outcome.done == 12 - len(failed)
    res = results.load(tmp_path)
    assert set(res.runs.loc[res.runs.status == "failed", "run_id"]) == failed
    assert res.failures.error.str.contains("injected failure").all()
    assert res.manifest["runs_failed"] == len(failed)

    monkeypatch.setattr(worker, "OpgaveModel", real)
    again = run_experiment(plan, tmp_path, executor="serial", retry_failed=True)
    assert again.done == len(failed) and again.skipped == 12 - len(failed)
    assert set(results.load(tmp_path).runs.status) == {"ok"}
    assert results.load(tmp_path).failures.empty  # no stale entries once they succeeded


def test_shipped_specs_are_valid():
    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        assert isinstance(load_spec(path), ExperimentSpec)
        assert plan_experiment(path, allow_large=True).runs


def test_only_the_city_sweep_needs_allow_large():
    # 100,000 actors: about 5.6 GB a run by the estimate (3.2 GB measured, 17 minutes); the user
    # must say they mean it
    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        if path.stem == "city_sweep":
            with pytest.raises(UsageError, match="allow-large"):
                plan_experiment(path)
        else:
            assert plan_experiment(path).runs


def test_cli_dry_run_runs_nothing(tmp_path, capsys):
    from sim.cli import main

    out = tmp_path / "never"
    assert main(["experiment", str(SMOKE), "--dry-run", "--out", str(out)]) == 0
    assert "runs" in capsys.readouterr().out
    assert not out.exists()


def in_fresh_process(script: str, *args: str, openblas: str | None = None) -> list:
    """Run ``script`` in a fresh process, whose BLAS starts threads of its own (none of the
    BLAS variables set, or OPENBLAS_NUM_THREADS=``openblas`` as a user's choice); its last
    printed line, as JSON."""
    from sim.engine.threads import BLAS_THREADS

    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREADS}
    if openblas is not None:
        env["OPENBLAS_NUM_THREADS"] = openblas
    out = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


WORKER_SEES = """
import json, sys, threading
from concurrent.futures import ProcessPoolExecutor
from threadpoolctl import threadpool_info
from sim.engine.executors import worker_context
from sim.engine.worker import prepare_worker

def blas_threads(info):
    return sorted({lib["num_threads"] for lib in info})

if sys.argv[1] == "thread":  # a Python thread runs beside: the workers fork from a server
    threading.Thread(target=threading.Event().wait, daemon=True).start()
context = worker_context(["threadpoolctl"])
with ProcessPoolExecutor(1, mp_context=context, initializer=prepare_worker) as pool:
    seen = blas_threads(pool.submit(threadpool_info).result())
print(json.dumps([context.get_start_method(), seen, blas_threads(threadpool_info())]))
"""


def test_local_workers_compute_with_one_blas_thread_unless_the_user_chose_their_own():
    # forked from a process with no other Python thread: one BLAS thread, the caller's untouched
    method, worker, caller = in_fresh_process(WORKER_SEES, "alone")
    assert method == "fork" and worker == [1]
    assert caller != [1] or os.cpu_count() == 1  # BLAS started more; the worker limits its own
    # beside a thread the workers come from the forkserver, with one BLAS thread too
    assert in_fresh_process(WORKER_SEES, "thread")[:2] == ["forkserver", [1]]
    # a user's choice is left as it is, in the workers too
    method, worker, caller = in_fresh_process(WORKER_SEES, "alone", openblas="2")
    assert worker == caller == [2]
    assert in_fresh_process(WORKER_SEES, "thread", openblas="2")[1] == [2]


LONE_RUN_SEES = """
import json, sys
from sim.config import load_config
from sim.engine.run import run_config
from sim.opinion import blas_threads

seen = []
config = load_config(sys.argv[1], ["steps=3", "actors.citizen.count=40"])
out = run_config(config, progress=lambda t, n: seen.append(blas_threads()), network=False)
print(json.dumps([out.model.talk_threads, sorted(set(seen)), blas_threads()]))
"""


def test_a_lone_run_keeps_blas_to_one_thread_and_gives_its_cores_to_talk():
    base = str(ROOT / "configs" / "base.yaml")
    # a user's choice is kept throughout
    assert in_fresh_process(LONE_RUN_SEES, base, openblas="2") == [2, [2], 2]
    talk, during, after = in_fresh_process(LONE_RUN_SEES, base)
    assert during == [1]  # BLAS's own threads would only spin beside the run
    assert talk == after  # talk may split over what BLAS had, which it has again afterwards
    assert talk >= 1 and (talk > 1 or len(os.sched_getaffinity(0)) == 1)


EXECUTORS_SEE = """
import json, sys
from sim.engine import executors, worker
from sim.opinion import blas_threads

seen = []
executors.execute = worker.execute = lambda run, stop: seen.append(blas_threads()) or {"r": run}
if sys.argv[1] == "serial":
    done = list(executors.run_serial([1, 2]))
else:  # what a Dask worker runs, in a process whose BLAS has threads of its own
    done = worker.execute_chunk([1, 2])
print(json.dumps([seen, len(done), blas_threads()]))
"""


def test_every_executor_computes_with_one_blas_thread():
    # BLAS's thread count can change last bits at city sizes, so every executor uses one: the
    # serial one while it runs, a Dask worker (of a cluster started elsewhere) from its first task
    threads, done, after = in_fresh_process(EXECUTORS_SEE, "serial")
    assert threads == [1, 1] and done == 2
    assert after >= 1 and (after > 1 or len(os.sched_getaffinity(0)) == 1)  # restored after
    threads, done, _ = in_fresh_process(EXECUTORS_SEE, "chunk")
    assert threads == [1, 1] and done == 2


SIGTERM_ENDS = """
import json, os, signal
from concurrent.futures import ProcessPoolExecutor
from sim.engine.executors import forking, worker_context
from sim.engine.stop import StopSignals
from sim.engine.worker import prepare_worker

with StopSignals():  # the experiment's handlers, which a forked worker inherits
    context = worker_context(["os"])
    pool = ProcessPoolExecutor(1, mp_context=context, initializer=prepare_worker)
    with forking():
        pid = pool.submit(os.getpid).result()
    process = pool._processes[pid]
    os.kill(pid, signal.SIGTERM)
    process.join(timeout=10)
    pool.shutdown(wait=False, cancel_futures=True)
print(json.dumps([context.get_start_method(), process.exitcode]))
"""


def test_a_forked_worker_ends_on_sigterm_whatever_the_experiment_handles():
    # A worker that kept the experiment's SIGTERM handler would only set a flag: neither the
    # pool (ending busy workers after a stop) nor a scheduler could end it. In a fresh process,
    # with no other Python thread, the workers fork.
    out = subprocess.run(
        [sys.executable, "-W", "default::DeprecationWarning", "-c", SIGTERM_ENDS],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["fork", -signal.SIGTERM]
    assert "multi-threaded" not in out.stderr  # the fork is deliberate: not warned of


KILLED_HOLDER = """
import json, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from sim.engine.executors import forking, worker_context
from sim.engine.lock import FolderLock
from sim.engine.outdir import LOCK
from sim.engine.worker import init_worker

def pid_after(seconds):
    time.sleep(seconds)
    return os.getpid()

with FolderLock(Path(sys.argv[1])):
    context = worker_context(["os"])
    pool = ProcessPoolExecutor(2, mp_context=context, initializer=init_worker,
                               initargs=(context.Event(),))
    seen = set()  # until every worker has run a task, one may not have run its fork hooks yet
    with forking():
        for _ in range(100):
            seen |= {f.result() for f in [pool.submit(pid_after, 0.05) for _ in range(4)]}
            if seen == set(pool._processes):
                break
    lock = str(Path(sys.argv[1]).resolve() / LOCK)
    holding = [  # workers with the lock file open
        pid for pid in pool._processes
        for fd in os.listdir(f"/proc/{pid}/fd")
        if os.path.realpath(f"/proc/{pid}/fd/{fd}") == lock
    ]
    print(json.dumps([context.get_start_method(), sorted(pool._processes), holding]), flush=True)
    time.sleep(120)  # until the test kills it
"""


def test_a_killed_experiment_leaves_neither_workers_nor_its_lock(tmp_path):
    import fcntl

    from sim.engine.lock import FolderLock

    holder = subprocess.Popen(
        [sys.executable, "-c", KILLED_HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        method, workers, holding = json.loads(holder.stdout.readline())
    finally:  # killed here, as by the out-of-memory killer (also when the line is not JSON)
        holder.kill()
        holder.wait()
    assert method == "fork" and len(workers) >= 1
    assert holding == []  # forked workers close their copy of the lock's descriptor

    def alive(pid):
        try:
            state = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return False
        return "State:\tZ" not in state  # a zombie has ended

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)  # they ended with the experiment
    # and none of them held the lock on: a new experiment may take the folder
    fd = os.open(FolderLock(tmp_path).path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


def test_chunks_hold_about_a_second_of_work():
    from sim.config.loader import load_config
    from sim.engine.executors import chunk_size

    def runs(n, *overrides, scenario="base", config="base.yaml"):
        raw = load_config(ROOT / "configs" / config, list(overrides)).model_dump()
        return [{"run_id": f"r{i}", "scenario": scenario, "config": raw} for i in range(n)]

    # the default world for 200 steps is estimated at over a second: one run per task
    assert chunk_size(runs(400, "steps=200"), workers=2) == 1
    # 5-step runs take milliseconds: many per task, but several tasks per worker, at most 20
    assert chunk_size(runs(400, "steps=5"), workers=2) == 20
    assert chunk_size(runs(40, "steps=5"), workers=2) == 40 // 8
    assert chunk_size([], workers=2) == 1
    # the longest scenario decides, wherever its runs sit in the plan
    mixed = runs(200, "steps=5") + runs(200, scenario="big", config="large.yaml")
    assert chunk_size(mixed, workers=2) == 1
