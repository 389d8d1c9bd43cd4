"""Experiments from Python: sim.run_experiment and sim.compare, and Mesa's batch_run giving
distinct replications."""

import multiprocessing
import warnings
from pathlib import Path

import pytest

import sim
from sim import OpgaveModel, load_config
from sim.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
TINY = {
    "actors.citizen.count": 20,
    "actors.company.count": 6,
    "actors.institution.count": 6,
    "actors.boundary_spanner.count": 2,
}


def spec_dict(name: str = "py") -> dict:
    base = str(ROOT / "configs" / "base.yaml")
    return {
        "name": name,
        "scenarios": {
            "institutional": {"config": base, "set": TINY},
            "opgave_centred": {
                "config": base,
                "set": {**TINY, "strategy.preset": "opgave_centred"},
            },
        },
        "replications": 3,
        "seed": 5,
        "steps": 6,
        "outputs": {"steps_every": 3, "opgaven": False},
    }


def test_run_experiment_from_a_dict_returns_the_loaded_results(tmp_path):
    res = sim.run_experiment(spec_dict(), tmp_path / "r", executor="serial")
    assert isinstance(res, sim.Results) and res.root == tmp_path / "r"
    assert len(res.runs) == 6 and (res.runs.status == "ok").all()
    assert sorted(res.steps.step.unique()) == [0, 3, 6]
    table = sim.compare(res, metrics=["collective_effectiveness"], reading="by_kind")
    assert set(table.verdict) <= {"baseline", "higher", "lower", "equivalent", "inconclusive"}
    assert table.read_as.iloc[0] == "final value"
    with pytest.raises(UsageError, match="already holds results"):
        sim.run_experiment(spec_dict(), tmp_path / "r", executor="serial")
    again = sim.run_experiment(spec_dict(), tmp_path / "r", executor="serial", resume=True)
    assert again.runs.equals(res.runs)  # nothing left to do: the same stored results
    with pytest.raises(UsageError, match="step 4 was not kept"):
        sim.compare(tmp_path / "r", at=4)
    with pytest.raises(UsageError, match="reading='median'"):
        sim.compare(res, reading="median")


def test_run_experiment_from_a_path_into_a_temporary_folder_and_a_report(tmp_path):
    res = sim.run_experiment(ROOT / "experiments" / "smoke.yaml", executor="serial")
    try:
        assert res.root.name.startswith("opgaven-smoke-") and len(res.runs) == 12
        table = sim.compare(res, sesoi={"fragmentation": 0.5}, report=tmp_path / "rep")
        assert (table[table.metric == "fragmentation"].sesoi.dropna() == 0.5).all()
        assert (tmp_path / "rep" / "report.html").is_file()
    finally:
        import shutil

        shutil.rmtree(res.root)


def test_a_bad_spec_dict_names_the_field():
    bad = {**spec_dict(), "replications": 0}
    with pytest.raises(sim.ConfigError, match="replications"):
        sim.run_experiment(bad, executor="serial")


def test_rng_none_means_fresh_entropy_and_no_rng_the_configs_seed():
    config = load_config(None, ["actors.citizen.count=20", "seed=11"])
    a, b = OpgaveModel(config), OpgaveModel(config)
    assert a.seed == b.seed == 11 and (a.actors.region == b.actors.region).all()
    x, y = OpgaveModel(config, rng=None), OpgaveModel(config, rng=None)
    assert x.seed != y.seed
    again = OpgaveModel(config, rng=x.seed)  # the recorded seed replays the run
    assert (again.actors.region == x.actors.region).all()


def test_batch_run_iterations_are_distinct_replications(monkeypatch):
    from mesa.batchrunner import batch_run

    # batch_run forces the spawn start method for the whole process: keep it local
    monkeypatch.setattr(multiprocessing, "set_start_method", lambda *a, **k: None)
    config = load_config(None, ["actors.citizen.count=20", "opgaven.initial=6", "steps=8"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Mesa deprecates iterations=
        rows = batch_run(
            OpgaveModel,
            {"config": [config]},  # a list: batch_run would iterate over a bare Config
            iterations=3,
            max_steps=8,
            number_processes=1,
            display_progress=False,
        )
    final = [r for r in rows if r["Step"] == 8]
    assert len(final) == 3
    assert len({round(r["open_backlog"], 9) for r in final}) == 3
    seeded = batch_run(
        OpgaveModel,
        {"config": [config]},
        rng=[4, 4],
        max_steps=8,
        number_processes=1,
        display_progress=False,
    )
    same = [r["open_backlog"] for r in seeded if r["Step"] == 8]
    assert same[0] == same[1]  # an explicit seed still reproduces
