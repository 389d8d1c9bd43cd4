"""Robustness: bad input gets exit code 2 and a message naming the field; sweeps survive
interruptions, killed processes and dying workers; memory stays flat; random configs either
run with every invariant holding or are rejected at validation."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.config import ConfigError, validate
from sim.engine import worker
from sim.engine.runner import plan_experiment, run_experiment
from sim.model.model import OpgaveModel
from tests.test_model import check_invariants

ROOT = Path(__file__).resolve().parents[1]
METRICS = list(worker.METRICS)

# -- bad input -------------------------------------------------------------------------------
CONFIG_CASES = {
    "unknown key": (
        "actors: {citizen: {cout: 3}}\n",
        ["actors.citizen.cout", "did you mean 'count'"],
    ),
    "wrong type": ("steps: many\n", ["steps", "'many'", "integer"]),
    "negative count": (
        "actors: {company: {count: -2}}\n",
        ["actors.company.count", "-2", "greater than or equal to 0"],
    ),
    "shares do not sum to 1": (
        "opgaven: {order_mix: {first: 0.5, second: 0.2, third: 0.2}}\n",
        ["opgaven.order_mix", "must sum to 1", "0.9"],
    ),
    "probability above 1": (
        "opgaven: {drift_rate: 1.5}\n",
        ["opgaven.drift_rate", "1.5", "less than or equal to 1"],
    ),
    "zero steps": ("steps: 0\n", ["steps", "(given: 0)", "greater than or equal to 1"]),
    "unknown unmandated domain": ("world: {unmandated: [water]}\n", ["world", "'water'"]),
    "unknown preset": (
        "strategy: {preset: anarchy}\n",
        ["strategy.preset", "'anarchy'", "'hybrid'"],
    ),
    "yaml syntax": ("steps: [1, 2\nseed: 3\n", ["(line 2, column 5)", "YAML syntax error"]),
    "missing extends": (
        "extends: nowhere.yaml\n",
        ["extends names 'nowhere.yaml'", "does not exist"],
    ),
    "empty file": ("", ["the file is empty"]),
    "not a mapping": ("- 1\n- 2\n", ["must be a YAML mapping"]),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_bad_config_gets_exit_2_and_names_file_and_field(case, tmp_path, capsys):
    text, expected = CONFIG_CASES[case]
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    for argv in (["check", str(path)], ["run", str(path), "--out", str(tmp_path / "out")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert str(path) in err
        for fragment in expected:
            assert fragment in err, (fragment, err)
    assert not (tmp_path / "out").exists()


def test_cyclic_extends(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    assert main(["check", str(tmp_path / "a.yaml")]) == 2
    assert "extends forms a cycle" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("actors.citizen.cunt=3", ["with --set", "actors.citizen.cunt", "did you mean 'count'"]),
        ("steps=-5", ["steps", "-5"]),
        ("steps", ["expected dotted.key=value"]),
        ("steps.x=1", ["'steps' holds a value, not a section"]),
    ],
)
def test_bad_set_overrides(setting, expected, capsys):
    assert main(["check", str(ROOT / "configs" / "base.yaml"), "--set", setting]) == 2
    err = capsys.readouterr().err
    for fragment in expected:
        assert fragment in err, (fragment, err)


SPEC_CASES = {
    "unknown key": (
        "name: x\nscenarios: {a: {config: configs/base.yaml}}\nreplicatons: 3\n",
        ["replicatons", "did you mean 'replications'"],
    ),
    "zero replications": (
        "name: x\nscenarios: {a: {config: configs/base.yaml}}\nreplications: 0\n",
        ["replications", "(given: 0)"],
    ),
    "unknown scenario key": (
        "name: x\nscenarios: {a: {confg: configs/base.yaml}}\n",
        ["scenarios.a.confg", "did you mean 'config'"],
    ),
    "missing config": (
        "name: x\nscenarios: {a: {config: configs/none.yaml}}\n",
        ["'configs/none.yaml' not found"],
    ),
    "bad scenario override": (
        "name: x\nscenarios: {a: {config: configs/base.yaml, set: {steps: 0}}}\n",
        ["scenarios.a", "steps"],
    ),
    "bad design parameter": (
        "name: x\nscenarios: {a: {config: configs/base.yaml}}\n"
        "design: {parameters: {dynamics.agenda.atention: [1, 2]}}\n",
        ["design.parameters.dynamics.agenda.atention", "did you mean 'attention'"],
    ),
    "range in a grid": (
        "name: x\nscenarios: {a: {config: configs/base.yaml}}\n"
        "design: {kind: grid, parameters: {steps: {low: 1, high: 2}}}\n",
        ["a grid takes a list of values"],
    ),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_bad_spec_gets_exit_2(case, tmp_path, capsys):
    text, expected = SPEC_CASES[case]
    path = ROOT / "experiments" / f".tmp-{os.getpid()}-{case.replace(' ', '_')}.yaml"
    path.write_text(text)
    try:
        for argv in (
            ["check", str(path)],
            ["experiment", str(path), "--out", str(tmp_path / "o"), "--quiet"],
        ):
            assert main(argv) == 2
            err = capsys.readouterr().err
            assert str(path) in err
            for fragment in expected:
                assert fragment in err, (fragment, err)
    finally:
        path.unlink()
    assert not (tmp_path / "o").exists()


# -- sweeps that survive faults ----------------------------------------------------------------
SPEC = """name: robust
scenarios:
  institutional:  {config: configs/institutional.yaml}
  opgave_centred: {config: configs/opgave_centred.yaml}
