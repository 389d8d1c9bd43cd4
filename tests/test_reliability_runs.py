"""Reliability of results folders (issue 14): resume only what the same experiment made, grow
replications only with --extend, one experiment per folder, damaged parts re-run, the manifest's
true state after a crash, and a clean stop on SIGTERM that keeps every finished run."""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import results
from sim.cli import main
from sim.engine import executors, worker
from sim.engine.outdir import LOCK
from sim.engine.runner import plan_experiment, run_experiment
from sim.engine.store import Store
from tests.test_reliability import spec_text, write

ROOT = Path(__file__).resolve().parents[1]
METRICS = list(worker.METRICS)


def metrics(out: Path) -> pd.DataFrame:
    runs = pd.read_parquet(out / "runs.parquet")
    assert not runs.run_id.duplicated().any()
    return runs.sort_values("run_id").reset_index(drop=True)[["run_id", *METRICS]]


def experiment(spec: Path, out: Path, *extra: str) -> list[str]:
    return ["experiment", str(spec), "--out", str(out), "--quiet", "--executor", "serial", *extra]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A finished tiny experiment (2 scenarios x 2 replications) and its spec."""
    root = tmp_path_factory.mktemp("made")
    spec = write(root / "spec.yaml", spec_text())
    assert main(experiment(spec, root / "out")) == 0
    return spec, root / "out"


def test_manifest_records_a_fingerprint(made):
    manifest = json.loads((made[1] / "manifest.json").read_text())
    assert len(manifest["fingerprint"]["sha256"]) == 64
    assert manifest["fingerprint"]["identity"]["replications"] == 2
    assert manifest["state"] == "complete"


def stamps(out: Path) -> dict[Path, int]:
    """Modification times of the results (the lock file aside: it holds the last pid)."""
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != LOCK}


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ({"steps": 8}, ["scenarios.a.steps: 6 stored, 8 asked", "scenarios.b.steps"]),
        ({"seed": 4}, ["seed: 3 stored, 4 asked"]),
        (
            {"extra": "design: {parameters: {opgaven.drift_rate: [0.0, 0.3]}}\n"},
            ["design: 1 points stored, 2 asked"],
        ),
        ({"replications": 3}, ["replications: 2 stored, 3 asked", "--extend"]),
    ],
)
def test_resume_refuses_a_different_experiment(made, change, fragments, tmp_path, capsys):
    _, out = made
    before = stamps(out)
    other = write(tmp_path / "other.yaml", spec_text(**change))
    for flag in ("--resume", "--retry-failed"):
        assert main(experiment(other, out, flag)) == 2
        err = capsys.readouterr().err
        assert "made by a different experiment" in err and str(out) in err
        for fragment in fragments:
            assert fragment in err, (fragment, err)
    assert before == stamps(out)  # nothing rewritten


def test_extend_adds_replications_and_nothing_else(made, tmp_path, capsys):
    spec, _ = made
    out = tmp_path / "extended"
    assert main(experiment(spec, out)) == 0
    more = write(tmp_path / "more.yaml", spec_text(replications=3))
    both = write(tmp_path / "both.yaml", spec_text(replications=3, steps=8))
    assert main(experiment(both, out, "--extend")) == 2
    assert "scenarios.a.steps: 6 stored, 8 asked" in capsys.readouterr().err
    assert main(experiment(more, out, "--extend")) == 0
    assert "2 runs done" in capsys.readouterr().err  # one new replication per scenario
    fresh = tmp_path / "fresh"
    assert main(experiment(more, fresh)) == 0
    pd.testing.assert_frame_equal(metrics(out), metrics(fresh))
    less = write(tmp_path / "less.yaml", spec_text(replications=1))
    assert main(experiment(less, out, "--extend")) == 2
    assert "only adds replications" in capsys.readouterr().err


def test_resume_into_a_folder_that_is_not_ours(made, tmp_path, capsys):
    spec, _ = made
    mine = tmp_path / "mine"
    write(mine.mkdir() or mine / "notes.txt", "keep\n")
    assert main(experiment(spec, mine, "--resume")) == 2
    assert "not a results folder" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


HOLD = """
import sys
from sim.engine.lock import FolderLock
with FolderLock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_experiment_on_a_locked_folder_exits_2(made, tmp_path, capsys):
    spec, _ = made
    out = tmp_path / "busy"
    assert main(experiment(spec, out)) == 0
    tmp = write(out / ".steps.parquet.123.tmp", "a running experiment's temporary file")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        for flag in ("--resume", "--force"):
            assert main(experiment(spec, out, flag)) == 2
            err = capsys.readouterr().err
            assert "another experiment is writing to this folder" in err
            assert f"pid {holder.pid}" in err
        assert tmp.exists()  # start-up cleanup never ran under someone else's lock
    finally:
        holder.communicate("", timeout=30)
    assert main(experiment(spec, out, "--resume")) == 0  # released when the holder ends
    assert not tmp.exists()


def test_a_damaged_part_is_rerun_not_trusted(made, tmp_path, capsys):
    spec, original = made
    out = tmp_path / "damaged"
    plan = plan_experiment(spec)
    run_experiment(plan, out, executor="serial", flush_every=1)
    parts = sorted((out / "runs").glob("part-*.parquet"))
    steps = sorted((out / "steps").rglob("part-*.parquet"))
    parts[0].write_bytes(parts[0].read_bytes()[:100])  # truncated
    steps[-1].write_bytes(steps[-1].read_bytes()[:-20])
    assert main(["compare", str(out)]) == 2  # read before the resume: named, not a traceback
    assert f"{steps[-1]}: cannot be read" in capsys.readouterr().err
    again = run_experiment(plan, out, executor="serial", resume=True)
    assert again.done == 2 and again.skipped == 2
    pd.testing.assert_frame_equal(metrics(out), metrics(original))
    res = results.load(out)
    assert not res.steps.duplicated(["run_id", "step"]).any()
    assert len(res.steps) == len(results.load(original).steps)


def test_disk_full_exits_2_and_the_manifest_says_failed(made, tmp_path, capsys, monkeypatch):
    spec, _ = made
    out = tmp_path / "full"

    def full(self):
        if self.pending:
            raise OSError(errno.ENOSPC, "No space left on device", str(self.root / "runs"))

    monkeypatch.setattr(Store, "flush", full)
    assert main(experiment(spec, out)) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and str(out) in err and "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["state"] == "failed" and "No space left" in manifest["error"]


def test_an_unreachable_scheduler_exits_2_before_writing(made, tmp_path, capsys, monkeypatch):
    spec, _ = made
    monkeypatch.setattr(executors, "SCHEDULER_TIMEOUT", 1.0)
    out = tmp_path / "nowhere"
    code = main(
        [*experiment(spec, out)[:-2], "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--scheduler tcp://127.0.0.1:9: no Dask scheduler answered" in err
    assert not out.exists()


def test_sigterm_on_a_pool_sweep_keeps_finished_runs_and_resumes(tmp_path):
    spec = write(tmp_path / "spec.yaml", spec_text(replications=8, steps=6))
    plan = plan_experiment(spec)
    sent = []

    def terminate_once(done, failed, total):
        if done + failed and not sent:  # after the first finished run, not the 0/total report
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGTERM)

    out = tmp_path / "pool"
    outcome = run_experiment(plan, out, executor="local", workers=2, progress=terminate_once)
    assert time.monotonic() - sent[0] < 5
    assert outcome.interrupted and outcome.code == 143
    manifest = json.loads((out / "manifest.json").read_text())
    stored = pd.read_parquet(out / "runs.parquet")
    assert manifest["state"] == "interrupted"
    assert manifest["runs_ok"] == len(stored) == outcome.done and 0 < len(stored) < 16
    kept = pd.concat(pd.read_parquet(p) for p in (out / "steps").rglob("part-*.parquet"))
    assert set(kept.run_id) == set(stored.run_id)  # every stored run whole, nothing half
    again = run_experiment(plan, out, executor="serial", resume=True)
    assert again.skipped == len(stored) and again.done == 16 - len(stored)
    reference = tmp_path / "reference"
    run_experiment(plan, reference, executor="serial")
    pd.testing.assert_frame_equal(metrics(out), metrics(reference))


def test_a_stopped_chunk_hands_back_its_finished_runs(made, monkeypatch):
    import threading

    plan = plan_experiment(made[0])
    stop = threading.Event()
    calls = []
    real = worker.execute

    def execute_then_stop(run, flag=None):
        result = real(run, flag)
        calls.append(run["run_id"])
        stop.set()  # the stop request arrives while the first run finishes
        return result

    monkeypatch.setattr(worker, "_STOP", stop)
    monkeypatch.setattr(worker, "execute", execute_then_stop)
    finished = worker.execute_chunk(plan.runs)
    assert [r["row"]["run_id"] for r in finished] == calls[:1] == [plan.runs[0]["run_id"]]
    assert worker.execute(plan.runs[1], stop) is None  # stopped before its first step