replications: 20
seed: 5
steps: 60
"""
SMALL = {
    "actors.citizen.count": 30,
    "actors.institution.count": 8,
    "actors.company.count": 4,
    "actors.boundary_spanner.count": 2,
}


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory):
    path = ROOT / "experiments" / f".tmp-robust-{os.getpid()}.yaml"
    sets = ", ".join(f"{k}: {v}" for k, v in SMALL.items())
    path.write_text(
        SPEC.replace("institutional.yaml}", f"institutional.yaml, set: {{{sets}}}}}").replace(
            "opgave_centred.yaml}", f"opgave_centred.yaml, set: {{{sets}}}}}"
        )
    )
    yield path
    path.unlink()


@pytest.fixture(scope="module")
def reference(spec_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    run_experiment(plan_experiment(spec_path), out, executor="serial")
    return table(out)


def table(out: Path) -> pd.DataFrame:
    runs = pd.read_parquet(out / "runs.parquet")
    assert not runs.run_id.duplicated().any()
    return runs.sort_values("run_id").reset_index(drop=True)[["run_id", *METRICS]]


def experiment(spec_path: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sim",
        "experiment",
        str(spec_path),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def launch(spec_path: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        experiment(spec_path, out, *extra),
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_parts(out: Path, n: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list((out / "runs").glob("part-*.parquet"))) >= n:
            return
        if proc.poll() is not None:
            pytest.fail(f"finished before it could be interrupted: {proc.stderr.read()}")
        time.sleep(0.02)
    pytest.fail("no results appeared")


def resume_and_compare(spec_path: Path, out: Path, reference: pd.DataFrame) -> None:
    command = experiment(spec_path, out, "--resume", "--executor", "serial")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(table(out), reference)
    steps = pd.concat(pd.read_parquet(p) for p in (out / "steps").rglob("part-*.parquet"))
    assert not steps.duplicated(["run_id", "step"]).any()


def test_sigkill_of_the_main_process_then_resume(spec_path, reference, tmp_path):
    out = tmp_path / "killed"
    proc = launch(spec_path, out, "--executor", "serial")
    wait_for_parts(out, 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = sum(len(pd.read_parquet(p)) for p in (out / "runs").glob("part-*.parquet"))
    assert 3 <= stored < 40  # killed mid-way: some batches landed, not all
    resume_and_compare(spec_path, out, reference)


def test_sigterm_on_a_pool_sweep_stops_within_seconds_then_resume(spec_path, reference, tmp_path):
    out = tmp_path / "terminated"
    proc = launch(spec_path, out, "--executor", "local", "--workers", "2")
    wait_for_parts(out, 2, proc)
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10, err  # chunks in flight are not run to their end
    assert proc.returncode == 143, err
    assert "--resume" in err
    manifest = pd.read_json(out / "manifest.json", typ="series")
    assert manifest["state"] == "interrupted"
    assert 0 < len(pd.read_parquet(out / "runs.parquet")) < 40
    resume_and_compare(spec_path, out, reference)


def descendants(pid: int) -> list[int]:
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_sigkill_of_a_worker_then_resume(spec_path, reference, tmp_path):
    out = tmp_path / "worker"
    proc = launch(spec_path, out, "--executor", "local", "--workers", "2")
    wait_for_parts(out, 1, proc)
    workers = descendants(proc.pid)[1:]  # the first descendant is the forkserver itself
    assert workers
    os.kill(workers[-1], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    if proc.returncode != 0:  # the pool noticed the lost worker
        assert "worker process died" in err and "--resume" in err
    resume_and_compare(spec_path, out, reference)


def test_dask_worker_killed_mid_sweep_is_retried(spec_path, reference, tmp_path):
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = list(client.run(os.getpid).values())
        killed = threading.Event()

        def kill_once(done, failed, total):
            if not killed.is_set():
                killed.set()
                os.kill(pids[0], signal.SIGKILL)

        outcome = run_experiment(
            plan_experiment(spec_path),
            tmp_path,
            executor="dask",
            scheduler=cluster.scheduler_address,
            progress=kill_once,
        )
    assert killed.is_set()
    assert outcome.done == 40 and not outcome.failed and not outcome.interrupted
    pd.testing.assert_frame_equal(table(tmp_path), reference)


@pytest.mark.parametrize(("executor", "workers"), [("local", 1), ("local", 2)])
def test_determinism_across_executors(spec_path, reference, tmp_path, executor, workers):
    run_experiment(plan_experiment(spec_path), tmp_path, executor=executor, workers=workers)
    pd.testing.assert_frame_equal(table(tmp_path), reference)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_memory_stays_flat_over_a_long_sweep(tmp_path):
    path = ROOT / "experiments" / f".tmp-memory-{os.getpid()}.yaml"
    path.write_text(
        "name: memory\nscenarios:\n  a: {config: configs/base.yaml, set: {"
        "actors.citizen.count: 5, actors.institution.count: 3, actors.company.count: 1, "
        "actors.boundary_spanner.count: 1, opgaven.initial: 2}}\n"
        "replications: 2000\nseed: 1\nsteps: 3\noutputs: {steps_every: 1}\n"
    )
    try:
        plan = plan_experiment(path)
        samples = {}

        def sample(done, failed, total):
            if done in (400, 2000):
                samples[done] = rss_mb()

        outcome = run_experiment(plan, tmp_path, executor="serial", progress=sample)
    finally:
        path.unlink()
    assert outcome.done == 2000
    assert samples[2000] - samples[400] < 40, samples  # MB, over 1,600 more runs


# -- fuzzing the config space ------------------------------------------------------------------
values = st.one_of(
    st.integers(-5, 400),
    st.floats(-1, 2, allow_nan=False),
    st.booleans(),
    st.text(max_size=4),
    st.none(),
)
KEYS = [
    "steps",
    "world.regions",
    "world.unmandated",
    "actors.citizen.count",
    "actors.institution.count",
    "actors.company.count",
    "actors.boundary_spanner.count",
    "actors.citizen.capacity",
    "actors.institution.execution_power",
    "actors.boundary_spanner.stubbornness",
    "actors.company.max_memberships",
    "opgaven.initial",
    "opgaven.arrival_rate",
    "opgaven.order_mix.first",
    "opgaven.drift_rate",
    "opgaven.size",
    "opgaven.urgency_growth",
    "strategy.preset",
    "strategy.table",
    "strategy.follows_drift",
    "dynamics.agenda.attention",
    "dynamics.agenda.agenda_threshold",
    "dynamics.mobilisation.invites_per_step",
    "dynamics.network.tie_decay",
    "dynamics.lifecycle.orphan_patience",
    "dynamics.realisation.coordination_scale",
]
special = {
    "world.unmandated": st.sampled_from([[], ["energy"], ["care", "energy"], ["nope"]]),
    "strategy.preset": st.sampled_from(["institutional", "opgave_centred", "hybrid", "x"]),
    "strategy.table": st.sampled_from(["interest", "added_value", "y"]),
    "steps": st.integers(-1, 15),
    "actors.citizen.count": st.integers(-1, 40),
    "opgaven.initial": st.integers(-1, 6),
}


@st.composite
def raw_configs(draw):
    chosen = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=8))
    overrides = {k: draw(special.get(k, values)) for k in chosen}
    return {**{"steps": 10, "actors.citizen.count": 20}, **overrides}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=raw_configs(), seed=st.integers(0, 1000))
def test_random_configs_run_or_are_rejected_clearly(raw, seed):
    from sim.config.loader import apply_overrides

    try:
        config = validate(apply_overrides({"seed": seed}, raw), "<fuzz>")
    except ConfigError as exc:
        assert str(exc).startswith("<fuzz>")
        return
    model = OpgaveModel(config)
    for _ in range(config.steps):
        model.step()
        check_invariants(model)
